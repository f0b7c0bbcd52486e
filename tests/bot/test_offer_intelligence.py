"""Stats, feedback and the export on the real storage (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import json
from io import StringIO
from typing import TYPE_CHECKING

from bot.feedback import disagreed_records, write_jsonl
from bot.storage import SqlStorage
from core.service import Conversation, ConversationService
from core.stats import MIN_CASES

if TYPE_CHECKING:
    from tests.conftest import FakeClock


def conv(user: str = "U1", workspace: str = "T1", platform: str = "slack") -> Conversation:
    return Conversation(platform=platform, workspace=workspace, channel="C1", user=user)  # type: ignore[arg-type]


async def test_stats_threshold_and_workspace_isolation(service: ConversationService) -> None:
    for n in range(8):  # another workspace, and the same workspace id on another platform: never counted
        await service.check(conv(f"X{n}", workspace="T2"), f"${n + 1}00/month AI stipend, use it for anything")
        await service.check(conv(f"Y{n}", platform="discord"), f"${n + 1}00/month AI stipend, for anything")
    for n in range(MIN_CASES - 1):
        await service.check(conv(f"U{n}"), f"${(n + 1) * 100}/month API budget, work-only")
    await service.check(conv("U0"), "thanks!")  # small talk is not a case
    await service.check(conv("U0"), "$185k base, 10% bonus")  # a package with no allowance is not counted

    hidden = await service.stats(conv())
    assert hidden.kind == "stats"
    assert hidden.text.startswith("Not enough checks in this workspace yet")
    assert "%" not in hidden.text and "Median" not in hidden.text

    await service.check(conv("U9"), "$500/month API budget, work-only")
    shown = await service.stats(conv())
    assert shown.text.splitlines()[:2] == [
        "Community stats for this workspace: 5 AI allowances checked.",
        "  Operating cost: 100% (5)",
    ]
    assert "  Operating cost: $3,600 a year (over 5 checks)" in shown.text
    assert "U9" not in shown.text and "API budget" not in shown.text


async def test_medians_by_verdict_and_currency_need_enough_checks(service: ConversationService) -> None:
    for n, amount in enumerate((100, 200, 300, 400, 500, 600)):  # an even count: the mean of the middle two
        await service.check(conv(f"U{n}"), f"${amount}/month AI stipend, use it for anything")
    await service.check(conv("U7"), "€900/month AI stipend, use it for anything")  # one in EUR: no median
    await service.check(conv("U8"), "$50/month AI budget")  # unclear
    stats = await service.storage.workspace_stats("slack", "T1")
    assert stats.total == 8
    assert stats.by_verdict == {"perk": 7, "unclear": 1}
    medians = {(m.verdict, m.currency): (m.median_annual, m.count) for m in stats.medians}
    assert medians[("perk", "USD")] == (4200, 6)
    assert medians[("perk", "EUR")] == (10800, 1)
    text = (await service.stats(conv())).text
    assert "  Real perk: 88% (7)" in text and "  Can't tell yet: 12% (1)" in text
    assert "  Real perk: $4,200 a year (over 6 checks)" in text
    assert "€" not in text, "a median over one check would single someone out"


async def test_stats_are_not_given_in_discord_dms(service: ConversationService) -> None:
    reply = await service.stats(conv(platform="discord", workspace="dm"))
    assert reply.kind == "info" and "per workspace or server" in reply.text


async def test_feedback_is_stored_with_the_case_and_erased_by_forget(
    service: ConversationService, storage: SqlStorage, clock: FakeClock
) -> None:
    mine = await service.check(conv("U1"), "$500/month API budget, work-only")
    theirs = await service.check(conv("U2"), "$100/month AI stipend, use it for anything")
    assert mine.case_id is not None and theirs.case_id is not None

    assert (await service.feedback(mine.case_id, "U1", "down", workspace="T1")).kind == "feedback"
    assert (await service.feedback(theirs.case_id, "U1", "down", workspace="T1")).kind == "feedback"
    assert (await service.feedback(mine.case_id, "U1", "maybe")).kind == "error"
    assert (await service.feedback(mine.case_id, "U1", "up", workspace="T2")).text.startswith("I no longer have")
    stored = await storage.get_case(mine.case_id)
    assert stored is not None
    assert (stored.feedback, stored.feedback_by, stored.feedback_at) == ("down", "U1", clock.now)
    assert {c.id for c in await storage.disagreed_cases()} == {mine.case_id, theirs.case_id}

    forgotten = await service.forget(conv("U1"))
    assert "erased" in forgotten.text
    assert await storage.get_case(mine.case_id) is None
    kept = await storage.get_case(theirs.case_id)
    assert kept is not None and (kept.feedback, kept.feedback_by) == (None, None), "U1's 👎 on U2's case went too"
    assert await storage.disagreed_cases() == []


async def test_typed_good_and_bad_rate_the_open_case(service: ConversationService, storage: SqlStorage) -> None:
    assert (await service.message(conv(), "bad")).text.startswith("There is no open check here to rate")
    created = await service.message(conv(), "$500/month API budget")
    assert created.case_id is not None
    reply = await service.message(conv(), "good")
    assert reply.kind == "feedback" and "👍" in reply.text
    stored = await storage.get_case(created.case_id)
    assert stored is not None and stored.feedback == "up"


async def test_export_writes_text_and_verdict_of_disagreed_cases_only(
    service: ConversationService, storage: SqlStorage
) -> None:
    down = await service.check(conv("U1"), "$500/month API budget, work-only")
    up = await service.check(conv("U2"), "$100/month AI stipend, use it for anything")
    await service.check(conv("U3"), "$200/month AI budget")
    assert down.case_id is not None and up.case_id is not None and down.verdict is not None
    await service.feedback(down.case_id, "U1", "down")
    await service.feedback(up.case_id, "U2", "up")

    out = StringIO()
    write_jsonl(await disagreed_records(storage), out)
    [line] = out.getvalue().splitlines()
    record = json.loads(line)
    assert set(record) == {"text", "verdict", "feedback_at"}
    assert record["text"] == "$500/month API budget, work-only"
    assert record["verdict"] == down.verdict.to_json_dict()
    assert "U1" not in line and "T1" not in line
