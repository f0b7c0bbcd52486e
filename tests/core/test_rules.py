"""One test per rule of the contract, per question id, and per money / period format."""

from __future__ import annotations

import pytest

from core.classifier import MAX_INPUT_CHARS, InputTooLong, classify
from core.models import QUOTE_CLOSE, QUOTE_OPEN
from core.rules import verdict_for


def asked(text: str) -> set[str]:
    return {question.id for question in classify(text).questions}


# --- the rules, through the whole pipeline ---------------------------------------------------


def test_contract_example_verdict() -> None:
    verdict = classify("$500/month API budget, work-only").to_json_dict()
    assert verdict["verdict"] == "operating_cost"
    assert verdict["headline"] == "Office supplies with better marketing: count $0 of the $6,000/yr as pay."
    assert verdict["allowance"] == {
        "amount": 500,
        "currency": "USD",
        "period": "month",
        "annual_amount": 6000,
        "form": "api_credits",
        "use": "work_only",
        "expiry": "unknown",
        "top_up": "unknown",
    }
    assert verdict["comp_value_annual"] == 0
    ids = [question["id"] for question in verdict["questions"]]  # type: ignore[index]
    assert ids[:2] == ["expiry", "top_up"] and "use" not in ids
    assert verdict["offer"] is None


def test_rule0_company_kit_is_operating_cost() -> None:
    verdict = classify("They provide a MacBook and a ChatGPT Enterprise seat administered by IT")
    assert verdict.verdict == "operating_cost"
    assert any("Company kit" in reason for reason in verdict.reasons)


def test_rule0_kit_opened_to_personal_use_is_not_operating_cost() -> None:
    verdict = classify("Claude Team seat from the company, and personal projects are totally fine on it")
    assert verdict.verdict == "perk"


def test_rule1_work_only_is_operating_cost() -> None:
    assert classify("$300/mo in OpenAI credits, strictly business").verdict == "operating_cost"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$400/mo API credits, we top it up if you run out", "operating_cost"),
        ("$400/mo API credits, some personal use is fine, topped up on request", "operating_cost"),
        ("$400/mo API credits for anything you like, and we top it up if you run out", "mixed"),
    ],
)
def test_rule2_top_up_confirms_operating_cost(text: str, expected: str) -> None:
    assert classify(text).verdict == expected


def test_rule3_open_use_is_a_perk_worth_its_annual_amount() -> None:
    verdict = classify("€80 a month for AI tools, use it for side projects and learning, no strings attached")
    assert verdict.verdict == "perk"
    assert verdict.comp_value_annual == 960


def test_rule4_partly_open_is_mixed() -> None:
    verdict = classify("$100/month AI budget, mostly for work but occasional personal use is ok")
    assert verdict.verdict == "mixed"
    assert verdict.comp_value_annual is None


def test_rule5_not_said_is_not_known() -> None:
    verdict = classify("$2,000 a year in AI credits")
    assert verdict.verdict == "unclear"
    assert "use" in asked("$2,000 a year in AI credits")


@pytest.mark.parametrize(
    "expiry", ["unused credits expire monthly", "unused credits roll over", "unused balance is paid out"]
)
def test_rule6_expiry_changes_worth_not_side(expiry: str) -> None:
    verdict = classify(f"$200/mo API credits, work only, {expiry}")
    assert verdict.verdict == "operating_cost"
    assert any("not which side of the line" in reason for reason in verdict.reasons)


@pytest.mark.parametrize(
    ("use", "top_up", "kit", "expected"),
    [
        ("work_only", "unknown", False, "operating_cost"),
        ("unknown", "unknown", True, "operating_cost"),
        ("personal_allowed", "unknown", True, "perk"),
        ("unknown", "yes", False, "operating_cost"),
        ("some_personal", "yes", False, "operating_cost"),
        ("personal_allowed", "yes", False, "mixed"),
        ("personal_allowed", "no", False, "perk"),
        ("some_personal", "no", False, "mixed"),
        ("unknown", "no", False, "unclear"),
    ],
)
def test_verdict_table(use: str, top_up: str, kit: bool, expected: str) -> None:
    assert verdict_for(use, top_up, kit, True) == expected


