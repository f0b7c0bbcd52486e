"""Replies are rendered with plain dicts (`FAST_BLOCKS`); slack_sdk's block models are the reference.

Every reply here is rendered both ways and the JSON must be identical, key order included: real
verdicts on the whole labelled corpus, refined ones, every reply kind, the longest possible verdict,
and text full of mentions and characters that need escaping. Over a limit, both refuse alike.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import pytest
from slack_sdk.errors import SlackObjectFormationError

from adapters.slack._parsing import QUICK_ANSWERS
from adapters.slack.rendering import (
    FAST_BLOCKS,
    MAX_BLOCKS,
    MAX_SECTION_CHARS,
    SDK_BLOCKS,
    BlockBuilder,
    SlackMessage,
    render_reply,
)
from core.cases import Answer, Case
from core.classifier import MAX_INPUT_CHARS
from core.models import QUOTE_CLOSE, QUOTE_OPEN, Allowance, Offer, OfferComponent, Question, Verdict
from core.service import Conversation, ConversationService, HistoryEntry, Reply, Storage, WorkspaceSettings

CORPORA = [Path(__file__).parents[2] / "core" / name for name in ("corpus.jsonl", "holdout.jsonl")]
MENTIONS = "<!channel> <!here> <!everyone> <@U024BE7LH> <@W0123ABC|alice> <#C024BE7LR|general> a & b < c > d"
T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


class MemoryStorage:
    """What checks and answers need, in memory; workspace "TEUR" defaults to euros."""

    def __init__(self) -> None:
        self.cases: dict[str, Case] = {}

    async def create_case(self, case: Case) -> None:
        self.cases[case.id] = case

    async def update_case(self, case_id: str, change: Callable[[Case], tuple[Case, Sequence[Answer]]]) -> Case | None:
        current = self.cases.get(case_id)
        if current is None:
            return None
        updated, new_answers = change(current)
        stored = updated.model_copy(
            update={"version": current.version + 1, "answers": [*current.answers, *new_answers]}
        )
        self.cases[case_id] = stored
        return stored

    async def get_settings(self, platform: str, workspace: str) -> WorkspaceSettings | None:
        if workspace != "TEUR":
            return None
        return WorkspaceSettings(platform=platform, workspace=workspace, default_currency="EUR")

    async def count_hit(self, scope: str, user: str, window_start: datetime) -> int:
        return 1

    async def claim_event(self, event_id: str, now: datetime) -> bool:
        return True


def _service() -> ConversationService:
    return ConversationService(cast(Storage, MemoryStorage()), clock=lambda: T0, rate_limit_per_minute=0)


def _texts() -> list[str]:
    texts = [MENTIONS, f"$500/month API budget {MENTIONS}, work-only", "15k a year in AI credits <@U1> & co"]
    for corpus in CORPORA:
        texts += [json.loads(line)["text"] for line in corpus.read_text().splitlines() if line.strip()]
    return texts


def assert_same(reply: Reply, **options: Any) -> SlackMessage:
    """`reply` rendered with plain dicts and with slack_sdk's models gives the same JSON."""
    fast = render_reply(reply, **options)
    reference = render_reply(reply, blocks=SDK_BLOCKS, **options)
    assert json.dumps(fast.to_dict()) == json.dumps(reference.to_dict())
    return fast


def _variants(reply: Reply) -> Iterator[dict[str, Any]]:
    yield {}
    yield {"shareable": True}
    yield {"shareable": True, "shared_by": "U024BE7LH"}
    yield {"shared_by": "<!channel>"}  # not a user id: no credit line


async def test_every_corpus_verdict_renders_the_same_both_ways() -> None:
    service = _service()
    rendered = 0
    for number, text in enumerate(_texts()):
        workspace = "TEUR" if number % 3 == 0 else "T1"
        conv = Conversation(platform="slack", workspace=workspace, channel="C1", user="U1")
        reply = await service.check(conv, text[:MAX_INPUT_CHARS])
        for options in _variants(reply):
            assert_same(reply, **options)
            rendered += 1
        if reply.case_id is not None and reply.verdict is not None:
            for question in reply.verdict.questions[:2]:
                for value, _label in QUICK_ANSWERS.get(question.id, ())[:2]:
                    refined = await service.answer(reply.case_id, "U2", question.id, value)
                    assert refined.kind in ("refined", "error")
                    assert_same(refined, shareable=True)
                    rendered += 1
    assert rendered > 2000


