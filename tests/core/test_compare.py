"""Comparing offers: splitting each form, totals side by side, who is ahead, and the currency refusal."""

from __future__ import annotations

import pytest

from core.classifier import MAX_INPUT_CHARS, InputTooLong
from core.compare import NotAComparison, compare, split_labelled, split_offers

A = "$185k base, 10% bonus, $15,000/yr AI token credits, work only"
B = "$190k base, 10% bonus, $5,000/yr AI stipend, use it for anything"


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        (f"Offer A: {A}. Offer B: {B}", ["Offer A", "Offer B"]),
        (f"offer a - {A}\noffer b - {B}", ["Offer A", "Offer B"]),
        (f"Option 1: {A}; Option 2: {B}", ["Option 1", "Option 2"]),
        (f"First offer: {A}. Second offer: {B}", ["First offer", "Second offer"]),
        (f"A) {A} B) {B}", ["Offer A", "Offer B"]),
        (f"(a) {A} (b) {B}", ["Offer A", "Offer B"]),
        (f"{A} vs {B}", ["Offer A", "Offer B"]),
        (f"{A} vs. {B}", ["Offer A", "Offer B"]),
        (f"{A} versus {B}", ["Offer A", "Offer B"]),
        (f"{A}\n{B}\n", ["Offer A", "Offer B"]),
        (f"compare: {A}\n\n{B}", ["Offer A", "Offer B"]),
    ],
)
def test_each_form_splits_into_the_two_offers(text: str, labels: list[str]) -> None:
    parts = split_labelled(text)
    assert parts is not None
    assert [label for label, _ in parts] == labels
    assert [part for _, part in parts] == [A, B]
    assert split_offers(text) == [A, B]


def test_paragraphs_keep_a_multi_line_offer_together() -> None:
    text = "Base: $150k\nAI budget: $3k/yr for anything\n\nBase: $155k\nAPI credits: $10k/yr, work only"
    assert split_offers(text) == [
        "Base: $150k\nAI budget: $3k/yr for anything",
        "Base: $155k\nAPI credits: $10k/yr, work only",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "$500/month API budget, work-only",
        "",
        "Offer A: $185k base",  # only one labelled offer, on one line
        "B) $185k base A) $190k base",  # labels out of order are not offers
        "a vs b vs c vs d vs e",  # more than four
    ],
)
def test_texts_that_are_not_two_offers_are_not_split(text: str) -> None:
    assert split_offers(text) is None


def test_brackets_inside_an_offer_are_not_labels() -> None:
    text = "Offer A: $185k base (10% bonus). Offer B: $180k base (plus $5k/yr AI stipend for anything)"
    assert split_offers(text) == ["$185k base (10% bonus)", "$180k base (plus $5k/yr AI stipend for anything)"]


def test_real_pay_decides_who_is_ahead_even_when_the_headline_says_otherwise() -> None:
    result = compare(f"Offer A: {A}. Offer B: {B}")
    a, b = result.offers
    assert (a.headline_total_annual, a.real_total_annual) == (218_500, 203_500)
    assert (b.headline_total_annual, b.real_total_annual) == (214_000, 214_000)
    assert result.comparable and result.currency == "USD"
    assert result.ahead == "Offer B" and result.margin_annual == 10_500
    assert result.headline_ahead == "Offer A" and result.headline_margin_annual == 4_500
    assert result.summary() == (
        "Offer B is ahead on real pay by $10,500 a year, although Offer A has the bigger headline total."
    )
    assert [(item.label, item.verdict) for item in a.not_pay] == [("AI token credits", "operating_cost")]
    assert b.not_pay == []


def test_the_difference_names_the_items_that_make_it() -> None:
    result = compare(f"Offer A: {A}. Offer B: {B}")
    by_category = {diff.category: diff for diff in result.differences}
    assert by_category["base salary"].difference == 5_000  # leader (B) minus runner-up (A)
    assert by_category["allowances counted as pay"].amounts == {"Offer B": 5_000, "Offer A": 0}
    assert by_category["bonus"].difference == 500
    assert result.differences[-1].category == "in the headline but not pay"
    assert result.differences[-1].amounts == {"Offer B": 0, "Offer A": 15_000}
    assert any("AI token credits ($15,000/yr), an operating cost" in note for note in result.notes)
    text = result.render_text()
    assert "Offer A: headline $218,500/yr, real pay $203,500/yr" in text
    assert "AI token credits: $15,000 (not pay: an operating cost, a tool for the job)" in text


