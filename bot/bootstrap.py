"""The one place that wires settings, storage, the conversation service and the adapters.

`perkcheck chat` -> `console_main`, `perkcheck migrate` -> `migrate_main`, `perkcheck serve` and
`python -m bot` -> `serve_main`. Heavy imports (SQLAlchemy, Slack, Discord) happen inside the
functions, so importing this module stays cheap.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import getpass
import json
import logging
import signal
import sys
from collections.abc import Awaitable, Callable, Coroutine
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TextIO

from bot.settings import Settings, SettingsError

if TYPE_CHECKING:
    from bot.storage import SqlStorage
    from core.service import ConversationService

log = logging.getLogger("perkcheck")

PURGE_INTERVAL_SECONDS = 24 * 60 * 60


class JsonLogFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message (and the exception, if any)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("request_id", "platform", "event_id"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class TextLogFormatter(logging.Formatter):
    """The plain format, with ` [request_id=...]` appended to lines logged while handling an event."""

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        request_id = getattr(record, "request_id", None)
        if request_id is None:
            return line
        first, newline, rest = line.partition("\n")
        return f"{first} [request_id={request_id}]{newline}{rest}"


def configure_logging(settings: Settings, stream: TextIO | None = None) -> None:
    """Log to stderr at LOG_LEVEL, as text or JSON (LOG_FORMAT)."""
    from core.requestlog import RequestContextFilter

    handler = logging.StreamHandler(stream or sys.stderr)
    if settings.log_format == "json":
        handler.setFormatter(JsonLogFormatter())
    else:
        handler.setFormatter(TextLogFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RequestContextFilter())  # every line logged for an event carries its request id
    handler.set_name("perkcheck")
    root = logging.getLogger()
    for previous in [h for h in root.handlers if h.get_name() == "perkcheck"]:
        root.removeHandler(previous)
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    for noisy in ("aiosqlite", "asyncio", "alembic"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))


def load_settings(stderr: TextIO | None = None) -> Settings | None:
    """The settings, or None after printing which setting is wrong."""
    try:
        return Settings.load()
    except SettingsError as error:
        print(f"perkcheck: {error}", file=stderr or sys.stderr)
        return None


async def open_storage(settings: Settings) -> SqlStorage:
    """The storage for DATABASE_URL, migrated when the database answers (else it migrates later)."""
    from bot.storage import SqlStorage

    storage = SqlStorage(settings.database_url)
    try:
        await storage.migrate()
    except Exception:
        log.exception("database unavailable at start-up; verdicts still work, history is off for now")
    return storage


def build_service(settings: Settings, storage: SqlStorage) -> ConversationService:
    from core.service import ConversationService

    return ConversationService(storage, rate_limit_per_minute=settings.perkcheck_rate_limit_per_minute)


async def purge_once(service: ConversationService, settings: Settings) -> None:
    try:
        removed = await service.purge_expired(settings.perkcheck_retention_days)
    except Exception:
        log.exception("retention purge failed; will try again later")
        return
    log.log(
        logging.INFO if removed else logging.DEBUG,
        "retention purge removed %d cases older than %d days",
        removed,
        settings.perkcheck_retention_days,
    )


async def purge_daily(
    service: ConversationService, settings: Settings, interval: float = PURGE_INTERVAL_SECONDS
) -> None:
    """Run the retention purge now and then every `interval` seconds (a day), until cancelled."""
    while True:
        await purge_once(service, settings)
        await asyncio.sleep(interval)


# --- perkcheck chat ----------------------------------------------------------------------


def console_main(argv: list[str]) -> int:
    """`perkcheck chat`: a DM-style conversation in the terminal (stdin may be a pipe)."""
    parser = argparse.ArgumentParser(prog="perkcheck chat", description=console_main.__doc__)
    parser.add_argument("--user", default=None, help="whose conversation this is (default: your login)")
    args = parser.parse_args(argv)
    settings = load_settings()
    if settings is None:
        return 2
    configure_logging(settings)
    return asyncio.run(_console(settings, args.user or _login_name()))


async def _console(settings: Settings, user: str, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    from adapters.console import ConsoleApp

    if "log_level" not in settings.model_fields_set:
        logging.getLogger().setLevel(logging.WARNING)  # a terminal chat: only problems on stderr
    storage = await open_storage(settings)
    try:
        service = build_service(settings, storage)
        await purge_once(service, settings)
        app = ConsoleApp(service, stdin or sys.stdin, stdout or sys.stdout, user=user)
        return await app.run()
    finally:
        await storage.close()


def _login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "local"


# --- perkcheck migrate -------------------------------------------------------------------


def migrate_main(argv: list[str]) -> int:
    """`perkcheck migrate`: bring the database schema up to date, then exit."""
    parser = argparse.ArgumentParser(prog="perkcheck migrate", description=migrate_main.__doc__)
    parser.parse_args(argv)
    settings = load_settings()
    if settings is None:
        return 2
    configure_logging(settings)
    return asyncio.run(_migrate(settings))


async def _migrate(settings: Settings) -> int:
    from bot.storage import SqlStorage

    storage = SqlStorage(settings.database_url)
    try:
        revision = await storage.migrate()
    except Exception as error:
        log.debug("migration failed", exc_info=True)
        print(f"perkcheck: could not migrate the database: {error}", file=sys.stderr)
        return 1
    finally:
        await storage.close()
    print(f"Database is up to date (revision {revision}).")
    return 0


# --- perkcheck serve / python -m bot -----------------------------------------------------


ROLES = ("all", "web", "worker", "release")
ROLE_HELP = """\
roles (one per process; see docs/deployment.md):
  all      every platform whose settings are present; the local console when none (default)
  web      Slack HTTP mode only: /slack/events, /healthz, /readyz on HOST:PORT
           (needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET; SLACK_APP_TOKEN is ignored)
  worker   Slack Socket Mode (when SLACK_APP_TOKEN is set) and/or Discord (when DISCORD_TOKEN is set)
  release  apply database migrations and exit (same as `perkcheck migrate`)
