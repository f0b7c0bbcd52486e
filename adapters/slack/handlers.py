"""Bolt wiring: the listeners of an `AsyncApp`, translating Slack requests into service calls.

Nothing here keeps state between requests: every button carries its case id, so a click works
after a restart and on any process. Slow storage never delays an ack past Slack's 3 seconds: the
slash command waits for the service at most `ack_budget_seconds` (1.5 s by default) and acks with
the verdict when it is there in time; otherwise it acks with "Checking…" and sends the verdict
through the command's `response_url` when the service answers.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack._parsing import (
    ANSWER_ACTION_PATTERN,
    COPY_QUESTIONS_ACTION_ID,
    FEEDBACK_ACTION_PATTERN,
    MESSAGE_SHORTCUT_CALLBACK_ID,
    SHARE_ACTION_ID,
    bot_has_replied,
    command_conversation,
    event_conversation,
    interaction_conversation,
    is_user_dm,
    mention_command,
    mention_thread_ts,
    parse_command_text,
    parse_feedback,
    parse_quick_answer,
    strip_mentions_of,
    thread_offer_text,
    unescape,
)
from adapters.slack.rendering import SlackMessage, escape, render_reply
from core.classifier import MAX_INPUT_CHARS
from core.inflight import InFlight
from core.present import questions_text
from core.service import Case, Conversation, ConversationService, Reply

DEFAULT_ACK_BUDGET_SECONDS = 1.5
SLASH_COMMAND = "/perkcheck"
THREAD_PAGE_LIMIT = 200
THREAD_MAX_PAGES = 5

_SORRY = "Sorry, something went wrong on my side. Please try again in a minute."
_GONE = "I no longer have that check (it may have been forgotten). Run `/perkcheck` again."

logger = logging.getLogger(__name__)

Listener = Callable[..., Awaitable[None]]


def register_handlers(
    app: AsyncApp,
    service: ConversationService,
    *,
    command: str = SLASH_COMMAND,
    ack_budget_seconds: float = DEFAULT_ACK_BUDGET_SECONDS,
) -> SlackHandlers:
    """Register perkcheck's listeners on `app`, all calling the injected `service`.

    Returns the listeners, whose `drain()` waits for work still running after its ack.
    """
    handlers = SlackHandlers(service, ack_budget_seconds=ack_budget_seconds)
    track = handlers.tracked
    app.command(command)(track(handlers.on_command))
    app.action(ANSWER_ACTION_PATTERN)(track(handlers.on_quick_answer))
    app.action(SHARE_ACTION_ID)(track(handlers.on_share))
    app.action(COPY_QUESTIONS_ACTION_ID)(track(handlers.on_copy_questions))
    app.action(FEEDBACK_ACTION_PATTERN)(track(handlers.on_feedback))
    app.shortcut(MESSAGE_SHORTCUT_CALLBACK_ID)(track(handlers.on_message_shortcut))
    app.event("app_mention")(track(handlers.on_mention))
    app.event("message")(track(handlers.on_message))
    return handlers


class SlackHandlers:
    """The listeners; each one is a thin translation between a Slack payload and the service."""

    def __init__(self, service: ConversationService, *, ack_budget_seconds: float) -> None:
        self._service = service
        self._ack_budget_seconds = ack_budget_seconds
        self._running = InFlight("Slack listeners")

    def tracked(self, listener: Listener) -> Listener:
        """`listener`, counted while it runs so that shutdown can wait for it."""

        @functools.wraps(listener)
        async def run(*args: Any, **kwargs: Any) -> None:
            with self._running.running():
                await listener(*args, **kwargs)

        return run

    @property
    def in_flight(self) -> int:
        """Listeners running now (Slack has their ack; the rest of their work is not done)."""
        return self._running.count

    async def drain(self, within: float) -> bool:
        """Wait up to `within` seconds for running listeners to finish; False if some did not."""
        return await self._running.drain(within)

    # --- /perkcheck -------------------------------------------------------------------------

    async def on_command(self, ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond) -> None:
        """`/perkcheck TEXT | help | history | forget | new | stats | compare A vs B`, private unless shared."""
        conv = command_conversation(command)
        word, text = parse_command_text(command.get("text"))
        if word == "help":
            await _ack_message(ack, render_reply(self._service.help()))
            return
        if word == "history":
            work: Awaitable[Reply] = self._service.history(conv)
        elif word == "forget":
            work = self._service.forget(conv)
        elif word == "new":
            work = self._service.new(conv)
        elif word == "stats":
            work = self._service.stats(conv)
        elif word == "compare":
            work = self._service.compare(conv, text)
        else:
            work = self._service.check(conv, text)
        # The work runs right here; a timer acks "Checking…" (in a task of its own) if the budget
        # runs out first. Cheaper than running the work as a task and waiting on it with a timeout.
        early_ack: list[asyncio.Future[Any]] = []

        def over_budget() -> None:
            early_ack.append(asyncio.ensure_future(ack(text="Checking…", response_type="ephemeral")))

        timer = asyncio.get_running_loop().call_later(self._ack_budget_seconds, over_budget)
        try:
            reply = await _guarded(work)
        finally:
            timer.cancel()
        if not early_ack:
            await _ack_message(ack, _render_private(reply))
            return
        await early_ack[0]
        await _respond_message(respond, _render_private(reply), response_type="ephemeral")

    # --- buttons ----------------------------------------------------------------------------

    async def on_quick_answer(
        self,
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
    ) -> None:
        """A quick answer: record it on the case and update the message in place."""
        await ack()
        answer = parse_quick_answer(action)
        if answer is None:
            return
        conv = interaction_conversation(body)
        work = self._service.answer(
            answer.case_id, conv.user, answer.question_id, answer.value, workspace=conv.workspace
        )
        reply = await _guarded(work)
        if reply.kind not in ("verdict", "refined"):
            await _respond_message(respond, render_reply(reply), response_type="ephemeral", replace_original=False)
            return
        container = body.get("container") or {}
        if container.get("is_ephemeral") or not container.get("message_ts"):
            message = render_reply(reply, shareable=True)
            await _respond_message(respond, message, replace_original=True)
            return
        message = render_reply(reply)
        try:
            await client.chat_update(
                channel=str(container.get("channel_id")),
                ts=str(container["message_ts"]),
                text=message.text,
                blocks=message.block_dicts(),
            )
        except SlackApiError as error:
            logger.warning("chat.update failed (%s); replacing via response_url", error.response.get("error"))
            await _respond_message(respond, message, replace_original=True)

    async def on_share(self, ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        """Post a private verdict in the channel for everyone, and remove the private copy."""
        await ack()
        conv = interaction_conversation(body)
        case = await self._load_case(_action_value(body), conv)
        if case is None or case.user != conv.user:
            await respond(text=_GONE, response_type="ephemeral", replace_original=False)
            return
        reply = self._service.case_reply(case)
        await _respond_message(
            respond,
            render_reply(reply, shared_by=conv.user),
            response_type="in_channel",
            replace_original=False,
        )
        await respond(delete_original=True)

    async def on_copy_questions(self, ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        """The open questions as one plain message to paste to a recruiter."""
        await ack()
        case = await self._load_case(_action_value(body), interaction_conversation(body))
        if case is None:
            await respond(text=_GONE, response_type="ephemeral", replace_original=False)
            return
        await respond(
            text=escape(questions_text(case.verdict)),
            response_type="ephemeral",
            replace_original=False,
        )

    async def on_feedback(
        self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        """A 👍/👎 on a verdict: store it with the case and thank the clicker privately."""
        await ack()
        feedback = parse_feedback(action)
        if feedback is None:
            return
        case_id, value = feedback
        conv = interaction_conversation(body)
        reply = await _guarded(self._service.feedback(case_id, conv.user, value, workspace=conv.workspace))
        await _respond_message(respond, render_reply(reply), response_type="ephemeral", replace_original=False)

    # --- message shortcut -------------------------------------------------------------------

    async def on_message_shortcut(self, ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        """ "Check with perkcheck" on any message: a private verdict on its text."""
        await ack()
        conv = interaction_conversation(body).model_copy(update={"thread": None})
        text = unescape(str((body.get("message") or {}).get("text") or "")).strip()
        reply = await _guarded(self._service.check(conv, text)) if text else self._service.help()
        await _respond_message(respond, _render_private(reply), response_type="ephemeral")

    # --- events -----------------------------------------------------------------------------

    async def on_mention(
        self,
        body: dict[str, Any],
        event: dict[str, Any],
        context: AsyncBoltContext,
        client: AsyncWebClient,
    ) -> None:
        """A mention: check the thread's offer or refine its case; answer in the thread."""
        event_id = body.get("event_id")
        thread_ts = mention_thread_ts(event)
        conv = event_conversation(event, body.get("team_id"), thread=thread_ts)
        bot_user_id, bot_id = context.bot_user_id, context.bot_id
        command = mention_command(strip_mentions_of(unescape(str(event.get("text") or "")), bot_user_id))
        if command is not None:  # "@perkcheck history" in a channel: only the person sees the answer
            reply = await _guarded(self._service.message(conv, command, event_id=event_id))
            await _post_private(client, reply, channel=conv.channel, user=conv.user, thread_ts=thread_ts)
            return
        messages = [event]
        if event.get("thread_ts"):
            try:
                messages = await _thread_messages(client, conv.channel, thread_ts)
            except SlackApiError as error:
                logger.warning("Could not read thread: %s", error.response.get("error"))
        if bot_has_replied(messages, bot_user_id=bot_user_id, bot_id=bot_id):
            text = strip_mentions_of(unescape(str(event.get("text") or "")), bot_user_id)
            reply = await _guarded(self._service.message(conv, text, event_id=event_id))
        else:
            thread = thread_offer_text(messages, bot_user_id=bot_user_id, bot_id=bot_id, max_chars=MAX_INPUT_CHARS)
            if thread.text:
                reply = await _guarded(self._service.check_thread(conv, thread.parts, event_id=event_id))
                if thread.left_out:
                    note = _left_out_note(thread.left_out)
                    reply = reply.model_copy(update={"notes": [*reply.notes, note]})
            elif event_id is None or await self._service.claim_event(str(event_id)):
                reply = self._service.help()
            else:
                return
        await _post(client, reply, channel=conv.channel, thread_ts=thread_ts)

    async def on_message(self, body: dict[str, Any], event: dict[str, Any], client: AsyncWebClient) -> None:
        """A DM to the bot: a check, a command word, or an answer to the open case."""
        if not is_user_dm(event):
            return
        conv = event_conversation(event, body.get("team_id"), thread=None)
        text = unescape(str(event.get("text") or "")).strip()
        reply = await _guarded(self._service.message(conv, text, event_id=body.get("event_id")))
        await _post(client, reply, channel=conv.channel, thread_ts=None)

    # --- helpers ----------------------------------------------------------------------------

    async def _load_case(self, case_id: str, conv: Conversation) -> Case | None:
        """A case of this workspace by id (None if unknown, elsewhere, or storage is down)."""
        if not case_id:
            return None
        try:
            case = await self._service.storage.get_case(case_id)
        except Exception:
            logger.exception("Could not read a case")
            return None
        if case is None or case.platform != conv.platform or case.workspace != conv.workspace:
            return None
        return case


