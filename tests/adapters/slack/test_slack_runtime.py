"""The runtime: Socket Mode on a local websocket stand-in, HTTP mode, /healthz, API retries."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_harness import SIGNING_SECRET, DownStorage, Slack, SlowStorage, make_bolt_app
from slack_standin import (
    BOT_USER_ID,
    TEAM_ID,
    SlackStandIn,
    event_body,
    sign,
    slash_command_body,
)

from bot.settings import Settings
from bot.slack_runtime import build_web_app, database_probe, run_slack
from core.classifier import classify
from core.service import ConversationService

OFFER = "$500/month API budget, work-only"


@contextlib.asynccontextmanager
async def running(settings: Settings, service: ConversationService) -> AsyncIterator[asyncio.Task[None]]:
    task = asyncio.create_task(run_slack(settings, service))
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def _settings(**values: Any) -> Settings:
    """Settings from these values only: no `.env` file, no Slack variables from the environment."""
    unset = {"slack_app_token": None, "slack_signing_secret": None, "slack_api_url": None}
    return Settings.load(_env_file=None, **{**unset, **values})


def _slash_envelope(envelope_id: str, response_url: str) -> dict[str, Any]:
    return {
        "envelope_id": envelope_id,
        "type": "slash_commands",
        "accepts_response_payload": True,
        "payload": {
            "token": "legacy",
            "team_id": TEAM_ID,
            "channel_id": "C0CHAN01",
            "user_id": "U0USER01",
            "command": "/perkcheck",
            "text": OFFER,
            "api_app_id": "A0APP001",
            "response_url": response_url,
            "trigger_id": "1.2.3",
        },
    }


def _mention_envelope(envelope_id: str) -> dict[str, Any]:
    event = {
        "type": "app_mention",
        "user": "U0USER01",
        "text": f"<@{BOT_USER_ID}> {OFFER}",
        "ts": "900.1",
        "channel": "C0CHAN01",
        "event_ts": "900.1",
    }
    return {
        "envelope_id": envelope_id,
        "type": "events_api",
        "accepts_response_payload": False,
        "retry_attempt": 0,
        "retry_reason": "",
        "payload": json.loads(event_body(event, event_id="EvSock1")),
    }


async def test_socket_mode_connects_and_acknowledges_envelopes(
    slack_api: SlackStandIn, service: ConversationService
) -> None:
    slack_api.envelopes_to_send = [
        _slash_envelope("env-1", slack_api.response_url("sock")),
        _mention_envelope("env-2"),
    ]
    settings = _settings(
        slack_bot_token="xoxb-test",
        slack_app_token="xapp-test",
        slack_api_url=slack_api.api_url,
    )
    async with running(settings, service):
        await slack_api.wait_for_socket_acks(2, within=10)
        posted = (await slack_api.wait_for("chat.postMessage"))[0].data

    acks = {ack["envelope_id"]: ack for ack in slack_api.socket_acks}
    assert set(acks) == {"env-1", "env-2"}
    command_ack = acks["env-1"]["payload"]
    assert command_ack["response_type"] == "ephemeral"
    assert classify(OFFER).label in json.dumps(command_ack["blocks"])
    assert posted["thread_ts"] == "900.1"
    opened = slack_api.of("apps.connections.open")[0]
    assert opened.headers["Authorization"] == "Bearer xapp-test"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_http_mode_serves_healthz_and_signed_commands(
    slack_api: SlackStandIn, service: ConversationService
) -> None:
    port = _free_port()
    settings = _settings(
        slack_bot_token="xoxb-test",
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=slack_api.api_url,
        port=port,
    )
    base = f"http://127.0.0.1:{port}"
    async with running(settings, service), aiohttp.ClientSession() as http:
        deadline = time.monotonic() + 10
        while True:
            try:
                async with http.get(f"{base}/healthz") as health:
                    assert health.status == 200
                    assert (await health.json()) == {"status": "ok"}
                    break
            except aiohttp.ClientConnectionError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.05)

        body = slash_command_body(OFFER, response_url=slack_api.response_url("h"))
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            **sign(SIGNING_SECRET, body),
        }
        async with http.post(f"{base}/slack/events", data=body, headers=headers) as response:
            assert response.status == 200
            ack = await response.json()
        async with http.post(f"{base}/slack/events", data=body, headers={"X-Slack-Signature": "v0=x"}) as bad:
            assert bad.status == 401

    assert ack["response_type"] == "ephemeral"
    assert classify(OFFER).label in json.dumps(ack["blocks"])


async def test_http_mode_needs_a_signing_secret(service: ConversationService) -> None:
    settings = _settings(slack_bot_token="xoxb-test")
    with pytest.raises(ValueError, match="SLACK_SIGNING_SECRET"):
        await run_slack(settings, service)


async def test_web_api_429_is_retried_after_retry_after(slack: Slack) -> None:
    slack.api.fail_next("chat.postMessage", 429, {"Retry-After": "0"})
    slack.api.fail_next("chat.postMessage", 503)
    dm = {
        "type": "message",
        "channel": "D0DM0001",
        "user": "U0USER01",
        "text": OFFER,
        "ts": "950.1",
        "channel_type": "im",
    }
    await slack.event(event_body(dm, event_id="Ev950"))

    calls = await slack.api.wait_for("chat.postMessage", count=3, within=10)
    assert len({call.data["text"] for call in calls}) == 1, "the same message, retried"
    assert slack.api.failures["chat.postMessage"] == [], "both failures were served and retried"


async def test_storage_down_still_gives_a_verdict_with_a_note(slack_api: SlackStandIn) -> None:

    app = make_bolt_app(ConversationService(DownStorage()), slack_api)  # type: ignore[arg-type]
    body = slash_command_body(OFFER, response_url=slack_api.response_url("down"))
    headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(SIGNING_SECRET, body)}

    response = await app.async_dispatch(AsyncBoltRequest(body=body, headers=headers))

    ack = json.loads(response.body)
    blocks = json.dumps(ack["blocks"])
    assert classify(OFFER).label in blocks
    assert "could not be saved" in blocks
    assert "perkcheck.answer" not in blocks, "no buttons for a case that was not stored"


async def test_readyz_reports_the_database(slack_api: SlackStandIn, storage: Any) -> None:

    app = make_bolt_app(ConversationService(storage), slack_api)
    probe = database_probe(ConversationService(storage))
    assert probe is not None

    async def database_down() -> bool:
        return False

    for ready, status in ((probe, 200), (database_down, 503)):
        client = TestClient(TestServer(build_web_app(app, ready), host="127.0.0.1", port=0))
        await client.start_server()
        try:
            assert (await client.get("/readyz")).status == status
            assert (await client.get("/healthz")).status == 200
        finally:
            await client.close()


async def test_shutdown_finishes_work_acknowledged_before_it(slack_api: SlackStandIn, storage: Any) -> None:
    """Cancelled mid-request (SIGTERM), HTTP mode still delivers a verdict it promised."""

    port = _free_port()
    settings = _settings(
        slack_bot_token="xoxb-test",
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=slack_api.api_url,
        port=port,
    )
    service = ConversationService(SlowStorage(storage, delay=2.0))  # type: ignore[arg-type]
    task = asyncio.create_task(run_slack(settings, service))
    body = slash_command_body(OFFER, response_url=slack_api.response_url("late"))
    headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(SIGNING_SECRET, body)}
    async with aiohttp.ClientSession() as http:
        deadline = time.monotonic() + 10
        while True:
            try:
                async with http.post(f"http://127.0.0.1:{port}/slack/events", data=body, headers=headers) as response:
                    assert "Checking" in await response.text()
                    break
            except aiohttp.ClientConnectionError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.05)

    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task

    posted = slack_api.of("response_url")
    assert len(posted) == 1, "the promised verdict went out before the runtime returned"
    assert classify(OFFER).label in json.dumps(posted[0].data["blocks"])


async def test_python_m_bot_serves_slack_and_stops_cleanly_on_sigterm(slack_api: SlackStandIn, tmp_path: Path) -> None:
    """The real entry point: `python -m bot` with Slack settings, in Socket Mode, then SIGTERM."""
    slack_api.envelopes_to_send = [_slash_envelope("env-main", slack_api.response_url("main"))]
    environment = {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-entry-point",
        "SLACK_APP_TOKEN": "xapp-entry-point",
        "SLACK_API_URL": slack_api.api_url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'perkcheck.db'}",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        env=environment,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await slack_api.wait_for_socket_acks(1, within=30)
    finally:
        process.send_signal(signal.SIGTERM)
        _out, err = await asyncio.wait_for(process.communicate(), 30)

    assert process.returncode == 0, err.decode()
    ack = slack_api.socket_acks[0]
    assert ack["envelope_id"] == "env-main"
    assert classify(OFFER).label in json.dumps(ack["payload"]["blocks"])
    assert b"xoxb-entry-point" not in err and b"xapp-entry-point" not in err, "tokens are never logged"
