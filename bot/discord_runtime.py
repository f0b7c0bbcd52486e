"""Run the Discord adapter from the bot's settings (called lazily by bot.bootstrap)."""

from __future__ import annotations

import logging

import discord

from adapters.discord.client import (
    CONTENT_INTENT_HELP,
    DiscordOptions,
    MetaStore,
    PerkcheckDiscord,
)
from adapters.discord.routing import DEFAULT_API_URL
from bot.settings import Settings
from core.service import ConversationService

log = logging.getLogger(__name__)

SHUTDOWN_DRAIN_SECONDS = 10.0


def discord_options(settings: Settings) -> DiscordOptions:
    """The adapter's options from bot.settings.Settings."""
    shard_ids = settings.discord_shard_ids
    return DiscordOptions(
        api_url=settings.discord_api_url or DEFAULT_API_URL,
        gateway_url=settings.discord_gateway_url or None,
        guild_id=int(settings.discord_guild_id) if settings.discord_guild_id else None,
        shard_count=settings.discord_shard_count,
        shard_ids=tuple(shard_ids) if shard_ids else None,
        message_content=settings.discord_message_content,
    )


async def run_discord(settings: Settings, service: ConversationService, storage: MetaStore) -> None:
    """Connect to Discord and serve until cancelled; stop with a clear message on setup errors."""
    if settings.discord_token is None:
        raise SystemExit("DISCORD_TOKEN is not set.")
    if settings.discord_shard_ids and settings.discord_shard_count is None:
        raise SystemExit("DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT (the total number of shards).")
    client = PerkcheckDiscord(service, storage, discord_options(settings))
    try:
        await client.start(settings.discord_token.get_secret_value())
    except discord.PrivilegedIntentsRequired:
        log.error(CONTENT_INTENT_HELP)
        raise SystemExit(CONTENT_INTENT_HELP) from None
    except discord.LoginFailure:
        message = "Discord refused DISCORD_TOKEN: copy the bot token again from Bot > Token."
        log.error(message)
        raise SystemExit(message) from None
    finally:
        # Still connected, so replies can go out: let running handlers finish (bounded), then close.
        await client.answer_handler.drain(SHUTDOWN_DRAIN_SECONDS)
        if not client.is_closed():
            await client.close()
