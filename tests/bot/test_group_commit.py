"""Group commit in SqlStorage: concurrent writes share transactions and keep their own results.

On SQLite (always) and PostgreSQL (when PERKCHECK_TEST_DATABASE_URL is set), through separate
engines where it matters (as separate processes would be).
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from test_storage import T0, conv, make_case

from bot.storage import SqlStorage, cases, rate_limits
from core.service import WorkspaceSettings


def count_commits(storage: SqlStorage) -> Callable[[], int]:
    """How many transactions this storage has committed since the call."""
    commits = 0

    def on_commit(_conn: object) -> None:
        nonlocal commits
        commits += 1

    event.listen(storage.engine.sync_engine, "commit", on_commit)
    return lambda: commits


async def stored_hits(storage: SqlStorage) -> dict[tuple[str, str], int]:
    async with storage.engine.connect() as conn:
        rows = (await conn.execute(sa.select(rate_limits.c.scope, rate_limits.c.user_id, rate_limits.c.hits))).all()
    return {(row.scope, row.user_id): row.hits for row in rows}


async def stored_case_ids(storage: SqlStorage) -> set[str]:
    async with storage.engine.connect() as conn:
        return set((await conn.execute(sa.select(cases.c.id))).scalars().all())


async def test_concurrent_hits_across_engines_count_every_one(storage_factory: Callable[[], SqlStorage]) -> None:
    first, second = storage_factory(), storage_factory()
    await first.migrate()
    await second.migrate()
    commits = count_commits(first)
    users = [f"U{n}" for n in range(7)]
    calls = [(storage, users[n % len(users)]) for n in range(140) for storage in (first, second)]
    counts = await asyncio.gather(*(storage.count_hit("slack:T1", user, T0) for storage, user in calls))

    by_user: dict[str, list[int]] = {}
    for (_storage, user), count in zip(calls, counts, strict=True):
        by_user.setdefault(user, []).append(count)
    for user in users:
        # every hit got its own post-increment count, shared between the two engines
        assert sorted(by_user[user]) == list(range(1, len(by_user[user]) + 1))
    assert await stored_hits(first) == {("slack:T1", user): len(by_user[user]) for user in users}
    assert commits() < 140 / 4, "the hits were grouped into a few transactions"
    # a new window starts again at one
    assert await first.count_hit("slack:T1", "U0", T0 + timedelta(minutes=1)) == 1


async def test_concurrent_cases_hits_and_events_are_all_stored(storage_factory: Callable[[], SqlStorage]) -> None:
    storage, reader = storage_factory(), storage_factory()
    await storage.migrate()
    commits = count_commits(storage)
    case_ids = [f"case{n}" for n in range(150)]
    results: list[Any] = await asyncio.gather(
        *(storage.create_case(make_case(case_id, conv(user=f"U{n % 5}"))) for n, case_id in enumerate(case_ids)),
        *(storage.count_hit("slack:T1", "U1", T0) for _ in range(50)),
        *(storage.claim_event(f"Ev{n % 10}", T0) for n in range(40)),
    )
    assert results[:150] == [None] * 150
    assert sorted(results[150:200]) == list(range(1, 51))
    claims = results[200:]
    assert sum(claims) == 10, "each event id is claimed exactly once"
    assert Counter(f"Ev{n % 10}" for n, claimed in enumerate(claims) if claimed) == Counter(f"Ev{n}" for n in range(10))
    assert commits() <= 3, "one transaction for all of them (a few at most)"
    assert await stored_case_ids(reader) == set(case_ids)
    loaded = await reader.get_case("case7")
    assert loaded == make_case("case7", conv(user="U2"))
    assert not await reader.claim_event("Ev3", T0)


async def test_a_failing_write_fails_only_its_own_caller(storage_factory: Callable[[], SqlStorage]) -> None:
    storage = storage_factory()
    await storage.migrate()
    await storage.create_case(make_case("taken", conv()))
    writes = [
        storage.create_case(make_case("taken", conv())),  # already stored: an integrity error
        *(storage.create_case(make_case(f"ok{n}", conv())) for n in range(20)),
        storage.create_case(make_case("twice", conv())),
        storage.create_case(make_case("twice", conv())),  # the same id twice in one group
        *(storage.count_hit("slack:T1", "U1", T0) for _ in range(10)),
        *(storage.claim_event(f"Ev{n}", T0) for n in range(5)),
    ]
    results: list[Any] = await asyncio.gather(*writes, return_exceptions=True)

    assert isinstance(results[0], sa.exc.IntegrityError)
    assert results[1:21] == [None] * 20
    twice = results[21:23]
    assert sum(isinstance(r, sa.exc.IntegrityError) for r in twice) == 1 and None in twice
    assert sorted(results[23:33]) == list(range(1, 11)), "the retried hits are counted once each"
    assert results[33:] == [True] * 5
    assert await stored_case_ids(storage) == {"taken", "twice", *(f"ok{n}" for n in range(20))}
    assert await stored_hits(storage) == {("slack:T1", "U1"): 10}


async def test_a_database_wide_failure_reaches_every_caller(tmp_path: Path) -> None:
    path = tmp_path / "ro.sqlite"
    writable = SqlStorage(f"sqlite+aiosqlite:///{path}")
    await writable.migrate()
    await writable.close()
    storage = SqlStorage(f"sqlite+aiosqlite:///file:{path}?mode=ro&uri=true")
    try:
        await storage.migrate()
        results = await asyncio.wait_for(
            asyncio.gather(
                *(storage.count_hit("slack:T1", f"U{n}", T0) for n in range(10)),
                *(storage.create_case(make_case(f"c{n}", conv())) for n in range(10)),
                return_exceptions=True,
            ),
            timeout=30,
        )
        assert all(isinstance(r, sa.exc.OperationalError) for r in results), results
    finally:
        await storage.close()


async def test_a_lone_write_is_committed_without_waiting_for_company(storage: SqlStorage) -> None:
    started = time.monotonic()
    assert await asyncio.wait_for(storage.count_hit("slack:T1", "U1", T0), timeout=10) == 1
    await asyncio.wait_for(storage.create_case(make_case("alone", conv())), timeout=10)
    assert time.monotonic() - started < 10
    assert await storage.get_case("alone") is not None


async def test_close_commits_the_writes_still_queued(storage_factory: Callable[[], SqlStorage]) -> None:
    storage, reader = storage_factory(), storage_factory()
    await storage.migrate()
    tasks: list[asyncio.Task[Any]] = [
        asyncio.create_task(storage.create_case(make_case(f"late{n}", conv()))) for n in range(30)
    ]
    tasks += [asyncio.create_task(storage.count_hit("slack:T1", "U9", T0)) for _ in range(5)]
    await asyncio.sleep(0)  # queued, not yet flushed
    assert not any(task.done() for task in tasks)
    await storage.close()
    assert all(task.done() and task.exception() is None for task in tasks)
    assert sorted(task.result() for task in tasks[30:]) == [1, 2, 3, 4, 5]
    assert await stored_case_ids(reader) == {f"late{n}" for n in range(30)}


async def test_settings_reads_are_cached_and_refreshed(storage_factory: Callable[[], SqlStorage]) -> None:
    storage, other = storage_factory(), storage_factory()
    await storage.migrate()
    queries = 0

    def on_query(*_args: object) -> None:
        nonlocal queries
        queries += 1

    event.listen(storage.engine.sync_engine, "before_cursor_execute", on_query)
    assert await storage.get_settings("slack", "T1") is None
    read_once = queries
    assert await storage.get_settings("slack", "T1") is None
    assert queries == read_once, "the second read came from the cache"

    mine = WorkspaceSettings(platform="slack", workspace="T1", default_currency="EUR", updated_by="U1")
    await storage.put_settings(mine)
    assert await storage.get_settings("slack", "T1") == mine, "this process's own write shows at once"

    storage.settings_ttl = 0.2
    theirs = mine.model_copy(update={"default_currency": "GBP", "updated_by": "U2"})
    await other.put_settings(theirs)  # another process
    deadline = time.monotonic() + 10
    while await storage.get_settings("slack", "T1") != theirs:
        assert time.monotonic() < deadline, "another process's change never showed"
        await asyncio.sleep(0.05)

    storage.settings_ttl = 3600
    await storage.forget_user("slack", "U2")
    assert await storage.get_settings("slack", "T1") is None, "forgetting the user who set them removes them"


@pytest.mark.parametrize("writes", [1, 300])
async def test_more_writes_than_one_group_holds(storage: SqlStorage, writes: int) -> None:
    counts = await asyncio.gather(*(storage.count_hit("slack:T1", f"U{n % 3}", T0) for n in range(writes)))
    assert sorted(counts) == sorted(n // 3 + 1 for n in range(writes))
