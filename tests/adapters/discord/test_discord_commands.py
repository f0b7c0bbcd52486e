"""Command and button callbacks with real discord.py objects built from payloads, no network.

A recording webhook adapter stands in where discord.py sends interaction responses, so the
tests see the exact JSON Discord would receive.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import discord
import pytest
from discord.webhook.async_ import AsyncWebhookAdapter, async_context
from discord_standin import (
    ALICE,
    BOB,
    BOT_USER,
    MemoryMeta,
    application,
    button_click,
    message,
    message_command,
    slash_command,
)

from adapters.discord._parsing import parse_answer_custom_id
from adapters.discord.client import (
    CONTEXT_MENU_NAME,
    DiscordOptions,
    PerkcheckDiscord,
    command_payload,
)
from adapters.discord.rendering import AnswerButton, FeedbackButton
from core.classifier import classify
from core.service import ConversationService, Reply

OFFER = "$500/month API budget, work-only"


@dataclass
class Sent:
    method: str
    path: str
    payload: dict[str, Any]


class RecordingAdapter(AsyncWebhookAdapter):
    """Records what discord.py would send to Discord for interactions; answers like Discord."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[Sent] = []

    async def request(self, route: Any, session: Any, *args: Any, **kwargs: Any) -> Any:
        payload = kwargs.get("payload") or {}
        path = route.url.removeprefix(discord.http.Route.BASE)
        self.sent.append(Sent(route.method, path, payload))
        if path.endswith("/callback"):
            return {"interaction": {"id": path.split("/")[2], "type": payload.get("type")}}
        return message(payload.get("content") or "", author=BOT_USER, embeds=payload.get("embeds"))


@pytest.fixture
def adapter() -> Iterator[RecordingAdapter]:
    recorder = RecordingAdapter()
    token = async_context.set(recorder)
    yield recorder
    async_context.reset(token)


class SlowService:
    """A service that takes longer than the response budget, or fails."""

    def __init__(self, delay: float = 0.0, fail: bool = False) -> None:
        self.delay, self.fail = delay, fail

    async def check(self, conv: Any, text: str, **_: Any) -> Reply:
        await asyncio.sleep(self.delay)
        if self.fail:
            raise RuntimeError("database on fire")
        return Reply(kind="verdict", verdict=classify(text), case_id="c" * 32)

    async def answer(self, case_id: str, user: str, question_id: str, value: str, **_: Any) -> Reply:
        await asyncio.sleep(self.delay)
        verdict = classify(f"$500/month API budget, work-only, it {value.replace('_', ' ')}")
        return Reply(kind="refined", verdict=verdict, case_id=case_id, changes=["Expiry: rolls over."])


def make_client(service: Any, **options: Any) -> PerkcheckDiscord:
    client = PerkcheckDiscord(service, MemoryMeta(), DiscordOptions(**options))
    state = client._connection
    state.user = discord.ClientUser(state=state, data=BOT_USER)
    state.application_id = int(application()["id"])
    return client


def interaction(client: PerkcheckDiscord, payload: dict[str, Any]) -> discord.Interaction:
    return discord.Interaction(data=payload, state=client._connection)  # type: ignore[arg-type]


async def click_in_reply(
    client: PerkcheckDiscord, adapter: RecordingAdapter, button_type: Any, pick: Callable[[dict[str, Any]], bool]
) -> str:
    """Alice clicks the button `pick` chooses in the bot's first reply, dispatched like discord.py does; its id."""
    sent = adapter.sent[0].payload["data"]
    [custom_id] = [item["custom_id"] for row in sent["components"] for item in row["components"] if pick(item)]
    bot_message = message("", author=BOT_USER, embeds=sent["embeds"], components=sent["components"])
    click = interaction(client, button_click(custom_id, bot_message, clicker=ALICE))
    match = button_type.__discord_ui_compiled_template__.fullmatch(custom_id)
    assert match is not None
    button = await button_type.from_custom_id(click, discord.ui.Button(custom_id=custom_id), match)
    await button.callback(click)
    return str(custom_id)


async def run_slash(client: PerkcheckDiscord, **options: Any) -> discord.Interaction:
    command = client.tree.get_command("perkcheck")
    assert isinstance(command, discord.app_commands.Command)
    target = interaction(client, slash_command("perkcheck", options))
    await command.callback(target, **options)  # type: ignore[call-arg]
    return target


