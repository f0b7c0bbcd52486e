"""SqlStorage on SQLite (always) and PostgreSQL (when PERKCHECK_TEST_DATABASE_URL is set)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest
import sqlalchemy as sa

from bot.migrations.runner import head_revision
from bot.storage import SqlStorage, metadata
from core.cases import Answer, Case, TextPart
from core.models import Found, Money, Signals
from core.service import Conversation, ConversationService, WorkspaceSettings

if TYPE_CHECKING:
    from tests.conftest import FakeClock

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def conv(user: str = "U1", workspace: str = "T1", channel: str = "D1", thread: str | None = None) -> Conversation:
    return Conversation(platform="slack", workspace=workspace, channel=channel, thread=thread, user=user)


def make_case(case_id: str, c: Conversation, *, text: str = "$500/month API budget", at: datetime = T0) -> Case:
    from core.classifier import decide

    signals = Signals(
        has_allowance=True,
        money=Money(amount=500, currency="USD", period="month", phrase="$500/month"),
    )
    return Case(
        id=case_id,
        platform=c.platform,
        workspace=c.workspace,
        channel=c.channel,
        thread=c.thread,
        user=c.user,
        text=text,
        signals=signals,
        verdict=decide(signals),
        created_at=at,
        updated_at=at,
    )


async def test_a_case_round_trips(storage: SqlStorage) -> None:
    case = make_case("c1", conv())
    await storage.create_case(case)
    loaded = await storage.get_case("c1")
    assert loaded == case
    assert loaded is not None and loaded.created_at.tzinfo is not None
    assert await storage.get_case("nope") is None


async def test_update_case_appends_answers_and_bumps_the_version(storage: SqlStorage) -> None:
    case = make_case("c1", conv())
    await storage.create_case(case)
    answer = Answer(question_id="use", value="work_only", at=T0, user="U1")
    signals = replace(case.signals, use=Found(value="work_only", phrase="work only"))
    stored = await storage.update_case("c1", lambda c: (c.model_copy(update={"signals": signals}), [answer]))
    loaded = await storage.get_case("c1")
    assert loaded == stored
    assert loaded is not None and loaded.version == 2
    assert loaded.answers == [answer]
    assert loaded.signals == signals
    assert await storage.update_case("missing", lambda c: (c, [answer])) is None


async def test_a_change_that_raises_stores_nothing(storage: SqlStorage) -> None:
    await storage.create_case(make_case("c1", conv()))

    def refuse(case: Case) -> tuple[Case, list[Answer]]:
        raise LookupError("no")

    with pytest.raises(LookupError):
        await storage.update_case("c1", refuse)
    loaded = await storage.get_case("c1")
    assert loaded is not None and loaded.version == 1 and loaded.answers == []


async def test_open_case_is_the_newest_in_the_conversation(storage: SqlStorage) -> None:
    dm = conv()
    await storage.create_case(make_case("old", dm, at=T0))
    await storage.create_case(make_case("new", dm, at=T0 + timedelta(minutes=1)))
    await storage.create_case(make_case("other-user", conv(user="U2"), at=T0 + timedelta(minutes=2)))
    await storage.create_case(make_case("in-thread", conv(thread="1.2"), at=T0 + timedelta(minutes=3)))
    found = await storage.open_case(dm)
    assert found is not None and found.id == "new"
    # in a thread, the case is shared by whoever talks there
    in_thread = await storage.open_case(conv(user="U9", thread="1.2"))
    assert in_thread is not None and in_thread.id == "in-thread"
    assert await storage.close_cases(dm) == 2
    assert await storage.open_case(dm) is None


async def test_history_is_per_workspace(storage: SqlStorage) -> None:
    await storage.create_case(make_case("a1", conv(workspace="T1")))
    await storage.create_case(make_case("b1", conv(workspace="T2")))
    mine = await storage.list_cases("slack", "T1", "U1", 10)
    assert [c.id for c in mine] == ["a1"]
    assert await storage.open_case(conv(workspace="T2", user="U1")) is not None
    assert (await storage.open_case(conv(workspace="T3"))) is None


async def test_claim_event_is_true_once(storage_factory: Callable[[], SqlStorage]) -> None:
    first, second = storage_factory(), storage_factory()
    await first.migrate()
    results = await asyncio.gather(*(s.claim_event("Ev1", T0) for s in (first, second) for _ in range(5)))
    assert sorted(results) == [False] * 9 + [True]


async def test_rate_limit_counts_are_shared(storage_factory: Callable[[], SqlStorage]) -> None:
    first, second = storage_factory(), storage_factory()
    await first.migrate()
    counts = await asyncio.gather(*(s.count_hit("slack:T1", "U1", T0) for s in (first, second) for _ in range(10)))
    assert sorted(counts) == list(range(1, 21))
    assert await first.count_hit("slack:T1", "U1", T0 + timedelta(minutes=1)) == 1


async def test_settings_and_meta(storage: SqlStorage) -> None:
    assert await storage.get_settings("slack", "T1") is None
    settings = WorkspaceSettings(
        platform="slack",
        workspace="T1",
        default_visibility="public",
        default_currency="EUR",
        updated_by="U1",
        updated_at=T0,
    )
    await storage.put_settings(settings)
    assert await storage.get_settings("slack", "T1") == settings
    changed = settings.model_copy(update={"default_currency": "GBP"})
    await storage.put_settings(changed)
    assert await storage.get_settings("slack", "T1") == changed
    assert await storage.get_meta("discord.commands_hash") is None
    await storage.set_meta("discord.commands_hash", "abc")
    await storage.set_meta("discord.commands_hash", "def")
    assert await storage.get_meta("discord.commands_hash") == "def"


async def test_purge_removes_only_old_cases(storage: SqlStorage) -> None:
    await storage.create_case(make_case("old", conv(), at=T0 - timedelta(days=91)))
    await storage.create_case(make_case("fresh", conv(), at=T0 - timedelta(days=1)))
    await storage.claim_event("old-event", T0 - timedelta(days=2))
    removed = await storage.purge(cases_before=T0 - timedelta(days=90), events_before=T0 - timedelta(days=1))
    assert removed == 1
    assert await storage.get_case("old") is None
    assert await storage.get_case("fresh") is not None
    assert await storage.claim_event("old-event", T0)  # forgotten, so claimable again


async def _all_values(storage: SqlStorage) -> list[str]:
    """Every cell of every table, as text."""
    values: list[str] = []
    async with storage.engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in (await conn.execute(sa.select(table))).all():
                values.extend(str(cell) for cell in row)
    return values


async def test_forget_leaves_no_row_with_the_user_id_or_text(storage: SqlStorage, clock: FakeClock) -> None:
    service = ConversationService(storage, clock=clock)
    secret = "$777/month Zanzibar credits, personal projects are fine"
    me = conv(user="UFORGET", thread="9.9")
    mine = await service.check(me, secret)
    await service.answer(mine.case_id or "", "UFORGET", "use", "work_only")
    await service.update_settings(me, default_currency="EUR")
    # my answer on somebody else's case in another workspace
    theirs = await service.check(conv(user="UOTHER", workspace="T2"), "$100/month API budget")
    assert theirs.case_id is not None
    leaked = Signals(has_allowance=True, use=Found(value="work_only", phrase="ZZTOPSECRET"))
    typed = Answer(
        question_id="use",
        value="work_only",
        text="ZZTOPSECRET",
        phrase="ZZTOPSECRET",
        at=T0,
        user="UFORGET",
    )
    await storage.update_case(theirs.case_id, lambda c: (c.model_copy(update={"signals": leaked}), [typed]))
    reply = await service.forget(me)
    assert reply.kind == "forgotten"
    assert "erased 5 items" in reply.text  # case, its answer, settings, rate count, answer elsewhere
    values = " ".join(await _all_values(storage))
    assert "UFORGET" not in values
    assert "Zanzibar" not in values
    assert "ZZTOPSECRET" not in values
    other = await storage.get_case(theirs.case_id)
    assert other is not None and other.user == "UOTHER" and other.answers == []


async def test_forget_takes_a_persons_words_out_of_other_peoples_thread_cases(
    storage: SqlStorage, clock: FakeClock
) -> None:
    """A thread case holds everyone's messages; forgetting one of them removes their lines, and
    the case is read again from what is left (the owner's words stay)."""
    service = ConversationService(storage, clock=clock)
    owner = conv(user="UOWNER", thread="5.5")
    parts = [
        TextPart(user="UPOSTER", text="Offer: $900/month Quokka credits, rolls over each month"),
        TextPart(user="UOWNER", text="is this pay?"),
        TextPart(user="UPOSTER", text="and they top it up if you run out"),
    ]
    reply = await service.check_thread(owner, parts)
    assert reply.case_id is not None
    stored = await storage.get_case(reply.case_id)
    assert stored is not None and stored.parts == parts
    assert stored.verdict.allowance.amount == 900

    result = await service.forget(conv(user="UPOSTER"))
    assert result.kind == "forgotten"
    assert "erased 2 items" in result.text  # the poster's two lines
    values = " ".join(await _all_values(storage))
    assert "UPOSTER" not in values and "Quokka" not in values and "top it up" not in values
    case = await storage.get_case(reply.case_id)
    assert case is not None and case.user == "UOWNER"
    assert case.text == "is this pay?" and case.parts == [parts[1]]
    assert case.verdict.allowance.amount is None, "read again without the poster's sum"
    assert [c.id for c in await storage.list_cases("slack", "T1", "UOWNER", 10)] == [reply.case_id]


async def test_a_thread_of_the_askers_own_words_keeps_no_parts(storage: SqlStorage, clock: FakeClock) -> None:
    service = ConversationService(storage, clock=clock)
    me = conv(user="UME", thread="6.6")
    lines = [TextPart(user="UME", text="$500/month API credits"), TextPart(user="UME", text="work only")]
    reply = await service.check_thread(me, lines)
    case = await storage.get_case(reply.case_id or "")
    assert case is not None and case.text == "$500/month API credits\nwork only" and case.parts == []
    assert case.verdict.allowance.use == "work_only"


async def test_migrations_match_the_table_definitions(storage: SqlStorage) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    def diff(sync_conn: sa.Connection) -> list[object]:
        context = MigrationContext.configure(sync_conn, opts={"compare_type": False})
        return [d for d in compare_metadata(context, metadata) if "alembic_version" not in str(d)]

    async with storage.engine.connect() as conn:
        assert await conn.run_sync(diff) == []
    assert await storage.current_revision() == head_revision()
    assert await storage.migrate() == head_revision()  # running again is harmless


async def test_hundred_concurrent_answers_lose_none(
    storage_factory: Callable[[], SqlStorage], clock: FakeClock
) -> None:
    storages = [storage_factory() for _ in range(5)]
    await storages[0].migrate()
    services = [ConversationService(s, clock=clock, rate_limit_per_minute=0) for s in storages]
    created = await services[0].check(conv(), "$500/month API budget")
    assert created.case_id is not None
    values = ["work_only", "some_personal", "personal_allowed"]
    replies = await asyncio.gather(
        *(services[n % len(services)].answer(created.case_id, f"U{n}", "use", values[n % 3]) for n in range(100))
    )
    assert all(r.kind == "refined" and not r.notes for r in replies)
    case = await storages[1].get_case(created.case_id)
    assert case is not None
    assert len(case.answers) == 100
    assert sorted(a.user or "" for a in case.answers) == sorted(f"U{n}" for n in range(100))
    assert case.version == 101
    # the stored signals are those of the last answer written
    assert case.signals.use is not None and case.signals.use.value == case.answers[-1].value
