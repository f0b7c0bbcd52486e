"""SQLAlchemy 2 async Core storage for the conversation service: SQLite (aiosqlite) or PostgreSQL.

`SqlStorage` implements `core.service.Storage`. The schema lives in `bot/migrations` (Alembic) and
is applied by `migrate()`; the table definitions below are what the queries use and must match
the migrations (a test checks that).
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from bot.settings import normalise_database_url
from core.cases import Answer, Case
from core.models import Signals, Verdict
from core.service import Conversation, ForgetResult, WorkspaceSettings
from core.stats import Median, WorkspaceStats

log = logging.getLogger(__name__)

CaseChange = Callable[[Case], tuple[Case, Sequence[Answer]]]

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


class UTCDateTime(sa.TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on both databases (SQLite stores them naive, in UTC)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = sa.MetaData()

cases = sa.Table(
    "cases",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("platform", sa.String(16), nullable=False),
    sa.Column("workspace", sa.String(128), nullable=False),
    sa.Column("channel", sa.String(128), nullable=False),
    sa.Column("thread", sa.String(128), nullable=True),
    sa.Column("user_id", sa.String(128), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("signals", sa.JSON, nullable=False),
    sa.Column("verdict", sa.JSON, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("closed", sa.Boolean, nullable=False),
    sa.Column("feedback", sa.String(8), nullable=True),  # migration 0002
    sa.Column("feedback_by", sa.String(128), nullable=True),
    sa.Column("feedback_at", UTCDateTime, nullable=True),
    sa.Index("ix_cases_conversation", "platform", "workspace", "channel", "thread", "created_at"),
    sa.Index("ix_cases_user", "platform", "user_id", "created_at"),
    sa.Index("ix_cases_updated_at", "updated_at"),
)

answers = sa.Table(
    "answers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("case_id", sa.String(64), sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    sa.Column("user_id", sa.String(128), nullable=True),
    sa.Column("question_id", sa.String(32), nullable=False),
    sa.Column("value", sa.String(64), nullable=False),
    sa.Column("text", sa.Text, nullable=True),
    sa.Column("phrase", sa.Text, nullable=True),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Index("ix_answers_case", "case_id", "id"),
    sa.Index("ix_answers_user", "user_id"),
)

processed_events = sa.Table(
    "processed_events",
    metadata,
    sa.Column("event_id", sa.String(255), primary_key=True),
    sa.Column("seen_at", UTCDateTime, nullable=False, index=True),
)

workspace_settings = sa.Table(
    "workspace_settings",
    metadata,
    sa.Column("platform", sa.String(16), primary_key=True),
    sa.Column("workspace", sa.String(128), primary_key=True),
    sa.Column("default_visibility", sa.String(16), nullable=False),
    sa.Column("default_currency", sa.String(3), nullable=True),
    sa.Column("updated_by", sa.String(128), nullable=True),
    sa.Column("updated_at", UTCDateTime, nullable=True),
)

rate_limits = sa.Table(
    "rate_limits",
    metadata,
    sa.Column("scope", sa.String(160), primary_key=True),
    sa.Column("user_id", sa.String(128), primary_key=True),
    sa.Column("window_start", UTCDateTime, primary_key=True),
    sa.Column("hits", sa.Integer, nullable=False),
)

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.String(255), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)


class SqlStorage:
    """`core.service.Storage` on an async SQLAlchemy engine.

    `schema` (PostgreSQL only) puts every table in that schema via the search path; tests use
    it to isolate themselves.
    """

    def __init__(self, url: str, *, schema: str | None = None, echo: bool = False) -> None:
        self.url = normalise_database_url(url)
        parsed = make_url(self.url)
        self.dialect = parsed.get_backend_name()
        self.schema = schema  # PostgreSQL search path (tests isolate themselves with it)
        self._migrated = False
        self._migrate_lock = asyncio.Lock()
        # hide_parameters: offer text must never reach logs or error messages via bound values
        kwargs: dict[str, Any] = {"echo": echo, "hide_parameters": True}
        if self.dialect == "sqlite":
            database = parsed.database or ""
            if database and database != ":memory:" and not database.startswith("file:"):
                Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": 30}
        elif self.dialect == "postgresql":
            connect_args: dict[str, Any] = {"timeout": 5, "command_timeout": 30}
            if schema:
                connect_args["server_settings"] = {"search_path": schema}
            # No pool_pre_ping: its ping costs three round trips per checkout (~25% of a check's time);
            # _discard_closed replaces connections the server closed for free (see there).
            kwargs.update(connect_args=connect_args, pool_size=10, max_overflow=20, pool_recycle=1800)
        else:
            raise ValueError(f"unsupported database {self.dialect!r}: use sqlite+aiosqlite or postgresql+asyncpg")
        self.engine: AsyncEngine = create_async_engine(self.url, **kwargs)
        if self.dialect == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        else:
            event.listen(self.engine.sync_engine.pool, "checkout", _discard_closed)

    async def close(self) -> None:
        await self.engine.dispose()

    # --- schema -------------------------------------------------------------------------

    async def migrate(self) -> str | None:
        """Apply the Alembic migrations (idempotent, safe across processes); the head revision."""
        from bot.migrations.runner import current_revision, head_revision, upgrade_to_head

        async with self._migrate_lock:
            async with self.engine.connect() as conn:  # usually up to date: no lock needed
                revision = await conn.run_sync(current_revision)
            if revision == head_revision():
                self._migrated = True
                return revision
            async with self.engine.begin() as conn:
                # one migrator at a time, across processes
                if self.dialect == "postgresql":
                    await conn.execute(sa.text("SELECT pg_advisory_xact_lock(7314201)"))
                else:
                    await conn.exec_driver_sql("BEGIN IMMEDIATE")
                revision = await conn.run_sync(current_revision)
                if revision != head_revision():
                    revision = await conn.run_sync(upgrade_to_head)
            self._migrated = True
            return revision

    async def current_revision(self) -> str | None:
        from bot.migrations.runner import current_revision

        async with self.engine.connect() as conn:
            return await conn.run_sync(current_revision)

    async def _ready(self) -> None:
        """Make sure the schema exists (it may not have, if the database was down at start-up)."""
        if not self._migrated:
            await self.migrate()

    # --- cases --------------------------------------------------------------------------

    async def create_case(self, case: Case) -> None:
        await self._ready()
        async with self.engine.begin() as conn:
            # a constant statement with parameters: compiled once and cached (`.values(**row)` would
            # build and coerce a new statement on every check)
            await conn.execute(cases.insert(), _case_row(case))
            if case.answers:
                await conn.execute(answers.insert(), [_answer_row(case.id, a) for a in case.answers])

    async def get_case(self, case_id: str) -> Case | None:
        await self._ready()
        async with self.engine.connect() as conn:
            row = (await conn.execute(cases.select().where(cases.c.id == case_id))).first()
            if row is None:
                return None
            return (await self._with_answers(conn, [row]))[0]

    async def open_case(self, conv: Conversation) -> Case | None:
        await self._ready()
        query = cases.select().where(*_open_in(conv))
        query = query.order_by(cases.c.created_at.desc(), cases.c.id.desc()).limit(1)
        async with self.engine.connect() as conn:
            row = (await conn.execute(query)).first()
            if row is None:
                return None
            return (await self._with_answers(conn, [row]))[0]

    async def update_case(self, case_id: str, change: CaseChange) -> Case | None:
        """Lock the case row, apply `change`, store the result (version + 1) and its new answers.

        Writers to one case queue on the lock instead of retrying, so none is lost. On SQLite the
        first statement is a no-op write, which takes the database's write lock up front.
        """
        await self._ready()
        async with self.engine.begin() as conn:
            if self.dialect == "sqlite":
                await conn.execute(cases.update().where(cases.c.id == case_id).values(version=cases.c.version))
                query = cases.select().where(cases.c.id == case_id)
            else:
                query = cases.select().where(cases.c.id == case_id).with_for_update()
            row = (await conn.execute(query)).first()
            if row is None:
                return None
            current = (await self._with_answers(conn, [row]))[0]
            updated, new_answers = change(current)
            updated = updated.model_copy(
                update={"version": current.version + 1, "answers": [*current.answers, *new_answers]}
            )
            await conn.execute(
                cases.update()
                .where(cases.c.id == case_id)
                .values(
                    signals=updated.signals.model_dump(mode="json"),
                    verdict=updated.verdict.model_dump(mode="json"),
                    updated_at=updated.updated_at,
                    version=updated.version,
                )
            )
            if new_answers:
                await conn.execute(answers.insert(), [_answer_row(case_id, a) for a in new_answers])
            return updated

    async def rewrite_case(self, case: Case) -> None:
        await self._ready()
        async with self.engine.begin() as conn:
            await conn.execute(
                cases.update()
                .where(cases.c.id == case.id)
                .values(
                    signals=case.signals.model_dump(mode="json"),
                    verdict=case.verdict.model_dump(mode="json"),
                    updated_at=case.updated_at,
                    version=cases.c.version + 1,
                )
            )
            await conn.execute(answers.delete().where(answers.c.case_id == case.id))
            if case.answers:
                await conn.execute(answers.insert(), [_answer_row(case.id, a) for a in case.answers])

    async def close_cases(self, conv: Conversation) -> int:
        await self._ready()
        query = cases.update().where(*_open_in(conv))
        async with self.engine.begin() as conn:
            result = await conn.execute(query.values(closed=True))
            return int(result.rowcount)

    async def list_cases(self, platform: str, workspace: str, user: str, limit: int) -> list[Case]:
        await self._ready()
        query = (
            cases.select()
            .where(
                cases.c.platform == platform,
                cases.c.workspace == workspace,
                cases.c.user_id == user,
            )
            .order_by(cases.c.created_at.desc(), cases.c.id.desc())
            .limit(limit)
        )
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
            return await self._with_answers(conn, rows)

    async def _with_answers(self, conn: AsyncConnection, rows: Sequence[sa.Row[Any]]) -> list[Case]:
        ids = [row.id for row in rows]
        by_case: dict[str, list[Answer]] = {case_id: [] for case_id in ids}
        if ids:
            query = answers.select().where(answers.c.case_id.in_(ids)).order_by(answers.c.id)
            for a in (await conn.execute(query)).all():
                by_case[a.case_id].append(
                    Answer(
                        question_id=a.question_id,
                        value=a.value,
                        text=a.text,
                        phrase=a.phrase,
                        at=a.at,
                        user=a.user_id,
                    )
                )
        return [_case_from_row(row, by_case[row.id]) for row in rows]

    # --- erasure and retention ----------------------------------------------------------

    async def forget_user(self, platform: str, user: str) -> ForgetResult:
        await self._ready()
        async with self.engine.begin() as conn:
            own_ids = sa.select(cases.c.id).where(cases.c.platform == platform, cases.c.user_id == user)
            touched = (
                (
                    await conn.execute(
                        sa.select(answers.c.case_id)
                        .distinct()
                        .where(answers.c.user_id == user, answers.c.case_id.not_in(own_ids))
                        .join(cases, cases.c.id == answers.c.case_id)
                        .where(cases.c.platform == platform)
                    )
                )
                .scalars()
                .all()
            )
            deleted = 0
            # Answers on the user's own cases, and the user's answers on other people's cases.
            deleted += (await conn.execute(answers.delete().where(answers.c.case_id.in_(own_ids)))).rowcount
            deleted += (
                await conn.execute(
                    answers.delete().where(answers.c.user_id == user, answers.c.case_id.in_(list(touched)))
                )
            ).rowcount
            deleted += (
                await conn.execute(cases.delete().where(cases.c.platform == platform, cases.c.user_id == user))
            ).rowcount
            deleted += (
                await conn.execute(
                    workspace_settings.delete().where(
                        workspace_settings.c.platform == platform,
                        workspace_settings.c.updated_by == user,
                    )
                )
            ).rowcount
            deleted += (
                await conn.execute(
                    rate_limits.delete().where(
                        rate_limits.c.scope.startswith(f"{platform}:", autoescape=True),
                        rate_limits.c.user_id == user,
                    )
                )
            ).rowcount
            # feedback this user gave on other people's cases (their own went with their cases)
            deleted += (
                await conn.execute(
                    cases.update()
                    .where(cases.c.platform == platform, cases.c.feedback_by == user)
                    .values(feedback=None, feedback_by=None, feedback_at=None)
                )
            ).rowcount
        return ForgetResult(deleted=deleted, touched_case_ids=list(touched))

    # --- feedback and community stats ---------------------------------------------------

    async def set_feedback(
        self, case_id: str, *, value: str, user: str, at: datetime, workspace: str | None
    ) -> Case | None:
        await self._ready()
        query = cases.update().where(cases.c.id == case_id)
        if workspace is not None:
            query = query.where(cases.c.workspace == workspace)
        async with self.engine.begin() as conn:
            result = await conn.execute(query.values(feedback=value, feedback_by=user, feedback_at=at))
            if result.rowcount != 1:
                return None
            row = (await conn.execute(cases.select().where(cases.c.id == case_id))).first()
            return None if row is None else (await self._with_answers(conn, [row]))[0]

    async def disagreed_cases(self) -> list[Case]:
        """Every case with a 👎, oldest feedback first (for the operator's review: `perkcheck feedback --export`)."""
        await self._ready()
        query = cases.select().where(cases.c.feedback == "down").order_by(cases.c.feedback_at, cases.c.id)
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
            return await self._with_answers(conn, rows)

    async def workspace_stats(self, platform: str, workspace: str) -> WorkspaceStats:
        """Counts by verdict and medians by verdict and currency, computed in SQL; only aggregates come back."""
        await self._ready()
        verdict = cases.c.verdict["verdict"].as_string()
        currency = cases.c.verdict[("allowance", "currency")].as_string()
        annual = cases.c.verdict[("allowance", "annual_amount")].as_float()
        mine = sa.and_(
            cases.c.platform == platform,
            cases.c.workspace == workspace,
            cases.c.signals["has_allowance"].as_boolean().is_(True),
        )
        counts = sa.select(verdict.label("verdict"), sa.func.count().label("n")).where(mine).group_by(verdict)
        ranked = (
            sa.select(
                verdict.label("verdict"),
                currency.label("currency"),
                annual.label("annual"),
                sa.func.row_number().over(partition_by=[verdict, currency], order_by=annual).label("rank"),
                sa.func.count().over(partition_by=[verdict, currency]).label("n"),
            )
            .where(mine, annual.is_not(None))
            .subquery()
        )
        # the median: the middle row, or the mean of the two middle rows (integer division on both databases)
        middle = (
            sa.select(ranked.c.verdict, ranked.c.currency, sa.func.avg(ranked.c.annual).label("median"), ranked.c.n)
            .where(
                ranked.c["rank"].in_([(ranked.c.n + 1) // 2, (ranked.c.n + 2) // 2]),
            )
            .group_by(ranked.c.verdict, ranked.c.currency, ranked.c.n)
        )
        async with self.engine.connect() as conn:
            by_verdict = {row.verdict: int(row.n) for row in (await conn.execute(counts)).all()}
            medians = [
                Median(verdict=row.verdict, currency=row.currency, median_annual=float(row.median), count=int(row.n))
                for row in (await conn.execute(middle)).all()
            ]
        return WorkspaceStats(total=sum(by_verdict.values()), by_verdict=by_verdict, medians=medians)

    async def purge(self, cases_before: datetime, events_before: datetime) -> int:
        await self._ready()
        async with self.engine.begin() as conn:
            old = sa.select(cases.c.id).where(cases.c.updated_at < cases_before)
            await conn.execute(answers.delete().where(answers.c.case_id.in_(old)))
            result = await conn.execute(cases.delete().where(cases.c.updated_at < cases_before))
            await conn.execute(processed_events.delete().where(processed_events.c.seen_at < events_before))
            await conn.execute(rate_limits.delete().where(rate_limits.c.window_start < events_before))
            return int(result.rowcount)

    # --- events, rate limits, settings, meta --------------------------------------------

    async def claim_event(self, event_id: str, now: datetime) -> bool:
        await self._ready()
        async with self.engine.begin() as conn:
            result = await conn.execute(self._statements.claim_event, {"event_id": event_id, "seen_at": now})
            return int(result.rowcount) == 1

    async def count_hit(self, scope: str, user: str, window_start: datetime) -> int:
        await self._ready()
        values = {"scope": scope, "user_id": user, "window_start": window_start}
        async with self.engine.begin() as conn:
            return int((await conn.execute(self._statements.count_hit, values)).scalar_one())

    async def get_settings(self, platform: str, workspace: str) -> WorkspaceSettings | None:
        await self._ready()
        query = workspace_settings.select().where(
            workspace_settings.c.platform == platform, workspace_settings.c.workspace == workspace
        )
        async with self.engine.connect() as conn:
            row = (await conn.execute(query)).first()
        if row is None:
            return None
        return WorkspaceSettings(
            platform=row.platform,
            workspace=row.workspace,
            default_visibility=row.default_visibility,
            default_currency=row.default_currency,
            updated_by=row.updated_by,
            updated_at=row.updated_at,
        )

    async def put_settings(self, settings: WorkspaceSettings) -> None:
        await self._ready()
        values = settings.model_dump()
        insert = self._insert(workspace_settings).values(**values)
        upsert = insert.on_conflict_do_update(
            index_elements=["platform", "workspace"],
            set_={k: v for k, v in values.items() if k not in ("platform", "workspace")},
        )
        async with self.engine.begin() as conn:
            await conn.execute(upsert)

    async def get_meta(self, key: str) -> str | None:
        await self._ready()
        async with self.engine.connect() as conn:
            value = (await conn.execute(sa.select(meta.c.value).where(meta.c.key == key))).scalar()
        return None if value is None else str(value)

    async def set_meta(self, key: str, value: str) -> None:
        await self._ready()
        insert = self._insert(meta).values(key=key, value=value, updated_at=datetime.now(UTC))
        upsert = insert.on_conflict_do_update(
            index_elements=["key"], set_={"value": value, "updated_at": insert.excluded.updated_at}
        )
        async with self.engine.begin() as conn:
            await conn.execute(upsert)

    async def ping(self) -> bool:
        """True when the database answers (for readiness checks)."""
        try:
            async with self.engine.connect() as conn:
                await conn.execute(sa.text("SELECT 1"))
        except Exception:
            log.warning("database ping failed", exc_info=True)
            return False
        return True

    def _insert(self, table: sa.Table) -> Any:
        return (postgresql.insert if self.dialect == "postgresql" else sqlite.insert)(table)

    @functools.cached_property
    def _statements(self) -> _HotStatements:
        """The per-check upserts, built once with bound parameters (their compiled form is cached)."""

        def param(column: sa.Column[Any]) -> Any:
            return sa.bindparam(column.name, type_=column.type)

        claim = self._insert(processed_events).values(
            event_id=param(processed_events.c.event_id), seen_at=param(processed_events.c.seen_at)
        )
        count = self._insert(rate_limits).values(
            scope=param(rate_limits.c.scope),
            user_id=param(rate_limits.c.user_id),
            window_start=param(rate_limits.c.window_start),
            hits=1,
        )
        return _HotStatements(
            claim_event=claim.on_conflict_do_nothing(index_elements=["event_id"]),
            count_hit=count.on_conflict_do_update(
                index_elements=["scope", "user_id", "window_start"],
                set_={"hits": rate_limits.c.hits + 1},
            ).returning(rate_limits.c.hits),
        )


@dataclass(frozen=True)
class _HotStatements:
    claim_event: Any
    count_hit: Any


def _discard_closed(_dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """Pool checkout (PostgreSQL): a connection whose socket the server closed (restart, failover,
    a proxy cutting it) is replaced before use, so the bot recovers from an outage without failing
    the first request after it. asyncpg notices a closed socket by itself, so this costs no round
    trip; a connection that fails mid-query anyway invalidates the whole pool (SQLAlchemy's
    disconnect handling), and pool_recycle retires idle connections after half an hour."""
    driver = getattr(record, "driver_connection", None)
    if driver is not None and driver.is_closed():
        raise sa.exc.DisconnectionError("connection closed by the server")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
    except Exception:  # a read-only database cannot switch journal mode; reads still work
        log.debug("could not switch SQLite to WAL", exc_info=True)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _case_row(case: Case) -> dict[str, Any]:
    return {
        "id": case.id,
        "platform": case.platform,
        "workspace": case.workspace,
        "channel": case.channel,
        "thread": case.thread,
        "user_id": case.user,
        "text": case.text,
        "signals": case.signals.model_dump(mode="json"),
        "verdict": case.verdict.model_dump(mode="json"),
        "created_at": case.created_at,
        "updated_at": case.updated_at,
        "version": case.version,
        "closed": case.closed,
        "feedback": case.feedback,
        "feedback_by": case.feedback_by,
        "feedback_at": case.feedback_at,
    }


def _answer_row(case_id: str, answer: Answer) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "user_id": answer.user,
        "question_id": answer.question_id,
        "value": answer.value,
        "text": answer.text,
        "phrase": answer.phrase,
        "at": answer.at,
    }


def _case_from_row(row: sa.Row[Any], case_answers: list[Answer]) -> Case:
    return Case(
        id=row.id,
        platform=row.platform,
        workspace=row.workspace,
        channel=row.channel,
        thread=row.thread,
        user=row.user_id,
        text=row.text,
        signals=Signals.model_validate(row.signals),
        answers=case_answers,
        verdict=Verdict.model_validate(row.verdict),
        created_at=row.created_at,
        updated_at=row.updated_at,
        version=row.version,
        closed=row.closed,
        feedback=row.feedback,
        feedback_by=row.feedback_by,
        feedback_at=row.feedback_at,
    )


def _open_in(conv: Conversation) -> list[sa.ColumnElement[bool]]:
    """The open cases of one conversation: a thread's (anyone in it), or a user's DM / channel."""
    where = [
        cases.c.platform == conv.platform,
        cases.c.workspace == conv.workspace,
        cases.c.channel == conv.channel,
        cases.c.closed.is_(False),
    ]
    if conv.thread is None:
        where += [cases.c.thread.is_(None), cases.c.user_id == conv.user]
    else:
        where.append(cases.c.thread == conv.thread)
    return where
