"""The Discord client: slash and context-menu commands, mentions, DMs and answer buttons.

Everything user-facing goes through an injected ConversationService; command definitions
are synced at start-up only when their hash (kept in an injected MetaStore) changed.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar, cast

import discord
from discord import app_commands
from discord.webhook.async_ import async_context

from adapters.discord._parsing import (
    AnswerClick,
    FeedbackClick,
    conversation_for_interaction,
    conversation_for_message,
    event_id,
    mentions_user,
    message_text,
    strip_mention,
    thread_offer_text,
)
from adapters.discord.rendering import NO_MENTIONS, AnswerButton, FeedbackButton, Rendered, plain, render
from adapters.discord.routing import DEFAULT_API_URL, RoutedHTTPClient, RoutedWebhookAdapter
from core.cases import TextPart
from core.classifier import MAX_INPUT_CHARS
from core.inflight import InFlight
from core.requestlog import bind_request, reset_request
from core.service import ConversationService, Reply

log = logging.getLogger(__name__)

COMMAND_HASH_KEY = "discord.command_hash"
THREAD_HISTORY_LIMIT = 50
#: Kinds that may be shown to the channel when the user asked to share.
SHAREABLE_KINDS = frozenset({"verdict", "refined", "comparison"})

PERKCHECK_DESCRIPTION = "Is an AI token allowance in a job offer pay, or an operating cost?"
TEXT_DESCRIPTION = "The offer text, e.g. '$500/month API budget, work-only'"
SHARE_DESCRIPTION = "Post the verdict in the channel (default: only you see it)"
HISTORY_DESCRIPTION = "Your recent perkcheck verdicts (only you see them)"
FORGET_DESCRIPTION = "Delete everything perkcheck stored about you"
STATS_DESCRIPTION = "Community stats for this server: verdict shares and median amounts (from 5 checks)"
COMPARE_DESCRIPTION = "Compare offers on real pay, e.g. 'Offer A: ... Offer B: ...' or '<offer> vs <offer>'"
OFFERS_DESCRIPTION = "The offers: 'Offer A: $185k base ... Offer B: ...', '<offer> vs <offer>'"
CONTEXT_MENU_NAME = "Check this offer"

CONTENT_INTENT_HELP = (
    "Discord refused the privileged Message Content intent. Either switch on "
    "'Message Content Intent' under Bot > Privileged Gateway Intents in the Discord "
    "developer portal (https://discord.com/developers/applications), or set "
    "DISCORD_MESSAGE_CONTENT=false (mentions then use only their own text)."
)
DISCORD_HELP = (
    "On Discord: /perkcheck text:<offer> answers privately (add share:True to post it), "
    "/perkcheck-history lists your checks, /perkcheck-forget erases them, /perkcheck-compare "
    "offers:<offer A> vs <offer B> compares real pay, /perkcheck-stats shows this server's community "
    "stats, and 👍/👎 under a verdict tells the operator whether it looked right. Right-click any "
    "message > Apps > Check this offer for a private verdict on it. Mention me in a thread "
    "or in a reply to someone's message and I read the offer there; mention me again in the "
    "thread to answer my questions, or use the buttons."
)
NO_CONTENT_HELP = (
    "Reading earlier messages is switched off for this bot, so put the offer in the message "
    "that mentions me (or use Check this offer, which works on any message)."
)
SORRY = "Something went wrong on my side; nothing was lost. Please try again in a moment."


class MetaStore(Protocol):
    """Small shared values (the command-sync hash), kept in the database."""

    async def get_meta(self, key: str) -> str | None: ...

    async def set_meta(self, key: str, value: str) -> None: ...


@dataclass(frozen=True, slots=True)
class DiscordOptions:
    """How the client connects and behaves; see docs/discord.md for each setting."""

    api_url: str = DEFAULT_API_URL
    gateway_url: str | None = None
    guild_id: int | None = None
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None
    message_content: bool = True
    guild_ready_timeout: float = 2.0
    #: Answer directly when the service replies within this many seconds; defer otherwise.
    response_budget: float = 2.0


def intents_for(options: DiscordOptions) -> discord.Intents:
    """Only what perkcheck reads: guilds (threads), guild and DM messages, optionally content."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.dm_messages = True
    intents.message_content = options.message_content
    return intents


def command_payload(tree: app_commands.CommandTree[Any], guild: discord.Object | None) -> str:
    """The command definitions as Discord receives them, as canonical JSON."""
    commands = tree.get_commands(guild=guild)
    payload = sorted((command.to_dict(tree) for command in commands), key=lambda c: c["name"])
    return json.dumps(payload, sort_keys=True, separators=(",", ":"))


