"""The real discord.py client against the local gateway + REST stand-in."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from discord_standin import (
    ALICE,
    ALICE_ID,
    APP_ID,
    BOB,
    BOT_USER,
    CHANNEL_ID,
    DM_CHANNEL_ID,
    GUILD_ID,
    MESSAGE_CONTENT_INTENT,
    THREAD_ID,
    Call,
    MemoryMeta,
    RunClient,
    StandIn,
    button_click,
    message,
    message_command,
    slash_command,
)

from adapters.discord._parsing import conversation
from bot.discord_runtime import run_discord
from bot.settings import Settings
from bot.storage import SqlStorage
from core.service import ConversationService

OFFER = "$500/month API budget, work-only"
MENTION = f"<@{BOT_USER['id']}>"
NO_PINGS = {"parse": []}


def is_callback(call: Call) -> bool:
    return call.path.endswith("/callback")


def channel_post(channel_id: int) -> Any:
    return lambda call: call.method == "POST" and call.path == f"/channels/{channel_id}/messages"


def embed_of(body: dict[str, Any]) -> dict[str, Any]:
    data = body.get("data", body)
    [embed] = data["embeds"]
    return embed


def field_names(embed: dict[str, Any]) -> list[str]:
    return [field["name"] for field in embed.get("fields", [])]


def custom_ids(body: dict[str, Any]) -> list[str]:
    data = body.get("data", body)
    return [item["custom_id"] for row in data.get("components", []) for item in row["components"]]


async def test_slash_command_answers_privately_with_verdict_and_buttons(
    standin: StandIn, run_client: RunClient, service: ConversationService
) -> None:
    async with run_client(service):
        await standin.interact(slash_command("perkcheck", {"text": OFFER}))
        [call] = await standin.wait_for(is_callback)

    assert call.query == {"with_response": "1"}
    assert call.body["type"] == 4  # CHANNEL_MESSAGE_WITH_SOURCE, answered directly
    data = call.body["data"]
    assert data["flags"] == 64  # ephemeral
    assert data["allowed_mentions"] == NO_PINGS
    embed = embed_of(call.body)
    assert embed["title"] == "Operating cost"
    assert "$6,000 a year" in embed["description"]
    assert any("work-only" in field["value"] for field in embed["fields"])
    *answers, up, down = custom_ids(call.body)
    assert answers  # buttons for the open questions, then 👍/👎
    assert all(cid.startswith("perkcheck:a:") for cid in answers)
    assert (up.rsplit(":", 1)[1], down.rsplit(":", 1)[1]) == ("up", "down")
    assert up.startswith("perkcheck:f:")


async def test_shared_slash_command_is_public(
    standin: StandIn, run_client: RunClient, service: ConversationService
) -> None:
    async with run_client(service):
        await standin.interact(slash_command("perkcheck", {"text": OFFER, "share": True}))
        [call] = await standin.wait_for(is_callback)
    assert not call.body["data"].get("flags", 0) & 64  # not ephemeral
    assert call.body["data"]["allowed_mentions"] == NO_PINGS


async def test_button_click_after_restart_records_answer_and_edits_message(
    standin: StandIn, run_client: RunClient, storage: SqlStorage, meta: MemoryMeta
) -> None:
    async with run_client(ConversationService(storage)):
        await standin.interact(slash_command("perkcheck", {"text": OFFER}))
        [first] = await standin.wait_for(is_callback)
    sent = first.body["data"]
    [rolls_over] = [cid for cid in custom_ids(first.body) if cid.endswith(":expiry:rolls_over")]
    on_message = message("", author=BOT_USER, embeds=sent["embeds"], components=sent["components"])
    on_message["flags"] = 64

    # a new process: fresh client and service on the same database
    async with run_client(ConversationService(storage)):
        await standin.interact(button_click(rolls_over, on_message))
        [_, second] = await standin.wait_for(is_callback, count=2)

    assert second.body["type"] == 7  # UPDATE_MESSAGE: the same message, edited
    data = second.body["data"]
    assert data["allowed_mentions"] == NO_PINGS
    embed = embed_of(second.body)
    assert field_names(embed)[0] == "What changed"
    assert not any(cid.split(":")[3] == "expiry" for cid in custom_ids(second.body))
    assert any(cid.split(":")[3] == "top_up" for cid in custom_ids(second.body))
    assert meta.writes == 1  # commands synced on the first start only


async def test_thread_mention_reads_history_and_later_mentions_refine(
    standin: StandIn, run_client: RunClient, service: ConversationService
) -> None:
    standin.channel_messages[str(THREAD_ID)] = [
        message(f"They offered me {OFFER}. Good deal?", channel_id=THREAD_ID),
        message("no idea, ask the bot", author=BOB, channel_id=THREAD_ID),
    ]
    async with run_client(service):
        await standin.post_message(
            message(
                f"{MENTION} what do you think?",
                author=BOB,
                channel_id=THREAD_ID,
                mentions=[BOT_USER],
            )
        )
        [first] = await standin.wait_for(channel_post(THREAD_ID))
        history = [c for c in standin.calls if c.method == "GET" and c.path == f"/channels/{THREAD_ID}/messages"]
        assert history, "the thread's earlier messages were read"

        await standin.post_message(message(f"{MENTION} it rolls over", channel_id=THREAD_ID, mentions=[BOT_USER]))
        [_, second] = await standin.wait_for(channel_post(THREAD_ID), count=2)

    assert embed_of(first.body)["title"] == "Operating cost"
    assert first.body["allowed_mentions"] == NO_PINGS
    assert "What changed" in field_names(embed_of(second.body))
    assert second.body["allowed_mentions"] == NO_PINGS

    # BOB's case holds ALICE's words, line by line with their authors; ALICE's forget takes hers out
    [case] = await service.storage.list_cases("discord", str(GUILD_ID), str(BOB["id"]), 10)
    assert [part.user for part in case.parts] == [str(ALICE_ID), str(BOB["id"]), str(BOB["id"])]
    assert OFFER in case.text
    forgotten = await service.forget(conversation(guild_id=GUILD_ID, channel_id=CHANNEL_ID, user_id=ALICE_ID))
    assert forgotten.kind == "forgotten"
    kept = await service.storage.get_case(case.id)
    assert kept is not None and kept.user == str(BOB["id"])
    assert kept.text == "no idea, ask the bot\nwhat do you think?"
    assert all(part.user == str(BOB["id"]) for part in kept.parts)


async def test_reply_mention_reads_the_replied_to_message(
    standin: StandIn, run_client: RunClient, service: ConversationService
) -> None:
    offer = message(f"Offer says: {OFFER}")
    standin.channel_messages[str(CHANNEL_ID)] = [offer]
    async with run_client(service):
        mention = message(f"{MENTION} pay or not?", author=BOB, mentions=[BOT_USER], reference=offer)
        await standin.post_message(mention)
        [call] = await standin.wait_for(channel_post(CHANNEL_ID))

    assert embed_of(call.body)["title"] == "Operating cost"
    assert str(call.body["message_reference"]["message_id"]) == mention["id"]
    assert call.body["allowed_mentions"]["parse"] == []


async def test_dm_answer_refines_the_case(
    standin: StandIn, run_client: RunClient, service: ConversationService
) -> None:
    async with run_client(service):
        await standin.post_message(message(OFFER, channel_id=DM_CHANNEL_ID, guild_id=None))
        [first] = await standin.wait_for(channel_post(DM_CHANNEL_ID))
        await standin.post_message(message("it rolls over", channel_id=DM_CHANNEL_ID, guild_id=None))
        [_, second] = await standin.wait_for(channel_post(DM_CHANNEL_ID), count=2)

    assert embed_of(first.body)["title"] == "Operating cost"
    changed = embed_of(second.body)
    assert field_names(changed)[0] == "What changed"
    assert second.body["allowed_mentions"]["parse"] == []


async def test_context_menu_checks_any_message_privately(
    standin: StandIn, run_client: RunClient, service: ConversationService
) -> None:
    target = message(f"my offer: {OFFER}", author=BOB)
    async with run_client(service):
        await standin.interact(message_command("Check this offer", target))
        [call] = await standin.wait_for(is_callback)
    assert call.body["data"]["flags"] == 64
    assert embed_of(call.body)["title"] == "Operating cost"


async def test_rate_limit_is_answered_privately(standin: StandIn, run_client: RunClient, storage: SqlStorage) -> None:
    service = ConversationService(storage, rate_limit_per_minute=1)
    async with run_client(service):
        await standin.interact(slash_command("perkcheck", {"text": OFFER, "share": True}))
        await standin.wait_for(is_callback)
        await standin.interact(slash_command("perkcheck", {"text": OFFER, "share": True}))
        [_, limited] = await standin.wait_for(is_callback, count=2)

        await standin.post_message(message(f"{MENTION} {OFFER}", mentions=[BOT_USER]))
        await standin.wait_for(channel_post(DM_CHANNEL_ID))

    assert limited.body["data"]["flags"] == 64
    assert "in a minute" in limited.body["data"]["content"]
    assert not standin.posts(f"/channels/{CHANNEL_ID}/messages")  # nothing public
    assert any(c.path == "/users/@me/channels" for c in standin.calls)


async def test_missing_permission_logs_warning_and_notes_privately(
    standin: StandIn,
    run_client: RunClient,
    service: ConversationService,
    caplog: pytest.LogCaptureFixture,
) -> None:
    standin.channel_post_status[str(CHANNEL_ID)] = 403
    with caplog.at_level(logging.WARNING, logger="adapters.discord"):
        async with run_client(service) as client:
            await standin.post_message(message(f"{MENTION} {OFFER}", mentions=[BOT_USER]))
            [note] = await standin.wait_for(channel_post(DM_CHANNEL_ID))
            assert not client.is_closed()
    assert "Send Messages" in note.body["content"]
    assert any("Missing Discord permission" in record.getMessage() for record in caplog.records)
    assert OFFER not in caplog.text


async def test_commands_sync_only_when_their_definition_changes(
    standin: StandIn, run_client: RunClient, service: ConversationService, meta: MemoryMeta
) -> None:
    def syncs() -> list[Call]:
        return [c for c in standin.calls if c.method == "PUT" and c.path.endswith("/commands")]

    async with run_client(service):
        pass
    async with run_client(service):
        pass
    assert len(syncs()) == 1
    meta.values = {key: "hash of an older definition" for key in meta.values}
    async with run_client(service):
        pass
    assert len(syncs()) == 2
    async with run_client(service, guild_id=1234):
        pass
    assert syncs()[-1].path == f"/applications/{APP_ID}/guilds/1234/commands"


async def test_shards_and_message_content_intent_are_identified(
    standin: StandIn, run_client: RunClient, service: ConversationService
) -> None:
    async with run_client(service, shard_count=2, shard_ids=(1,), message_content=False):
        pass
    [identify] = standin.identifies
    assert identify["shard"] == [1, 2]
    assert not identify["intents"] & MESSAGE_CONTENT_INTENT
    assert not [c for c in standin.calls if c.path.endswith("/commands")]  # shard 0 syncs


async def test_alice_cannot_be_pinged(standin: StandIn, run_client: RunClient, service: ConversationService) -> None:
    ping = f"<@{ALICE_ID}> @everyone {OFFER}"
    async with run_client(service):
        await standin.post_message(message(ping, channel_id=DM_CHANNEL_ID, guild_id=None, author=ALICE))
        [call] = await standin.wait_for(channel_post(DM_CHANNEL_ID))
    assert call.body["allowed_mentions"]["parse"] == []


async def test_refused_message_content_intent_stops_with_the_switch_to_flip(
    standin: StandIn, storage: SqlStorage, meta: MemoryMeta
) -> None:
    standin.refuse_message_content = True
    settings = Settings.load(
        discord_token="test-token",
        discord_api_url=standin.api_url,
        discord_gateway_url=standin.gateway_url,
    )
    with pytest.raises(SystemExit) as stopped:
        async with asyncio.timeout(10):
            await run_discord(settings, ConversationService(storage), meta)
    assert "Message Content Intent" in str(stopped.value)
    assert "DISCORD_MESSAGE_CONTENT=false" in str(stopped.value)


async def test_runtime_serves_until_cancelled(standin: StandIn, storage: SqlStorage, meta: MemoryMeta) -> None:
    settings = Settings.load(
        discord_token="test-token",
        discord_api_url=standin.api_url,
        discord_gateway_url=standin.gateway_url,
        discord_message_content=False,
    )
    task = asyncio.create_task(run_discord(settings, ConversationService(storage), meta))
    await standin.wait_connected()
    await standin.interact(slash_command("perkcheck", {"text": OFFER}))
    [call] = await standin.wait_for(is_callback)
    assert embed_of(call.body)["title"] == "Operating cost"
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_help_in_a_dm_explains_discord_commands_and_the_intent_setting(
    standin: StandIn, run_client: RunClient, service: ConversationService
) -> None:
    async with run_client(service, message_content=False):
        await standin.post_message(message("help", channel_id=DM_CHANNEL_ID, guild_id=None))
        [call] = await standin.wait_for(channel_post(DM_CHANNEL_ID))
    content = call.body["content"]
    assert "/perkcheck" in content and "Check this offer" in content
    assert "Reading earlier messages is switched off" in content
    assert len(content) <= 2000


async def test_unreadable_thread_history_falls_back_to_the_mention_and_notes_it(
    standin: StandIn, run_client: RunClient, service: ConversationService
) -> None:
    standin.unreadable_channels.add(str(THREAD_ID))
    async with run_client(service) as client:
        mention = message(f"{MENTION} {OFFER}", channel_id=THREAD_ID, mentions=[BOT_USER])
        await standin.post_message(mention)
        [answer] = await standin.wait_for(channel_post(THREAD_ID))
        [note] = await standin.wait_for(channel_post(DM_CHANNEL_ID))
        assert not client.is_closed()
    assert embed_of(answer.body)["title"] == "Operating cost"  # from the mention's own text
    assert "Read Message History" in note.body["content"]
    assert note.body["allowed_mentions"] == NO_PINGS


async def test_reply_to_the_bots_verdict_refines_the_case(
    standin: StandIn, run_client: RunClient, service: ConversationService
) -> None:
    async with run_client(service):
        await standin.post_message(message(f"{MENTION} {OFFER}", mentions=[BOT_USER]))
        await standin.wait_for(channel_post(CHANNEL_ID))
        verdict_message = standin.channel_messages[str(CHANNEL_ID)][-1]
        assert verdict_message["author"]["id"] == BOT_USER["id"]
        answer = message(f"{MENTION} it rolls over", mentions=[BOT_USER], reference=verdict_message)
        await standin.post_message(answer)
        [_, refined] = await standin.wait_for(channel_post(CHANNEL_ID), count=2)
    assert field_names(embed_of(refined.body))[0] == "What changed"
