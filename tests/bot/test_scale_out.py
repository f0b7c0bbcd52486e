"""Two real `python -m bot web` processes on one PostgreSQL database act as one bot.

Each test runs the release phase (`python -m bot release`), then two web processes on free
loopback ports, with the Slack Web API pointed at a local stand-in.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp
import pytest
import sqlalchemy as sa
from bot_processes import (
    BotProcess,
    StartBots,
    case_id_of,
    message_text,
    offer_words,
    post_command,
    signed,
)
from slack_standin import BOT_USER_ID, SlackStandIn, block_action_payload, event_body, interaction_body

from adapters.slack._parsing import answer_action_id
from bot.storage import SqlStorage

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

OFFER = "$500/month API budget, work-only"
FORM = "application/x-www-form-urlencoded"


async def _click(http: aiohttp.ClientSession, bot: BotProcess, case_id: str, question: str, value: str) -> None:
    payload = block_action_payload(
        answer_action_id(question, value), case_id, response_url=bot.slack.response_url(f"click-{value}")
    )
    body = interaction_body(payload)
    async with http.post(bot.events_url, data=body, headers=signed(body, FORM)) as response:
        assert response.status == 200


async def test_a_command_on_one_process_and_clicks_on_both_refine_one_case(
    start_bots: StartBots, pg_database: str, slack_api: SlackStandIn
) -> None:
    a, b = await start_bots(pg_database)
    async with aiohttp.ClientSession() as http:
        status, ack = await post_command(http, a, OFFER)
        assert status == 200
        case_id = case_id_of(ack)
        assert case_id, ack
        await _click(http, b, case_id, "top_up", "yes")  # process B
        [first] = await slack_api.wait_for("response_url", within=15)
        await _click(http, a, case_id, "expiry", "rolls_over")  # back on A
        [_, second] = await slack_api.wait_for("response_url", count=2, within=15)

    storage = SqlStorage(pg_database)
    try:
        case = await storage.get_case(case_id)
    finally:
        await storage.close()
    assert case is not None
    answers = [(answer.question_id, answer.value) for answer in case.answers]
    assert answers == [("top_up", "yes"), ("expiry", "rolls_over")]
    assert case.version == 3, "created at 1, then one write per answer on the same row"
    assert first.data["replace_original"] is True
    assert "What changed" in message_text(first.data)
    assert case.verdict.label in message_text(second.data)


async def test_the_same_event_delivered_to_both_processes_posts_one_reply(
    start_bots: StartBots, pg_database: str, slack_api: SlackStandIn
) -> None:
    a, b = await start_bots(pg_database)
    events = 8
    async with aiohttp.ClientSession() as http:

        async def deliver(bot: BotProcess, number: int, retry: bool) -> int:
            event = {
                "type": "app_mention",
                "user": "U0USER01",
                "text": f"<@{BOT_USER_ID}> {OFFER}",
                "ts": f"800.{number}",
                "channel": "C0CHAN01",
                "event_ts": f"800.{number}",
            }
            body = event_body(event, event_id=f"EvBoth{number}")
            extra = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"} if retry else {}
            async with http.post(bot.events_url, data=body, headers=signed(body, "application/json", **extra)) as r:
                return r.status

        # each event reaches both processes at once: the original on one, Slack's retry on the other
        statuses = await asyncio.gather(
            *(deliver(bot, n, retry) for n in range(events) for bot, retry in ((a, n % 2 == 1), (b, n % 2 == 0)))
        )
    assert statuses == [200] * (2 * events)
    # graceful shutdown finishes whatever was acknowledged, so every post has happened by now
    assert await a.terminate() == 0
    assert await b.terminate() == 0
    posts = slack_api.of("chat.postMessage")
    assert sorted(post.data["thread_ts"] for post in posts) == sorted(f"800.{n}" for n in range(events))


async def test_the_rate_limit_is_shared_by_the_processes(
    start_bots: StartBots, pg_database: str, slack_api: SlackStandIn
) -> None:
    a, b = await start_bots(pg_database, rate_limit=5)
    if time.time() % 60 > 55:  # keep all eight checks in one minute window
        await asyncio.sleep(60.5 - time.time() % 60)
    async with aiohttp.ClientSession() as http:
        acks: list[dict[str, Any]] = []
        for number in range(8):
            status, ack = await post_command(http, (a, b)[number % 2], f"${number + 100}/month API budget, work-only")
            assert status == 200
            acks.append(ack)
    stored = [ack for ack in acks if case_id_of(ack)]
    limited = [ack for ack in acks if "my limit per person" in message_text(ack)]
    assert (len(stored), len(limited)) == (5, 3), [message_text(ack)[:120] for ack in acks]
    assert acks[5:] == limited, "the sixth check is refused, on whichever process it lands"


async def test_2000_signed_commands_at_32_in_flight_across_two_processes(
    start_bots: StartBots, pg_database: str, slack_api: SlackStandIn
) -> None:
    bots = await start_bots(pg_database)
    total, in_flight = 2000, 32
    numbers = iter(range(total))
    problems: list[str] = []
    case_ids: set[str] = set()
    checking = 0
    started = time.monotonic()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=in_flight)) as http:

        async def worker() -> None:
            nonlocal checking
            for number in numbers:
                if time.monotonic() - started > 150:
                    problems.append("time budget exceeded")
                    return
                text = f"${number + 1}/month AI credits LOADWORD, work-only"
                status, ack = await post_command(http, bots[number % 2], text, user=f"U{number:07d}", hook=f"l{number}")
                case_id = case_id_of(ack)
                if status != 200:
                    problems.append(f"{number}: HTTP {status}")
                elif case_id:
                    case_ids.add(case_id)
                elif "Checking" in message_text(ack):
                    checking += 1  # the verdict follows through response_url
                else:
                    problems.append(f"{number}: {message_text(ack)[:200]}")

        await asyncio.gather(*(worker() for _ in range(in_flight)))
        if checking:
            await slack_api.wait_for("response_url", count=checking, within=30)
    assert problems == []
    for bot in bots:
        assert await bot.terminate() == 0
        assert bot.messages("ERROR") == [], bot.log_text()
        assert offer_words(bot.records, ["LOADWORD", "AI credits"]) == [], "offer text never reaches the log"

    storage = SqlStorage(bots[0].database_url)
    try:
        async with storage.engine.connect() as conn:
            stored = (await conn.execute(sa.text("SELECT count(*) FROM cases"))).scalar_one()
    finally:
        await storage.close()
    assert stored == total
    assert len(case_ids) + checking == total
