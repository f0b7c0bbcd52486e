"""Slack payloads -> the arguments of `core.service` calls. Pure functions, no I/O."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from core.cases import TextPart
from core.present import FEEDBACK_CHOICES
from core.present import QUICK_ANSWERS as QUICK_ANSWERS  # re-exported: the values Slack's buttons carry
from core.service import Conversation

ANSWER_ACTION_PREFIX = "perkcheck.answer."
SHARE_ACTION_ID = "perkcheck.share"
COPY_QUESTIONS_ACTION_ID = "perkcheck.copy_questions"
MESSAGE_SHORTCUT_CALLBACK_ID = "perkcheck_check_message"
ANSWER_ACTION_PATTERN = re.compile(r"^perkcheck\.answer\.[a-z_]+\.[a-z_]+$")
FEEDBACK_ACTION_PREFIX = "perkcheck.feedback."
FEEDBACK_ACTION_PATTERN = re.compile(r"^perkcheck\.feedback\.[a-z]+$")

CommandWord = Literal["help", "new", "history", "forget", "stats", "compare", "check"]
_COMMAND_WORDS: dict[str, CommandWord] = {
    "help": "help",
    "new": "new",
    "history": "history",
    "forget": "forget",
    "stats": "stats",
}
_COMPARE = re.compile(r"^compare\b", re.I)
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


@dataclass(frozen=True)
class QuickAnswer:
    """A click on a quick-answer button: which case, which question, which value."""

    case_id: str
    question_id: str
    value: str


def unescape(text: str) -> str:
    """Undo Slack's escaping of incoming text (`&amp;`, `&lt;`, `&gt;`)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def parse_command_text(text: str | None) -> tuple[CommandWord, str]:
    """`/perkcheck` text -> (command word, offer text). Empty text is `help`; `compare X vs Y` is "compare"."""
    stripped = unescape(text or "").strip()
    if not stripped:
        return "help", ""
    word = _COMMAND_WORDS.get(stripped.lower())
    if word is not None:
        return word, ""
    if _COMPARE.match(stripped):
        return "compare", stripped  # core.compare drops the lead-in ("compare these offers:")
    return "check", stripped


def mention_command(text: str) -> CommandWord | None:
    """The command word a mention is made of alone ("@perkcheck stats", "@perkcheck history?"),
    or None: an empty mention or any other text is about the thread's offer."""
    return _COMMAND_WORDS.get(text.strip().lower().strip("!./?"))


def answer_action_id(question_id: str, value: str) -> str:
    return f"{ANSWER_ACTION_PREFIX}{question_id}.{value}"


def parse_quick_answer(action: Mapping[str, Any]) -> QuickAnswer | None:
    """A block action -> the answer it carries; None for anything that is not a known answer."""
    action_id = str(action.get("action_id", ""))
    case_id = str(action.get("value") or "")
    if not action_id.startswith(ANSWER_ACTION_PREFIX) or not case_id:
        return None
    question_id, _, value = action_id.removeprefix(ANSWER_ACTION_PREFIX).partition(".")
    known_values = {known for known, _label in QUICK_ANSWERS.get(question_id, ())}
    if value not in known_values:
        return None
    return QuickAnswer(case_id=case_id, question_id=question_id, value=value)


def feedback_action_id(value: str) -> str:
    return f"{FEEDBACK_ACTION_PREFIX}{value}"


def parse_feedback(action: Mapping[str, Any]) -> tuple[str, str] | None:
    """A feedback button click -> (case id, "up" or "down"); None for anything else."""
    action_id = str(action.get("action_id", ""))
    case_id = str(action.get("value") or "")
    value = action_id.removeprefix(FEEDBACK_ACTION_PREFIX)
    if not action_id.startswith(FEEDBACK_ACTION_PREFIX) or not case_id:
        return None
    return (case_id, value) if value in {known for known, _label in FEEDBACK_CHOICES} else None


def command_conversation(command: Mapping[str, Any]) -> Conversation:
    """The conversation of a slash command payload."""
    return Conversation(
        platform="slack",
        workspace=_workspace(command.get("team_id"), command.get("enterprise_id")),
        channel=str(command["channel_id"]),
        user=str(command["user_id"]),
    )


