"""Fixtures for the Discord adapter: the local stand-in and a running client against it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
from discord_standin import MemoryMeta, RunClient, StandIn

from adapters.discord.client import DiscordOptions, PerkcheckDiscord
from core.service import ConversationService


@pytest.fixture
def meta() -> MemoryMeta:
    return MemoryMeta()


@pytest.fixture
async def standin() -> AsyncIterator[StandIn]:
    server = StandIn()
    await server.start()
    yield server
    await server.close()


@pytest.fixture
def run_client(standin: StandIn, meta: MemoryMeta) -> RunClient:
    """Start the real client against the stand-in; stop it on leaving the block."""

    @contextlib.asynccontextmanager
    async def run(service: ConversationService, **options: Any) -> AsyncIterator[PerkcheckDiscord]:
        settings = {
            "api_url": standin.api_url,
            "gateway_url": standin.gateway_url,
            "guild_ready_timeout": 0.05,
            **options,
        }
        client = PerkcheckDiscord(service, meta, DiscordOptions(**settings))
        task = asyncio.create_task(client.start("test-token"))
        try:
            async with asyncio.timeout(10):
                while not client.is_ready():
                    if task.done():
                        task.result()
                    await asyncio.sleep(0.01)
            yield client
        finally:
            await client.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(task, 5)

    return run
