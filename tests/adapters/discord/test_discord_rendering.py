"""Reply -> embed and buttons: exact JSON, Discord's limits, escaping."""

from __future__ import annotations

from datetime import UTC, datetime

import discord
import pytest

from adapters.discord.rendering import (
    CONTENT_MAX,
    DESCRIPTION_MAX,
    EMBED_TOTAL_MAX,
    FIELD_VALUE_MAX,
    FIELDS_MAX,
    TITLE_MAX,
    TRIM_NOTE,
    VERDICT_COLOURS,
    _build,
    _EmbedParts,
    answer_view,
    render,
    trim,
    verdict_embed,
)
from core.classifier import MAX_INPUT_CHARS, classify
from core.models import (
    QUOTE_CLOSE,
    QUOTE_OPEN,
    Allowance,
    Offer,
    OfferComponent,
    Question,
    Verdict,
)
from core.service import HistoryEntry, Reply

CASE = "0123456789abcdef0123456789abcdef"


def assert_within_limits(embed: discord.Embed) -> None:
    data = embed.to_dict()
    assert len(data.get("title", "")) <= TITLE_MAX
    assert len(data.get("description", "")) <= DESCRIPTION_MAX
    assert len(data.get("fields", [])) <= FIELDS_MAX
    for field in data.get("fields", []):
        assert 0 < len(field["value"]) <= FIELD_VALUE_MAX
        assert 0 < len(field["name"]) <= 256
    assert len(embed) <= EMBED_TOTAL_MAX


def longest_verdict() -> Verdict:
    """Every list as long as a 4,000-character text could make it, each quoting the text."""
    quote = QUOTE_OPEN + "w" * MAX_INPUT_CHARS + QUOTE_CLOSE
    return Verdict(
        verdict="mixed",
        headline="H" * 500,
        allowance=Allowance(
            amount=1_800_000,
            currency="INR",
            period="year",
            annual_amount=1_800_000,
            use="some_personal",
        ),
        comp_value_annual=None,
        reasons=[f"Reason {n} {quote}" for n in range(40)],
        questions=[Question(id=f"q{n}", text="Q" * 300) for n in range(30)],
        offer=Offer(
            currency="INR",
            headline_total_annual=9_999_999,
            real_total_annual=8_000_000,
            components=[
                OfferComponent(label="L" * 200, annual_amount=1000.5, counts_as_pay=bool(n % 2)) for n in range(60)
            ],
        ),
    )


def test_verdict_embed_shows_label_colour_headline_amount_reasons_and_questions() -> None:
    verdict = classify("$500/month API budget, work-only")
    embed = verdict_embed(verdict, case_id=CASE).to_dict()
    assert embed["title"] == "Operating cost"
    assert embed["color"] == VERDICT_COLOURS["operating_cost"]
    assert embed["description"].splitlines() == [
        verdict.headline,
        "",
        "**Allowance:** $6,000 a year ($500 a month)",
        "**Counts as pay:** $0 a year",
    ]
    names = [field["name"] for field in embed["fields"]]
    assert names == ["Why", "Ask the employer"]
    assert embed["fields"][0]["value"].count("• ") == len(verdict.reasons)
    assert embed["fields"][1]["value"].startswith(f"1. {verdict.questions[0].text}")
    assert embed["footer"] == {"text": f"perkcheck · case {CASE}"}


def test_day_allowance_says_working_days() -> None:
    embed = verdict_embed(classify("$20/day AI credits for work")).to_dict()
    assert "260 working days a year" in embed["description"]


@pytest.mark.parametrize("kind", ["verdict", "refined"])
def test_longest_possible_verdict_fits_every_limit(kind: str) -> None:
    reply = Reply(
        kind=kind,  # type: ignore[arg-type]
        verdict=longest_verdict(),
        case_id=CASE,
        changes=["C" * 3000] * 20,
        notes=["N" * 3000] * 5,
    )
    rendered = render(reply)
    assert rendered.embed is not None
    assert_within_limits(rendered.embed)
    text = str(rendered.embed.to_dict())
    assert TRIM_NOTE in text  # never cut silently