def interaction_conversation(body: Mapping[str, Any]) -> Conversation:
    """The conversation of a block action or message shortcut payload."""
    team = body.get("team") or {}
    channel = body.get("channel") or {}
    container = body.get("container") or {}
    message = body.get("message") or {}
    return Conversation(
        platform="slack",
        workspace=_workspace(team.get("id"), (body.get("enterprise") or {}).get("id")),
        channel=str(channel.get("id") or container.get("channel_id") or ""),
        thread=message.get("thread_ts") or container.get("thread_ts"),
        user=str((body.get("user") or {}).get("id", "")),
    )


def event_conversation(event: Mapping[str, Any], team_id: str | None, *, thread: str | None) -> Conversation:
    """The conversation of a message or app_mention event."""
    return Conversation(
        platform="slack",
        workspace=_workspace(team_id or event.get("team"), None),
        channel=str(event["channel"]),
        thread=thread,
        user=str(event.get("user", "")),
    )


def mention_thread_ts(event: Mapping[str, Any]) -> str:
    """The thread a mention is answered in: its thread, or a new thread under the mention."""
    return str(event.get("thread_ts") or event["ts"])


def strip_mentions_of(text: str, bot_user_id: str | None) -> str:
    """Remove mentions of the bot from message text (other mentions stay)."""
    if bot_user_id is None:
        return text.strip()

    def drop_bot(match: re.Match[str]) -> str:
        return "" if match.group(1) == bot_user_id else match.group(0)

    return _MENTION.sub(drop_bot, text).strip()


def is_from_bot(message: Mapping[str, Any], bot_user_id: str | None, bot_id: str | None) -> bool:
    """True for messages posted by this bot (by user id or bot id)."""
    if bot_user_id is not None and message.get("user") == bot_user_id:
        return True
    return bot_id is not None and message.get("bot_id") == bot_id


@dataclass(frozen=True)
class ThreadText:
    """The offer read from a thread, one part per message with its author, and how many replies
    were left out to fit the limit."""

    parts: list[TextPart]
    left_out: int = 0

    @property
    def text(self) -> str:
        return "\n".join(part.text for part in self.parts)


def thread_offer_text(
    messages: Iterable[Mapping[str, Any]],
    *,
    bot_user_id: str | None,
    bot_id: str | None,
    max_chars: int,
) -> ThreadText:
    """The offer text of a thread: the parent and replies (unescaped), never the bot's own.

    When it is longer than `max_chars`, the oldest replies after the parent are left out (the
    parent and the latest replies carry the offer and the question); the count says how many.
    """
    parts: list[TextPart] = []
    for message in messages:
        if is_from_bot(message, bot_user_id, bot_id) or message.get("subtype") in _SKIPPED_SUBTYPES:
            continue
        text = strip_mentions_of(unescape(str(message.get("text") or "")), bot_user_id)
        if text:
            parts.append(TextPart(user=str(message.get("user") or ""), text=text))
    left_out = 0
    while len(parts) > 1 and len("\n".join(part.text for part in parts)) > max_chars:
        del parts[1]
        left_out += 1
    return ThreadText(parts=parts, left_out=left_out)


def bot_has_replied(messages: Iterable[Mapping[str, Any]], *, bot_user_id: str | None, bot_id: str | None) -> bool:
    """True when the bot already answered in the thread, so a mention refines that case."""
    return any(is_from_bot(message, bot_user_id, bot_id) for message in messages)


_SKIPPED_SUBTYPES = frozenset({"bot_message", "message_changed", "message_deleted", "channel_join", "channel_leave"})


def is_user_dm(event: Mapping[str, Any]) -> bool:
    """A plain message a person typed in a DM with the bot (not edits, joins or bot posts)."""
    return (
        event.get("channel_type") == "im"
        and event.get("subtype") in (None, "file_share")
        and not event.get("bot_id")
        and bool(event.get("user"))
    )


def _workspace(team_id: object, enterprise_id: object) -> str:
    return str(team_id or enterprise_id or "unknown")
