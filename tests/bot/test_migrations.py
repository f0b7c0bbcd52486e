"""Alembic migrations: shipped as package data, reversible, safe to run from several processes."""

from __future__ import annotations

import asyncio
import os
import sys
import tomllib
from collections.abc import Callable
from fnmatch import fnmatch
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from bot.migrations.runner import SCRIPT_LOCATION, alembic_config, head_revision
from bot.storage import SqlStorage, metadata

ROOT = Path(__file__).resolve().parents[2]


def test_migration_files_are_shipped_in_the_package() -> None:
    """Every .py lives in a package (has __init__.py); every other file matches package-data."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["*"]
    for path in SCRIPT_LOCATION.rglob("*"):
        if path.is_dir() or "__pycache__" in path.parts:
            continue
        if path.suffix == ".py":
            assert (path.parent / "__init__.py").exists(), path
        else:
            assert any(fnmatch(path.name, pattern) for pattern in patterns), path
    assert head_revision() == "0003"


async def table_names(storage: SqlStorage) -> set[str]:
    async with storage.engine.connect() as conn:
        return set(await conn.run_sync(lambda sync: sa.inspect(sync).get_table_names()))


async def test_downgrade_and_upgrade_again(storage: SqlStorage) -> None:
    expected = {table.name for table in metadata.sorted_tables}
    assert expected <= await table_names(storage)

    def downgrade(sync_conn: sa.Connection) -> None:
        command.downgrade(alembic_config(sync_conn), "base")

    async with storage.engine.begin() as conn:
        await conn.run_sync(downgrade)
    assert not expected & await table_names(storage)
    assert await storage.current_revision() is None
    fresh = SqlStorage(storage.url, schema=storage.schema)
    try:
        assert await fresh.migrate() == head_revision()
        assert expected <= await table_names(fresh)
    finally:
        await fresh.close()


@pytest.mark.slow
async def test_several_processes_migrate_one_fresh_database_at_once(
    storage_factory: Callable[[], SqlStorage],
) -> None:
    storage = storage_factory()  # not migrated yet
    code = (
        "import asyncio, sys\n"
        "from bot.storage import SqlStorage\n"
        "async def main():\n"
        "    s = SqlStorage(sys.argv[1], schema=sys.argv[2] or None)\n"
        "    print(await s.migrate())\n"
        "    await s.close()\n"
        "asyncio.run(main())\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    children = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            code,
            storage.url,
            storage.schema or "",
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=env,
        )
        for _ in range(3)
    ]
    results = [await asyncio.wait_for(child.communicate(), timeout=60) for child in children]
    for child, (out, err) in zip(children, results, strict=True):
        assert child.returncode == 0, err.decode()
        assert out.decode().strip() == head_revision()
    assert await storage.current_revision() == head_revision()
