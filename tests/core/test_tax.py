"""Tax notes: only where a country is implied, labelled not advice, and pointing at the business expense."""

from __future__ import annotations

import pytest

from core.classifier import classify, extract_signals
from core.tax import NOT_ADVICE, tax_note


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("$500/month API budget, work-only", "US"),  # from the currency
        ("£2k/yr AI credits", "GB"),
        ("AI budget, we're a London company", "GB"),
        ("18 LPA, AI credits on top", "IN"),
        ("they gave me Cursor Pro", None),
        ("US-based role, Cursor Pro seat", "US"),
        ("let us know: AI budget £50/mo", "GB"),  # "us" the pronoun does not make it American
        ("€100/mo AI stipend, join us", None),
        ("€3,000/yr AI budget for personal projects", None),  # the euro names no single country
    ],
)
def test_the_country_comes_from_words_or_currency(text: str, country: str | None) -> None:
    assert extract_signals(text).country == country


def test_no_country_means_no_note() -> None:
    text = "they gave me Cursor Pro"
    assert tax_note(classify(text), extract_signals(text).country) is None
    assert tax_note(classify(text), None) is None
    assert tax_note(classify(text), "") is None


def test_no_allowance_means_no_note() -> None:
    assert tax_note(classify("hello from London"), "GB") is None


def test_us_work_only_tool_cites_the_working_condition_fringe_and_calls_it_a_business_expense() -> None:
    text = "$500/month API budget, work-only"
    note = tax_note(classify(text), extract_signals(text).country)
    assert note is not None
    assert note.country == "US" and note.label == NOT_ADVICE
    joined = " ".join(note.points)
    assert "IRC §132(d)" in joined and "working-condition fringe" in joined
    assert "without receipts" in joined and "taxable wages" in joined
    assert "accountable plan" in joined
    assert note.business_expense_sign is not None and "business expense" in note.business_expense_sign
    rendered = note.render_text()
    assert rendered.startswith("Tax in the United States (General information, not tax advice")
    assert note.business_expense_sign in rendered


def test_us_stipend_open_to_anything_is_taxed_as_pay_and_not_a_business_expense() -> None:
    text = "$200/month AI stipend, use it for anything"
    note = tax_note(classify(text), "US")
    assert note is not None
    assert note.points[0].startswith("This reads as a stipend")
    assert "taxable fringe benefit" in note.points[-1]
    assert note.business_expense_sign is None


def test_uk_cites_itepa_exemptions_and_benefits_in_kind() -> None:
    text = "£2k/yr AI credits, work only"
    note = tax_note(classify(text), extract_signals(text).country)
    assert note is not None and note.country == "GB"
    joined = " ".join(note.points)
    assert "ITEPA 2003 s316" in joined and "ITEPA 2003 s289A" in joined and "benefit in kind" in joined
    assert note.business_expense_sign is not None


@pytest.mark.parametrize("alias", ["UK", "uk", "gb"])
def test_uk_aliases(alias: str) -> None:
    note = tax_note(classify("$500/month API budget, work-only"), alias)
    assert note is not None and note.country == "GB"


def test_elsewhere_gets_a_neutral_note() -> None:
    text = "18 LPA, AI credits for personal projects too"
    note = tax_note(classify(text), extract_signals(text).country)
    assert note is not None
    assert note.title == "Tax in India"
    assert "not covered in detail" in note.points[0]
    assert "§" not in note.render_text() and "ITEPA" not in note.render_text()
    assert note.to_json_dict()["label"] == NOT_ADVICE