def test_no_allowance_is_unclear_and_asks_nothing() -> None:
    for text in ("hello", "", "   ", "🙂🙂", "asdf qwer zxcv"):
        verdict = classify(text)
        assert verdict.verdict == "unclear"
        assert verdict.allowance.amount is None
        assert verdict.questions == []
        assert "$500/month API budget" in verdict.headline  # shows how to ask


# --- questions --------------------------------------------------------------------------------


def test_each_question_is_asked_exactly_when_unknown() -> None:
    assert asked("an AI budget") >= {"use", "expiry", "top_up", "comp_framing", "tax"}
    text = "$100/mo AI stipend for anything, unused rolls over, hard cap, not included in total comp, taxed as income"
    assert asked(text) == set()


def test_allowance_without_amount_still_asks() -> None:
    verdict = classify("they gave me Cursor Pro")
    assert verdict.allowance.amount is None
    assert verdict.allowance.form == "subscription"
    assert {"use", "expiry", "top_up"} <= asked("they gave me Cursor Pro")


def test_token_count_is_not_money() -> None:
    verdict = classify("2M tokens a month on the API")
    assert verdict.allowance.amount is None
    assert "token_value" in asked("2M tokens a month on the API")


def test_question_inside_a_question_is_not_a_fact() -> None:
    verdict = classify("They offer $300/mo in AI credits. Can I use them for side projects?")
    assert verdict.allowance.use == "unknown"


def test_general_questions_get_answers_not_errors() -> None:
    tax = classify("is an AI stipend taxable?")
    assert tax.verdict == "unclear" and "tax" in tax.headline.lower()
    ask = classify("what should I ask about a token budget?")
    assert "restricted to work" in ask.headline
    assert {"use", "expiry", "top_up"} <= {q.id for q in ask.questions}


# --- money formats ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount", "currency", "period", "annual"),
    [
        ("15k/yr AI credits", 15000, None, "year", 15000),
        ("$1.2k per month for AI tools", 1200, "USD", "month", 14400),
        ("25 000 € par an for AI, annual", 25000, "EUR", "year", 25000),
        ("₹1.2L a year AI budget", 120000, "INR", "year", 120000),
        ("18 LPA AI tools budget", 1800000, "INR", "year", 1800000),
        ("CA$90/mo AI stipend", 90, "CAD", "month", 1080),
        ("C$90 monthly AI stipend", 90, "CAD", "month", 1080),
        ("A$50/wk AI allowance", 50, "AUD", "week", 2600),
        ("AUD 600 quarterly AI credits", 600, "AUD", "quarter", 2400),
        ("£45 pcm ChatGPT Plus", 45, "GBP", "month", 540),
        ("¥3,000/day API budget", 3000, "JPY", "day", 780000),
        ("Rs 5,000 per annum AI tools", 5000, "INR", "year", 5000),
        ("$40 a day API budget", 40, "USD", "day", 10400),
        ("one-off $800 AI tools budget", 800, "USD", "one_time", 800),
        ("$500 one-time AI setup stipend", 500, "USD", "one_time", 500),
        ("$300/qtr AI credits", 300, "USD", "quarter", 1200),
        ("US$2,400 yearly AI budget", 2400, "USD", "year", 2400),
        ("$20/wk for AI", 20, "USD", "week", 1040),
        ("$500 CAD per month AI budget", 500, "CAD", "month", 6000),
        ("twelve hundred dollars a year for AI tools", 1200, "USD", "year", 1200),
        ("two thousand euros per year AI budget", 2000, "EUR", "year", 2000),
    ],
)
def test_money_formats(text: str, amount: float, currency: str | None, period: str, annual: float) -> None:
    allowance = classify(text).allowance
    assert (allowance.amount, allowance.currency, allowance.period, allowance.annual_amount) == (
        amount,
        currency,
        period,
        annual,
    )