async def _post(client: AsyncWebClient, reply: Reply, *, channel: str, thread_ts: str | None) -> None:
    """Post a reply in a channel or thread; a retried event's duplicate posts nothing."""
    if reply.kind == "duplicate":
        return
    message = render_reply(reply)
    try:
        await client.chat_postMessage(
            channel=channel, thread_ts=thread_ts, text=message.text, blocks=message.block_dicts()
        )
    except SlackApiError as error:
        _log_send_failure("post a reply", "chat.postMessage", error)


async def _post_private(
    client: AsyncWebClient, reply: Reply, *, channel: str, user: str, thread_ts: str | None
) -> None:
    """Show a reply to one person only (chat.postEphemeral), in the thread when there is one."""
    if reply.kind == "duplicate":
        return
    message = _render_private(reply)
    try:
        await client.chat_postEphemeral(
            channel=channel, user=user, thread_ts=thread_ts, text=message.text, blocks=message.block_dicts()
        )
    except SlackApiError as error:
        _log_send_failure("show a private reply", "chat.postEphemeral", error)


def _log_send_failure(what: str, method: str, error: SlackApiError) -> None:
    # the client already retried (429 after Retry-After, 5xx, dropped connections): give up on this one
    logger.error(
        "Could not %s: %s failed with HTTP %s (%s) after retries",
        what,
        method,
        error.response.status_code,
        error.response.get("error"),
    )


