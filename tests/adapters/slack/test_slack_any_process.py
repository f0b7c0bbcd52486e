"""No state in the process: two bot instances on one database act as one bot.

Each instance has its own Bolt app, service and storage engine (its own connections), as two
processes would; a click or a retried event may land on either.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_harness import SIGNING_SECRET, make_bot
from slack_standin import (
    BOT_USER_ID,
    TEAM_ID,
    SlackStandIn,
    block_action_payload,
    event_body,
    interaction_body,
    sign,
    slash_command_body,
)

from adapters.slack._parsing import answer_action_id
from bot.slack_runtime import SlackBot
from bot.storage import SqlStorage
from core.service import ConversationService

OFFER = "$500/month API budget, work-only"


async def _dispatch(app: AsyncApp, body: str, content_type: str, **extra: str) -> Any:
    headers = {"Content-Type": content_type, **sign(SIGNING_SECRET, body), **extra}
    return await app.async_dispatch(AsyncBoltRequest(body=body, headers=headers))


async def _two_bots(
    storage_factory: Callable[[], SqlStorage], slack_api: SlackStandIn
) -> tuple[SlackBot, SlackBot, SqlStorage]:
    first, second = storage_factory(), storage_factory()
    await first.migrate()
    return (
        make_bot(ConversationService(first), slack_api),
        make_bot(ConversationService(second), slack_api),
        second,
    )


async def test_a_click_on_another_process_refines_the_case(
    storage_factory: Callable[[], SqlStorage], slack_api: SlackStandIn
) -> None:
    bot_a, bot_b, storage_b = await _two_bots(storage_factory, slack_api)
    command = slash_command_body(OFFER, response_url=slack_api.response_url("a"))
    await _dispatch(bot_a.app, command, "application/x-www-form-urlencoded")
    cases = await storage_b.list_cases("slack", TEAM_ID, "U0USER01", 10)
    assert len(cases) == 1

    click = block_action_payload(
        answer_action_id("top_up", "yes"), cases[0].id, response_url=slack_api.response_url("b")
    )
    await _dispatch(bot_b.app, interaction_body(click), "application/x-www-form-urlencoded")

    update = (await slack_api.wait_for("response_url"))[0].data
    refined = await storage_b.get_case(cases[0].id)
    assert refined is not None
    assert [(a.question_id, a.value) for a in refined.answers] == [("top_up", "yes")]
    assert refined.verdict.label in json.dumps(update["blocks"])


async def test_the_same_event_on_two_processes_posts_once(
    storage_factory: Callable[[], SqlStorage], slack_api: SlackStandIn
) -> None:
    bot_a, bot_b, _ = await _two_bots(storage_factory, slack_api)
    event = {
        "type": "app_mention",
        "user": "U0USER01",
        "text": f"<@{BOT_USER_ID}> {OFFER}",
        "ts": "700.1",
        "channel": "C0CHAN01",
        "event_ts": "700.1",
    }
    body = event_body(event, event_id="EvTwice")

    await _dispatch(bot_a.app, body, "application/json")
    await _dispatch(bot_b.app, body, "application/json", **{"X-Slack-Retry-Num": "1"})
    later = event_body({**event, "ts": "700.2", "event_ts": "700.2"}, event_id="EvLater")
    await _dispatch(bot_b.app, later, "application/json")

    for bot in (bot_a, bot_b):
        assert await bot.listeners.drain(10.0)
    posts = slack_api.of("chat.postMessage")
    assert [post.data["thread_ts"] for post in posts] == ["700.1", "700.2"]
