"""The deployed shape under load: `python -m bot web` processes on PostgreSQL, memory, start-up.

- Slack HTTP mode: one and two real `python -m bot web` processes on one PostgreSQL database,
  signed `/perkcheck` requests with 32 in flight (round robin across the processes, as a load
  balancer would), next to a bare Bolt app (ack only) measured in the same run: throughput,
  p50/p99 and the throughput ratio to the bare app.
- Memory: resident set size of one bot process when idle, after a 2,000-check warm-up and after
  10,000 checks (target under 150 MB, no growth after warm-up).
- Start-up: `python -m bot web` from exec to `/readyz` answering 200 (median of three).

PostgreSQL comes from PERKCHECK_BENCH_DATABASE_URL, else PERKCHECK_TEST_DATABASE_URL, else a
postgresql DATABASE_URL; a fresh database is created for the run and dropped after. Without one,
the processes run on SQLite and the rows say so. Everything listens on 127.0.0.1, port 0.

    python -m benchmarks.runtime_bench [--requests 2000] [--checks 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import os
import re
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from benchmarks.slack_http import SIGNING_SECRET, Result, _server_process, _signed, _slack_api_standin

LISTENING = re.compile(r"listening on port (\d+)")
MEMORY_TARGET_MB = 150.0


@dataclass
class WebProcess:
    """One `python -m bot web` subprocess (JSON logs on stderr, read for its port)."""

    database_url: str
    api_base: str
    workdir: Path
    port: int = 0
    process: asyncio.subprocess.Process | None = None
    lines: list[str] = field(default_factory=list)
    _reader: asyncio.Task[None] | None = None

    @property
    def events_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/slack/events"

    async def start(self) -> float:
        """Start it; seconds from exec to /readyz answering 200."""
        skip = ("SLACK_", "DISCORD_", "PERKCHECK_", "LOG_")
        env = {k: v for k, v in os.environ.items() if not k.startswith(skip) and k not in ("DATABASE_URL", "PORT")}
        env.update(
            DATABASE_URL=self.database_url,
            SLACK_BOT_TOKEN="xoxb-bench",
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=f"{self.api_base}/api/",
            PORT="0",
            HOST="127.0.0.1",
            LOG_FORMAT="json",
            LOG_LEVEL="INFO",  # the "listening on port" line names the port
            PERKCHECK_RATE_LIMIT_PER_MINUTE="0",  # measure the checks, not the limit
        )
        started = time.perf_counter()
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "web",
            env=env,
            cwd=self.workdir,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        self._reader = asyncio.create_task(self._read())
        async with aiohttp.ClientSession() as http:
            while True:
                if self.process.returncode is not None or time.perf_counter() - started > 60:
                    raise RuntimeError("bot did not start:\n" + "\n".join(self.lines[-20:]))
                if self.port:
                    with contextlib.suppress(aiohttp.ClientError):
                        async with http.get(f"http://127.0.0.1:{self.port}/readyz") as ready:
                            if ready.status == 200:
                                return time.perf_counter() - started
                await asyncio.sleep(0.01)

    async def _read(self) -> None:
        assert self.process is not None and self.process.stderr is not None
        async for raw in self.process.stderr:
            line = raw.decode(errors="replace").rstrip()
            self.lines.append(line)
            with contextlib.suppress(ValueError, AttributeError):
                found = LISTENING.search(json.loads(line).get("message", ""))
                if found:
                    self.port = int(found.group(1))

    def rss_mb(self) -> float:
        assert self.process is not None
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        kilobytes = int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))  # type: ignore[union-attr]
        return kilobytes / 1024

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            await asyncio.wait_for(self.process.wait(), 60)
        if self._reader is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._reader, 5)


async def _load(name: str, urls: list[str], response_url: str, requests: int, concurrency: int) -> Result:
    """`requests` signed /perkcheck requests, `concurrency` in flight, round robin over `urls`."""
    latencies: list[float] = []
    errors = 0
    numbers = iter(range(requests))
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as http:

        async def worker() -> None:
            nonlocal errors
            for number in numbers:
                body, headers = _signed(number, response_url)
                started = time.perf_counter()
                async with http.post(urls[number % len(urls)], data=body, headers=headers) as response:
                    payload = await response.read()
                    if response.status != 200 or b"Checking" in payload:
                        errors += 1
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return Result(name, time.perf_counter() - started, latencies, errors)


@contextlib.asynccontextmanager
async def _bare_bolt() -> AsyncIterator[tuple[str, str]]:
    """The bare Bolt app (ack only) of benchmarks/slack_http.py in its own process: (url, response_url)."""
    ours, theirs = multiprocessing.Pipe()
    process = multiprocessing.get_context("spawn").Process(
        target=_server_process, args=("bare", "", theirs), daemon=True
    )
    process.start()
    try:
        port, response_url = await asyncio.get_running_loop().run_in_executor(None, ours.recv)
        yield f"http://127.0.0.1:{port}/slack/events", response_url
    finally:
        ours.send("stop")
        await asyncio.get_running_loop().run_in_executor(None, process.join, 30)


def _postgres_base() -> str | None:
    for name in ("PERKCHECK_BENCH_DATABASE_URL", "PERKCHECK_TEST_DATABASE_URL", "DATABASE_URL"):
        value = os.environ.get(name, "")
        if value.startswith(("postgres://", "postgresql://", "postgresql+asyncpg://")):
            return value
    return None


@contextlib.asynccontextmanager
async def _database(tmp: Path) -> AsyncIterator[tuple[str, str]]:
    """(URL, label): a fresh PostgreSQL database when one is configured, else a SQLite file."""
    base = _postgres_base()
    if base is None:
        yield f"sqlite+aiosqlite:///{tmp / 'bench.db'}", "SQLite (no PostgreSQL configured)"
        return
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url
    from sqlalchemy.ext.asyncio import create_async_engine

    from bot.settings import normalise_database_url

    base = normalise_database_url(base)
    name = f"perkcheck_bench_{uuid.uuid4().hex[:8]}"
    admin = create_async_engine(base, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE template0'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False), "PostgreSQL"
    finally:
        async with admin.connect() as conn:
            await conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


def _latency(result: Result) -> str:
    return (
        f"{result.throughput:.0f} req/s, p50 {result.percentile_ms(0.5):.1f} ms, "
        f"p99 {result.percentile_ms(0.99):.1f} ms, {result.errors} late"
    )


async def measure(requests: int = 2000, concurrency: int = 32, checks: int = 10000) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    api_runner, api_base = await _slack_api_standin()
    response_url = f"{api_base}/response"
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        try:
            async with _database(tmp) as (database_url, label):
                # start-up: exec to /readyz 200, on a migrated database (the first run migrates it)
                startups: list[float] = []
                for run in range(4):
                    bot = WebProcess(database_url, api_base, tmp)
                    seconds = await bot.start()
                    await bot.stop()
                    if run:
                        startups.append(seconds)
                rows.append(
                    (
                        "start-up: python -m bot web to /readyz 200",
                        f"median {statistics.median(startups):.2f} s of {len(startups)} "
                        f"({', '.join(f'{s:.2f}' for s in startups)}), {label}",
                    )
                )

                # Slack HTTP: bare Bolt, one process, two processes, in the same run
                async with _bare_bolt() as (bare_url, bare_response_url):
                    await _load("bare", [bare_url], bare_response_url, min(300, requests), concurrency)
                    bare = await _load("bare", [bare_url], bare_response_url, requests, concurrency)
                rows.append(
                    (f"Slack HTTP bare Bolt (ack only), {requests} req, {concurrency} in flight", _latency(bare))
                )
                for count in (1, 2):
                    bots = [WebProcess(database_url, api_base, tmp) for _ in range(count)]
                    try:
                        await asyncio.gather(*(bot.start() for bot in bots))
                        urls = [bot.events_url for bot in bots]
                        await _load("warm-up", urls, response_url, min(300, requests), concurrency)
                        result = await _load(f"{count}", urls, response_url, requests, concurrency)
                    finally:
                        await asyncio.gather(*(bot.stop() for bot in bots))
                    processes = "1 process" if count == 1 else f"{count} processes"
                    rows.append(
                        (
                            f"Slack HTTP perkcheck web, {processes}, {label}",
                            f"{_latency(result)}, {result.throughput / bare.throughput:.2f} x bare",
                        )
                    )

                # memory: one process, idle, after warm-up, after `checks` checks
                bot = WebProcess(database_url, api_base, tmp)
                try:
                    await bot.start()
                    await asyncio.sleep(0.5)
                    idle = bot.rss_mb()
                    warm_up = min(2000, checks)
                    samples: list[tuple[int, float]] = []  # (checks so far, RSS MB)
                    done = 0
                    while done < checks:
                        batch = min(warm_up, checks - done)
                        await _load("memory", [bot.events_url], response_url, batch, 16)
                        done += batch
                        samples.append((done, bot.rss_mb()))
                finally:
                    await bot.stop()
                warm, final = samples[0][1], samples[-1][1]
                verdict = "under" if final < MEMORY_TARGET_MB else "OVER"
                rows.append(
                    (
                        f"memory: RSS of python -m bot web, {label}",
                        f"idle {idle:.0f} MB, after {checks} checks {final:.0f} MB "
                        f"({final - warm:+.1f} MB after a {warm_up}-check warm-up; "
                        f"{verdict} {MEMORY_TARGET_MB:.0f} MB); "
                        "by checks: " + ", ".join(f"{n}: {mb:.1f}" for n, mb in samples),
                    )
                )
        finally:
            await api_runner.cleanup()
    return rows


def run(requests: int = 2000, concurrency: int = 32, checks: int = 10000) -> list[tuple[str, str]]:
    """`make bench` rows: (measure, result)."""
    return asyncio.run(measure(requests, concurrency, checks))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--checks", type=int, default=10000)
    arguments = parser.parse_args()
    for measure_name, value in run(arguments.requests, arguments.concurrency, arguments.checks):
        print(f"{measure_name} | {value}")