def _render_private(reply: Reply) -> SlackMessage:
    return render_reply(reply, shareable=reply.case_id is not None)


async def _guarded(work: Awaitable[Reply]) -> Reply:
    """The service's reply, or a polite error reply when the service fails."""
    try:
        return await work
    except Exception:
        logger.exception("The conversation service failed")
        return Reply(kind="error", text=_SORRY)


async def _ack_message(ack: AsyncAck, message: SlackMessage) -> None:
    await ack(text=message.text, blocks=message.block_dicts(), response_type="ephemeral")


async def _respond_message(
    respond: AsyncRespond,
    message: SlackMessage,
    *,
    response_type: str | None = None,
    replace_original: bool | None = None,
) -> None:
    await respond(
        text=message.text,
        blocks=message.block_dicts(),
        response_type=response_type,
        replace_original=replace_original,
    )


async def _thread_messages(client: AsyncWebClient, channel: str, thread_ts: str) -> list[dict[str, Any]]:
    """Every message of a thread (parent first), following pagination a few pages deep."""
    messages: list[dict[str, Any]] = []
    cursor: str | None = None
    for _page in range(THREAD_MAX_PAGES):
        response = await client.conversations_replies(
            channel=channel, ts=thread_ts, limit=THREAD_PAGE_LIMIT, cursor=cursor
        )
        messages.extend(response.get("messages") or [])
        cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            break
    return messages


def _left_out_note(left_out: int) -> str:
    replies = "reply" if left_out == 1 else "replies"
    return (
        f"The thread is long, so I read its first message and latest replies and left out {left_out} earlier {replies}."
    )


def _action_value(body: Mapping[str, Any]) -> str:
    actions = body.get("actions") or [{}]
    return str(actions[0].get("value") or "")
