"""Fixtures for the Discord adapter: the local stand-in and a running client against it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from discord_standin import StandIn

from adapters.discord.client import DiscordOptions, PerkcheckDiscord
from core.service import ConversationService


class MemoryMeta:
    """A hand-written MetaStore: a dict, with the number of writes."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}
        self.writes = 0

    async def get_meta(self, key: str) -> str | None:
        return self.values.get(key)

    async def set_meta(self, key: str, value: str) -> None:
        self.values[key] = value
        self.writes += 1


@pytest.fixture
def meta() -> MemoryMeta:
    return MemoryMeta()


@pytest.fixture
async def standin() -> AsyncIterator[StandIn]:
    server = StandIn()
    await server.start()
    yield server
    await server.close()


RunClient = Callable[..., contextlib.AbstractAsyncContextManager[PerkcheckDiscord]]


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