def test_day_rate_says_it_counts_working_days() -> None:
    assert any("260 working days" in reason for reason in classify("$40/day API budget").reasons)


# --- whole offers -------------------------------------------------------------------------------


def test_whole_offer_separates_headline_from_real_pay() -> None:
    offer = classify("$185k base, 10% bonus, $15,000/yr AI token credits, work only").offer
    assert offer is not None
    assert offer.headline_total_annual == 218500
    assert offer.real_total_annual == 203500
    labels = {component.label: component.counts_as_pay for component in offer.components}
    assert labels["base salary"] is True and labels["10% bonus"] is True


def test_equity_without_annual_figure_is_left_out_and_said() -> None:
    verdict = classify("$150k base, 10,000 options, $6k/yr AI credits for anything")
    assert verdict.offer is not None
    assert verdict.offer.headline_total_annual == 156000
    assert verdict.offer.real_total_annual == 156000
    assert any("no annual figure" in reason for reason in verdict.reasons)


def test_vesting_grant_is_divided_by_years_and_sign_on_counts_once() -> None:
    offer = classify("$160k base, $80k RSUs over 4 years, $10k signing bonus, $1k/mo AI stipend, work use only").offer
    assert offer is not None
    assert offer.headline_total_annual == 160000 + 20000 + 10000 + 12000
    assert offer.real_total_annual == 190000


def test_stated_total_is_not_a_component() -> None:
    verdict = classify("TC = $234k: $200k base, $20k bonus, $14k/yr AI credits")
    assert verdict.offer is not None
    assert verdict.offer.headline_total_annual == 234000
    assert len(verdict.offer.components) == 3


def test_up_to_bonus_counts_the_maximum() -> None:
    offer = classify("£100k basic, up to 15% bonus, £50/mo Claude Pro for anything").offer
    assert offer is not None and offer.headline_total_annual == 100000 + 15000 + 600


# --- input limits and quoting ----------------------------------------------------------------


def test_over_the_limit_is_refused_never_cut() -> None:
    with pytest.raises(InputTooLong) as refused:
        classify("a" * (MAX_INPUT_CHARS + 1))
    assert f"{MAX_INPUT_CHARS:,}" in str(refused.value)
    classify("a" * MAX_INPUT_CHARS)


def test_reasons_quote_the_triggering_words() -> None:
    verdict = classify("£50/month towards AI tools; reasonable personal use is ok but it's mainly for work")
    assert verdict.verdict == "mixed"
    assert any(f"{QUOTE_OPEN}reasonable personal use{QUOTE_CLOSE}" in reason for reason in verdict.reasons)


def test_typos_are_read_as_the_words_meant() -> None:
    verdict = classify("$250/mo AI credits, wrok olny, unsued credits expier")
    assert verdict.allowance.use == "work_only"
    assert verdict.verdict == "operating_cost"


@pytest.mark.parametrize(
    "text",
    [
        "$250/mo, use it on side projects",
        "A$2,500 a year, mostly work, reasonable personal use",
        "it's 3k a quarter not 2k. still work-only tho",
    ],
)
def test_a_sum_with_allowance_terms_and_no_allowance_named_is_the_allowance(text: str) -> None:
    verdict = classify(text)
    assert verdict.allowance.amount is not None and verdict.allowance.use != "unknown"


@pytest.mark.parametrize(
    "text",
    [
        "my rent is $1,800 but personal finances are fine",
        "$40 an hour, work only on weekdays",
        "I earn 90k and it's for personal use lol",
        "$200k total, all for work",
    ],
)
def test_a_sum_that_says_what_else_it_is_is_not_an_allowance(text: str) -> None:
    verdict = classify(text)
    assert verdict.allowance.amount is None and verdict.verdict == "unclear"
