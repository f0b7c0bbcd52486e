"""Slack payloads -> service arguments."""

from __future__ import annotations

import pytest

from adapters.slack._parsing import (
    answer_action_id,
    bot_has_replied,
    command_conversation,
    interaction_conversation,
    is_user_dm,
    mention_command,
    parse_command_text,
    parse_quick_answer,
    strip_mentions_of,
    thread_offer_text,
    unescape,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ("help", "")),
        ("   ", ("help", "")),
        (None, ("help", "")),
        ("help", ("help", "")),
        ("HISTORY", ("history", "")),
        (" forget ", ("forget", "")),
        ("new", ("new", "")),
        ("$500/mo &amp; work only", ("check", "$500/mo & work only")),
        ("help me with $500/mo", ("check", "help me with $500/mo")),
    ],
)
def test_command_words_and_checks(text: str | None, expected: tuple[str, str]) -> None:
    assert parse_command_text(text) == expected


def test_unescape_reverses_slack_escaping_once() -> None:
    assert unescape("a &lt;b&gt; &amp;lt;") == "a <b> &lt;"


def test_quick_answer_round_trip_and_rejects_unknown() -> None:
    action = {"action_id": answer_action_id("expiry", "rolls_over"), "value": "case1"}
    answer = parse_quick_answer(action)
    assert answer is not None
    assert (answer.case_id, answer.question_id, answer.value) == ("case1", "expiry", "rolls_over")
    assert parse_quick_answer({"action_id": answer_action_id("expiry", "bogus"), "value": "c"}) is None
    assert parse_quick_answer({"action_id": answer_action_id("use", "work_only"), "value": ""}) is None
    assert parse_quick_answer({"action_id": "perkcheck.share", "value": "c"}) is None


def test_conversations_from_payloads() -> None:
    conv = command_conversation({"team_id": "T1", "channel_id": "C1", "user_id": "U1"})
    assert (conv.platform, conv.workspace, conv.channel, conv.user, conv.thread) == (
        "slack",
        "T1",
        "C1",
        "U1",
        None,
    )
    action = interaction_conversation(
        {
            "team": {"id": "T1"},
            "user": {"id": "U2"},
            "container": {"channel_id": "C2", "message_ts": "1.2"},
            "message": {"thread_ts": "1.0"},
        }
    )
    assert (action.workspace, action.channel, action.user, action.thread) == (
        "T1",
        "C2",
        "U2",
        "1.0",
    )


def test_thread_text_skips_the_bot_and_strips_its_mention() -> None:
    messages = [
        {"user": "U1", "text": "They offer $500/month in API credits &amp; more", "ts": "1"},
        {"user": "UBOT", "bot_id": "BBOT", "text": "Operating cost", "ts": "2"},
        {"bot_id": "BBOT", "text": "also the bot", "ts": "3"},
        {"user": "U2", "text": "work only, I asked <@U3>", "ts": "4"},
        {"user": "U1", "text": "<@UBOT> what do you think?", "ts": "5"},
    ]
    thread = thread_offer_text(messages, bot_user_id="UBOT", bot_id="BBOT", max_chars=4000)
    assert thread.left_out == 0
    assert thread.text.splitlines() == [
        "They offer $500/month in API credits & more",
        "work only, I asked <@U3>",
        "what do you think?",
    ]
    assert [part.user for part in thread.parts] == ["U1", "U2", "U1"]  # who wrote each line, for `forget`
    assert bot_has_replied(messages, bot_user_id="UBOT", bot_id="BBOT")
    assert not bot_has_replied(messages[:1], bot_user_id="UBOT", bot_id="BBOT")


def test_strip_mentions_keeps_other_people() -> None:
    assert strip_mentions_of("<@UBOT|perkcheck> hi <@U9>", "UBOT") == "hi <@U9>"


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        ({"channel_type": "im", "user": "U1", "text": "hi"}, True),
        ({"channel_type": "im", "user": "U1", "subtype": "message_changed"}, False),
        ({"channel_type": "im", "bot_id": "B1", "user": "U1"}, False),
        ({"channel_type": "channel", "user": "U1", "text": "hi"}, False),
    ],
)
def test_only_plain_dms_count(event: dict[str, str], expected: bool) -> None:
    assert is_user_dm(event) is expected


def test_a_long_thread_keeps_the_parent_and_latest_replies_and_says_so() -> None:
    parent = {"user": "U1", "text": "Offer: $500/month API credits", "ts": "1"}
    chatter = [{"user": "U2", "text": f"reply {index} " + "x" * 90, "ts": f"{index + 2}"} for index in range(50)]
    latest = {"user": "U1", "text": "is it work only?", "ts": "99"}

    thread = thread_offer_text([parent, *chatter, latest], bot_user_id=None, bot_id=None, max_chars=1000)

    lines = thread.text.splitlines()
    assert len(thread.text) <= 1000
    assert lines[0] == parent["text"]
    assert lines[-1] == latest["text"]
    assert thread.left_out == 50 + 2 - len(lines)
    assert "reply 49" in thread.text and "reply 0 " not in thread.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("stats", "stats"),
        (" History? ", "history"),
        ("help!", "help"),
        ("forget", "forget"),
        ("new", "new"),
        ("", None),  # a bare mention: check the thread
        ("stats on this offer please", None),
        ("$500/month, help me read it", None),
        ("compare A vs B", None),
    ],
)
def test_mention_command(text: str, expected: str | None) -> None:
    assert mention_command(text) == expected
