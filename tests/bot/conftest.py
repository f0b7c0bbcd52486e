"""Fixtures for the multi-process tests: a Slack stand-in, databases, and `python -m bot` processes."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from bot_processes import BotProcess, StartBots, clean_environment, fresh_pg_database
from slack_standin import SlackStandIn

PG_ENV = "PERKCHECK_TEST_DATABASE_URL"


@pytest.fixture
async def slack_api() -> AsyncIterator[SlackStandIn]:
    standin = SlackStandIn()
    await standin.start()
    yield standin
    await standin.stop()


@pytest.fixture
async def pg_database() -> AsyncIterator[str]:
    """A fresh PostgreSQL database (not just a schema: subprocesses only get a URL)."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set")
    async with fresh_pg_database(base) as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A SQLite file (always) and a fresh PostgreSQL database (when configured)."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'perkcheck.db'}"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set")
    async with fresh_pg_database(base) as url:
        yield url


async def run_release(database_url: str, workdir: Path) -> None:
    """`python -m bot release`: the Procfile's release phase (migrations), which must exit 0."""
    await asyncio.to_thread(workdir.mkdir, parents=True, exist_ok=True)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "release",
        env=clean_environment(DATABASE_URL=database_url),
        cwd=workdir,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    assert b"Database is up to date" in out


@pytest.fixture
async def start_bots(slack_api: SlackStandIn, tmp_path: Path) -> AsyncIterator[StartBots]:
    """`await start_bots(url, count=2, rate_limit=0)`: the release phase, then `count` web processes."""
    started: list[BotProcess] = []

    async def start(database_url: str, *, count: int = 2, rate_limit: int = 0) -> list[BotProcess]:
        await run_release(database_url, tmp_path / "release")
        bots = [
            BotProcess(database_url, slack_api, tmp_path / f"web{len(started) + n}", rate_limit=rate_limit)
            for n in range(count)
        ]
        started.extend(bots)
        await asyncio.gather(*(bot.start() for bot in bots))
        return bots

    yield start
    for bot in started:
        await bot.close()