async def test_every_reply_kind_renders_the_same_both_ways() -> None:
    service = _service()
    conv = Conversation(platform="slack", workspace="T1", channel="C1", user="U1")
    comparison = await service.compare(conv, "compare $185k base, $15k AI credits work only vs $180k base, $5k stipend")
    assert comparison.kind == "comparison"
    verdict = (await service.check(conv, "$500/month API budget, work-only")).verdict
    assert verdict is not None
    history = [
        HistoryEntry(case_id=f"c{n}", created_at=T0, verdict=verdict.model_copy(update={"headline": f"{MENTIONS} {n}"}))
        for n in range(30)
    ]
    replies = [
        service.help(),
        comparison,
        comparison.model_copy(update={"notes": [MENTIONS]}),
        Reply(kind="history", text="Your last 30 checks", history=history),
        Reply(kind="history"),
        *(
            Reply(kind=kind, text=MENTIONS, notes=[MENTIONS])
            for kind in ("forgotten", "rate_limited", "error", "info", "stats", "feedback", "duplicate")
        ),
        Reply(kind="info", text=f"{MENTIONS}\n" * 400),  # many sections
        Reply(kind="info", verdict=verdict, text=MENTIONS),  # a verdict outside a check: one line
        Reply(kind="verdict", verdict=verdict),  # nothing stored: no buttons
        Reply(kind="verdict", verdict=verdict, case_id="case1", notes=["History could not be saved just now."]),
        Reply(kind="refined", verdict=verdict, case_id="case1", changes=[MENTIONS], text=MENTIONS),
    ]
    for reply in replies:
        for options in _variants(reply):
            assert_same(reply, **options)


def _worst_verdict() -> Verdict:
    worst = ("<!channel> & " * (MAX_INPUT_CHARS // 13 + 1))[:MAX_INPUT_CHARS]
    offer = Offer(
        currency="USD",
        headline_total_annual=1,
        real_total_annual=1,
        components=[OfferComponent(label=worst[:200], annual_amount=1000.0, counts_as_pay=True) for _ in range(40)],
    )
    return Verdict(
        verdict="mixed",
        headline=worst,
        allowance=Allowance(amount=500, currency="USD", period="month", annual_amount=6000),
        comp_value_annual=None,
        reasons=[f"Reason {n}: {QUOTE_OPEN}{worst}{QUOTE_CLOSE}" for n in range(12)],
        questions=[Question(id=qid, text=f"Question {qid}? {worst[:700]}") for qid in QUICK_ANSWERS],
        offer=offer,
    )


@pytest.mark.parametrize("cut", range(0, 8))
def test_the_longest_possible_verdict_renders_the_same_both_ways(cut: int) -> None:
    """Escapes landing on every position around the 3,000-character cuts, and trimming to 50 blocks."""
    verdict = _worst_verdict()
    headline = "x" * cut + verdict.headline
    reasons = ["y" * cut + reason for reason in verdict.reasons]
    verdict = verdict.model_copy(update={"headline": headline, "reasons": reasons})
    reply = Reply(kind="refined", verdict=verdict, case_id="c" * 32, changes=reasons, notes=reasons)
    message = assert_same(reply, shareable=True, shared_by="U024BE7LH")
    assert len(message.blocks) == MAX_BLOCKS
    assert "Trimmed" in json.dumps(message.blocks)


@pytest.mark.parametrize("builder", [FAST_BLOCKS, SDK_BLOCKS], ids=["fast", "sdk"])
def test_both_builders_refuse_what_slack_would(builder: BlockBuilder) -> None:
    with pytest.raises(SlackObjectFormationError):
        builder.section("x" * (MAX_SECTION_CHARS + 1))
    with pytest.raises(SlackObjectFormationError):
        builder.header("x" * 151)
    assert builder.section("x" * MAX_SECTION_CHARS)["text"]["text"] == "x" * MAX_SECTION_CHARS
    assert builder.header("x" * 150)["text"]["text"] == "x" * 150


def test_the_builders_agree_on_edge_values() -> None:
    for text in ("", " ", "&amp;", MENTIONS):
        assert FAST_BLOCKS.header(text) == SDK_BLOCKS.header(text)
        assert FAST_BLOCKS.section(text) == SDK_BLOCKS.section(text)
        for verbatim in (None, True, False):
            assert FAST_BLOCKS.context(text, verbatim=verbatim) == SDK_BLOCKS.context(text, verbatim=verbatim)
    assert FAST_BLOCKS.divider() == SDK_BLOCKS.divider()
