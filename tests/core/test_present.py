"""The shared, platform-neutral wording: quick answers, money, amounts, offer rows, questions, tax headings."""

from __future__ import annotations

import pytest

from core.cases import ANSWER_VALUES
from core.classifier import classify
from core.present import (
    QUICK_ANSWERS,
    amounts,
    money_text,
    offer_rows,
    questions_text,
    tax_heading,
    tax_lines,
)
from core.rules import money_text as rules_money_text
from core.tax import tax_note


def test_quick_answers_carry_exactly_the_values_a_structured_answer_accepts() -> None:
    assert {qid: tuple(value for value, _ in pairs) for qid, pairs in QUICK_ANSWERS.items()} == ANSWER_VALUES


@pytest.mark.parametrize(
    ("amount", "currency", "code", "expected"),
    [
        (6000, "USD", False, "$6,000"),
        (1200.5, "EUR", False, "€1,200.50"),
        (300, "CAD", False, "C$300"),
        (1234, "CHF", False, "1,234 CHF"),
        (6000, "USD", True, "USD 6,000"),
        (6000, None, False, "6,000"),
    ],
)
def test_money_text(amount: float, currency: str | None, code: bool, expected: str) -> None:
    assert money_text(amount, currency, code=code) == expected


def test_money_text_is_still_importable_from_rules() -> None:
    assert rules_money_text is money_text


def test_amounts_of_a_monthly_allowance() -> None:
    figures = amounts(classify("$500/month API budget, work-only"))
    assert (figures.stated, figures.period, figures.annual, figures.per_period, figures.pay) == (
        "$500",
        "a month",
        "$6,000",
        True,
        "$0",
    )
    daily = amounts(classify("$20 a day AI budget"), code=True)
    assert (daily.stated, daily.period, daily.working_days, daily.pay) == ("USD 20", "a working day", True, None)


def test_offer_rows_say_what_counts_as_pay() -> None:
    verdict = classify("$185k base, 0.1% equity, $15,000/yr AI token credits, work only")
    assert verdict.offer is not None
    rows = {row.label: (row.amount, row.counts_as_pay) for row in offer_rows(verdict.offer)}
    assert rows["base salary"] == ("$185,000", True)
    assert [value for label, value in rows.items() if "equity" in label] == [(None, False)]


def test_questions_text_is_one_pasteable_message() -> None:
    text = questions_text(classify("$500/month API budget"))
    assert text.splitlines()[1].startswith("1. ")
    assert questions_text(classify("$500/month API budget, work only, expires, hard cap, in TC, taxable")).startswith(
        "There are no open questions"
    )


def test_tax_heading_says_it_is_not_advice() -> None:
    verdict = classify("$500/month API budget, work-only")
    note = tax_note(verdict, "US")
    assert note is not None
    assert tax_heading(note) == "Tax in the United States: general information, not tax advice"
    assert tax_lines(note)[-1] == note.business_expense_sign
