"""The dated price table: lookups with their dates and sources, and the notes drawn from them."""

from __future__ import annotations

from datetime import date

import pytest

from core.classifier import classify
from core.prices import (
    budget_tokens,
    context_notes,
    default_model,
    load_prices,
    price_model,
    price_seat,
    token_count_value,
)


def test_every_entry_is_dated_and_sourced() -> None:
    table = load_prices()
    assert table.currency == "USD"
    assert len(table.seats) >= 14 and len(table.models) >= 6
    entries = [(s.id, s.as_of, s.source, s.match) for s in table.seats]
    entries += [(m.id, m.as_of, m.source, m.match) for m in table.models]
    for entry_id, as_of, source, match in entries:
        assert date(2025, 1, 1) <= as_of <= date(2026, 12, 31), entry_id
        assert "." in source and " " not in source, entry_id
        assert match, entry_id
    assert len({seat.id for seat in table.seats}) == len(table.seats)
    assert any(model.id == table.default_model for model in table.models)


@pytest.mark.parametrize(
    ("text", "name", "monthly", "source"),
    [
        ("they gave me Cursor Pro", "Cursor Pro", 20, "cursor.com/pricing"),
        ("a Cursor Ultra seat", "Cursor Ultra", 200, "cursor.com/pricing"),
        ("Cursor Teams licence", "Cursor Teams", 40, "cursor.com/pricing"),
        ("Claude Pro subscription", "Claude Pro", 20, "anthropic.com/pricing"),
        ("claude max", "Claude Max (5x)", 100, "anthropic.com/pricing"),
        ("Claude Max 20x plan", "Claude Max (20x)", 200, "anthropic.com/pricing"),
        ("a Claude Team seat", "Claude Team (standard seat)", 30, "anthropic.com/pricing"),
        ("ChatGPT Plus", "ChatGPT Plus", 20, "openai.com/chatgpt/pricing"),
        ("chat gpt pro", "ChatGPT Pro", 200, "openai.com/chatgpt/pricing"),
        ("ChatGPT Team seat", "ChatGPT Business (formerly Team)", 30, "openai.com/chatgpt/pricing"),
        ("GitHub Copilot Pro", "GitHub Copilot Pro", 10, "github.com/features/copilot/plans"),
        ("Copilot Pro+", "GitHub Copilot Pro+", 39, "github.com/features/copilot/plans"),
        ("Copilot Business", "GitHub Copilot Business", 19, "github.com/features/copilot/plans"),
        ("Copilot Enterprise", "GitHub Copilot Enterprise", 39, "github.com/features/copilot/plans"),
        ("Google AI Pro", "Google AI Pro (Gemini)", 19.99, "one.google.com/about/google-ai-plans"),
        ("Gemini Advanced", "Google AI Pro (Gemini)", 19.99, "one.google.com/about/google-ai-plans"),
        ("Google AI Ultra", "Google AI Ultra (Gemini)", 249.99, "one.google.com/about/google-ai-plans"),
    ],
)
def test_a_named_plan_is_priced_with_its_date_and_source(text: str, name: str, monthly: float, source: str) -> None:
    seat = price_seat(text)
    assert seat is not None
    assert (seat.name, seat.monthly, seat.source, seat.currency) == (name, monthly, source, "USD")
    assert seat.as_of == date(2025, 10, 1)
    assert seat.annual == round(monthly * 12, 2)
    assert seat.phrase.lower() in text.lower()


@pytest.mark.parametrize("text", ["a token budget", "Cursor", "Gemini 2.5 Pro API credits", "Claude Sonnet", ""])
def test_no_plan_named_means_no_price(text: str) -> None:
    assert price_seat(text) is None


def test_the_first_plan_named_wins() -> None:
    seat = price_seat("ChatGPT Plus now, maybe Claude Max later")
    assert seat is not None and seat.name == "ChatGPT Plus"


