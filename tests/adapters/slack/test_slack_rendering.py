"""Block Kit rendering: escaping every mention form, Slack's limits, buttons carrying case ids."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from adapters.slack._parsing import QUICK_ANSWERS, parse_quick_answer
from adapters.slack.rendering import (
    MAX_BLOCKS,
    MAX_BUTTON_LABEL_CHARS,
    MAX_SECTION_CHARS,
    chunk_escaped,
    escape,
    render_reply,
)
from core.classifier import MAX_INPUT_CHARS, classify
from core.models import QUOTE_CLOSE, QUOTE_OPEN, Allowance, Offer, OfferComponent, Question, Verdict
from core.present import questions_text
from core.service import HistoryEntry, Reply

MENTION_FORMS = [
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<@U024BE7LH>",
    "<@W0123ABC|alice>",
    "<#C024BE7LR|general>",
    "<!subteam^S012AB3CD|@team>",
    "<!date^1392734382^{date}|Feb 18>",
    "<https://evil.example|click me>",
    "<mailto:a@b.example|mail>",
]


def _verdict(reasons: list[str], questions: list[Question] | None = None, headline: str = "H") -> Verdict:
    return Verdict(
        verdict="mixed",
        headline=headline,
        allowance=Allowance(amount=500, currency="USD", period="month", annual_amount=6000),
        comp_value_annual=None,
        reasons=reasons,
        questions=questions if questions is not None else [],
    )


def _all_texts(value: Any) -> list[str]:
    """Every string value in the rendered JSON (text, labels, values...)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _all_texts(item)]
    if isinstance(value, list):
        return [text for item in value for text in _all_texts(item)]
    return []


def _live_markup(text: str) -> list[str]:
    """Slack control sequences that would be live: anything between a raw < and >."""
    return re.findall(r"<[^<>]*>", text)


@pytest.mark.parametrize("form", MENTION_FORMS)
def test_user_text_never_becomes_live_markup(form: str) -> None:
    reason = f"Restricted to work use: {QUOTE_OPEN}{form} work only & more{QUOTE_CLOSE}"
    verdict = _verdict([reason], headline=f"Headline {form}")
    reply = Reply(
        kind="refined",
        verdict=verdict,
        case_id="case1",
        text=form,
        changes=[f"Use: now {form}"],
        notes=[form],
    )

    rendered = render_reply(reply, shareable=True).to_dict()

    texts = _all_texts(rendered)
    assert all(_live_markup(text) == [] for text in texts), texts
    assert any(escape(form) in text for text in texts)
    assert any("&amp; more" in text for text in texts)


@pytest.mark.parametrize("kind", ["help", "info", "error", "rate_limited", "forgotten"])
def test_plain_replies_escape_their_text(kind: str) -> None:
    text = " ".join(MENTION_FORMS)
    rendered = render_reply(Reply(kind=kind, text=text)).to_dict()  # type: ignore[arg-type]
    assert all(_live_markup(item) == [] for item in _all_texts(rendered))
    assert rendered["blocks"], "the text is shown"


def test_history_escapes_and_lists_each_case() -> None:
    entries = [
        HistoryEntry(
            case_id=f"c{index}",
            created_at=datetime(2026, 11, index + 1, tzinfo=UTC),
            verdict=_verdict([], headline=f"<!channel> case {index}"),
        )
        for index in range(3)
    ]
    rendered = render_reply(Reply(kind="history", text="Your last 3 checks", history=entries)).to_dict()
    joined = "\n".join(_all_texts(rendered))
    assert _live_markup(joined) == []
    for index in range(3):
        assert f"2026-11-0{index + 1}" in joined
        assert f"case {index}" in joined


