"""The bot under test: the real Bolt app on the real service, driven with signed requests."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_standin import SlackStandIn, interaction_body, sign, slash_command_body

from bot.slack_runtime import SlackBot, build_bolt_app, build_web_client
from core.service import ConversationService

SIGNING_SECRET = "test-signing-secret"


@dataclass
class Response:
    status: int
    body: str

    def json(self) -> dict[str, Any]:
        return json.loads(self.body)  # type: ignore[no-any-return]


Send = Callable[[str, dict[str, str]], Awaitable[Response]]


@dataclass
class Slack:
    """Drives the bot like Slack does: signed requests in, Web API calls recorded by `api`."""

    api: SlackStandIn
    bot: SlackBot
    send_raw: Send

    async def settle(self) -> None:
        """Wait until every listener finished the work it does after its ack."""
        assert await self.bot.listeners.drain(10.0)

    async def send(self, body: str, *, content_type: str, extra: dict[str, str] | None = None) -> Response:
        headers = {"Content-Type": content_type, **sign(SIGNING_SECRET, body), **(extra or {})}
        return await self.send_raw(body, headers)

    async def command(self, text: str, *, user: str = "U0USER01", hook: str = "cmd") -> Response:
        body = slash_command_body(text, response_url=self.api.response_url(hook), user=user)
        return await self.send(body, content_type="application/x-www-form-urlencoded")

    async def interact(self, payload: dict[str, Any]) -> Response:
        return await self.send(interaction_body(payload), content_type="application/x-www-form-urlencoded")

    async def event(self, body: str, *, retry_num: int | None = None) -> Response:
        extra = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"} if retry_num else {}
        return await self.send(body, content_type="application/json", extra=extra)


def make_bot(service: ConversationService, api: SlackStandIn) -> SlackBot:
    """The Bolt app and its listeners (whose `drain()` waits for work after the ack)."""
    client = build_web_client("xoxb-test-token", api.api_url)
    return build_bolt_app(service, client=client, signing_secret=SIGNING_SECRET)


def make_bolt_app(service: ConversationService, api: SlackStandIn) -> AsyncApp:
    return make_bot(service, api).app


class SlowStorage:
    """A real storage whose case creation takes `delay` seconds (a database under load)."""

    def __init__(self, inner: Any, *, delay: float) -> None:
        self._inner = inner
        self._delay = delay

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    async def create_case(self, case: Any) -> None:
        await asyncio.sleep(self._delay)
        await self._inner.create_case(case)


class DownStorage:
    """A storage whose database is unreachable: every call fails."""

    def __getattr__(self, name: str) -> Any:
        async def unavailable(*_args: Any, **_kwargs: Any) -> Any:
            raise ConnectionRefusedError(f"database unavailable ({name})")

        return unavailable
