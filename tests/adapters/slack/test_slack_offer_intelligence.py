"""Offer intelligence on Slack, end to end through Bolt: compare, context and tax notes, stats, feedback."""

from __future__ import annotations

import json
from typing import Any

from slack_harness import Slack
from slack_standin import TEAM_ID, block_action_payload

from adapters.slack._parsing import feedback_action_id
from bot.storage import SqlStorage
from core.service import Conversation, ConversationService

OFFER = "They give $500/month API budget, work-only"
COMPARE = (
    "compare Offer A: $185k base, 10% bonus, $15,000/yr AI token credits, work only."
    " Offer B: $190k base, 10% bonus, $5,000/yr AI stipend, use it for anything"
)


def _text(message: dict[str, Any]) -> str:
    return json.dumps(message.get("blocks", []), ensure_ascii=False)


async def test_compare_answers_privately_with_real_pay_side_by_side(slack: Slack, storage: SqlStorage) -> None:
    body = (await slack.command(COMPARE)).json()
    assert body["response_type"] == "ephemeral"
    assert body["blocks"][0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Compare offers", "emoji": False},
    }
    text = _text(body)
    assert "*Offer B is ahead on real pay by $10,500 a year, although Offer A has the bigger headline total.*" in text
    assert "AI token credits: $15,000 (not pay: an operating cost, a tool for the job)" in text
    assert await storage.list_cases("slack", TEAM_ID, "U0USER01", 10) == [], "a comparison is not stored"


async def test_compare_refuses_to_add_offers_in_different_currencies(slack: Slack) -> None:
    body = (await slack.command("compare €110k base, €3k AI stipend for anything vs $120k base, $2k AI credits")).json()
    text = _text(body)
    assert "different currencies" in text and "won't add or subtract them" in text
    assert "ahead on real pay" not in text


async def test_compare_without_two_offers_says_how_to_ask(slack: Slack) -> None:
    text = _text((await slack.command("compare $500/month API budget")).json())
    assert "Give me two offers to compare" in text


async def test_verdict_carries_dated_prices_and_a_labelled_tax_note(slack: Slack) -> None:
    text = _text((await slack.command("They gave me Cursor Pro, work only, we are based in London")).json())
    assert "*In context (list prices, dated)*" in text
    assert "Cursor Pro is about $20/month ($240 a year) at list price (2025-10-01, cursor.com/pricing)" in text
    assert "*Tax in the United Kingdom: general information, not tax advice*" in text
    assert "ITEPA 2003 s316" in text
    assert "_General information, not tax advice: rules change and depend on the details; ask a tax adviser._" in text


async def test_no_tax_note_where_no_country_is_implied(slack: Slack) -> None:
    text = _text((await slack.command("500 a month AI budget, work only")).json())
    assert "not tax advice" not in text


async def test_stats_stay_hidden_below_five_checks_and_count_only_this_workspace(
    slack: Slack, service: ConversationService
) -> None:
    elsewhere = Conversation(platform="slack", workspace="T0OTHER", channel="C1", user="U9")
    for amount in range(100, 1100, 100):
        await service.check(elsewhere, f"${amount}/month AI stipend, use it for anything")
    for n, amount in enumerate((100, 200, 300, 400)):
        await slack.command(f"${amount}/month API budget, work-only", user=f"U0USER0{n}")

    hidden = _text((await slack.command("stats")).json())
    assert "Not enough checks in this workspace yet" in hidden
    assert "%" not in hidden

    await slack.command("$500/month API budget, work-only", user="U0USER09")
    shown = _text((await slack.command("stats")).json())
    assert "Community stats for this workspace: 5 AI allowances checked." in shown
    assert "Operating cost: 100% (5)" in shown
    assert "Operating cost: $3,600 a year (over 5 checks)" in shown
    assert "Real perk" not in shown, "the other workspace's perks are never counted"
    assert "U0USER0" not in shown and "API budget" not in shown


async def test_feedback_buttons_store_a_thumbs_down_that_forget_erases(slack: Slack, storage: SqlStorage) -> None:
    body = (await slack.command(OFFER)).json()
    footer = body["blocks"][-1]
    [case] = await storage.list_cases("slack", TEAM_ID, "U0USER01", 10)
    assert [(e["action_id"], e["text"]["text"], e["value"]) for e in footer["elements"][-2:]] == [
        ("perkcheck.feedback.up", "👍", case.id),
        ("perkcheck.feedback.down", "👎", case.id),
    ]

    payload = block_action_payload(feedback_action_id("down"), case.id, response_url=slack.api.response_url("fb"))
    assert (await slack.interact(payload)).status == 200
    [thanks] = await slack.api.wait_for("response_url")
    assert thanks.data["response_type"] == "ephemeral" and thanks.data["replace_original"] is False
    assert "Thanks for the 👎" in _text(thanks.data)
    stored = await storage.get_case(case.id)
    assert stored is not None and (stored.feedback, stored.feedback_by) == ("down", "U0USER01")
    assert [c.text for c in await storage.disagreed_cases()] == [OFFER]

    await slack.command("forget")
    assert await storage.disagreed_cases() == []


async def test_feedback_from_another_workspace_is_refused(slack: Slack, storage: SqlStorage) -> None:
    await slack.command(OFFER)
    [case] = await storage.list_cases("slack", TEAM_ID, "U0USER01", 10)
    payload = block_action_payload(feedback_action_id("down"), case.id, response_url=slack.api.response_url("fb"))
    payload["team"]["id"] = "T0OTHER"
    await slack.interact(payload)
    [reply] = await slack.api.wait_for("response_url")
    assert "no longer have that check" in _text(reply.data)
    stored = await storage.get_case(case.id)
    assert stored is not None and stored.feedback is None