def test_longest_possible_verdict_fits_slack_limits() -> None:
    """Input at the limit, full of characters that grow when escaped, quoted in many reasons."""
    worst_text = ("<!channel> & " * (MAX_INPUT_CHARS // 13 + 1))[:MAX_INPUT_CHARS]
    reasons = [f"Reason {index}: {QUOTE_OPEN}{worst_text}{QUOTE_CLOSE}" for index in range(12)]
    questions = [Question(id=qid, text=f"Question {qid}? " + "x" * 500) for qid in QUICK_ANSWERS]
    offer = Offer(
        currency="USD",
        headline_total_annual=1,
        real_total_annual=1,
        components=[
            OfferComponent(label=worst_text[:200], annual_amount=1000.0, counts_as_pay=True) for _ in range(40)
        ],
    )
    verdict = _verdict(reasons, questions).model_copy(update={"offer": offer, "headline": worst_text})
    reply = Reply(kind="refined", verdict=verdict, case_id="c" * 32, changes=reasons, notes=reasons)

    message = render_reply(reply, shareable=True)
    rendered = message.to_dict()  # to_dict validates every block against Slack's limits

    blocks = rendered["blocks"]
    assert len(blocks) <= MAX_BLOCKS
    assert "Trimmed" in json.dumps(blocks), "a reply cut to fit says so"
    for block in blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= MAX_SECTION_CHARS
        for element in block.get("elements", []):
            if element.get("type") == "button":
                assert len(element["text"]["text"]) <= MAX_BUTTON_LABEL_CHARS
    assert blocks[-1]["block_id"] == "perkcheck.footer", "share/copy buttons survive trimming"
    assert all(_live_markup(text) == [] for text in _all_texts(rendered))
    assert len(rendered["text"]) <= 3000


def test_chunking_never_splits_an_escape_sequence() -> None:
    for offset in range(6):
        escaped = escape("x" * offset + "&" * 2000)
        pieces = chunk_escaped([escaped], limit=103)
        assert "".join(pieces) == escaped
        assert all(len(piece) <= 103 for piece in pieces)
        assert all(re.sub(r"&(amp|lt|gt);", "", piece).count("&") == 0 for piece in pieces)


def test_answer_buttons_carry_the_case_id_and_decode_back() -> None:
    questions = [Question(id=qid, text=f"{qid}?") for qid in ("use", "expiry", "top_up", "other")]
    rendered = render_reply(Reply(kind="verdict", verdict=_verdict([], questions), case_id="case42")).to_dict()

    buttons = [
        element
        for block in rendered["blocks"]
        for element in block.get("elements", [])
        if element.get("type") == "button"
    ]
    decoded = [parse_quick_answer(button) for button in buttons]
    answers = {(item.question_id, item.value) for item in decoded if item is not None}
    expected = {(qid, value) for qid in ("use", "expiry", "top_up") for value, _ in QUICK_ANSWERS[qid]}
    assert answers == expected
    assert all(item.case_id == "case42" for item in decoded if item is not None)
    action_ids = [button["action_id"] for button in buttons]
    assert len(action_ids) == len(set(action_ids))
    assert "perkcheck.copy_questions" in action_ids
    assert "perkcheck.share" not in action_ids, "only private replies offer sharing"


def test_reply_without_case_id_has_no_buttons() -> None:
    verdict = _verdict([], [Question(id="use", text="Work only?")])
    rendered = render_reply(Reply(kind="verdict", verdict=verdict, notes=["not saved"]), shareable=True)
    assert "button" not in json.dumps(rendered.to_dict())


def test_verdict_shows_the_shared_words_amounts_reasons_and_questions() -> None:
    verdict = classify("$500/month API budget, work-only")
    rendered = json.dumps(render_reply(Reply(kind="verdict", verdict=verdict, case_id="c1")).to_dict())
    assert verdict.label in rendered
    assert json.dumps(escape(verdict.headline))[1:-1] in rendered
    for question in verdict.questions:
        assert json.dumps(escape(question.text))[1:-1] in rendered


def test_questions_as_text_is_one_pasteable_message() -> None:
    questions = [
        Question(id="use", text="Is it work only?"),
        Question(id="tax", text="Is it taxed?"),
    ]
    text = questions_text(_verdict([], questions))
    assert "1. Is it work only?" in text
    assert "2. Is it taxed?" in text
    assert "no open questions" in questions_text(_verdict([], []))


def test_rendered_messages_do_not_share_button_values() -> None:
    questions = [Question(id="use", text="Work only?"), Question(id="expiry", text="Expires?")]
    verdict = _verdict([], questions)
    first = render_reply(Reply(kind="verdict", verdict=verdict, case_id="case-a"), shareable=True)
    second = render_reply(Reply(kind="verdict", verdict=verdict, case_id="case-b"), shareable=True)

    def values(message: Any) -> set[str]:
        return {
            element["value"]
            for block in message.to_dict()["blocks"]
            for element in block.get("elements", [])
            if element.get("type") == "button"
        }

    assert values(first) == {"case-a"}
    assert values(second) == {"case-b"}
