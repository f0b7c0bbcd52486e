"""Wiring: serve starts every configured platform on one service; housekeeping; JSON logs."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import logging
import sys
import types
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.bootstrap import JsonLogFormatter, configure_logging, purge_daily, serve_main
from bot.settings import Settings
from bot.storage import SqlStorage
from core.service import Conversation, ConversationService


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def fake_runtime(name: str, function: str, calls: list[tuple[str, tuple[Any, ...]]]) -> types.ModuleType:
    """A stand-in for bot.slack_runtime / bot.discord_runtime that records how it was started."""
    module = types.ModuleType(name)

    async def run(*args: Any, **_options: Any) -> None:
        calls.append((function, args))
        await asyncio.sleep(0)

    setattr(module, function, run)
    return module


def test_serve_starts_every_configured_platform_on_one_service(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, restore_logging: None
) -> None:
    calls: list[tuple[str, tuple[Any, ...]]] = []
    monkeypatch.setitem(sys.modules, "bot.slack_runtime", fake_runtime("bot.slack_runtime", "run_slack", calls))
    monkeypatch.setitem(
        sys.modules,
        "bot.discord_runtime",
        fake_runtime("bot.discord_runtime", "run_discord", calls),
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'serve.sqlite'}")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("DISCORD_TOKEN", "discord-test")
    assert serve_main([]) == 0
    assert sorted(name for name, _ in calls) == ["run_discord", "run_slack"]
    slack_args = dict(calls)["run_slack"]
    discord_args = dict(calls)["run_discord"]
    assert isinstance(slack_args[0], Settings) and isinstance(slack_args[1], ConversationService)
    assert discord_args[1] is slack_args[1]  # one service for every platform
    assert isinstance(discord_args[2], SqlStorage)
    assert (tmp_path / "serve.sqlite").exists()


def test_serve_warms_the_classifier_up_before_freezing_start_up_objects(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, restore_logging: None
) -> None:
    calls: list[tuple[str, tuple[Any, ...]]] = []
    order: list[str] = []
    monkeypatch.setitem(sys.modules, "bot.slack_runtime", fake_runtime("bot.slack_runtime", "run_slack", calls))
    monkeypatch.setattr("core.classifier.warm_up", lambda: order.append("warm up"))
    monkeypatch.setattr("bot.bootstrap.freeze_startup_objects", lambda: order.append("freeze"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'serve.sqlite'}")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    assert serve_main([]) == 0
    assert order == ["warm up", "freeze"]


def test_serve_with_only_slack_does_not_import_discord(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, restore_logging: None
) -> None:
    calls: list[tuple[str, tuple[Any, ...]]] = []
    monkeypatch.setitem(sys.modules, "bot.slack_runtime", fake_runtime("bot.slack_runtime", "run_slack", calls))
    monkeypatch.setitem(sys.modules, "bot.discord_runtime", None)  # importing it would fail
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'serve.sqlite'}")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    assert serve_main([]) == 0
    assert [name for name, _ in calls] == ["run_slack"]


async def test_purge_runs_at_start_and_again(storage: SqlStorage, tmp_path: Path) -> None:
    clock_now = [datetime(2026, 11, 27, tzinfo=UTC)]
    service = ConversationService(storage, clock=lambda: clock_now[0])
    conv = Conversation(platform="console", workspace="local", channel="console", user="me")
    old = await service.check(conv, "$500/month API budget")
    clock_now[0] += timedelta(days=200)
    settings = Settings.load(_env_file=None, perkcheck_retention_days=90)
    task = asyncio.create_task(purge_daily(service, settings, interval=0.01))
    try:
        for _ in range(200):
            if await storage.get_case(old.case_id or "") is None:
                break
            await asyncio.sleep(0.01)
        assert await storage.get_case(old.case_id or "") is None
        newer = await service.check(conv, "$500/month API budget")
        clock_now[0] += timedelta(days=91)
        for _ in range(200):  # the next round removes it without a restart
            if await storage.get_case(newer.case_id or "") is None:
                break
            await asyncio.sleep(0.01)
        assert await storage.get_case(newer.case_id or "") is None
    finally:
        # finish cancelling before the storage fixture closes the database under the task
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def test_json_logs_are_one_object_per_line(restore_logging: None) -> None:
    stream = io.StringIO()
    configure_logging(Settings.load(_env_file=None, log_format="json", log_level="INFO"), stream)
    logging.getLogger("perkcheck.test").info("hello %s", "world")
    logging.getLogger("perkcheck.test").debug("hidden")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert entry["message"] == "hello world" and entry["level"] == "INFO"
    assert entry["logger"] == "perkcheck.test"
    formatted = JsonLogFormatter().format(logging.LogRecord("x", logging.ERROR, __file__, 1, "boom", None, None))
    assert json.loads(formatted)["level"] == "ERROR"
