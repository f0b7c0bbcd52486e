"""A local stand-in for Slack: the Web API, response_url endpoints and a Socket Mode websocket.

It binds 127.0.0.1 on port 0, records every call, and answers like Slack does for the methods
perkcheck uses. Tests poll `wait_for` instead of sleeping.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from aiohttp import WSMsgType, web

BOT_USER_ID = "UBOT0001"
BOT_ID = "BBOT0001"
TEAM_ID = "T0000001"


@dataclass
class Call:
    """One request the stand-in received: Web API method name (or `response_url`) and its data."""

    method: str
    data: dict[str, Any]
    headers: Mapping[str, str]


@dataclass
class SlackStandIn:
    """Slack's side of the wire, recording what the bot sent."""

    calls: list[Call] = field(default_factory=list)
    thread_messages: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    failures: dict[str, list[tuple[int, dict[str, str]]]] = field(default_factory=dict)
    socket_acks: list[dict[str, Any]] = field(default_factory=list)
    envelopes_to_send: list[dict[str, Any]] = field(default_factory=list)
    base_url: str = ""
    _runner: web.AppRunner | None = None
    _ts_counter: int = 0

    # --- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.add_routes(
            [
                web.route("*", "/api/{method}", self._api),
                web.post("/response/{hook}", self._response_url),
                web.get("/socket", self._socket),
            ]
        )
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def response_url(self, hook: str = "hook") -> str:
        return f"{self.base_url}/response/{hook}"

    # --- scripting and inspection ------------------------------------------------------------

    def fail_next(self, method: str, status: int, headers: dict[str, str] | None = None) -> None:
        """Answer the next call of `method` with `status` (e.g. 429 with Retry-After)."""
        self.failures.setdefault(method, []).append((status, headers or {}))

    def of(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    async def wait_for(self, method: str, count: int = 1, within: float = 5.0) -> list[Call]:
        """Poll until `count` calls of `method` arrived; fail with what did arrive otherwise."""
        deadline = time.monotonic() + within
        while len(self.of(method)) < count:
            if time.monotonic() > deadline:
                seen = [call.method for call in self.calls]
                raise AssertionError(f"expected {count} x {method} within {within}s; saw {seen}")
            await asyncio.sleep(0.01)
        return self.of(method)

    async def wait_for_socket_acks(self, count: int = 1, within: float = 5.0) -> None:
        deadline = time.monotonic() + within
        while len(self.socket_acks) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {count} socket acks; got {self.socket_acks}")
            await asyncio.sleep(0.01)

    # --- handlers ----------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        data = await _request_data(request)
        self.calls.append(Call(method, data, dict(request.headers)))
        pending = self.failures.get(method)
        if pending:
            status, headers = pending.pop(0)
            return web.json_response({"ok": False, "error": "ratelimited"}, status=status, headers=headers)
        return web.json_response(self._answer(method, data))

    def _answer(self, method: str, data: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://example.slack.com/",
                "team": "Example",
                "user": "perkcheck",
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
            }
        if method in ("chat.postMessage", "chat.update"):
            self._ts_counter += 1
            ts = data.get("ts") or f"1700000000.{self._ts_counter:06d}"
            return {"ok": True, "channel": data.get("channel"), "ts": ts, "message": data}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": "1700000000.999999"}
        if method == "conversations.replies":
            key = (str(data.get("channel")), str(data.get("ts")))
            return {"ok": True, "messages": self.thread_messages.get(key, []), "has_more": False}
        if method == "apps.connections.open":
            ws_url = self.base_url.replace("http://", "ws://") + "/socket"
            return {"ok": True, "url": ws_url}
        return {"ok": False, "error": "unknown_method"}

    async def _response_url(self, request: web.Request) -> web.Response:
        data = await request.json()
        self.calls.append(Call("response_url", data, dict(request.headers)))
        return web.Response(text="ok")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json({"type": "hello", "num_connections": 1, "debug_info": {}})
        for envelope in self.envelopes_to_send:
            await ws.send_json(envelope)
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                self.socket_acks.append(json.loads(message.data))
        return ws


async def _request_data(request: web.Request) -> dict[str, Any]:
    data: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        data.update(await request.json())
    elif request.can_read_body:
        data.update(dict(await request.post()))
    return data


# --- signed requests, as Slack sends them --------------------------------------------------------


def sign(secret: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    """The X-Slack-* headers for `body`, signed with `secret` at `timestamp` (default now)."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    base = f"v0:{stamp}:{body}".encode()
    signature = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature}


def slash_command_body(text: str, *, response_url: str, user: str = "U0USER01") -> str:
    return urlencode(
        {
            "token": "legacy",
            "team_id": TEAM_ID,
            "team_domain": "example",
            "channel_id": "C0CHAN01",
            "channel_name": "offers",
            "user_id": user,
            "user_name": "pat",
            "command": "/perkcheck",
            "text": text,
            "api_app_id": "A0APP001",
            "response_url": response_url,
            "trigger_id": "123.456.abc",
        }
    )


def interaction_body(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})


def block_action_payload(
    action_id: str,
    value: str,
    *,
    response_url: str,
    user: str = "U0USER01",
    ephemeral: bool = True,
    message_ts: str = "1700000000.000100",
    thread_ts: str | None = None,
) -> dict[str, Any]:
    container: dict[str, Any] = {
        "type": "message",
        "message_ts": message_ts,
        "channel_id": "C0CHAN01",
        "is_ephemeral": ephemeral,
    }
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user, "username": "pat", "team_id": TEAM_ID},
        "api_app_id": "A0APP001",
        "token": "legacy",
        "container": container,
        "trigger_id": "123.456.abc",
        "team": {"id": TEAM_ID, "domain": "example"},
        "channel": {"id": "C0CHAN01", "name": "offers"},
        "response_url": response_url,
        "actions": [
            {
                "action_id": action_id,
                "block_id": "answers",
                "text": {"type": "plain_text", "text": "button"},
                "value": value,
                "type": "button",
                "action_ts": "1700000001.000000",
            }
        ],
    }
    if not ephemeral:
        message: dict[str, Any] = {"type": "message", "ts": message_ts, "bot_id": BOT_ID}
        if thread_ts is not None:
            message["thread_ts"] = thread_ts
        payload["message"] = message
    return payload


def message_shortcut_payload(text: str, *, response_url: str, user: str = "U0USER01") -> dict[str, Any]:
    return {
        "type": "message_action",
        "callback_id": "perkcheck_check_message",
        "trigger_id": "123.456.abc",
        "message_ts": "1700000000.000200",
        "response_url": response_url,
        "team": {"id": TEAM_ID, "domain": "example"},
        "channel": {"id": "C0CHAN01", "name": "offers"},
        "user": {"id": user, "name": "pat"},
        "message": {"type": "message", "user": "U0OTHER1", "ts": "1700000000.000200", "text": text},
        "token": "legacy",
        "action_ts": "1700000002.000000",
    }


def event_body(event: dict[str, Any], *, event_id: str) -> str:
    return json.dumps(
        {
            "token": "legacy",
            "team_id": TEAM_ID,
            "api_app_id": "A0APP001",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": 1700000000,
            "authorizations": [
                {
                    "team_id": TEAM_ID,
                    "user_id": BOT_USER_ID,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
        }
    )
