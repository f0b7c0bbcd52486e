"""Faults survived by real `python -m bot web` processes.

The database going away and coming back, the Slack Web API answering 429 and 500, SIGTERM and
SIGKILL in the middle of a load. Discord's REST faults are in tests/adapters/discord/test_discord_faults.py.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import aiohttp
import pytest
from bot_processes import (
    BotProcess,
    StartBots,
    TcpProxy,
    case_id_of,
    message_text,
    offer_words,
    post_command,
    signed,
    with_port,
)
from slack_standin import SlackStandIn, event_body
from sqlalchemy.exc import DBAPIError

from bot.storage import SqlStorage
from core.service import NOTE_NOT_SAVED

pytestmark = pytest.mark.slow

SECRET_WORD = "ZEBRAFISH"  # in every offer text: it must never show up in a log line


def offer(number: int) -> str:
    return f"${number}/month API budget {SECRET_WORD}, work-only"


async def _status(http: aiohttp.ClientSession, url: str) -> int:
    try:
        async with http.get(url) as response:
            return response.status
    except aiohttp.ClientError:
        return 0


async def _until_status(http: aiohttp.ClientSession, url: str, status: int, within: float = 20.0) -> None:
    deadline = time.monotonic() + within
    while await _status(http, url) != status:
        assert time.monotonic() < deadline, f"{url} never answered {status}"
        await asyncio.sleep(0.1)


@pytest.mark.postgres
async def test_the_database_goes_away_and_comes_back(
    start_bots: StartBots, pg_database: str, slack_api: SlackStandIn
) -> None:
    target = urlparse(pg_database.replace("postgresql+asyncpg", "postgresql"))
    proxy = TcpProxy(target.hostname or "127.0.0.1", target.port or 5432)
    await proxy.start()
    try:
        [bot] = await start_bots(with_port(pg_database, proxy.port), count=1)
        async with aiohttp.ClientSession() as http:
            _, before = await post_command(http, bot, offer(1), user="U1")
            saved_before = case_id_of(before)
            assert saved_before, before

            await proxy.stop()  # the database is gone: refused, and open connections cut
            await _until_status(http, f"{bot.base_url}/readyz", 503)
            assert await _status(http, f"{bot.base_url}/healthz") == 200, "the process itself is fine"
            outage = [await post_command(http, bot, offer(n), user=f"U{n}") for n in range(2, 5)]
            for status, ack in outage:
                assert status == 200
                assert "Operating cost" in message_text(ack), "the verdict still comes"
                assert NOTE_NOT_SAVED in message_text(ack), "with a note"
                assert case_id_of(ack) is None, "and no buttons for a case that was not stored"

            await proxy.start()  # back, on the same address; the bot was not restarted
            await _until_status(http, f"{bot.base_url}/readyz", 200)
            _, after = await post_command(http, bot, offer(5), user="U5")
            saved_after = case_id_of(after)
            assert saved_after and NOTE_NOT_SAVED not in message_text(after), after
        assert await bot.terminate() == 0
    finally:
        await proxy.stop()

    storage = SqlStorage(pg_database)  # directly, not through the proxy
    try:
        for case_id in (saved_before, saved_after):
            case = await storage.get_case(case_id)
            assert case is not None, "nothing committed is lost"
    finally:
        await storage.close()
    failures = [r for r in bot.records if r.get("level") == "ERROR" and r.get("request_id")]
    assert failures, "the outage was logged, with request ids"
    assert all(r.get("platform") == "slack" for r in failures)
    assert offer_words(bot.records, [SECRET_WORD]) == []


@pytest.mark.postgres
async def test_the_first_query_after_an_outage_succeeds(pg_database: str) -> None:
    """Pooled connections the server closed are replaced at checkout, not failed on first use."""
    target = urlparse(pg_database.replace("postgresql+asyncpg", "postgresql"))
    proxy = TcpProxy(target.hostname or "127.0.0.1", target.port or 5432)
    await proxy.start()
    storage = SqlStorage(with_port(pg_database, proxy.port))
    try:
        await storage.migrate()
        await storage.set_meta("before", "1")
        await asyncio.gather(*(storage.get_meta("before") for _ in range(3)))  # three pooled connections
        await proxy.stop()  # the server goes away: every pooled connection is cut
        await asyncio.sleep(0.2)
        await proxy.start()
        # the very first queries after it is back succeed (stale connections are replaced at checkout)
        assert await asyncio.gather(*(storage.get_meta("before") for _ in range(3))) == ["1", "1", "1"]
        await proxy.stop()
        with pytest.raises((OSError, DBAPIError)):
            await storage.set_meta("during", "1")
        assert not await storage.ping()
        await proxy.start()
        await storage.set_meta("after", "1")
        assert await storage.get_meta("after") == "1"
    finally:
        await storage.close()
        await proxy.stop()


async def test_slack_web_api_429_and_500_are_retried_then_logged_without_a_crash(
    start_bots: StartBots, tmp_path: Path, slack_api: SlackStandIn
) -> None:
    [bot] = await start_bots(f"sqlite+aiosqlite:///{tmp_path / 'perkcheck.db'}", count=1)

    async def dm(number: int) -> None:
        event = {
            "type": "message",
            "channel": "D0DM0001",
            "user": f"U{number}",
            "text": offer(number),
            "ts": f"960.{number}",
            "channel_type": "im",
        }
        body = event_body(event, event_id=f"EvApi{number}")
        async with http.post(bot.events_url, data=body, headers=signed(body, "application/json")) as response:
            assert response.status == 200

    async with aiohttp.ClientSession() as http:
        # recovered: rate limited once (Retry-After: 1), then a server error, then delivered
        slack_api.fail_next("chat.postMessage", 429, {"Retry-After": "1"})
        slack_api.fail_next("chat.postMessage", 500)
        started = time.monotonic()
        await dm(1)
        await slack_api.wait_for("chat.postMessage", count=3, within=15)
        assert time.monotonic() - started >= 1.0, "waited as long as Retry-After said"

        # not recovered: 429 on every try (1 + 3 retries), then 500 on every try (1 + 2 retries)
        for _ in range(4):
            slack_api.fail_next("chat.postMessage", 429, {"Retry-After": "0"})
        await dm(2)
        await slack_api.wait_for("chat.postMessage", count=3 + 4, within=15)
        for _ in range(3):
            slack_api.fail_next("chat.postMessage", 500)
        await dm(3)
        await slack_api.wait_for("chat.postMessage", count=3 + 4 + 3, within=15)

        # and the bot carries on
        await dm(4)
        await slack_api.wait_for("chat.postMessage", count=3 + 4 + 3 + 1, within=15)
        assert await _status(http, f"{bot.base_url}/healthz") == 200
    assert await bot.terminate() == 0

    failed = [r for r in bot.records if "Could not post a reply" in str(r.get("message"))]
    assert [r["level"] for r in failed] == ["ERROR", "ERROR"]
    assert ["429" in r["message"] for r in failed] == [True, False]
    assert ["500" in r["message"] for r in failed] == [False, True]
    assert {r.get("event_id") for r in failed} == {"EvApi2", "EvApi3"}, "each failure names its event"
    assert all(r.get("request_id") for r in failed)
    assert offer_words(bot.records, [SECRET_WORD]) == []


@dataclass
class Load:
    """Signed /perkcheck commands, each with its own amount, from `workers` clients at once."""

    bot: BotProcess
    workers: int = 16
    limit: int = 600
    acked: dict[int, str | None] = field(default_factory=dict)  # number -> case id (None: "Checking…")
    failed: dict[int, str] = field(default_factory=dict)  # number -> error
    done_at: dict[int, float] = field(default_factory=dict)

    async def run(self, stop_after: float = 60.0) -> None:
        numbers = iter(range(1, self.limit + 1))
        started = time.monotonic()
        async with aiohttp.ClientSession() as http:

            async def worker() -> None:
                for number in numbers:
                    if time.monotonic() - started > stop_after:
                        return
                    try:
                        status, ack = await post_command(http, self.bot, offer(number), user=f"U{number}")
                    except (aiohttp.ClientError, OSError) as error:
                        self.failed[number] = type(error).__name__
                        return  # the server is going away
                    if status != 200:
                        self.failed[number] = f"HTTP {status}"
                        return
                    self.acked[number] = case_id_of(ack)
                    self.done_at[number] = time.monotonic()
                    if self.acked[number] is None:
                        assert "Checking" in message_text(ack), ack

            await asyncio.gather(*(worker() for _ in range(self.workers)))

    async def until_acked(self, count: int, within: float = 30.0) -> None:
        deadline = time.monotonic() + within
        while len(self.acked) < count:
            assert time.monotonic() < deadline, f"only {len(self.acked)} answered: {self.failed}"
            await asyncio.sleep(0.01)


async def _stored_texts(database_url: str) -> dict[str, str]:
    """case id -> offer text of every stored case."""
    import sqlalchemy as sa

    storage = SqlStorage(database_url)
    try:
        async with storage.engine.connect() as conn:
            rows = (await conn.execute(sa.text("SELECT id, text FROM cases"))).all()
    finally:
        await storage.close()
    return {row.id: row.text for row in rows}


async def test_sigterm_mid_load_finishes_in_flight_requests_and_exits_0(
    start_bots: StartBots, tmp_path: Path, slack_api: SlackStandIn
) -> None:
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'perkcheck.db'}"
    [bot] = await start_bots(database_url, count=1)
    load = Load(bot)
    running = asyncio.create_task(load.run())
    await load.until_acked(80)
    signalled = time.monotonic()
    code = await bot.terminate()
    await asyncio.wait_for(running, 30)

    assert code == 0, bot.log_text()
    assert any(at > signalled for at in load.done_at.values()), "requests in flight at SIGTERM were answered"
    assert any("stop requested" in message for message in bot.messages("INFO"))
    stored = await _stored_texts(database_url)
    for number, case_id in load.acked.items():
        if case_id is not None:
            assert stored.get(case_id) == offer(number)
    promised = sum(1 for case_id in load.acked.values() if case_id is None)
    assert len(slack_api.of("response_url")) == promised, "every 'Checking…' got its verdict before exit"
    stored_numbers = {text for text in stored.values()}
    assert not {offer(n) for n in load.failed} & stored_numbers, "a refused request left nothing half done"
    assert bot.messages("ERROR") == []


async def test_sigkill_mid_load_loses_nothing_committed(
    start_bots: StartBots, database_url: str, slack_api: SlackStandIn, tmp_path: Path
) -> None:
    [bot] = await start_bots(database_url, count=1)
    load = Load(bot)
    running = asyncio.create_task(load.run())
    await load.until_acked(80)
    assert await bot.kill() == -9
    await asyncio.wait_for(running, 30)
    assert load.failed, "requests were cut off by the kill"

    restarted = await BotProcess(database_url, slack_api, tmp_path / "restarted").start()
    try:
        stored = await _stored_texts(database_url)
        committed = {number: case_id for number, case_id in load.acked.items() if case_id is not None}
        assert len(committed) >= 40
        for number, case_id in committed.items():
            assert stored.get(case_id) == offer(number), "every case whose buttons were sent survives"
        async with aiohttp.ClientSession() as http:
            status, ack = await post_command(http, restarted, offer(9999), user="U9999")
        assert status == 200 and case_id_of(ack), "and the restarted bot takes new checks"
    finally:
        assert await restarted.terminate() == 0