def test_command_definitions_fit_discords_rules() -> None:
    client = make_client(SlowService())
    payload = command_payload(client.tree, None)
    commands = {c.name: c.to_dict(client.tree) for c in client.tree.get_commands()}
    assert set(commands) == {
        "perkcheck",
        "perkcheck-history",
        "perkcheck-forget",
        "perkcheck-stats",
        "perkcheck-compare",
        CONTEXT_MENU_NAME,
    }
    for name, command in commands.items():
        if command["type"] == 1:
            assert re.fullmatch(r"[a-z0-9_-]{1,32}", name)
            assert 1 <= len(command["description"]) <= 100
            for option in command["options"]:
                assert 1 <= len(option["description"]) <= 100
    assert commands[CONTEXT_MENU_NAME]["type"] == 3  # a message context-menu command
    options = {o["name"]: o for o in commands["perkcheck"]["options"]}
    assert options["text"] == {**options["text"], "type": 3, "required": True}
    assert options["share"] == {**options["share"], "type": 5, "required": False}
    compare = {o["name"]: o for o in commands["perkcheck-compare"]["options"]}
    assert compare["offers"] == {**compare["offers"], "type": 3, "required": True}
    assert payload == command_payload(client.tree, None)  # stable, so the hash is too


def test_guild_setting_registers_commands_for_that_guild_only() -> None:
    client = make_client(SlowService(), guild_id=1234)
    assert client.tree.get_commands() == []
    names = {c.name for c in client.tree.get_commands(guild=discord.Object(1234))}
    assert names == {
        "perkcheck",
        "perkcheck-history",
        "perkcheck-forget",
        "perkcheck-stats",
        "perkcheck-compare",
        CONTEXT_MENU_NAME,
    }


async def test_slash_command_sends_ephemeral_embed_without_mentions(
    adapter: RecordingAdapter, service: ConversationService
) -> None:
    client = make_client(service)
    await run_slash(client, text=OFFER)
    [sent] = adapter.sent
    assert sent.method == "POST" and sent.path.endswith("/callback")
    data = sent.payload["data"]
    assert sent.payload["type"] == 4
    assert data["flags"] == 64
    assert data["allowed_mentions"] == {"parse": []}
    [embed] = data["embeds"]
    assert embed["title"] == "Operating cost"
    assert embed["color"] == 0xD9534F


async def test_share_posts_publicly_but_errors_stay_private(
    adapter: RecordingAdapter, service: ConversationService
) -> None:
    client = make_client(service)
    await run_slash(client, text=OFFER, share=True)
    await run_slash(client, text="x" * 4001, share=True)
    public, refused = (sent.payload["data"] for sent in adapter.sent)
    assert not public.get("flags", 0) & 64
    assert refused["flags"] == 64
    assert "4,000" in refused["content"]
    assert refused["allowed_mentions"] == {"parse": []}


async def test_slow_service_is_deferred_then_followed_up(adapter: RecordingAdapter) -> None:
    client = make_client(SlowService(delay=0.2), response_budget=0.05)
    await run_slash(client, text=OFFER)
    defer, follow_up = adapter.sent
    assert defer.payload == {"type": 5, "data": {"flags": 64}}  # thinking, ephemeral
    assert follow_up.method == "POST" and follow_up.path.startswith("/webhooks/")
    assert follow_up.payload["flags"] == 64
    assert follow_up.payload["allowed_mentions"] == {"parse": []}
    assert follow_up.payload["embeds"][0]["title"] == "Operating cost"


async def test_service_failure_answers_privately_and_does_not_raise(
    adapter: RecordingAdapter,
) -> None:
    client = make_client(SlowService(fail=True))
    await run_slash(client, text=OFFER)
    [sent] = adapter.sent
    assert sent.payload["data"]["flags"] == 64
    assert "went wrong" in sent.payload["data"]["content"]


async def test_context_menu_checks_the_target_message(adapter: RecordingAdapter, service: ConversationService) -> None:
    client = make_client(service)
    target = message(f"offer: {OFFER}", author=BOB)
    menu = client.tree.get_command(CONTEXT_MENU_NAME, type=discord.AppCommandType.message)
    assert menu is not None
    invoked = interaction(client, message_command(CONTEXT_MENU_NAME, target))
    target_message = discord.Message(
        state=client._connection,
        channel=invoked.channel,
        data=target,  # type: ignore[arg-type]
    )
    await menu.callback(invoked, target_message)  # type: ignore[call-arg]
    [sent] = adapter.sent
    assert sent.payload["data"]["flags"] == 64
    assert sent.payload["data"]["embeds"][0]["title"] == "Operating cost"