@pytest.mark.parametrize(
    ("text", "name", "prices"),
    [
        ("Claude Sonnet 4.5", "Claude Sonnet 4.5", (3, 15)),
        ("opus 4.1", "Claude Opus 4.1", (15, 75)),
        ("Opus 4.5", "Claude Opus 4.5", (5, 25)),
        ("haiku", "Claude Haiku 4.5", (1, 5)),
        ("GPT-5", "GPT-5", (1.25, 10)),
        ("gpt-5 mini", "GPT-5 mini", (0.25, 2)),
        ("GPT-4o", "GPT-4o", (2.5, 10)),
        ("gpt-4o-mini", "GPT-4o mini", (0.15, 0.6)),
        ("Gemini 2.5 Pro", "Gemini 2.5 Pro", (1.25, 10)),
        ("gemini 2.5 flash", "Gemini 2.5 Flash", (0.3, 2.5)),
    ],
)
def test_api_models_have_per_million_prices(text: str, name: str, prices: tuple[float, float]) -> None:
    model = price_model(text)
    assert model is not None
    assert model.name == name
    assert (model.input_per_mtok, model.output_per_mtok) == prices
    assert model.as_of >= date(2025, 10, 1)


def test_plans_are_not_models() -> None:
    assert price_model("Claude Pro and ChatGPT Plus") is None
    assert default_model().name == "Claude Sonnet 4.5"


def test_budget_and_token_arithmetic() -> None:
    sonnet = default_model()
    output, input_ = budget_tokens(150, sonnet)
    assert (output, input_) == (10_000_000, 50_000_000)
    assert token_count_value("2M tokens", sonnet) == (6, 30)
    assert token_count_value("500k tokens", sonnet) == (1.5, 7.5)
    assert token_count_value("no count here", sonnet) is None


def test_a_named_seat_with_no_amount_gets_its_dated_list_price() -> None:
    text = "they gave me Cursor Pro"
    notes = context_notes(classify(text), text)
    assert notes[0].startswith(
        "Cursor Pro is about $20/month ($240 a year) at list price (2025-10-01, cursor.com/pricing)"
    )
    assert "not a stated sum" in notes[0]


def test_a_perk_is_worth_at_most_what_you_would_pay_yourself() -> None:
    text = "$50/month for Claude Pro, use it for anything you like"
    verdict = classify(text)
    assert verdict.verdict == "perk"
    notes = context_notes(verdict, text)
    assert any(
        note.startswith("A perk is worth at most what you would pay yourself: Claude Pro is $20/month (list price,")
        and "2025-10-01" in note
        for note in notes
    )
    assert any("$600/yr is more than the seat's list price of $240 a year" in note for note in notes)
    assert not any("Cursor Pro is about" in note for note in notes)  # a stated amount is not replaced


def test_an_operating_cost_seat_says_none_of_it_is_pay() -> None:
    text = "ChatGPT Business seat provisioned by the company"
    verdict = classify(text)
    assert verdict.verdict == "operating_cost"
    notes = context_notes(verdict, text)
    assert "about $30/month a seat ($360 a year)" in notes[0]
    assert notes[-1] == "As an operating cost, none of that $360 a year is pay to you."


def test_a_dollar_budget_gets_a_rough_token_translation_for_the_named_model() -> None:
    text = "$500/month API budget for GPT-5, work-only"
    notes = context_notes(classify(text), text)
    assert len(notes) == 1
    assert notes[0].startswith("Rough guide only: $500 a month buys about 50M output tokens or 400M input tokens")
    assert "of GPT-5," in notes[0] and "(2025-10-01, openai.com/api/pricing)" in notes[0]


def test_without_a_named_model_the_default_is_said_to_be_a_default() -> None:
    text = "$1,000/month AI stipend, use it for anything"
    notes = context_notes(classify(text), text)
    assert "67M output tokens or 333M input tokens a month of Claude Sonnet 4.5 (a common default" in notes[0]


def test_a_token_count_gets_a_rough_money_value() -> None:
    text = "2M tokens a month of GPT-5, personal use ok"
    notes = context_notes(classify(text), text)
    assert notes == [
        "Rough guide only: 2M tokens would cost about $2.50 (all input) to $20 (all output) of GPT-5 at list API"
        " prices (2025-10-01, openai.com/api/pricing). Ask the employer what it is worth in money."
    ]


@pytest.mark.parametrize("text", ["€500/month API budget, work-only", "hello", "a token budget, work only"])
def test_no_notes_where_the_table_has_nothing_to_say(text: str) -> None:
    assert context_notes(classify(text), text) == []
