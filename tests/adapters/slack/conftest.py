"""Fixtures: the Slack stand-in, and the bot driven over HTTP (aiohttp) or `async_dispatch`."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_harness import Response, Slack, make_bot
from slack_standin import SlackStandIn

from bot.slack_runtime import build_web_app
from core.service import ConversationService


@pytest.fixture
async def slack_api() -> AsyncIterator[SlackStandIn]:
    standin = SlackStandIn()
    await standin.start()
    yield standin
    await standin.stop()


@pytest.fixture(params=["http", "dispatch"])
async def slack(
    request: pytest.FixtureRequest, service: ConversationService, slack_api: SlackStandIn
) -> AsyncIterator[Slack]:
    """The real Bolt app on the real service, driven over HTTP (aiohttp) or `async_dispatch`."""
    bot = make_bot(service, slack_api)
    app = bot.app
    if request.param == "dispatch":

        async def dispatch(body: str, headers: dict[str, str]) -> Response:
            response = await app.async_dispatch(AsyncBoltRequest(body=body, headers=headers))
            return Response(response.status, response.body)

        yield Slack(slack_api, bot, dispatch)
        return
    client = TestClient(TestServer(build_web_app(app), host="127.0.0.1", port=0))
    await client.start_server()

    async def post(body: str, headers: dict[str, str]) -> Response:
        response = await client.post("/slack/events", data=body.encode(), headers=headers)
        return Response(response.status, await response.text())

    try:
        yield Slack(slack_api, bot, post)
    finally:
        await client.close()