async def sync_commands_if_changed(
    tree: app_commands.CommandTree[Any],
    meta: MetaStore,
    *,
    application_id: int | None,
    guild: discord.Object | None,
) -> bool:
    """Sync the commands only when their definition hash differs from the stored one."""
    target = f"guild:{guild.id}" if guild is not None else "global"
    digest = hashlib.sha256(command_payload(tree, guild).encode()).hexdigest()
    key = f"{COMMAND_HASH_KEY}:{application_id}:{target}"
    if await meta.get_meta(key) == digest:
        log.info("Discord commands unchanged (%s); not syncing", target)
        return False
    await tree.sync(guild=guild)
    await meta.set_meta(key, digest)
    log.info("Discord commands synced (%s)", target)
    return True


class PerkcheckDiscord(discord.AutoShardedClient):
    """A sharded client wired to the conversation service."""

    def __init__(
        self,
        service: ConversationService,
        meta: MetaStore,
        options: DiscordOptions | None = None,
    ) -> None:
        self.options = options or DiscordOptions()
        shards: dict[str, Any] = {"shard_count": self.options.shard_count}
        if self.options.shard_ids:
            shards["shard_ids"] = list(self.options.shard_ids)
        super().__init__(
            intents=intents_for(self.options),
            **shards,
            guild_ready_timeout=self.options.guild_ready_timeout,
            allowed_mentions=NO_MENTIONS,
            chunk_guilds_at_startup=False,
        )
        # Replace the HTTP client before anything (state, command tree) holds on to it.
        self.http = RoutedHTTPClient(
            self.loop,
            api_url=self.options.api_url,
            gateway_url=self.options.gateway_url,
        )
        self._connection.http = self.http
        self.meta = meta
        self.answer_handler = PerkcheckHandlers(self, service)
        self.tree: app_commands.CommandTree[PerkcheckDiscord] = app_commands.CommandTree(self)
        self.answer_handler.register_commands(self.tree)

    @property
    def command_guild(self) -> discord.Object | None:
        guild_id = self.options.guild_id
        return discord.Object(id=guild_id) if guild_id else None

    def runs_first_shard(self) -> bool:
        return self.options.shard_ids is None or 0 in self.options.shard_ids

    async def start(self, token: str, *, reconnect: bool = True) -> None:
        """Log in and connect; interaction responses use this client's API URL."""
        async_context.set(RoutedWebhookAdapter(self.options.api_url))
        await super().start(token, reconnect=reconnect)

    async def setup_hook(self) -> None:
        self.add_dynamic_items(AnswerButton, FeedbackButton)
        if not self.runs_first_shard():
            return
        try:
            await sync_commands_if_changed(
                self.tree, self.meta, application_id=self.application_id, guild=self.command_guild
            )
        except discord.HTTPException as error:
            log.warning(
                "Could not sync Discord commands (%s); was the bot invited with the applications.commands scope?",
                error,
            )
        except Exception:
            log.exception("Could not check the Discord command hash; commands left as they are")

    async def on_message(self, message: discord.Message) -> None:
        await self.answer_handler.on_message(message)


_Handler = TypeVar("_Handler", bound=Callable[..., Awaitable[None]])


def _tracked(kind: str) -> Callable[[_Handler], _Handler]:
    """Count a handler while it runs (so shutdown can wait for it) and bind its request id.

    The handler's first argument is the interaction or message; its id is the request id and
    `discord:<kind>:<id>` the event id on every log line written while handling it.
    """

    def decorate(handler: _Handler) -> _Handler:
        @functools.wraps(handler)
        async def run(self: PerkcheckHandlers, source: Any, *args: Any, **kwargs: Any) -> None:
            snowflake = getattr(source, "id", None)
            token = bind_request(
                platform="discord",
                request_id=str(snowflake) if snowflake is not None else None,
                event_id=event_id(kind, snowflake) if snowflake is not None else None,
            )
            try:
                with self._running.running():
                    await handler(self, source, *args, **kwargs)
            finally:
                reset_request(token)

        return cast(_Handler, run)

    return decorate