"""


def serve_main(argv: list[str]) -> int:
    """`perkcheck serve [ROLE]` / `python -m bot [ROLE]`: run the bot in one process role."""
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description=serve_main.__doc__,
        epilog=ROLE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("role", nargs="?", choices=ROLES, default="all", help="what this process does")
    role = parser.parse_args(argv).role
    settings = load_settings()
    if settings is None:
        return 2
    configure_logging(settings)
    if role == "release":
        return asyncio.run(_migrate(settings))
    problem = _role_problem(role, settings)
    if problem:
        print(f"perkcheck: {problem}", file=sys.stderr)
        return 2
    if role == "all" and not (settings.slack_enabled or settings.discord_enabled):
        log.info("no SLACK_BOT_TOKEN or DISCORD_TOKEN set: starting the local console")
        return asyncio.run(_console(settings, _login_name()))
    return asyncio.run(_serve(settings, role))


def _role_problem(role: str, settings: Settings) -> str | None:
    """Why `role` cannot run with these settings (naming the missing setting), or None."""
    if role == "web" and (settings.slack_bot_token is None or settings.slack_signing_secret is None):
        return "the web role serves Slack HTTP mode: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET"
    if role == "worker" and not (
        (settings.slack_enabled and settings.slack_app_token is not None) or settings.discord_enabled
    ):
        return (
            "the worker role runs Slack Socket Mode and/or Discord: set SLACK_BOT_TOKEN and "
            "SLACK_APP_TOKEN, or DISCORD_TOKEN"
        )
    return None


def freeze_startup_objects() -> None:
    """Collect, then freeze what is left (modules, classes, compiled patterns, the apps) out of the
    cyclic garbage collector's sight, once the server's imports are done.

    Every full collection otherwise walks those ~100,000 long-lived objects again: a pause of
    100 ms and more with requests in flight, most of the tail latency under load. Frozen objects
    are still freed by reference counting; only cycles among them wait for the process to end."""
    gc.collect()
    gc.freeze()


async def _serve(settings: Settings, role: str = "all") -> int:
    storage = await open_storage(settings)
    service = build_service(settings, storage)
    platforms: list[Coroutine[Any, Any, Any]] = []
    if settings.slack_enabled and role in ("all", "web"):
        from bot.slack_runtime import run_slack

        platforms.append(run_slack(settings, service, mode="http" if role == "web" else "auto"))
    if settings.slack_enabled and role == "worker" and settings.slack_app_token is not None:
        from bot.slack_runtime import run_slack

        platforms.append(run_slack(settings, service, mode="socket"))
    if settings.discord_enabled and role in ("all", "worker"):
        from bot.discord_runtime import run_discord

        platforms.append(run_discord(settings, service, storage))
    from core.classifier import warm_up

    warm_up()  # the classifier's start plans are made now, not during the first users' checks
    freeze_startup_objects()  # ... and, made, are frozen with the rest
    housekeeping = asyncio.create_task(purge_daily(service, settings), name="retention-purge")
    main = asyncio.ensure_future(asyncio.gather(*platforms))

    def stop() -> None:
        if not main.done():
            log.info("stop requested: no new work; finishing what is in flight, then closing")
        main.cancel()

    _on_signals(stop)
    try:
        await main
    except asyncio.CancelledError:
        log.info("shutting down")
    finally:
        housekeeping.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await housekeeping
        await storage.close()
    log.info("stopped")
    return 0


def _on_signals(stop: Callable[[], Awaitable[Any] | Any]) -> None:
    """SIGTERM / SIGINT cancel the platforms, which finish in-flight work and close."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop)