def test_lone_allowances_compare_on_what_counts() -> None:
    result = compare("$500/month API budget, work-only vs $200/month AI stipend, personal use allowed")
    a, b = result.offers
    assert (a.headline_total_annual, a.real_total_annual) == (6_000, 0)
    assert (b.headline_total_annual, b.real_total_annual) == (2_400, 2_400)
    assert result.ahead == "Offer B" and result.margin_annual == 2_400


def test_a_salary_only_offer_still_has_its_total() -> None:
    result = compare("$190k base\n$180k base, $10k/yr AI stipend for anything")
    a, b = result.offers
    assert a.real_total_annual == 190_000 and [item.label for item in a.items] == ["base salary"]
    assert b.real_total_annual == 190_000
    assert result.ahead is None and result.summary().startswith("Level on real pay: each comes to $190,000 a year")


def test_an_undecided_allowance_that_could_change_the_lead_is_named() -> None:
    result = compare("Offer 1: $180k base\nOffer 2: $175k base, $8k/yr AI budget")
    assert result.ahead == "Offer 1" and result.margin_annual == 5_000
    assert any("The lead is not settled: Offer 2 has up to $8,000 more" in note for note in result.notes)


def test_a_named_seat_without_a_sum_gets_its_list_price_in_the_notes() -> None:
    result = compare("Offer A: $180k base, a Cursor Pro seat. Offer B: $175k base")
    assert any("Offer A's Cursor Pro has no stated amount" in note and "2025-10-01" in note for note in result.notes)


def test_different_currencies_are_shown_but_never_added_or_subtracted() -> None:
    result = compare("$120k base, $2k/yr AI credits, work only\n€110k base, €2k/yr AI budget for anything")
    assert not result.comparable
    assert result.ahead is None and result.margin_annual is None and result.differences == []
    assert [offer.currency for offer in result.offers] == ["USD", "EUR"]
    assert [offer.real_total_annual for offer in result.offers] == [120_000, 112_000]
    assert result.refusal is not None
    assert "different currencies" in result.refusal and "exchange rate" in result.refusal
    assert result.summary() == result.refusal
    data = result.to_json_dict()
    assert data["comparable"] is False and data["margin_annual"] is None


def test_a_missing_currency_is_read_as_the_other_offers_and_said() -> None:
    result = compare("Offer A: 150k base, 10% bonus. Offer B: $140k base, 10% bonus")
    assert result.comparable and result.currency == "USD"
    assert any("Offer A states no currency" in note for note in result.notes)


def test_json_shape_carries_each_offers_verdict_and_whole_numbers() -> None:
    data = compare(f"Offer A: {A}. Offer B: {B}").to_json_dict()
    assert data["ahead"] == "Offer B" and data["margin_annual"] == 10_500
    assert isinstance(data["margin_annual"], int)
    offers = data["offers"]
    assert isinstance(offers, list)
    assert offers[0]["verdict"]["verdict"] == "operating_cost"
    assert offers[0]["verdict"]["offer"]["real_total_annual"] == 203_500
    assert offers[0]["not_pay"][0]["label"] == "AI token credits"
    assert str(data["summary"]).startswith("Offer B is ahead")


def test_not_a_comparison_and_too_long_are_refused() -> None:
    with pytest.raises(NotAComparison, match="two offers"):
        compare("$500/month API budget, work-only")
    with pytest.raises(InputTooLong):
        compare("x vs y " * (MAX_INPUT_CHARS // 7 + 1))


def test_a_leading_compare_keeps_the_first_offers_label() -> None:
    """ "compare Offer A: ..." (as typed after /perkcheck) must not read "Offer" as part of the lead-in."""
    assert split_labelled("compare Offer A: $185k base. Offer B: $190k base") == [
        ("Offer A", "$185k base"),
        ("Offer B", "$190k base"),
    ]