def test_more_than_25_sections_collapse_into_a_note() -> None:
    parts = _EmbedParts(title="t", description="d", colour=0)
    for number in range(30):
        parts.add(f"Section {number}", [f"line {number}"])
    embed = _build(parts).to_dict()
    assert len(embed["fields"]) == FIELDS_MAX
    assert embed["fields"][-1] == {
        "name": "More",
        "value": "6 more sections not shown.",
        "inline": False,
    }
    assert embed["fields"][-2]["name"] == "Section 23"


def test_user_text_is_escaped_in_reasons() -> None:
    verdict = Verdict(
        verdict="unclear",
        headline="Can't tell yet.",
        allowance=Allowance(),
        comp_value_annual=None,
        reasons=[f"Said {QUOTE_OPEN}**free** _money_ `now` ||spoiler||{QUOTE_CLOSE}"],
        questions=[],
    )
    [why] = verdict_embed(verdict).to_dict()["fields"]
    assert "\\*\\*free\\*\\*" in why["value"]
    assert "\\_money\\_" in why["value"]
    assert "\\`now\\`" in why["value"]
    assert "\\|\\|spoiler\\|\\|" in why["value"]


def test_buttons_carry_the_case_id_one_row_per_question() -> None:
    verdict = classify("$500/month API budget")
    view = answer_view(verdict, CASE)
    assert view is not None and view.timeout is None and view.is_persistent()
    *rows, feedback = view.to_components()
    asked = [q.id for q in verdict.questions if q.id in ("use", "expiry", "top_up")]
    assert len(rows) == len(asked)
    assert [b["custom_id"] for b in feedback["components"]] == [f"perkcheck:f:{CASE}:up", f"perkcheck:f:{CASE}:down"]
    assert [b["label"] for b in feedback["components"]] == ["👍", "👎"]
    assert [button["custom_id"] for button in rows[0]["components"]] == [
        f"perkcheck:a:{CASE}:{asked[0]}:{value}"
        for value in {
            "use": ["work_only", "some_personal", "personal_allowed"],
            "expiry": ["expires", "rolls_over", "cash_out"],
            "top_up": ["yes", "no"],
        }[asked[0]]
    ]
    assert all(len(b["custom_id"]) <= 100 for row in rows for b in row["components"])


def test_no_buttons_without_a_stored_case() -> None:
    verdict = classify("$500/month API budget")
    assert answer_view(verdict, None) is None
    assert render(Reply(kind="verdict", verdict=verdict)).view is None


def test_plain_replies_are_trimmed_content_without_mentions() -> None:
    rendered = render(Reply(kind="help", text="@everyone " + "a" * 5000))
    kwargs = rendered.send_kwargs()
    assert len(kwargs["content"]) == CONTENT_MAX
    assert kwargs["content"].endswith(TRIM_NOTE)
    assert kwargs["allowed_mentions"].to_dict() == {"parse": []}
    assert "embed" not in kwargs and "view" not in kwargs


def test_history_lists_verdict_words_and_dates() -> None:
    verdict = classify("$500/month API budget, work-only")
    entry = HistoryEntry(case_id=CASE, created_at=datetime(2026, 11, 27, tzinfo=UTC), verdict=verdict)
    embed = render(Reply(kind="history", text="Your last 1 checks", history=[entry])).embed
    assert embed is not None
    assert embed.description == f"`2026-11-27` **Operating cost**: {verdict.headline}"


def test_edit_replaces_content_embed_and_buttons() -> None:
    kwargs = render(Reply(kind="info", text="OK")).edit_kwargs()
    assert kwargs.pop("allowed_mentions").to_dict() == {"parse": []}
    assert kwargs == {"content": "OK", "embed": None, "view": None}


def test_trim_adds_the_note_only_when_cutting() -> None:
    assert trim("short", 10) == "short"
    assert trim("x" * 50, 40) == "x" * (40 - len(TRIM_NOTE)) + TRIM_NOTE
