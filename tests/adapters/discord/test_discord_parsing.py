"""Pure translation of discord.py objects and payloads into core calls."""

from __future__ import annotations

import discord
from discord_standin import (
    ALICE_ID,
    BOB,
    BOT_ID,
    CHANNEL_ID,
    DM_CHANNEL_ID,
    GUILD_ID,
    THREAD_ID,
    guild,
    message,
)

from adapters.discord._parsing import (
    QUICK_ANSWERS,
    AnswerClick,
    answer_custom_id,
    conversation,
    conversation_for_message,
    mentions_user,
    message_text,
    parse_answer_custom_id,
    strip_mention,
    thread_offer_text,
)
from core.cases import TextPart
from core.service import Conversation


def state_with_guild() -> discord.state.ConnectionState:  # type: ignore[type-arg]
    client = discord.Client(intents=discord.Intents.none())
    state = client._connection
    state.parse_guild_create(guild())
    return state


def test_custom_ids_round_trip_every_quick_answer() -> None:
    for question_id, answers in QUICK_ANSWERS.items():
        for value, _label in answers:
            custom_id = answer_custom_id("abc123", question_id, value)
            assert custom_id is not None and len(custom_id) <= 100
            assert parse_answer_custom_id(custom_id) == AnswerClick("abc123", question_id, value)


def test_unknown_or_oversized_custom_ids_are_refused() -> None:
    assert parse_answer_custom_id("perkcheck:a:abc:use:maybe") is None
    assert parse_answer_custom_id("perkcheck:a:abc:tax:yes") is None
    assert parse_answer_custom_id("somebody-else:button") is None
    assert answer_custom_id("x" * 65, "use", "work_only") is None
    assert answer_custom_id("has:colon", "use", "work_only") is None


def test_conversation_in_a_thread_names_parent_channel_and_thread() -> None:
    conv = conversation(guild_id=GUILD_ID, channel_id=THREAD_ID, user_id=ALICE_ID, thread_parent_id=CHANNEL_ID)
    assert conv == Conversation(
        platform="discord",
        workspace=str(GUILD_ID),
        channel=str(CHANNEL_ID),
        thread=str(THREAD_ID),
        user=str(ALICE_ID),
    )


def test_conversation_from_real_messages() -> None:
    state = state_with_guild()
    in_thread = discord.Message(
        state=state,
        channel=state._get_guild(GUILD_ID).get_thread(THREAD_ID),  # type: ignore[union-attr,arg-type]
        data=message("hi", channel_id=THREAD_ID),  # type: ignore[arg-type]
    )
    assert conversation_for_message(in_thread).thread == str(THREAD_ID)
    assert conversation_for_message(in_thread).channel == str(CHANNEL_ID)

    dm_channel = discord.DMChannel(me=None, state=state, data={"id": DM_CHANNEL_ID, "type": 1})  # type: ignore[arg-type]
    in_dm = discord.Message(
        state=state,
        channel=dm_channel,
        data=message("hi", channel_id=DM_CHANNEL_ID, guild_id=None),  # type: ignore[arg-type]
    )
    conv = conversation_for_message(in_dm)
    assert (conv.workspace, conv.channel, conv.thread) == ("dm", str(DM_CHANNEL_ID), None)


def test_mentions_are_found_and_stripped() -> None:
    state = state_with_guild()
    channel = state._get_guild(GUILD_ID).get_channel(CHANNEL_ID)  # type: ignore[union-attr]
    data = message(f"<@{BOT_ID}> is <@!{BOT_ID}> this pay?", mentions=[])
    found = discord.Message(state=state, channel=channel, data=data)  # type: ignore[arg-type]
    assert mentions_user(found, BOT_ID)
    assert not mentions_user(found, ALICE_ID)
    assert strip_mention(found.content, BOT_ID) == "is this pay?"
    assert strip_mention(f"<@{BOT_ID}>\n$500/month\nwork-only", BOT_ID) == "$500/month\nwork-only"


def test_message_text_falls_back_to_embeds() -> None:
    state = state_with_guild()
    channel = state._get_guild(GUILD_ID).get_channel(CHANNEL_ID)  # type: ignore[union-attr]
    data = message(
        "",
        author=BOB,
        embeds=[
            {
                "title": "Offer",
                "description": "$500/month",
                "fields": [{"name": "Use", "value": "work"}],
            }
        ],
    )
    found = discord.Message(state=state, channel=channel, data=data)  # type: ignore[arg-type]
    assert message_text(found) == "Offer\n$500/month\nUse: work"


def test_thread_text_keeps_the_newest_messages_that_fit() -> None:
    said = [
        TextPart(user=user, text=text)
        for user, text in [("1", "old " * 10), ("2", ""), ("3", "middle"), ("4", "newest ")]
    ]
    joined = thread_offer_text(said, limit=20)
    assert joined.text == "middle\nnewest"
    assert [part.user for part in joined.parts] == ["3", "4"]  # who wrote each line, for `forget`
    assert (joined.used, joined.skipped) == (2, 1)
    everything = thread_offer_text([TextPart(user="1", text="a"), TextPart(user="1", text="b")], limit=100)
    assert (everything.text, everything.skipped) == ("a\nb", 0)
