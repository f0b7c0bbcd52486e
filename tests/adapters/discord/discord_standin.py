"""A local stand-in for Discord: payload builders, a gateway (websocket) and a REST API.

Payload shapes follow https://discord.com/developers/docs (API v10): what discord.py 2.x
reads from the real service. Bound to port 0; reached through DISCORD_API_URL/GATEWAY_URL.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from adapters.discord.client import PerkcheckDiscord

APP_ID = 910000000000000001
BOT_ID = 910000000000000002
GUILD_ID = 920000000000000001
CHANNEL_ID = 930000000000000001
THREAD_ID = 930000000000000002
DM_CHANNEL_ID = 930000000000000003
ALICE_ID = 940000000000000001
BOB_ID = 940000000000000002
TIMESTAMP = "2026-11-27T09:00:00.000000+00:00"
MESSAGE_CONTENT_INTENT = 1 << 15

_ids = itertools.count(950000000000000001)


def next_id() -> int:
    return next(_ids)


def user(user_id: int, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": name,
        "global_name": name.title(),
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
    }


BOT_USER = user(BOT_ID, "perkcheck", bot=True)
ALICE = user(ALICE_ID, "alice")
BOB = user(BOB_ID, "bob")


def member(user_payload: dict[str, Any]) -> dict[str, Any]:
    return {
        "user": user_payload,
        "nick": None,
        "avatar": None,
        "roles": [],
        "joined_at": TIMESTAMP,
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "pending": False,
        "flags": 0,
        "permissions": "2147483647",
    }


def text_channel(channel_id: int = CHANNEL_ID) -> dict[str, Any]:
    return {
        "id": str(channel_id),
        "type": 0,
        "guild_id": str(GUILD_ID),
        "name": "offers",
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "topic": None,
        "last_message_id": None,
        "rate_limit_per_user": 0,
    }


def thread_channel(thread_id: int = THREAD_ID) -> dict[str, Any]:
    return {
        "id": str(thread_id),
        "type": 11,
        "guild_id": str(GUILD_ID),
        "name": "my offer",
        "parent_id": str(CHANNEL_ID),
        "owner_id": str(ALICE_ID),
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "message_count": 3,
        "member_count": 2,
        "flags": 0,
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": 1440,
            "archive_timestamp": TIMESTAMP,
            "locked": False,
        },
    }


def dm_channel() -> dict[str, Any]:
    return {"id": str(DM_CHANNEL_ID), "type": 1, "recipients": [ALICE], "last_message_id": None}


def guild() -> dict[str, Any]:
    return {
        "id": str(GUILD_ID),
        "name": "Offer Review",
        "icon": None,
        "owner_id": str(ALICE_ID),
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "roles": [
            {
                "id": str(GUILD_ID),
                "name": "@everyone",
                "color": 0,
                "hoist": False,
                "position": 0,
                "permissions": "2147483647",
                "managed": False,
                "mentionable": False,
                "flags": 0,
            }
        ],
        "emojis": [],
        "stickers": [],
        "features": [],
        "mfa_level": 0,
        "application_id": None,
        "system_channel_id": None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "vanity_url_code": None,
        "description": None,
        "banner": None,
        "premium_tier": 0,
        "preferred_locale": "en-US",
        "public_updates_channel_id": None,
        "nsfw_level": 0,
        "premium_progress_bar_enabled": False,
        "joined_at": TIMESTAMP,
        "large": False,
        "unavailable": False,
        "member_count": 3,
        "members": [member(BOT_USER)],
        "channels": [text_channel()],
        "threads": [thread_channel()],
        "voice_states": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
    }


def message(
    content: str,
    *,
    author: dict[str, Any] = ALICE,
    channel_id: int = CHANNEL_ID,
    guild_id: int | None = GUILD_ID,
    mentions: list[dict[str, Any]] | None = None,
    reference: dict[str, Any] | None = None,
    message_type: int = 0,
    message_id: int | None = None,
    embeds: list[dict[str, Any]] | None = None,
    components: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A message object as the gateway (MESSAGE_CREATE) and REST send it."""
    payload: dict[str, Any] = {
        "id": str(message_id or next_id()),
        "channel_id": str(channel_id),
        "author": author,
        "content": content,
        "timestamp": TIMESTAMP,
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": mentions or [],
        "mention_roles": [],
        "attachments": [],
        "embeds": embeds or [],
        "components": components or [],
        "pinned": False,
        "type": message_type,
        "flags": 0,
    }
    if guild_id is not None:
        payload["guild_id"] = str(guild_id)
        payload["member"] = {k: v for k, v in member(author).items() if k != "user"}
    if reference is not None:
        payload["message_reference"] = {
            "type": 0,
            "message_id": reference["id"],
            "channel_id": reference["channel_id"],
            "guild_id": str(guild_id) if guild_id else None,
        }
        payload["referenced_message"] = reference
    return payload


