"""Real bot processes for the scale-out and fault tests: `python -m bot web` subprocesses.

Each process listens on 127.0.0.1 with PORT=0 (the port is read from its JSON log), talks to a
local Slack stand-in and to the database it is given. Helpers sign Slack requests, read case ids
out of Block Kit replies, give each PostgreSQL test its own database, and run a TCP proxy that
the tests stop and start to make the database "go away".
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import sys
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from slack_standin import SlackStandIn, sign, slash_command_body

SIGNING_SECRET = "scale-out-signing-secret"
LISTENING = re.compile(r"listening on port (\d+)")
_INHERITED_PREFIXES = ("SLACK_", "DISCORD_", "PERKCHECK_", "LOG_")
_INHERITED_NAMES = ("DATABASE_URL", "PORT", "HOST")

#: The `start_bots` fixture: `await start_bots(database_url, count=2, rate_limit=0)`.
StartBots = Callable[..., Awaitable[list["BotProcess"]]]


def clean_environment(**values: str) -> dict[str, str]:
    """This environment without any bot setting, plus `values` (uppercase names)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(_INHERITED_PREFIXES) and key not in _INHERITED_NAMES
    }
    env.update(values)
    return env


@dataclass
class BotProcess:
    """One `python -m bot <role>` subprocess with its JSON log lines collected."""

    database_url: str
    slack: SlackStandIn
    workdir: Path
    role: str = "web"
    rate_limit: int = 0
    extra_env: dict[str, str] = field(default_factory=dict)
    records: list[dict[str, Any]] = field(default_factory=list)
    raw_lines: list[str] = field(default_factory=list)
    port: int = 0
    process: asyncio.subprocess.Process | None = None
    _reader: asyncio.Task[None] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def events_url(self) -> str:
        return f"{self.base_url}/slack/events"

    def environment(self) -> dict[str, str]:
        return clean_environment(
            DATABASE_URL=self.database_url,
            SLACK_BOT_TOKEN="xoxb-scale-out-token",
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=self.slack.api_url,
            PORT="0",
            HOST="127.0.0.1",
            LOG_FORMAT="json",
            LOG_LEVEL="INFO",
            PERKCHECK_RATE_LIMIT_PER_MINUTE=str(self.rate_limit),
            **self.extra_env,
        )

    async def start(self, *, within: float = 40.0) -> BotProcess:
        """Start the process and return once /readyz answers 200 (or fail with its log)."""
        self.records.clear()
        self.raw_lines.clear()
        self.port = 0
        await asyncio.to_thread(self.workdir.mkdir, parents=True, exist_ok=True)
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            self.role,
            env=self.environment(),
            cwd=self.workdir,  # no .env from the developer's checkout
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        self._reader = asyncio.create_task(self._read_log())
        deadline = time.monotonic() + within
        while not self.port:
            if self.process.returncode is not None or time.monotonic() > deadline:
                raise AssertionError(f"bot did not start:\n{self.log_text()}")
            await asyncio.sleep(0.02)
        async with aiohttp.ClientSession() as http:
            while True:
                with contextlib.suppress(aiohttp.ClientError):
                    async with http.get(f"{self.base_url}/readyz") as ready:
                        if ready.status == 200:
                            return self
                if time.monotonic() > deadline:
                    raise AssertionError(f"bot never became ready:\n{self.log_text()}")
                await asyncio.sleep(0.05)

    async def _read_log(self) -> None:
        assert self.process is not None and self.process.stderr is not None
        async for raw in self.process.stderr:
            line = raw.decode(errors="replace").rstrip("\n")
            self.raw_lines.append(line)
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict):
                self.records.append(record)
                found = LISTENING.search(str(record.get("message", "")))
                if found:
                    self.port = int(found.group(1))

    def log_text(self) -> str:
        return "\n".join(self.raw_lines[-60:])

    def messages(self, level: str | None = None) -> list[str]:
        return [str(r.get("message")) for r in self.records if level is None or r.get("level") == level]

    async def terminate(self, *, within: float = 40.0) -> int:
        """SIGTERM, then the exit code once the process has finished (its log fully read)."""
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        return await self.wait(within=within)

    async def kill(self) -> int:
        assert self.process is not None
        if self.process.returncode is None:
            self.process.kill()
        return await self.wait(within=20)

    async def wait(self, *, within: float) -> int:
        assert self.process is not None
        code = await asyncio.wait_for(self.process.wait(), within)
        if self._reader is not None:
            await asyncio.wait_for(self._reader, 10)
        return code

    async def close(self) -> None:
        """Make sure the process is gone (tests that did not stop it)."""
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            await self.process.wait()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader


