"""Slack HTTP mode under load: perkcheck next to a bare Bolt app that only acks, in one run.

Each server runs in its own process (127.0.0.1, port 0, the same aiohttp front end); this process
fires N signed `/perkcheck` requests with 32 in flight at each and prints throughput, p50/p99
latency and the throughput ratio. perkcheck is measured twice: end to end on a real database
(SQLite in a temporary directory, or DATABASE_URL), and with an in-memory storage, which isolates
the adapter's own cost (HTTP, signature check, Bolt, classifier, Block Kit) from the database's.

    python benchmarks/slack_http.py [--requests 2000] [--concurrency 32]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import logging
import multiprocessing
import os
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from multiprocessing.connection import Connection
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web

SIGNING_SECRET = "benchmark-signing-secret"
OFFERS = (
    "$500/month API budget, work-only",
    "they're offering 15k a year in AI credits, use it for anything, it rolls over",
    "$185k base, 10% bonus, $15,000/yr AI token credits",
    "Cursor Pro seat plus $200/mo Anthropic credits for personal projects",
)
USERS = 500  # spread over many people, as in a real workspace, so the rate limit is not hit


@dataclass(frozen=True)
class Result:
    name: str
    seconds: float
    latencies: list[float]
    errors: int

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile_ms(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000


# --- the servers (each in a child process) ---------------------------------------------------


class MemoryStorage:
    """Just enough storage for checks, in memory: isolates the adapter's cost from the DB's."""

    def __init__(self) -> None:
        self.cases: dict[str, Any] = {}
        self.hits: dict[tuple[str, str, datetime], int] = {}

    async def create_case(self, case: Any) -> None:
        self.cases[case.id] = case

    async def count_hit(self, scope: str, user: str, window_start: datetime) -> int:
        key = (scope, user, window_start)
        self.hits[key] = self.hits.get(key, 0) + 1
        return self.hits[key]

    async def get_settings(self, platform: str, workspace: str) -> None:
        return None

    async def claim_event(self, event_id: str, now: datetime) -> bool:
        return True


async def _serve(app: web.Application) -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, int(site._server.sockets[0].getsockname()[1])  # type: ignore[union-attr]


async def _slack_api_standin() -> tuple[web.AppRunner, str]:
    """auth.test (Bolt asks once who the bot is) and a response_url sink."""

    async def auth_test(_request: web.Request) -> web.Response:
        return web.json_response({"ok": True, "team_id": "T0BENCH1", "user_id": "UBOT0001", "bot_id": "BBOT0001"})

    async def response_url(_request: web.Request) -> web.Response:
        return web.Response(text="ok")

    app = web.Application()
    app.add_routes([web.post("/api/auth.test", auth_test), web.post("/response", response_url)])
    runner, port = await _serve(app)
    return runner, f"http://127.0.0.1:{port}"


async def _run_server(kind: str, database_url: str, conn: Connection) -> None:
    from slack_bolt.async_app import AsyncAck, AsyncApp

    from bot.bootstrap import freeze_startup_objects
    from bot.slack_runtime import build_bolt_app, build_web_app, build_web_client
    from bot.storage import SqlStorage
    from core.classifier import warm_up
    from core.service import ConversationService

    logging.disable(logging.WARNING)
    api_runner, api_base = await _slack_api_standin()
    client = build_web_client("xoxb-bench", f"{api_base}/api/")
    closers = [api_runner.cleanup]
    if kind == "bare":
        bolt = AsyncApp(client=client, signing_secret=SIGNING_SECRET)

        async def ack_only(ack: AsyncAck) -> None:
            await ack()

        bolt.command("/perkcheck")(ack_only)
    else:
        if kind == "memory":
            storage: Any = MemoryStorage()
        else:
            storage = SqlStorage(database_url)
            await storage.migrate()
            closers.append(storage.close)
        service = ConversationService(storage)
        bolt = build_bolt_app(service, client=client, signing_secret=SIGNING_SECRET).app
        warm_up()  # as `python -m bot` does before it takes traffic
    freeze_startup_objects()  # as `python -m bot` does once its imports are done (bare Bolt too)
    runner, port = await _serve(build_web_app(bolt))
    conn.send((port, f"{api_base}/response"))
    await asyncio.get_running_loop().run_in_executor(None, conn.recv)  # until told to stop
    await runner.cleanup()
    for close in closers:
        await close()


def _server_process(kind: str, database_url: str, conn: Connection) -> None:
    asyncio.run(_run_server(kind, database_url, conn))


# --- the load ---------------------------------------------------------------------------------


def _signed(number: int, response_url: str) -> tuple[str, dict[str, str]]:
    body = urlencode(
        {
            "team_id": "T0BENCH1",
            "channel_id": "C0BENCH1",
            "user_id": f"U{number % USERS:07d}",
            "command": "/perkcheck",
            "text": OFFERS[number % len(OFFERS)],
            "response_url": response_url,
            "trigger_id": f"{number}.1.x",
        }
    )
    stamp = str(int(time.time()))
    digest = hmac.new(SIGNING_SECRET.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256)
    return body, {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": "v0=" + digest.hexdigest(),
    }


async def _load(name: str, url: str, response_url: str, requests: int, concurrency: int) -> Result:
    latencies: list[float] = []
    errors = 0
    numbers = iter(range(requests))
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as http:

        async def worker() -> None:
            nonlocal errors
            for number in numbers:
                body, headers = _signed(number, response_url)
                started = time.perf_counter()
                async with http.post(url, data=body, headers=headers) as response:
                    payload = await response.read()
                    if response.status != 200 or b"Checking" in payload:
                        errors += 1  # not answered in the ack
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        seconds = time.perf_counter() - started
    return Result(name, seconds, latencies, errors)


async def _measure(name: str, kind: str, database_url: str, requests: int, concurrency: int) -> Result:
    ours, theirs = multiprocessing.Pipe()
    process = multiprocessing.get_context("spawn").Process(
        target=_server_process, args=(kind, database_url, theirs), daemon=True
    )
    process.start()
    try:
        port, response_url = await asyncio.get_running_loop().run_in_executor(None, ours.recv)
        url = f"http://127.0.0.1:{port}/slack/events"
        await _load(name, url, response_url, min(300, requests), concurrency)  # warm-up
        return await _load(name, url, response_url, requests, concurrency)
    finally:
        ours.send("stop")
        process.join(timeout=30)


def run(requests: int = 2000, concurrency: int = 32) -> list[tuple[str, str]]:
    """`make bench` rows: (measure, result) for each server, with the ratio to bare Bolt."""
    results = asyncio.run(measure_all(requests, concurrency))
    bare = results[0]
    rows = []
    for result in results:
        ratio = result.throughput / bare.throughput
        rows.append(
            (
                f"Slack HTTP {result.name}, {requests} req, {concurrency} in flight",
                f"{result.throughput:.0f} req/s, p50 {result.percentile_ms(0.5):.1f} ms, "
                f"p99 {result.percentile_ms(0.99):.1f} ms, {ratio:.2f} x bare, "
                f"{result.errors} late",
            )
        )
    return rows


async def measure_all(requests: int = 2000, concurrency: int = 32) -> list[Result]:
    """Measure the bare Bolt app, perkcheck on a database, and perkcheck in memory."""
    with tempfile.TemporaryDirectory() as tmp:
        database_url = os.environ.get("DATABASE_URL") or f"sqlite+aiosqlite:///{tmp}/bench.db"
        database = database_url.split(":", 1)[0]
        return [
            await _measure("bare Bolt (ack only)", "bare", database_url, requests, concurrency),
            await _measure(f"perkcheck ({database})", "db", database_url, requests, concurrency),
            await _measure("perkcheck (in memory)", "memory", database_url, requests, concurrency),
        ]


def format_table(results: list[Result], requests: int, concurrency: int) -> str:
    """The results as a table, with each throughput's ratio to the bare Bolt app (first row)."""
    bare = results[0]
    lines = [
        f"Slack HTTP mode: {requests} signed /perkcheck requests, {concurrency} in flight, one process per server",
        f"{'server':<34}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'ratio':>7}{'late':>6}",
    ]
    for result in results:
        lines.append(
            f"{result.name:<34}{result.throughput:>8.0f}{result.percentile_ms(0.5):>9.1f}"
            f"{result.percentile_ms(0.99):>9.1f}{result.throughput / bare.throughput:>7.2f}"
            f"{result.errors:>6}"
        )
    lines.append("ratio: throughput / bare Bolt (target >= 0.80); p99 target < 100 ms")
    lines.append("late: not answered in the ack (non-200, or 'Checking…' then response_url)")
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    arguments = parser.parse_args()
    measured = asyncio.run(measure_all(arguments.requests, arguments.concurrency))
    print(format_table(measured, arguments.requests, arguments.concurrency))
