"""A database that is unavailable or read-only does not stop verdicts: a note comes instead."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage import SqlStorage
from core.service import NOTE_NOT_SAVED, Conversation, ConversationService

OFFER = "$500/month API budget, work-only SECRETWORDS"
CONV = Conversation(platform="console", workspace="local", channel="console", user="me")


@pytest.fixture(autouse=True)
async def aiosqlite_threads_end_before_the_loop() -> AsyncIterator[None]:
    """A connection that fails to open still has its worker thread post its stop to the event loop
    afterwards; wait for the test's worker threads, with the loop running, so that none finds the
    loop closed (an "Event loop is closed" warning from a thread, seen now and then)."""
    before = set(threading.enumerate())
    yield
    for worker in set(threading.enumerate()) - before:
        if "_connection_worker_thread" in worker.name:
            await asyncio.to_thread(worker.join, 5)


async def assert_verdict_with_note(storage: SqlStorage, caplog: pytest.LogCaptureFixture) -> None:
    service = ConversationService(storage)
    with caplog.at_level(logging.INFO):
        reply = await service.message(CONV, OFFER, event_id="Ev1")
    assert reply.kind == "verdict"
    assert reply.verdict is not None and reply.verdict.verdict == "operating_cost"
    assert NOTE_NOT_SAVED in reply.notes
    assert "could not save a case" in caplog.text
    assert "SECRETWORDS" not in caplog.text


async def test_sqlite_file_that_cannot_be_opened(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    storage = SqlStorage(f"sqlite+aiosqlite:///{tmp_path / 'gone' / 'db.sqlite'}")
    (tmp_path / "gone").rmdir()  # the directory vanished after start-up
    try:
        await assert_verdict_with_note(storage, caplog)
    finally:
        await storage.close()


async def test_postgres_that_refuses_connections(caplog: pytest.LogCaptureFixture) -> None:
    storage = SqlStorage("postgresql+asyncpg://postgres@127.0.0.1:1/none")
    try:
        await assert_verdict_with_note(storage, caplog)
    finally:
        await storage.close()


async def test_read_only_sqlite(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "ro.sqlite"
    writable = SqlStorage(f"sqlite+aiosqlite:///{path}")
    await writable.migrate()
    await writable.close()
    storage = SqlStorage(f"sqlite+aiosqlite:///file:{path}?mode=ro&uri=true")
    try:
        await assert_verdict_with_note(storage, caplog)
        history = await ConversationService(storage).history(CONV)  # reads still work
        assert history.kind == "history" and history.text == "No checks stored for you yet."
    finally:
        await storage.close()


async def test_recovers_when_the_database_comes_back(tmp_path: Path) -> None:
    directory = tmp_path / "later"
    storage = SqlStorage(f"sqlite+aiosqlite:///{directory / 'db.sqlite'}")
    directory.rmdir()
    service = ConversationService(storage)
    first = await service.check(CONV, OFFER)
    assert first.case_id is None and NOTE_NOT_SAVED in first.notes
    directory.mkdir()
    second = await service.check(CONV, OFFER)
    assert second.case_id is not None and second.notes == []
    await storage.close()
