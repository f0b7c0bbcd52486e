"""Discord REST answering 429 (rate limited) and 5xx: discord.py waits and retries; the bot carries on."""

from __future__ import annotations

from typing import Any

from discord_standin import DM_CHANNEL_ID, RunClient, StandIn, message

from core.service import ConversationService

OFFER = "$500/month API budget, work-only"


def dm_post(call: Any) -> bool:
    return call.method == "POST" and call.path == f"/channels/{DM_CHANNEL_ID}/messages"


async def test_rest_429_and_5xx_are_retried_and_the_bot_keeps_serving(
    standin: StandIn, run_client: RunClient, service: ConversationService
) -> None:
    path = f"/channels/{DM_CHANNEL_ID}/messages"
    standin.fail_next("POST", path, 429)
    standin.fail_next("POST", path, 502)
    async with run_client(service) as client:
        await standin.post_message(message(OFFER, channel_id=DM_CHANNEL_ID, guild_id=None))
        attempts = await standin.wait_for(dm_post, count=3, seconds=15)
        # the same reply, sent three times: rate limited, server error, then delivered
        assert len({str(call.body) for call in attempts}) == 1
        assert standin.failures == []

        await standin.post_message(message("it rolls over", channel_id=DM_CHANNEL_ID, guild_id=None))
        await standin.wait_for(dm_post, count=4, seconds=10)
        assert not client.is_closed()
        assert await client.answer_handler.drain(5.0), "every handler finished"
