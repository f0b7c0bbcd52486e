"""The real Bolt app on the real service, driven by signed requests (HTTP and async_dispatch)."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from slack_bolt.request.async_request import AsyncBoltRequest
from slack_harness import SIGNING_SECRET, Slack, SlowStorage, make_bolt_app
from slack_standin import (
    BOT_ID,
    BOT_USER_ID,
    TEAM_ID,
    block_action_payload,
    event_body,
    message_shortcut_payload,
    sign,
    slash_command_body,
)

from adapters.slack._parsing import answer_action_id
from bot.storage import SqlStorage
from core.classifier import classify
from core.service import ConversationService

OFFER = "They give $500/month API budget, work-only"


def _blocks_text(message: dict[str, Any]) -> str:
    return json.dumps(message.get("blocks", []))


async def _only_case(storage: SqlStorage, user: str = "U0USER01") -> Any:
    cases = await storage.list_cases("slack", TEAM_ID, user, 10)
    assert len(cases) == 1, cases
    return cases[0]


# --- /perkcheck ---------------------------------------------------------------------------------


async def test_slash_command_acks_privately_with_the_verdict(slack: Slack, storage: SqlStorage) -> None:
    started = time.perf_counter()
    response = await slack.command(OFFER)
    elapsed = time.perf_counter() - started

    assert response.status == 200
    assert elapsed < 1.0, f"ack took {elapsed:.2f}s"
    body = response.json()
    assert body["response_type"] == "ephemeral"
    expected = classify(OFFER)
    assert expected.label in _blocks_text(body)
    case = await _only_case(storage)
    assert case.text == OFFER
    assert case.verdict == expected
    action_ids = [
        element["action_id"]
        for block in body["blocks"]
        for element in block.get("elements", [])
        if element.get("type") == "button"
    ]
    assert "perkcheck.share" in action_ids
    assert slack.api.of("response_url") == [], "answered in the ack, nothing sent later"


async def test_help_with_no_text_and_with_the_word(slack: Slack) -> None:
    for text in ("", "help"):
        body = (await slack.command(text)).json()
        assert body["response_type"] == "ephemeral"
        assert "/month API budget" in _blocks_text(body), "help shows examples"


async def test_history_then_forget(slack: Slack, storage: SqlStorage) -> None:
    await slack.command(OFFER)
    await slack.command("We get 15k a year in AI credits, use it for anything")

    history = (await slack.command("history")).json()
    assert "Your last 2 checks" in _blocks_text(history)
    assert classify(OFFER).label in _blocks_text(history)

    forgotten = (await slack.command("forget")).json()
    assert "erased" in _blocks_text(forgotten)
    assert await storage.list_cases("slack", TEAM_ID, "U0USER01", 10) == []
    assert "No checks stored" in _blocks_text((await slack.command("history")).json())


async def test_slow_storage_acks_at_once_then_answers_by_response_url(slack_api: Any, storage: SqlStorage) -> None:

    service = ConversationService(SlowStorage(storage, delay=2.0))  # type: ignore[arg-type]
    app = make_bolt_app(service, slack_api)
    body = slash_command_body(OFFER, response_url=slack_api.response_url("slow"))
    headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(SIGNING_SECRET, body)}

    started = time.perf_counter()
    response = await app.async_dispatch(AsyncBoltRequest(body=body, headers=headers))
    elapsed = time.perf_counter() - started

    assert response.status == 200
    assert 1.0 < elapsed < 2.0, f"acked after {elapsed:.2f}s: within the budget, before storage"
    assert "Checking" in response.body
    posted = await slack_api.wait_for("response_url", within=5)
    assert posted[0].data["response_type"] == "ephemeral"
    assert classify(OFFER).label in _blocks_text(posted[0].data)


# --- buttons ------------------------------------------------------------------------------------


async def test_answer_button_updates_the_private_message_in_place(slack: Slack, storage: SqlStorage) -> None:
    await slack.command(OFFER)
    case = await _only_case(storage)

    payload = block_action_payload(
        answer_action_id("expiry", "rolls_over"),
        case.id,
        response_url=slack.api.response_url("click"),
    )
    response = await slack.interact(payload)
    assert response.status == 200

    update = (await slack.api.wait_for("response_url"))[0].data
    assert update["replace_original"] is True
    refined = await storage.get_case(case.id)
    assert refined is not None
    assert [(a.question_id, a.value, a.user) for a in refined.answers] == [("expiry", "rolls_over", "U0USER01")]
    assert refined.signals.expiry is not None and refined.signals.expiry.value == "rolls_over"
    assert refined.verdict.label in _blocks_text(update)
    assert "What changed" in _blocks_text(update)


async def test_answer_button_on_a_thread_message_uses_chat_update(slack: Slack, storage: SqlStorage) -> None:
    await slack.command(OFFER)
    case = await _only_case(storage)
    payload = block_action_payload(
        answer_action_id("top_up", "no"),
        case.id,
        response_url=slack.api.response_url("click"),
        ephemeral=False,
        message_ts="1700000000.000777",
    )
    await slack.interact(payload)

    update = (await slack.api.wait_for("chat.update"))[0].data
    assert (update["channel"], update["ts"]) == ("C0CHAN01", "1700000000.000777")
    stored = await storage.get_case(case.id)
    assert stored is not None and stored.verdict.label in _blocks_text(update)


async def test_share_in_channel_posts_publicly_and_removes_the_private_copy(slack: Slack, storage: SqlStorage) -> None:
    await slack.command(OFFER)
    case = await _only_case(storage)
    payload = block_action_payload("perkcheck.share", case.id, response_url=slack.api.response_url("s"))
    await slack.interact(payload)

    posted = await slack.api.wait_for("response_url", count=2)
    public, deleted = posted[0].data, posted[1].data
    assert public["response_type"] == "in_channel"
    assert public["replace_original"] is False
    assert case.verdict.label in _blocks_text(public)
    assert "Shared by <@U0USER01>" in _blocks_text(public)
    assert "perkcheck.share" not in _blocks_text(public)
    assert deleted["delete_original"] is True


async def test_only_the_owner_can_share_a_case(slack: Slack, storage: SqlStorage) -> None:
    await slack.command(OFFER)
    case = await _only_case(storage)
    payload = block_action_payload(
        "perkcheck.share", case.id, response_url=slack.api.response_url("s"), user="U0OTHER1"
    )
    await slack.interact(payload)
    posted = (await slack.api.wait_for("response_url"))[0].data
    assert posted.get("response_type") == "ephemeral"
    assert "no longer have that check" in posted["text"]


async def test_copy_questions_gives_one_plain_message(slack: Slack, storage: SqlStorage) -> None:
    await slack.command(OFFER)
    case = await _only_case(storage)
    payload = block_action_payload("perkcheck.copy_questions", case.id, response_url=slack.api.response_url("q"))
    await slack.interact(payload)

    posted = (await slack.api.wait_for("response_url"))[0].data
    assert posted["response_type"] == "ephemeral"
    assert posted["replace_original"] is False
    assert "blocks" not in posted or not posted["blocks"]
    for question in case.verdict.questions:
        assert question.text.replace("&", "&amp;") in posted["text"]


# --- threads, DMs, shortcuts ------------------------------------------------------------------


def _mention(text: str, *, ts: str, thread_ts: str | None) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "app_mention",
        "user": "U0USER01",
        "text": text,
        "ts": ts,
        "channel": "C0CHAN01",
        "event_ts": ts,
    }
    if thread_ts is not None:
        event["thread_ts"] = thread_ts
    return event


async def test_mention_in_a_thread_reads_it_and_answers_in_the_thread(slack: Slack, storage: SqlStorage) -> None:
    parent = {
        "user": "U0OTHER1",
        "text": "Offer: $185k base, 10% bonus &amp; $500/month AI",
        "ts": "100.1",
    }
    bot_earlier = {"user": BOT_USER_ID, "bot_id": BOT_ID, "text": "ignored bot text", "ts": "100.2"}
    reply = {"user": "U0OTHER2", "text": "the credits are work-only", "ts": "100.3"}
    mention = _mention(f"<@{BOT_USER_ID}> is this pay?", ts="100.4", thread_ts="100.1")
    slack.api.thread_messages[("C0CHAN01", "100.1")] = [parent, reply, mention]

    await slack.event(event_body(mention, event_id="Ev001"))

    posted = (await slack.api.wait_for("chat.postMessage"))[0].data
    assert posted["thread_ts"] == "100.1"
    assert posted["channel"] == "C0CHAN01"
    replies_call = slack.api.of("conversations.replies")[0].data
    assert (replies_call["channel"], replies_call["ts"]) == ("C0CHAN01", "100.1")
    case = await _only_case(storage)
    assert case.thread == "100.1"
    assert case.text == "Offer: $185k base, 10% bonus & $500/month AI\nthe credits are work-only\nis this pay?"
    assert bot_earlier["text"] not in case.text
    assert case.verdict.label in _blocks_text(posted)


async def test_forget_takes_a_posters_words_out_of_a_thread_case(slack: Slack, storage: SqlStorage) -> None:
    """Someone else's thread case keeps the parent poster's words only until the poster runs
    /perkcheck forget: then they leave the stored text and the case is read again."""
    parent = {"user": "U0OTHER1", "text": "Offer: $640/month Wombat AI credits, work only", "ts": "150.1"}
    mention = _mention(f"<@{BOT_USER_ID}> is this pay?", ts="150.2", thread_ts="150.1")
    slack.api.thread_messages[("C0CHAN01", "150.1")] = [parent, mention]
    await slack.event(event_body(mention, event_id="Ev040"))
    await slack.api.wait_for("chat.postMessage")
    case = await _only_case(storage)
    assert "Wombat" in case.text and case.verdict.allowance.amount == 640

    forgotten = (await slack.command("forget", user="U0OTHER1")).json()
    assert "erased 1 item" in _blocks_text(forgotten)

    kept = await _only_case(storage)
    assert kept.id == case.id and kept.user == "U0USER01"
    assert kept.text == "is this pay?" and "Wombat" not in kept.text
    assert kept.verdict.allowance.amount is None


async def test_a_later_mention_in_the_thread_refines_the_same_case(slack: Slack, storage: SqlStorage) -> None:
    parent = {"user": "U0USER01", "text": "We get $500/month in API credits", "ts": "200.1"}
    first = _mention(f"<@{BOT_USER_ID}>", ts="200.2", thread_ts="200.1")
    slack.api.thread_messages[("C0CHAN01", "200.1")] = [parent, first]
    await slack.event(event_body(first, event_id="Ev010"))
    await slack.api.wait_for("chat.postMessage")
    case = await _only_case(storage)

    bot_reply = {"user": BOT_USER_ID, "bot_id": BOT_ID, "text": "Can't tell yet", "ts": "200.3"}
    second = _mention(f"<@{BOT_USER_ID}> they said it rolls over", ts="200.4", thread_ts="200.1")
    slack.api.thread_messages[("C0CHAN01", "200.1")] = [parent, first, bot_reply, second]
    await slack.event(event_body(second, event_id="Ev011"))

    posted = (await slack.api.wait_for("chat.postMessage", count=2))[1].data
    assert posted["thread_ts"] == "200.1"
    refined = await _only_case(storage)
    assert refined.id == case.id
    assert [(a.question_id, a.value) for a in refined.answers] == [("expiry", "rolls_over")]
    assert "What changed" in _blocks_text(posted)


async def test_a_retried_event_posts_once(slack: Slack) -> None:
    mention = _mention(f"<@{BOT_USER_ID}> {OFFER}", ts="300.1", thread_ts=None)
    body = event_body(mention, event_id="Ev020")

    first, retry = await asyncio.gather(slack.event(body), slack.event(body, retry_num=1))
    await slack.api.wait_for("chat.postMessage")
    second_retry = await slack.event(body, retry_num=2)

    assert (first.status, retry.status, second_retry.status) == (200, 200, 200)
    await slack.settle()
    assert len(slack.api.of("chat.postMessage")) == 1, "the retries posted nothing"
    assert slack.api.of("chat.postMessage")[0].data["thread_ts"] == "300.1"


async def test_a_command_word_mentioned_in_a_thread_answers_privately(slack: Slack, storage: SqlStorage) -> None:
    """ "@perkcheck stats" (or history, help...) is a command, not an offer, and its answer is for
    the person who asked: an ephemeral message in the thread, nothing posted for everyone."""
    await slack.command(OFFER)  # a stored check, so history has something private to show
    parent = {"user": "U0OTHER1", "text": "Offer: $185k base and $500/month AI credits", "ts": "310.1"}
    for number, word in enumerate(("stats", "history?", "HELP")):
        mention = _mention(f"<@{BOT_USER_ID}> {word}", ts=f"310.{number + 2}", thread_ts="310.1")
        slack.api.thread_messages[("C0CHAN01", "310.1")] = [parent, mention]
        await slack.event(event_body(mention, event_id=f"Ev05{number}"))
        shown = (await slack.api.wait_for("chat.postEphemeral", count=number + 1))[number].data
        assert (shown["user"], shown["channel"], shown["thread_ts"]) == ("U0USER01", "C0CHAN01", "310.1")
    await slack.settle()
    stats, history, help_text = (_blocks_text(call.data) for call in slack.api.of("chat.postEphemeral"))
    assert "Not enough checks in this workspace yet for community stats" in stats
    assert "Your last check" in history and classify(OFFER).label in history
    assert "Paste the part of a job offer" in help_text
    assert slack.api.of("chat.postMessage") == [], "nothing was posted for the whole channel"
    assert slack.api.of("conversations.replies") == [], "the thread was not read as an offer"
    assert len(await storage.list_cases("slack", TEAM_ID, "U0USER01", 10)) == 1


async def test_a_command_word_after_the_bot_answered_in_the_thread_is_private_too(
    slack: Slack, storage: SqlStorage
) -> None:
    parent = {"user": "U0USER01", "text": "We get $500/month in API credits", "ts": "320.1"}
    first = _mention(f"<@{BOT_USER_ID}>", ts="320.2", thread_ts="320.1")
    slack.api.thread_messages[("C0CHAN01", "320.1")] = [parent, first]
    await slack.event(event_body(first, event_id="Ev060"))
    await slack.api.wait_for("chat.postMessage")

    bot_reply = {"user": BOT_USER_ID, "bot_id": BOT_ID, "text": "Can't tell yet", "ts": "320.3"}
    second = _mention(f"<@{BOT_USER_ID}> history", ts="320.4", thread_ts="320.1")
    slack.api.thread_messages[("C0CHAN01", "320.1")] = [parent, first, bot_reply, second]
    await slack.event(event_body(second, event_id="Ev061"))

    shown = (await slack.api.wait_for("chat.postEphemeral"))[0].data
    assert shown["user"] == "U0USER01" and shown["thread_ts"] == "320.1"
    assert "Your last check" in _blocks_text(shown)
    await slack.settle()
    assert len(slack.api.of("chat.postMessage")) == 1, "only the verdict went to the thread"


def _dm(text: str, ts: str) -> dict[str, Any]:
    return {
        "type": "message",
        "channel": "D0DM0001",
        "user": "U0USER01",
        "text": text,
        "ts": ts,
        "event_ts": ts,
        "channel_type": "im",
    }


async def test_dm_check_then_answer_refines_the_case(slack: Slack, storage: SqlStorage) -> None:
    await slack.event(event_body(_dm("We get $500/month in API credits", "400.1"), event_id="Ev030"))
    first = (await slack.api.wait_for("chat.postMessage"))[0].data
    assert first["channel"] == "D0DM0001"
    assert first.get("thread_ts") is None
    case = await _only_case(storage)

    await slack.event(event_body(_dm("it's work only", "400.2"), event_id="Ev031"))
    second = (await slack.api.wait_for("chat.postMessage", count=2))[1].data

    refined = await _only_case(storage)
    assert refined.id == case.id
    assert [(a.question_id, a.value) for a in refined.answers] == [("use", "work_only")]
    assert refined.verdict.label in _blocks_text(second)


async def test_bot_and_edited_messages_in_dms_are_ignored(slack: Slack) -> None:
    own = {**_dm("Operating cost", "410.1"), "user": BOT_USER_ID, "bot_id": BOT_ID}
    edited = {**_dm("edited", "410.2"), "subtype": "message_changed"}
    await slack.event(event_body(own, event_id="Ev040"))
    await slack.event(event_body(edited, event_id="Ev041"))
    await slack.settle()
    assert slack.api.of("chat.postMessage") == []
    await slack.event(event_body(_dm("help", "410.3"), event_id="Ev042"))
    await slack.api.wait_for("chat.postMessage")


async def test_message_shortcut_gives_a_private_verdict(slack: Slack, storage: SqlStorage) -> None:
    payload = message_shortcut_payload(
        "Perk: $1,200/yr AI stipend, use it for anything", response_url=slack.api.response_url("sc")
    )
    response = await slack.interact(payload)
    assert response.status == 200

    posted = (await slack.api.wait_for("response_url"))[0].data
    assert posted["response_type"] == "ephemeral"
    case = await _only_case(storage)
    assert case.text == "Perk: $1,200/yr AI stipend, use it for anything"
    assert case.verdict.label in _blocks_text(posted)


# --- safety ------------------------------------------------------------------------------------


async def test_forged_signature_and_stale_timestamp_get_401_and_post_nothing(slack: Slack, storage: SqlStorage) -> None:
    body = slash_command_body(OFFER, response_url=slack.api.response_url("x"))
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    forged = {**form, **sign("not-the-secret", body)}
    stale = {**form, **sign(SIGNING_SECRET, body, timestamp=int(time.time()) - 6 * 60)}
    unsigned = dict(form)

    for headers in (forged, stale, unsigned):
        response = await slack.send_raw(body, headers)
        assert response.status == 401

    event = event_body(_mention(f"<@{BOT_USER_ID}> {OFFER}", ts="500.1", thread_ts=None), event_id="Ev050")
    forged_event = {"Content-Type": "application/json", **sign("wrong", event)}
    assert (await slack.send_raw(event, forged_event)).status == 401

    assert slack.api.calls == [], "nothing reached Slack's API"
    assert await storage.list_cases("slack", TEAM_ID, "U0USER01", 10) == []


async def test_rate_limit_answers_politely(slack_api: Any, storage: SqlStorage) -> None:

    app = make_bolt_app(ConversationService(storage, rate_limit_per_minute=2), slack_api)

    async def command(text: str) -> dict[str, Any]:
        body = slash_command_body(text, response_url=slack_api.response_url("r"))
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            **sign(SIGNING_SECRET, body),
        }
        response = await app.async_dispatch(AsyncBoltRequest(body=body, headers=headers))
        return json.loads(response.body)  # type: ignore[no-any-return]

    replies = [await command(f"${amount}/month API budget") for amount in (100, 200, 300)]

    assert "limit" not in _blocks_text(replies[0])
    assert "limit" not in _blocks_text(replies[1])
    assert "2 checks in a minute" in _blocks_text(replies[2])
    assert len(await storage.list_cases("slack", TEAM_ID, "U0USER01", 10)) == 2


async def test_an_unreadable_thread_still_gets_an_answer_from_the_mention(slack: Slack) -> None:
    slack.api.fail_next("conversations.replies", 200)  # answered with ok: false
    mention = _mention(f"<@{BOT_USER_ID}> {OFFER}", ts="600.2", thread_ts="600.1")

    await slack.event(event_body(mention, event_id="Ev060"))

    posted = (await slack.api.wait_for("chat.postMessage"))[0].data
    assert posted["thread_ts"] == "600.1"
    assert classify(OFFER).label in _blocks_text(posted)


async def test_a_failed_chat_update_falls_back_to_the_response_url(slack: Slack, storage: SqlStorage) -> None:
    await slack.command(OFFER)
    case = await _only_case(storage)
    slack.api.fail_next("chat.update", 200)  # ok: false, e.g. cant_update_message
    payload = block_action_payload(
        answer_action_id("use", "some_personal"),
        case.id,
        response_url=slack.api.response_url("fallback"),
        ephemeral=False,
    )
    await slack.interact(payload)

    replaced = (await slack.api.wait_for("response_url"))[0].data
    assert replaced["replace_original"] is True
    stored = await storage.get_case(case.id)
    assert stored is not None and stored.verdict.label in _blocks_text(replaced)


async def test_a_click_from_another_workspace_changes_nothing(slack: Slack, storage: SqlStorage) -> None:
    await slack.command(OFFER)
    case = await _only_case(storage)
    payload = block_action_payload(
        answer_action_id("use", "personal_allowed"),
        case.id,
        response_url=slack.api.response_url("x"),
    )
    payload["team"] = {"id": "T0OTHER99", "domain": "elsewhere"}

    await slack.interact(payload)

    posted = (await slack.api.wait_for("response_url"))[0].data
    assert posted["replace_original"] is False
    assert posted["response_type"] == "ephemeral"
    unchanged = await storage.get_case(case.id)
    assert unchanged is not None and unchanged.answers == []


async def test_url_verification_challenge_is_answered(slack: Slack) -> None:
    body = json.dumps(
        {
            "token": "legacy",
            "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
            "type": "url_verification",
        }
    )
    response = await slack.event(body)
    assert response.status == 200
    assert "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in response.body
    assert slack.api.calls == []