def _interaction_base(kind: int, *, channel: dict[str, Any], in_guild: bool, clicker: dict[str, Any]) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "id": str(next_id()),
        "application_id": str(APP_ID),
        "type": kind,
        "token": f"token-{next_id()}",
        "version": 1,
        "channel": channel,
        "channel_id": channel["id"],
        "app_permissions": "2147483647",
        "locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(GUILD_ID) if in_guild else "0"},
        "context": 0 if in_guild else 1,
        "attachment_size_limit": 10485760,
    }
    if in_guild:
        payload["guild_id"] = str(GUILD_ID)
        payload["guild_locale"] = "en-US"
        payload["guild"] = {"id": str(GUILD_ID), "locale": "en-US", "features": []}
        payload["member"] = member(clicker)
    else:
        payload["user"] = clicker
    return payload


def slash_command(
    name: str,
    options: dict[str, Any] | None = None,
    *,
    channel: dict[str, Any] | None = None,
    in_guild: bool = True,
    invoker: dict[str, Any] = ALICE,
) -> dict[str, Any]:
    """An APPLICATION_COMMAND interaction for a chat-input command."""
    kinds = {str: 3, bool: 5, int: 4}
    payload = _interaction_base(2, channel=channel or text_channel(), in_guild=in_guild, clicker=invoker)
    payload["data"] = {
        "id": str(next_id()),
        "name": name,
        "type": 1,
        "options": [
            {"name": key, "type": kinds[type(value)], "value": value} for key, value in (options or {}).items()
        ],
    }
    if in_guild:
        payload["data"]["guild_id"] = str(GUILD_ID)
    return payload


def message_command(name: str, target: dict[str, Any], *, invoker: dict[str, Any] = ALICE) -> dict[str, Any]:
    """An APPLICATION_COMMAND interaction for a message context-menu command."""
    payload = _interaction_base(2, channel=text_channel(), in_guild=True, clicker=invoker)
    payload["data"] = {
        "id": str(next_id()),
        "name": name,
        "type": 3,
        "target_id": target["id"],
        "guild_id": str(GUILD_ID),
        "resolved": {"messages": {target["id"]: target}},
    }
    return payload


def button_click(
    custom_id: str,
    on_message: dict[str, Any],
    *,
    clicker: dict[str, Any] = ALICE,
    in_guild: bool = True,
) -> dict[str, Any]:
    """A MESSAGE_COMPONENT interaction: a click on a button of `on_message`."""
    channel = text_channel() if in_guild else dm_channel()
    payload = _interaction_base(3, channel=channel, in_guild=in_guild, clicker=clicker)
    payload["data"] = {"custom_id": custom_id, "component_type": 2}
    payload["message"] = on_message
    return payload