async def test_button_click_edits_message_with_new_verdict_and_changes(
    adapter: RecordingAdapter, service: ConversationService
) -> None:
    client = make_client(service)
    await run_slash(client, text=OFFER)
    await click_in_reply(client, adapter, AnswerButton, lambda item: item["custom_id"].endswith(":top_up:yes"))

    edit = adapter.sent[-1].payload
    assert edit["type"] == 7  # UPDATE_MESSAGE
    assert edit["data"]["allowed_mentions"] == {"parse": []}
    [embed] = edit["data"]["embeds"]
    assert embed["fields"][0]["name"] == "What changed"
    remaining = [item["custom_id"] for row in edit["data"]["components"] for item in row["components"]]
    assert not [cid for cid in remaining if ":top_up:" in cid]


async def test_someone_elses_click_on_an_erased_case_gets_a_private_note(
    adapter: RecordingAdapter, service: ConversationService
) -> None:
    client = make_client(service)
    custom_id = "perkcheck:a:" + "0" * 32 + ":use:work_only"
    click = interaction(client, button_click(custom_id, message("", author=BOT_USER), clicker=BOB))
    parsed = parse_answer_custom_id(custom_id)
    assert parsed is not None
    await AnswerButton(parsed, "Work only", row=0).callback(click)
    [sent] = adapter.sent
    assert sent.payload["type"] == 4
    assert sent.payload["data"]["flags"] == 64
    assert "no longer have that check" in sent.payload["data"]["content"]


async def test_slow_click_is_deferred_then_the_original_message_edited(
    adapter: RecordingAdapter,
) -> None:
    client = make_client(SlowService(delay=0.2), response_budget=0.05)
    custom_id = "perkcheck:a:" + "c" * 32 + ":expiry:rolls_over"
    parsed = parse_answer_custom_id(custom_id)
    assert parsed is not None
    click = interaction(client, button_click(custom_id, message("", author=BOT_USER)))
    await AnswerButton(parsed, "Rolls over", row=0).callback(click)
    defer, edit = adapter.sent
    assert defer.payload == {"type": 6}  # DEFERRED_UPDATE_MESSAGE
    assert (edit.method, edit.path.rsplit("/", 2)[-2:]) == ("PATCH", ["messages", "@original"])
    assert edit.payload["allowed_mentions"] == {"parse": []}
    assert edit.payload["embeds"][0]["fields"][0] == {
        "name": "What changed",
        "value": "• Expiry: rolls over.",
        "inline": False,
    }


# --- offer intelligence: compare, stats, feedback ------------------------------------------------


async def run_command(client: PerkcheckDiscord, name: str, **options: Any) -> None:
    command = client.tree.get_command(name)
    assert isinstance(command, discord.app_commands.Command)
    await command.callback(interaction(client, slash_command(name, options)), **options)  # type: ignore[call-arg]


async def test_compare_command_sends_a_private_embed(adapter: RecordingAdapter, service: ConversationService) -> None:
    client = make_client(service)
    await run_command(
        client, "perkcheck-compare", offers="$500/month API budget, work only vs $200/mo AI stipend for anything"
    )
    await run_command(client, "perkcheck-compare", offers="€110k base vs $120k base", share=True)
    compared, refused = (sent.payload["data"] for sent in adapter.sent)
    assert compared["flags"] == 64 and compared["allowed_mentions"] == {"parse": []}
    [embed] = compared["embeds"]
    assert embed["title"] == "Compare offers"
    assert embed["description"].startswith("**Offer B is ahead on real pay by $2,400 a year")
    assert not refused.get("flags", 0) & 64, "share:True posts a comparison in the channel"
    assert "different currencies" in refused["embeds"][0]["description"]


async def test_stats_command_is_private_and_hidden_below_five_checks(
    adapter: RecordingAdapter, service: ConversationService
) -> None:
    client = make_client(service)
    await run_command(client, "perkcheck-stats")
    [sent] = adapter.sent
    assert sent.payload["data"]["flags"] == 64
    assert "Not enough checks in this server yet" in sent.payload["data"]["content"]


async def test_feedback_button_stores_a_thumbs_down_and_thanks_privately(
    adapter: RecordingAdapter, service: ConversationService
) -> None:
    client = make_client(service)
    await run_slash(client, text=OFFER)
    custom_id = await click_in_reply(client, adapter, FeedbackButton, lambda item: item["label"] == "👎")

    thanks = adapter.sent[-1].payload
    assert thanks["type"] == 4 and thanks["data"]["flags"] == 64
    assert "Thanks for the 👎" in thanks["data"]["content"]
    [case] = await service.storage.disagreed_cases()  # type: ignore[attr-defined]
    assert case.id == custom_id.split(":")[2] and case.text == OFFER
