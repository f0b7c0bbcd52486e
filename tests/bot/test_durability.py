"""A writer killed by SIGKILL mid-writes leaves a database that opens, committed cases intact."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.storage import SqlStorage

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


async def test_sigkill_mid_writes_loses_nothing_committed(
    storage_factory: Callable[[], SqlStorage],
) -> None:
    storage = storage_factory()
    await storage.migrate()
    args = [sys.executable, str(ROOT / "tests" / "bot" / "durability_writer.py"), storage.url]
    if storage.schema:
        args.append(storage.schema)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = await asyncio.create_subprocess_exec(
        *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env
    )
    assert child.stdout is not None
    committed: list[str] = []
    deadline = time.monotonic() + 30
    while len(committed) < 40 and time.monotonic() < deadline:
        line = await asyncio.wait_for(child.stdout.readline(), timeout=30)
        if not line:
            break
        committed.append(line.decode().strip())
    child.send_signal(signal.SIGKILL)
    await child.wait()
    assert child.returncode == -signal.SIGKILL
    assert len(committed) >= 40, (await child.stderr.read()).decode()  # type: ignore[union-attr]

    reopened = storage_factory()
    if reopened.dialect == "sqlite":
        async with reopened.engine.connect() as conn:
            assert (await conn.execute(sa.text("PRAGMA integrity_check"))).scalar() == "ok"
    for case_id in committed:
        case = await reopened.get_case(case_id)
        assert case is not None, case_id
        assert case.text.endswith("/month API budget, work only")
    # and the database still takes writes
    await reopened.set_meta("after-crash", "yes")
    assert await reopened.get_meta("after-crash") == "yes"