class PerkcheckHandlers:
    """What each Discord event does, in terms of the conversation service."""

    def __init__(self, client: PerkcheckDiscord, service: ConversationService) -> None:
        self.client = client
        self.service = service
        self._running = InFlight("Discord handlers")

    @property
    def in_flight(self) -> int:
        """Interactions and messages being handled now."""
        return self._running.count

    async def drain(self, within: float) -> bool:
        """Wait up to `within` seconds for running handlers to finish; False if some did not."""
        return await self._running.drain(within)

    # --- command definitions -----------------------------------------------------------------

    def register_commands(self, tree: app_commands.CommandTree[Any]) -> None:
        """/perkcheck, /perkcheck-history, /perkcheck-forget, /perkcheck-stats, /perkcheck-compare and
        "Check this offer"."""
        guild = self.client.command_guild
        guilds = [guild] if guild is not None else []

        @app_commands.describe(text=TEXT_DESCRIPTION, share=SHARE_DESCRIPTION)
        async def perkcheck(interaction: discord.Interaction, text: str, share: bool = False) -> None:
            await self.check_command(interaction, text, share)

        async def history(interaction: discord.Interaction) -> None:
            await self.history_command(interaction)

        async def forget(interaction: discord.Interaction) -> None:
            await self.forget_command(interaction)

        async def stats(interaction: discord.Interaction) -> None:
            await self.stats_command(interaction)

        @app_commands.describe(offers=OFFERS_DESCRIPTION, share=SHARE_DESCRIPTION)
        async def compare(interaction: discord.Interaction, offers: str, share: bool = False) -> None:
            await self.compare_command(interaction, offers, share)

        async def check_this_offer(interaction: discord.Interaction, message: discord.Message) -> None:
            await self.context_menu(interaction, message)

        for name, description, callback in (
            ("perkcheck", PERKCHECK_DESCRIPTION, perkcheck),
            ("perkcheck-history", HISTORY_DESCRIPTION, history),
            ("perkcheck-forget", FORGET_DESCRIPTION, forget),
            ("perkcheck-stats", STATS_DESCRIPTION, stats),
            ("perkcheck-compare", COMPARE_DESCRIPTION, compare),
        ):
            command: app_commands.Command[Any, ..., None] = app_commands.Command(
                name=name, description=description, callback=callback
            )
            tree.add_command(command, guilds=guilds)
        tree.add_command(
            app_commands.ContextMenu(name=CONTEXT_MENU_NAME, callback=check_this_offer),
            guilds=guilds,
        )
        tree.error(self.on_command_error)

    # --- interactions -------------------------------------------------------------------------

    @_tracked("interaction")
    async def check_command(self, interaction: discord.Interaction, text: str, share: bool) -> None:
        conv = conversation_for_interaction(interaction)
        await self._respond(
            interaction,
            lambda: self.service.check(conv, text, event_id=event_id("interaction", interaction.id)),
            public=share,
        )

    @_tracked("interaction")
    async def history_command(self, interaction: discord.Interaction) -> None:
        conv = conversation_for_interaction(interaction)
        await self._respond(interaction, lambda: self.service.history(conv), public=False)

    @_tracked("interaction")
    async def forget_command(self, interaction: discord.Interaction) -> None:
        conv = conversation_for_interaction(interaction)
        await self._respond(interaction, lambda: self.service.forget(conv), public=False)

    @_tracked("interaction")
    async def stats_command(self, interaction: discord.Interaction) -> None:
        conv = conversation_for_interaction(interaction)
        await self._respond(interaction, lambda: self.service.stats(conv), public=False)

    @_tracked("interaction")
    async def compare_command(self, interaction: discord.Interaction, offers: str, share: bool) -> None:
        conv = conversation_for_interaction(interaction)
        eid = event_id("interaction", interaction.id)
        await self._respond(interaction, lambda: self.service.compare(conv, offers, event_id=eid), public=share)

    @_tracked("interaction")
    async def context_menu(self, interaction: discord.Interaction, message: discord.Message) -> None:
        text = message_text(message)
        if not text:
            await interaction.response.send_message(
                **plain("That message has no text I can read.").send_kwargs(), ephemeral=True
            )
            return
        conv = conversation_for_interaction(interaction)
        await self._respond(
            interaction,
            lambda: self.service.check(conv, text, event_id=event_id("interaction", interaction.id)),
            public=False,
        )

    @_tracked("interaction")
    async def on_answer_click(self, interaction: discord.Interaction, click: AnswerClick) -> None:
        """Record a quick answer and edit the message with the new verdict and what changed."""
        work = self.service.answer(
            click.case_id,
            str(interaction.user.id),
            click.question_id,
            click.value,
            workspace=conversation_for_interaction(interaction).workspace,
        )
        try:
            reply = await self._in_time(work, interaction.response.defer)
        except Exception:
            log.exception("Answer to case %s failed", click.case_id)
            await self._send_private(interaction, plain(SORRY))
            return
        rendered = self._render(reply)
        if reply.kind in SHAREABLE_KINDS and reply.verdict is not None:
            if interaction.response.is_done():
                await interaction.edit_original_response(**rendered.edit_kwargs())
            else:
                await interaction.response.edit_message(**rendered.edit_kwargs())
        else:
            await self._send_private(interaction, rendered)

    @_tracked("interaction")
    async def on_feedback_click(self, interaction: discord.Interaction, click: FeedbackClick) -> None:
        """Store a 👍/👎 with the case and thank the clicker privately; the verdict message stays as it is."""
        work = self.service.feedback(
            click.case_id,
            str(interaction.user.id),
            click.value,
            workspace=conversation_for_interaction(interaction).workspace,
        )
        try:
            reply = await self._in_time(work, lambda: interaction.response.defer(ephemeral=True, thinking=True))
        except Exception:
            log.exception("Feedback on case %s failed", click.case_id)
            reply = Reply(kind="error", text=SORRY)
        await self._send_private(interaction, self._render(reply))

    async def on_command_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        log.error("Discord command failed", exc_info=error)
        await self._send_private(interaction, plain(SORRY))

    async def _respond(
        self,
        interaction: discord.Interaction,
        work: Callable[[], Awaitable[Reply]],
        *,
        public: bool,
    ) -> None:
        """Answer inside Discord's 3 seconds: directly if the service is quick, else defer first."""
        try:
            reply = await self._in_time(work(), lambda: interaction.response.defer(ephemeral=not public, thinking=True))
        except Exception:
            log.exception("Discord interaction %s failed", interaction.id)
            await self._send_private(interaction, plain(SORRY))
            return
        rendered = self._render(reply)
        ephemeral = not (public and reply.kind in SHAREABLE_KINDS)
        if interaction.response.is_done():
            await interaction.followup.send(**rendered.send_kwargs(), ephemeral=ephemeral)
        else:
            await interaction.response.send_message(**rendered.send_kwargs(), ephemeral=ephemeral)

    async def _in_time(self, work: Awaitable[Reply], defer: Callable[[], Awaitable[object]]) -> Reply:
        """The service's reply; when it takes longer than the budget, `defer` first."""
        task = asyncio.ensure_future(work)
        try:
            return await asyncio.wait_for(asyncio.shield(task), self.client.options.response_budget)
        except TimeoutError:
            await defer()
            return await task

    async def _send_private(self, interaction: discord.Interaction, rendered: Rendered) -> None:
        try:
            if interaction.response.is_done():
                await interaction.followup.send(**rendered.send_kwargs(), ephemeral=True)
            else:
                await interaction.response.send_message(**rendered.send_kwargs(), ephemeral=True)
        except discord.HTTPException as error:
            log.warning("Could not answer Discord interaction %s: %s", interaction.id, error)

    # --- messages: DMs, mentions in threads and replies ---------------------------------------

    @_tracked("message")
    async def on_message(self, message: discord.Message) -> None:
        me = self.client.user
        if me is None or message.author.bot or message.author.id == me.id:
            return
        if message.type not in (discord.MessageType.default, discord.MessageType.reply):
            return
        try:
            if message.guild is None:
                await self._direct_message(message)
            elif mentions_user(message, me.id):
                await self._mention(message, me.id)
        except Exception:
            log.exception("Discord message %s failed", message.id)
            await self._reply(message, plain(SORRY))

    async def _direct_message(self, message: discord.Message) -> None:
        text = message.content.strip()
        if not text:
            return
        conv = conversation_for_message(message)
        reply = await self.service.message(conv, text, event_id=event_id("message", message.id))
        if reply.kind != "duplicate":
            await self._reply(message, self._render(reply))

    async def _mention(self, message: discord.Message, my_id: int) -> None:
        own_text = strip_mention(message.content, my_id)
        conv = conversation_for_message(message)
        eid = event_id("message", message.id)
        notes: list[str] = []
        if message.reference is not None and message.reference.message_id is not None:
            target = await self._referenced_message(message)
            target_text = message_text(target) if target is not None else ""
            if target is None or target.author.id == my_id or not target_text:
                reply = await self._message_or_help(conv, own_text, eid)
            else:
                reply = await self.service.check(conv, target_text, event_id=eid)
        elif isinstance(message.channel, discord.Thread) and self.client.options.message_content:
            earlier = await self._thread_history(message)
            if earlier is None or any(author_id == my_id for author_id, _ in earlier):
                reply = await self._message_or_help(conv, own_text, eid)
            else:
                messages = [TextPart(user=str(author), text=text) for author, text in earlier if author is not None]
                messages.append(TextPart(user=conv.user, text=own_text))
                thread = thread_offer_text(messages, MAX_INPUT_CHARS)
                if thread.skipped:
                    notes.append(
                        f"I read the last {thread.used} messages of this thread; "
                        f"{thread.skipped} earlier ones did not fit."
                    )
                reply = await self.service.check_thread(conv, thread.parts, event_id=eid)
        else:
            reply = await self._message_or_help(conv, own_text, eid)
        if reply.kind == "duplicate":
            return
        if reply.kind == "rate_limited":
            await self._note_privately(message, self._render(reply))
            return
        await self._reply(message, self._render(reply, extra_notes=notes))

    def _render(self, reply: Reply, *, extra_notes: list[str] | None = None) -> Rendered:
        """A reply as a message; help gains the Discord commands and the intent's effect."""
        notes = list(extra_notes or [])
        if reply.kind == "help":
            notes.append(DISCORD_HELP)
            if not self.client.options.message_content:
                notes.append(NO_CONTENT_HELP)
        return render(reply, extra_notes=notes)

    async def _message_or_help(self, conv: Any, text: str, eid: str) -> Reply:
        if not text:
            return self.service.help()
        return await self.service.message(conv, text, event_id=eid)

    async def _referenced_message(self, message: discord.Message) -> discord.Message | None:
        reference = message.reference
        if reference is None or reference.message_id is None:
            return None
        if isinstance(reference.resolved, discord.Message):
            return reference.resolved
        try:
            return await message.channel.fetch_message(reference.message_id)
        except discord.Forbidden:
            await self._missing_permission(message, "Read Message History")
        except discord.HTTPException as error:
            log.warning("Could not read the replied-to message %s: %s", reference.message_id, error)
        return None

    async def _thread_history(self, message: discord.Message) -> list[tuple[int | None, str]] | None:
        """Earlier thread messages, oldest first, as (author id or None for bots, text)."""
        my_id = self.client.user.id if self.client.user else 0
        found: list[tuple[int | None, str]] = []
        try:
            async for earlier in message.channel.history(limit=THREAD_HISTORY_LIMIT, before=message):
                source = earlier
                if (
                    earlier.type == discord.MessageType.thread_starter_message
                    and earlier.reference is not None
                    and isinstance(earlier.reference.resolved, discord.Message)
                ):
                    source = earlier.reference.resolved
                is_bot = source.author.bot and source.author.id != my_id
                found.append((None if is_bot else source.author.id, message_text(source)))
        except discord.Forbidden:
            await self._missing_permission(message, "Read Message History")
            return None
        found.reverse()
        return found

    async def _reply(self, message: discord.Message, rendered: Rendered) -> None:
        """Answer in the message's channel (as a reply); a missing permission is noted privately."""
        reference = message.to_reference(fail_if_not_exists=False)
        try:
            await message.channel.send(**rendered.send_kwargs(), reference=reference)
        except discord.Forbidden:
            await self._missing_permission(message, "Send Messages and Embed Links")
        except discord.HTTPException as error:
            log.warning("Could not answer Discord message %s: %s", message.id, error)

    async def _missing_permission(self, message: discord.Message, permission: str) -> None:
        log.warning(
            "Missing Discord permission %r in channel %s (guild %s)",
            permission,
            message.channel.id,
            message.guild.id if message.guild else "dm",
        )
        await self._direct(
            message.author,
            plain(
                f"I could not answer you in <#{message.channel.id}>: I need the "
                f"{permission} permission there. Ask a server admin, or use /perkcheck, "
                "which works everywhere."
            ),
        )

    async def _note_privately(self, message: discord.Message, rendered: Rendered) -> None:
        """A note only the author sees: a DM, or a short-lived reply when DMs are closed."""
        if await self._direct(message.author, rendered):
            return
        try:
            await message.channel.send(
                **rendered.send_kwargs(),
                reference=message.to_reference(fail_if_not_exists=False),
                delete_after=15,
            )
        except discord.HTTPException as error:
            log.warning("Could not send a note in channel %s: %s", message.channel.id, error)

    async def _direct(self, user: discord.User | discord.Member, rendered: Rendered) -> bool:
        try:
            await user.send(**rendered.send_kwargs())
        except discord.HTTPException as error:
            log.warning("Could not DM Discord user %s: %s", user.id, error)
            return False
        return True