def signed(body: str, content_type: str, **extra: str) -> dict[str, str]:
    return {"Content-Type": content_type, **sign(SIGNING_SECRET, body), **extra}


async def post_command(
    http: aiohttp.ClientSession,
    bot: BotProcess,
    text: str,
    *,
    user: str = "U0USER01",
    hook: str = "cmd",
) -> tuple[int, dict[str, Any]]:
    """A signed /perkcheck: the HTTP status and the acknowledgement's JSON ({} if not JSON)."""
    body = slash_command_body(text, response_url=bot.slack.response_url(hook), user=user)
    async with http.post(bot.events_url, data=body, headers=signed(body, "application/x-www-form-urlencoded")) as r:
        raw = await r.text()
        try:
            payload = json.loads(raw) if raw else {}
        except ValueError:
            payload = {"text": raw}
        return r.status, payload


def button_values(message: dict[str, Any]) -> dict[str, str]:
    """action_id -> value of every button in a Block Kit message."""
    found: dict[str, str] = {}
    for block in message.get("blocks") or []:
        for element in block.get("elements") or []:
            if element.get("type") == "button":
                found[element["action_id"]] = element.get("value", "")
    return found


def case_id_of(message: dict[str, Any]) -> str | None:
    """The case id the answer buttons carry, or None (no buttons: not stored)."""
    for action_id, value in button_values(message).items():
        if action_id.startswith("perkcheck.answer."):
            return value
    return None


def message_text(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False)


# --- databases ---------------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def fresh_pg_database(base_url: str) -> AsyncIterator[str]:
    """A new, empty PostgreSQL database for one test (dropped after); its URL.

    Subprocesses cannot be given a schema search path through DATABASE_URL, so multi-process
    tests isolate themselves with a database each instead of a schema.
    """
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url
    from sqlalchemy.ext.asyncio import create_async_engine

    name = f"perkcheck_t_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(base_url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE template0'))
        yield make_url(base_url).set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as conn:
            await conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


def with_port(url: str, port: int) -> str:
    """`url` with its host port replaced (to go through a proxy)."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(host="127.0.0.1", port=port).render_as_string(hide_password=False)


class TcpProxy:
    """A loopback TCP proxy the tests stop (every connection cut, port refused) and start again."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self._server: asyncio.Server | None = None
        self._pipes: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port)
        self.port = int(self._server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        """Refuse new connections and cut every open one, as a database crash would."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for writer in list(self._writers):
            writer.transport.abort()
        for task in list(self._pipes):
            task.cancel()
        await asyncio.gather(*self._pipes, return_exceptions=True)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self._writers.update((writer, up_writer))
        for source, sink in ((reader, up_writer), (up_reader, writer)):
            task = asyncio.create_task(self._pipe(source, sink))
            self._pipes.add(task)
            task.add_done_callback(self._pipes.discard)

    async def _pipe(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        try:
            while data := await source.read(65536):
                sink.write(data)
                await sink.drain()
        except OSError:
            pass  # the other side went away: cut this side too
        finally:
            self._writers.discard(sink)
            sink.transport.abort()


def offer_words(records: Iterable[dict[str, Any]], words: Iterable[str]) -> list[str]:
    """Log messages (any level) that contain one of `words` (offer text must never be logged)."""
    lowered = [w.lower() for w in words]
    return [
        str(r.get("message")) for r in records if any(w in json.dumps(r, ensure_ascii=False).lower() for w in lowered)
    ]
