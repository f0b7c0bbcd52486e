"""Shared fixtures: a migrated `storage` on SQLite (always) and PostgreSQL (when configured)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.storage import SqlStorage
from core.service import ConversationService

PG_ENV = "PERKCHECK_TEST_DATABASE_URL"


class FakeClock:
    """A clock tests move by hand: `clock()` is now, `clock.advance(seconds=...)` moves it."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 27, 9, 0, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def pg_url() -> str | None:
    return os.environ.get(PG_ENV) or None


async def _make_pg_schema(url: str) -> str:
    import sqlalchemy as sa
    from sqlalchemy.ext.asyncio import create_async_engine

    schema = f"t_{uuid.uuid4().hex[:16]}"
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    await engine.dispose()
    return schema


async def _drop_pg_schema(url: str, schema: str) -> None:
    import sqlalchemy as sa
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    await engine.dispose()


@pytest.fixture(
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
)
async def storage_factory(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Callable[[], SqlStorage]]:
    """Makes storages (separate engines, so separate connections) on one fresh database."""
    made: list[SqlStorage] = []
    schema: str | None = None
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'perkcheck.db'}"
    else:
        base = pg_url()
        if base is None:
            pytest.skip(f"{PG_ENV} is not set")
        url = base
        schema = await _make_pg_schema(url)

    def make() -> SqlStorage:
        storage = SqlStorage(url, schema=schema)
        made.append(storage)
        return storage

    yield make
    for storage in made:
        await storage.close()
    if schema is not None:
        await _drop_pg_schema(url, schema)


@pytest.fixture
async def storage(storage_factory: Callable[[], SqlStorage]) -> SqlStorage:
    """A migrated, empty storage: SQLite in tmp_path, and PostgreSQL in a fresh schema."""
    made = storage_factory()
    await made.migrate()
    return made


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def service(storage: SqlStorage, clock: FakeClock) -> ConversationService:
    """The conversation service on the `storage` fixture, with a hand-moved clock."""
    return ConversationService(storage, clock=clock, rate_limit_per_minute=20)