class MemoryMeta:
    """A hand-written MetaStore: a dict, with the number of writes."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}
        self.writes = 0

    async def get_meta(self, key: str) -> str | None:
        return self.values.get(key)

    async def set_meta(self, key: str, value: str) -> None:
        self.values[key] = value
        self.writes += 1


#: The `run_client` fixture: `async with run_client(service, **options) as client: ...`
RunClient = Callable[..., contextlib.AbstractAsyncContextManager[PerkcheckDiscord]]


@dataclass
class Call:
    """One REST request the client made."""

    method: str
    path: str
    query: dict[str, str]
    body: Any


@dataclass
class StandIn:
    """Discord's gateway and REST API on 127.0.0.1:<port 0>."""

    refuse_message_content: bool = False
    calls: list[Call] = field(default_factory=list)
    identifies: list[dict[str, Any]] = field(default_factory=list)
    #: channel id -> messages, oldest first (served as history).
    channel_messages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: a status code to answer channel message posts with (e.g. 403 for a missing permission).
    channel_post_status: dict[str, int] = field(default_factory=dict)
    #: channel ids whose history the bot may not read (403, as without Read Message History).
    unreadable_channels: set[str] = field(default_factory=set)
    #: scripted failures, served in order to the first matching request: (method, path, status, body)
    failures: list[tuple[str, str, int, Any]] = field(default_factory=list)
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _sequences: dict[int, int] = field(default_factory=dict)
    _runner: web.AppRunner | None = None
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    port: int = 0

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{path:.*}", self._rest)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def close(self) -> None:
        for socket in list(self._sockets):
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _note(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def wait_for(self, predicate: Callable[[Call], bool], *, seconds: float = 10.0, count: int = 1) -> list[Call]:
        """The first `count` recorded calls matching `predicate`, waiting up to `seconds`."""

        def matching() -> list[Call]:
            return [call for call in self.calls if predicate(call)]

        async with asyncio.timeout(seconds), self._changed:
            await self._changed.wait_for(lambda: len(matching()) >= count)
        return matching()[:count]

    async def wait_connected(self, *, seconds: float = 10.0) -> None:
        async with asyncio.timeout(seconds), self._changed:
            await self._changed.wait_for(lambda: bool(self._sockets))

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a DISPATCH event to every connected client."""
        for socket in list(self._sockets):
            sequence = self._sequences[id(socket)] = self._sequences.get(id(socket), 0) + 1
            await socket.send_str(json.dumps({"op": 0, "t": event, "s": sequence, "d": data}))

    async def interact(self, payload: dict[str, Any]) -> None:
        await self.dispatch("INTERACTION_CREATE", payload)

    async def post_message(self, payload: dict[str, Any]) -> None:
        """A user posts a message: stored for history, and sent as MESSAGE_CREATE."""
        self.channel_messages.setdefault(payload["channel_id"], []).append(payload)
        await self.dispatch("MESSAGE_CREATE", payload)

    # --- gateway ------------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        await socket.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 45000}}))
        try:
            async for frame in socket:
                if frame.type != WSMsgType.TEXT:
                    break
                await self._on_gateway_frame(socket, json.loads(frame.data))
        finally:
            if socket in self._sockets:
                self._sockets.remove(socket)
        return socket

    async def _on_gateway_frame(self, socket: web.WebSocketResponse, frame: dict[str, Any]) -> None:
        if frame["op"] == 1:
            await socket.send_str(json.dumps({"op": 11}))
        elif frame["op"] == 2:
            identify = frame["d"]
            self.identifies.append(identify)
            if self.refuse_message_content and identify.get("intents", 0) & MESSAGE_CONTENT_INTENT:
                await socket.close(code=4014, message=b"Disallowed intent(s).")
                await self._note()
                return
            shard = identify.get("shard", [0, 1])
            self._sockets.append(socket)
            await self.dispatch(
                "READY",
                {
                    "v": 10,
                    "user": BOT_USER,
                    "guilds": [{"id": str(GUILD_ID), "unavailable": True}],
                    "session_id": f"session-{next_id()}",
                    "resume_gateway_url": self.gateway_url,
                    "shard": shard,
                    "application": {"id": str(APP_ID), "flags": 0},
                },
            )
            await self.dispatch("GUILD_CREATE", guild())
            await self._note()

    # --- REST ---------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.Response:
        body: Any = None
        if request.can_read_body:
            raw = await request.read()
            if request.content_type == "application/json":
                body = json.loads(raw)
            elif request.content_type.startswith("multipart/"):
                body = {"multipart": raw.decode(errors="replace")}
        path = "/" + request.match_info["path"]
        call = Call(request.method, path, dict(request.query), body)
        self.calls.append(call)
        failure = self._scripted_failure(call)
        if failure is not None:
            await self._note()
            return failure
        try:
            status, answer = self._answer(call)
        finally:
            await self._note()
        if answer is None:
            return web.Response(status=status)
        return web.Response(
            status=status,
            body=json.dumps(answer).encode(),
            headers={"Content-Type": "application/json"},
        )

    def fail_next(self, method: str, path: str, status: int, body: Any = None) -> None:
        """Answer the next `method path` request with `status` (429s carry Discord's headers)."""
        self.failures.append((method, path, status, body))

    def _scripted_failure(self, call: Call) -> web.Response | None:
        for index, (method, path, status, body) in enumerate(self.failures):
            if method == call.method and path == call.path:
                del self.failures[index]
                headers = {"Content-Type": "application/json"}
                if status == 429:  # as Discord sends it (discord.py needs `Via` to trust a 429)
                    body = body or {"message": "You are being rate limited.", "retry_after": 0.05, "global": False}
                    headers.update(
                        {
                            "Via": "1.1 google",
                            "Retry-After": "1",
                            "X-RateLimit-Limit": "5",
                            "X-RateLimit-Remaining": "0",
                            "X-RateLimit-Reset-After": str(body["retry_after"]),
                            "X-RateLimit-Bucket": "standin-bucket",
                            "X-RateLimit-Scope": "user",
                        }
                    )
                answer = body or {"message": "Server error (scripted)", "code": 0}
                return web.Response(status=status, body=json.dumps(answer).encode(), headers=headers)
        return None

    def _answer(self, call: Call) -> tuple[int, Any]:
        parts = call.path.strip("/").split("/")
        method = call.method
        if parts == ["users", "@me"] and method == "GET":
            return 200, BOT_USER
        if parts == ["oauth2", "applications", "@me"]:
            return 200, application()
        if parts == ["gateway", "bot"]:
            limit = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
            return 200, {"url": self.gateway_url, "shards": 1, "session_start_limit": limit}
        if parts[0] == "applications" and parts[-1] == "commands" and method == "PUT":
            return 200, [
                {
                    "description": "",
                    **command,
                    "id": str(next_id()),
                    "application_id": str(APP_ID),
                    "version": "1",
                    "default_member_permissions": None,
                }
                for command in call.body
            ]
        if parts[0] == "interactions" and parts[-1] == "callback":
            data = {"interaction": {"id": parts[1], "type": call.body.get("type")}}
            return 200, data
        if parts[0] == "webhooks" and method == "POST":
            return 200, self._bot_message(call.body, CHANNEL_ID)
        if parts[0] == "webhooks" and method == "PATCH":
            return 200, self._bot_message(call.body, CHANNEL_ID)
        if parts == ["users", "@me", "channels"]:
            return 200, dm_channel()
        if parts[0] == "channels" and parts[2:3] == ["messages"]:
            return self._channel_messages(call, parts)
        return 404, {"message": "Unknown route in stand-in", "code": 0}

    def _channel_messages(self, call: Call, parts: list[str]) -> tuple[int, Any]:
        channel_id = parts[1]
        stored = self.channel_messages.setdefault(channel_id, [])
        if call.method == "POST":
            status = self.channel_post_status.get(channel_id, 200)
            if status == 403:
                return 403, {"message": "Missing Permissions", "code": 50013}
            sent = self._bot_message(call.body, int(channel_id))
            stored.append(sent)
            return 200, sent
        if call.method == "DELETE":
            return 204, None
        if channel_id in self.unreadable_channels:
            return 403, {"message": "Missing Access", "code": 50001}
        if len(parts) == 4:
            found = [m for m in stored if m["id"] == parts[3]]
            return (200, found[0]) if found else (404, {"message": "Unknown Message", "code": 10008})
        before = call.query.get("before")
        limit = int(call.query.get("limit", "50"))
        older = [m for m in stored if before is None or int(m["id"]) < int(before)]
        return 200, list(reversed(older))[:limit]  # newest first, as Discord answers

    def _bot_message(self, body: Any, channel_id: int) -> dict[str, Any]:
        body = body if isinstance(body, dict) else {}
        return message(
            body.get("content") or "",
            author=BOT_USER,
            channel_id=channel_id,
            embeds=body.get("embeds"),
            components=body.get("components"),
        )

    # --- helpers for assertions ---------------------------------------------------------------

    def posts(self, prefix: str) -> list[Call]:
        return [call for call in self.calls if call.method == "POST" and call.path.startswith(prefix)]


def application() -> dict[str, Any]:
    return {
        "id": str(APP_ID),
        "name": "perkcheck",
        "description": "",
        "icon": None,
        "bot_public": True,
        "bot_require_code_grant": False,
        "owner": ALICE,
        "verify_key": "0" * 64,
        "flags": 0,
    }
