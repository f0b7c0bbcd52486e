"""Process roles (`python -m bot web|worker|release`), request ids in the logs, the worker on SIGTERM."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import signal
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from bot_processes import clean_environment
from discord_standin import BOT_USER, CHANNEL_ID, DM_CHANNEL_ID, StandIn, message, slash_command
from slack_harness import SIGNING_SECRET, make_bot
from slack_standin import SlackStandIn, event_body, sign

from bot.bootstrap import configure_logging, serve_main
from bot.settings import Settings
from bot.slack_runtime import REQUEST_ID_HEADER, build_web_app
from core.requestlog import bind_request, current_request, reset_request, safe_request_id
from core.service import ConversationService

SETTING_NAMES = ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "DISCORD_TOKEN", "DATABASE_URL")


@pytest.fixture
def clean(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    for name in SETTING_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'roles.sqlite'}")
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def _record_starts(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any]]]:
    started: list[tuple[str, dict[str, Any]]] = []
    for module_name, function in (("bot.slack_runtime", "run_slack"), ("bot.discord_runtime", "run_discord")):
        module = types.ModuleType(module_name)

        async def run(*_args: Any, _name: str = function, **options: Any) -> None:
            started.append((_name, options))
            await asyncio.sleep(0)

        setattr(module, function, run)
        monkeypatch.setitem(sys.modules, module_name, module)
    return started


def test_web_runs_slack_http_mode_only(clean: None, monkeypatch: pytest.MonkeyPatch) -> None:
    started = _record_starts(monkeypatch)
    for name, value in (("SLACK_BOT_TOKEN", "xoxb-t"), ("SLACK_SIGNING_SECRET", "s"), ("SLACK_APP_TOKEN", "xapp-t")):
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DISCORD_TOKEN", "d")
    assert serve_main(["web"]) == 0
    assert started == [("run_slack", {"mode": "http"})], "no Socket Mode and no Discord in a web process"


def test_worker_runs_socket_mode_and_discord(clean: None, monkeypatch: pytest.MonkeyPatch) -> None:
    started = _record_starts(monkeypatch)
    for name, value in (("SLACK_BOT_TOKEN", "xoxb-t"), ("SLACK_SIGNING_SECRET", "s"), ("SLACK_APP_TOKEN", "xapp-t")):
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DISCORD_TOKEN", "d")
    assert serve_main(["worker"]) == 0
    assert sorted(name for name, _ in started) == ["run_discord", "run_slack"]
    assert dict(started)["run_slack"] == {"mode": "socket"}


def test_roles_name_the_settings_they_miss(
    clean: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _record_starts(monkeypatch)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-t")
    assert serve_main(["web"]) == 2
    assert "SLACK_SIGNING_SECRET" in capsys.readouterr().err
    assert serve_main(["worker"]) == 2  # a bot token alone: no Socket Mode, no Discord
    assert "SLACK_APP_TOKEN" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        serve_main(["cron"])


def test_release_migrates_and_exits(clean: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert serve_main(["release"]) == 0
    assert "Database is up to date" in capsys.readouterr().out
    assert (tmp_path / "roles.sqlite").exists()


def test_log_lines_carry_the_request_id(monkeypatch: pytest.MonkeyPatch) -> None:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        for log_format in ("json", "text"):
            stream = io.StringIO()
            configure_logging(Settings.load(_env_file=None, log_format=log_format), stream=stream)
            token = bind_request(platform="slack", request_id="req-123", event_id="Ev1")
            try:
                logging.getLogger("perkcheck.test").warning("inside")
            finally:
                reset_request(token)
            logging.getLogger("perkcheck.test").warning("outside")
            inside, outside = stream.getvalue().splitlines()
            if log_format == "json":
                assert json.loads(inside)["request_id"] == "req-123"
                assert json.loads(inside)["event_id"] == "Ev1"
                assert "request_id" not in json.loads(outside)
            else:
                assert inside.endswith("inside [request_id=req-123]")
                assert outside.endswith("outside")
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


def test_only_plain_short_request_ids_are_taken_from_outside() -> None:
    assert safe_request_id("a1b2-c3.d4:e5_f6") == "a1b2-c3.d4:e5_f6"
    for bad in (None, "", "x" * 65, "has space", "new\nline", "<script>"):
        assert safe_request_id(bad) is None


async def test_http_mode_echoes_a_request_id_and_logs_under_it(
    slack_api: SlackStandIn, service: ConversationService
) -> None:
    bot = make_bot(service, slack_api)
    seen: list[Any] = []

    async def spy(next: Any) -> None:  # runs after perkcheck's own middleware
        seen.append(current_request())
        await next()

    bot.app.use(spy)
    client = TestClient(TestServer(build_web_app(bot.app), host="127.0.0.1", port=0))
    await client.start_server()
    try:
        dm = {"type": "message", "channel": "D1", "user": "U1", "text": "help", "ts": "1.1", "channel_type": "im"}
        body = event_body(dm, event_id="EvReq1")
        headers = {"Content-Type": "application/json", **sign(SIGNING_SECRET, body)}
        given = await client.post("/slack/events", data=body, headers={**headers, REQUEST_ID_HEADER: "lb-42"})
        fresh = await client.post("/slack/events", data=body, headers={**headers, REQUEST_ID_HEADER: "bad id!"})
    finally:
        await client.close()
    assert given.headers[REQUEST_ID_HEADER] == "lb-42"
    assert fresh.headers[REQUEST_ID_HEADER] not in ("lb-42", "bad id!")
    assert [(c.request_id, c.platform, c.event_id) for c in seen] == [
        ("lb-42", "slack", "EvReq1"),
        (fresh.headers[REQUEST_ID_HEADER], "slack", "EvReq1"),
    ]
    assert current_request() is None, "nothing leaks out of a request"


@pytest.mark.slow
async def test_python_m_bot_worker_serves_discord_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    """The Procfile's worker: a real `python -m bot worker` on the Discord stand-in, then SIGTERM."""
    standin = StandIn()
    await standin.start()
    standin.channel_post_status[str(CHANNEL_ID)] = 403  # a mention it may not answer: logged
    environment = clean_environment(
        DISCORD_TOKEN="discord-worker-token",
        DISCORD_API_URL=standin.api_url,
        DISCORD_GATEWAY_URL=standin.gateway_url,
        DISCORD_MESSAGE_CONTENT="false",
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'perkcheck.db'}",
        LOG_FORMAT="json",
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "worker",
        env=environment,
        cwd=tmp_path,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await standin.wait_connected(seconds=40)
        await standin.interact(slash_command("perkcheck", {"text": "$500/month API budget, work-only"}))
        [answer] = await standin.wait_for(lambda call: call.path.endswith("/callback"), seconds=20)
        mention = message(f"<@{BOT_USER['id']}> $400/month API budget SECRETWORD", mentions=[BOT_USER])
        await standin.post_message(mention)
        await standin.wait_for(lambda call: call.path == f"/channels/{DM_CHANNEL_ID}/messages", seconds=20)
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(process.communicate(), 40)
        await standin.close()

    assert process.returncode == 0, err.decode()
    assert "Operating cost" in json.dumps(answer.body)
    records = [json.loads(line) for line in err.decode().splitlines() if line.startswith("{")]
    [warning] = [r for r in records if "Missing Discord permission" in r["message"]]
    assert warning["platform"] == "discord"
    assert warning["request_id"] == mention["id"]
    assert warning["event_id"] == f"discord:message:{mention['id']}"
    assert any("stop requested" in r["message"] for r in records)
    assert b"SECRETWORD" not in err and b"discord-worker-token" not in err
