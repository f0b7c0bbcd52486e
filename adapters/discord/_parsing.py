"""Pure translation from discord.py objects and payload data to core calls (no I/O)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import discord

from core.cases import TextPart
from core.present import FEEDBACK_CHOICES
from core.present import QUICK_ANSWERS as SHARED_ANSWERS
from core.service import Conversation

#: Questions with buttons on Discord: a message has at most 5 rows, and one is for 👍/👎.
BUTTON_QUESTIONS = ("use", "expiry", "top_up")
#: The quick answers a button can carry: question id -> (contract value, button label).
QUICK_ANSWERS: dict[str, tuple[tuple[str, str], ...]] = {
    question: SHARED_ANSWERS[question] for question in BUTTON_QUESTIONS
}

#: Matches every answer button's custom_id; DynamicItem dispatch uses it after a restart too.
ANSWER_CUSTOM_ID = re.compile(
    r"perkcheck:a:(?P<case_id>[A-Za-z0-9_-]{1,64}):(?P<question_id>use|expiry|top_up):(?P<value>[a-z_]{1,20})"
)
#: A 👍/👎 button's custom_id: the case and "up" or "down".
FEEDBACK_CUSTOM_ID = re.compile(r"perkcheck:f:(?P<case_id>[A-Za-z0-9_-]{1,64}):(?P<value>up|down)")
CUSTOM_ID_MAX = 100

_THREAD_TYPES = frozenset(
    {
        discord.ChannelType.public_thread,
        discord.ChannelType.private_thread,
        discord.ChannelType.news_thread,
    }
)


def answer_custom_id(case_id: str, question_id: str, value: str) -> str | None:
    """The custom_id of a quick-answer button, or None if the case id cannot be carried."""
    custom_id = f"perkcheck:a:{case_id}:{question_id}:{value}"
    match = ANSWER_CUSTOM_ID.fullmatch(custom_id)
    if match is None or len(custom_id) > CUSTOM_ID_MAX:
        return None
    return custom_id


def feedback_custom_id(case_id: str, value: str) -> str | None:
    """The custom_id of a feedback button, or None if the case id cannot be carried."""
    custom_id = f"perkcheck:f:{case_id}:{value}"
    if FEEDBACK_CUSTOM_ID.fullmatch(custom_id) is None or len(custom_id) > CUSTOM_ID_MAX:
        return None
    return custom_id


@dataclass(frozen=True, slots=True)
class FeedbackClick:
    case_id: str
    value: str  # "up" or "down"


def parse_feedback_custom_id(custom_id: str) -> FeedbackClick | None:
    """The feedback a button's custom_id carries, or None."""
    match = FEEDBACK_CUSTOM_ID.fullmatch(custom_id)
    if match is None or match["value"] not in {value for value, _label in FEEDBACK_CHOICES}:
        return None
    return FeedbackClick(case_id=match["case_id"], value=match["value"])


@dataclass(frozen=True, slots=True)
class AnswerClick:
    case_id: str
    question_id: str
    value: str


def parse_answer_custom_id(custom_id: str) -> AnswerClick | None:
    """The answer a button's custom_id carries, or None if it is not a known quick answer."""
    match = ANSWER_CUSTOM_ID.fullmatch(custom_id)
    if match is None:
        return None
    question_id, value = match["question_id"], match["value"]
    if value not in {known for known, _ in QUICK_ANSWERS[question_id]}:
        return None
    return AnswerClick(case_id=match["case_id"], question_id=question_id, value=value)


def conversation(
    *,
    guild_id: int | None,
    channel_id: int,
    user_id: int,
    thread_parent_id: int | None = None,
) -> Conversation:
    """A Conversation from ids: inside a thread, channel is the parent and thread the thread."""
    if thread_parent_id is not None:
        channel, thread = str(thread_parent_id), str(channel_id)
    else:
        channel, thread = str(channel_id), None
    return Conversation(
        platform="discord",
        workspace=str(guild_id) if guild_id is not None else "dm",
        channel=channel,
        thread=thread,
        user=str(user_id),
    )


def thread_parent_id(channel: object) -> int | None:
    """The parent channel id when `channel` is a thread, else None."""
    if isinstance(channel, discord.Thread):
        return channel.parent_id
    if getattr(channel, "type", None) in _THREAD_TYPES:
        parent = getattr(channel, "parent_id", None)
        return parent if isinstance(parent, int) else None
    return None


def conversation_for_message(message: discord.Message) -> Conversation:
    return conversation(
        guild_id=message.guild.id if message.guild is not None else None,
        channel_id=message.channel.id,
        user_id=message.author.id,
        thread_parent_id=thread_parent_id(message.channel),
    )


def conversation_for_interaction(interaction: discord.Interaction) -> Conversation:
    return conversation(
        guild_id=interaction.guild_id,
        channel_id=interaction.channel_id or 0,
        user_id=interaction.user.id,
        thread_parent_id=thread_parent_id(interaction.channel),
    )


def strip_mention(content: str, user_id: int) -> str:
    """The message text without mentions of `user_id`, whitespace tidied."""
    without = re.sub(rf"[ \t]*<@!?{user_id}>[ \t]*", " ", content)
    return without.strip()


def mentions_user(message: discord.Message, user_id: int) -> bool:
    """True when the message mentions `user_id` (not via @everyone or a role)."""
    return any(user.id == user_id for user in message.mentions) or bool(re.search(rf"<@!?{user_id}>", message.content))


def message_text(message: discord.Message) -> str:
    """The text of a message: its content, else the text of its embeds."""
    if message.content.strip():
        return message.content.strip()
    parts: list[str] = []
    for embed in message.embeds:
        parts.extend(part for part in (embed.title, embed.description) if part)
        parts.extend(f"{field.name}: {field.value}" for field in embed.fields)
    return "\n".join(parts).strip()


@dataclass(frozen=True, slots=True)
class ThreadText:
    parts: list[TextPart]  # the messages read, oldest first, each with its author
    used: int  # messages read into `text`
    skipped: int  # older messages left out to stay under the input limit

    @property
    def text(self) -> str:
        return "\n".join(part.text for part in self.parts)


def thread_offer_text(messages: Iterable[TextPart], limit: int) -> ThreadText:
    """Join thread messages (oldest first) into one text, keeping the newest that fit `limit`."""
    kept: list[TextPart] = []
    total = 0
    candidates = [TextPart(user=part.user, text=part.text.strip()) for part in messages if part.text.strip()]
    for part in reversed(candidates):
        extra = len(part.text) + (1 if kept else 0)
        if total + extra > limit:
            break
        kept.append(part)
        total += extra
    kept.reverse()
    return ThreadText(parts=kept, used=len(kept), skipped=len(candidates) - len(kept))


def event_id(kind: str, snowflake: int) -> str:
    """A stable id for claim_event, unique per Discord object."""
    return f"discord:{kind}:{snowflake}"
