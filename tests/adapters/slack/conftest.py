"""Fixtures: the Slack stand-in, the real Bolt app on the real service, a signed client."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_standin import SlackStandIn, interaction_body, sign, slash_command_body

from bot.slack_runtime import build_bolt_app, build_web_app, build_web_client
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
    app: AsyncApp
    send_raw: Send

    async def send(
        self, body: str, *, content_type: str, extra: dict[str, str] | None = None
    ) -> Response:
        headers = {"Content-Type": content_type, **sign(SIGNING_SECRET, body), **(extra or {})}
        return await self.send_raw(body, headers)

    async def command(self, text: str, *, user: str = "U0USER01", hook: str = "cmd") -> Response:
        body = slash_command_body(text, response_url=self.api.response_url(hook), user=user)
        return await self.send(body, content_type="application/x-www-form-urlencoded")

    async def interact(self, payload: dict[str, Any]) -> Response:
        return await self.send(
            interaction_body(payload), content_type="application/x-www-form-urlencoded"
        )

    async def event(self, body: str, *, retry_num: int | None = None) -> Response:
        extra = (
            {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
            if retry_num
            else {}
        )
        return await self.send(body, content_type="application/json", extra=extra)


@pytest.fixture
async def slack_api() -> AsyncIterator[SlackStandIn]:
    standin = SlackStandIn()
    await standin.start()
    yield standin
    await standin.stop()


def make_bolt_app(service: ConversationService, api: SlackStandIn) -> AsyncApp:
    client = build_web_client("xoxb-test-token", api.api_url)
    return build_bolt_app(service, client=client, signing_secret=SIGNING_SECRET).app


@pytest.fixture(params=["http", "dispatch"])
async def slack(
    request: pytest.FixtureRequest, service: ConversationService, slack_api: SlackStandIn
) -> AsyncIterator[Slack]:
    """The real Bolt app on the real service, driven over HTTP (aiohttp) or `async_dispatch`."""
    app = make_bolt_app(service, slack_api)
    if request.param == "dispatch":

        async def dispatch(body: str, headers: dict[str, str]) -> Response:
            response = await app.async_dispatch(AsyncBoltRequest(body=body, headers=headers))
            return Response(response.status, response.body)

        yield Slack(slack_api, app, dispatch)
        return
    client = TestClient(TestServer(build_web_app(app), host="127.0.0.1", port=0))
    await client.start_server()

    async def post(body: str, headers: dict[str, str]) -> Response:
        response = await client.post("/slack/events", data=body.encode(), headers=headers)
        return Response(response.status, await response.text())

    try:
        yield Slack(slack_api, app, post)
    finally:
        await client.close()
