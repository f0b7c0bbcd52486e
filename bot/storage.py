"""SQLAlchemy 2 async Core storage for the conversation service: SQLite (aiosqlite) or PostgreSQL.

`SqlStorage` implements `core.service.Storage`. The schema lives in `bot/migrations` (Alembic) and
is applied by `migrate()`; the table definitions below are what the queries use and must match
the migrations (a test checks that).

The writes every check makes (`count_hit`, `create_case`, and `claim_event` for events) are
group-committed: concurrent ones share one transaction, and each caller still waits for its own
write's commit and gets its own result or error (`_GroupCommit`, docs/deployment.md).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from bot.settings import normalise_database_url
from core.cases import Answer, Case, TextPart
from core.models import Verdict, signals_from_json, signals_to_json
from core.service import Conversation, ForgetResult, WorkspaceSettings
from core.stats import Median, WorkspaceStats

log = logging.getLogger(__name__)

CaseChange = Callable[[Case], tuple[Case, Sequence[Answer]]]

MIGRATIONS_DIR = Path(__file__).with_name("migrations")

#: The most writes one group commit flushes in one transaction (the rest wait for the next flush).
MAX_GROUP_WRITES = 256
#: How long this process trusts a workspace's settings it read (its own writes refresh them at once).
SETTINGS_TTL_SECONDS = 5.0


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
    sa.Column("parts", sa.JSON, nullable=True),  # migration 0003: [{user, text}] of a thread's lines
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

# Other people whose words are in a case's text (migration 0003): found by user on `forget`.
case_contributors = sa.Table(
    "case_contributors",
    metadata,
    sa.Column("case_id", sa.String(64), sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.String(128), primary_key=True),
    sa.Index("ix_case_contributors_user", "user_id"),
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
        self._writes = _GroupCommit(self._write_group, self._fails_every_write)
        self.settings_ttl = SETTINGS_TTL_SECONDS
        self._settings_cache: dict[tuple[str, str], tuple[float, WorkspaceSettings | None]] = {}
        self._settings_generation = 0
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
        """Commit the writes still queued (their callers are waiting), then close the connections."""
        await self._writes.drain()
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
        """Insert the case; returns once it is committed (group commit: see `_GroupCommit`)."""
        await self._ready()
        answer_rows = [_answer_row(case.id, a) for a in case.answers]
        contributors = [{"case_id": case.id, "user_id": user} for user in sorted(_contributors(case))]
        await self._writes.submit(_Write("case", (_case_row(case), answer_rows, contributors)))

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
                    signals=signals_to_json(updated.signals),
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
                    signals=signals_to_json(case.signals),
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
        try:
            return await self._forget_user(platform, user)
        finally:
            self._forget_settings()  # the user's settings rows may have gone

    async def _forget_user(self, platform: str, user: str) -> ForgetResult:
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
            # The user's lines in other people's thread cases (those cases are then read again).
            words = await self._take_out_words(conn, platform, user)
            touched = sorted({*touched, *words.cases})
            deleted = words.lines
            # Answers on the user's own cases, and the user's answers on other people's cases.
            deleted += (await conn.execute(answers.delete().where(answers.c.case_id.in_(own_ids)))).rowcount
            await conn.execute(case_contributors.delete().where(case_contributors.c.case_id.in_(own_ids)))
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
            await conn.execute(case_contributors.delete().where(case_contributors.c.case_id.in_(old)))
            result = await conn.execute(cases.delete().where(cases.c.updated_at < cases_before))
            await conn.execute(processed_events.delete().where(processed_events.c.seen_at < events_before))
            await conn.execute(rate_limits.delete().where(rate_limits.c.window_start < events_before))
            return int(result.rowcount)

    # --- events, rate limits, settings, meta --------------------------------------------

    async def claim_event(self, event_id: str, now: datetime) -> bool:
        """True if this call stored the event id first; returns once that is committed."""
        await self._ready()
        claimed: bool = await self._writes.submit(_Write("event", (event_id, _utc(now))))
        return claimed

    async def count_hit(self, scope: str, user: str, window_start: datetime) -> int:
        """One more hit in a user's window; the count after it, once committed (shared across processes)."""
        await self._ready()
        count: int = await self._writes.submit(_Write("hit", (scope, user, _utc(window_start))))
        return count

    async def get_settings(self, platform: str, workspace: str) -> WorkspaceSettings | None:
        """A workspace's settings; read at most every `settings_ttl` seconds per workspace (they
        change rarely: this process's own `put_settings` and `forget_user` refresh them at once,
        another process's change shows here within `settings_ttl`)."""
        key = (platform, workspace)
        cached = self._settings_cache.get(key)
        if cached is not None and time.monotonic() - cached[0] < self.settings_ttl:
            return cached[1]
        await self._ready()
        generation = self._settings_generation
        query = workspace_settings.select().where(
            workspace_settings.c.platform == platform, workspace_settings.c.workspace == workspace
        )
        read_at = time.monotonic()
        async with self.engine.connect() as conn:
            row = (await conn.execute(query)).first()
        settings = None
        if row is not None:
            settings = WorkspaceSettings(
                platform=row.platform,
                workspace=row.workspace,
                default_visibility=row.default_visibility,
                default_currency=row.default_currency,
                updated_by=row.updated_by,
                updated_at=row.updated_at,
            )
        if generation == self._settings_generation:  # no write of ours raced with this read
            self._settings_cache[key] = (read_at, settings)
        return settings

    def _forget_settings(self) -> None:
        """Drop every cached settings read (after a write of ours that may have changed them)."""
        self._settings_cache.clear()
        self._settings_generation += 1

    async def put_settings(self, settings: WorkspaceSettings) -> None:
        await self._ready()
        values = settings.model_dump()
        insert = self._insert(workspace_settings).values(**values)
        upsert = insert.on_conflict_do_update(
            index_elements=["platform", "workspace"],
            set_={k: v for k, v in values.items() if k not in ("platform", "workspace")},
        )
        try:
            async with self.engine.begin() as conn:
                await conn.execute(upsert)
        finally:
            self._forget_settings()

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

    async def _write_group(self, batch: Sequence[_Write]) -> list[Any]:
        """Every write of `batch` in one transaction; each write's result, in order.

        Rows are written in a fixed order (event ids, then rate-limit keys, sorted; then cases) so
        that two processes' transactions never wait on each other in a cycle. Hits on one key are
        added together: the key's new total comes back and each hit gets its own count.
        """
        events: dict[str, datetime] = {}
        hits: dict[tuple[str, str, datetime], int] = {}
        case_rows: list[dict[str, Any]] = []
        answer_rows: list[dict[str, Any]] = []
        contributor_rows: list[dict[str, Any]] = []
        for write in batch:
            if write.kind == "event":
                event_id, seen_at = write.payload
                events.setdefault(event_id, seen_at)
            elif write.kind == "hit":
                hits[write.payload] = hits.get(write.payload, 0) + 1
            else:
                case_row, rows, contributors = write.payload
                case_rows.append(case_row)
                answer_rows.extend(rows)
                contributor_rows.extend(contributors)
        claimed: set[str] = set()
        totals: dict[tuple[str, str, datetime], int] = {}
        statements = self._statements
        async with self.engine.begin() as conn:
            if events:
                params = [{"event_id": e, "seen_at": events[e]} for e in sorted(events)]
                claimed = set((await conn.execute(statements.claim_events, params)).scalars().all())
            if hits:
                keys = sorted(hits)
                params = [{"scope": k[0], "user_id": k[1], "window_start": k[2], "hits": hits[k]} for k in keys]
                for row in (await conn.execute(statements.add_hits, params)).all():
                    totals[(row.scope, row.user_id, _utc(row.window_start))] = int(row.hits)
                if len(totals) != len(keys) or any(k not in totals for k in keys):
                    raise RuntimeError("a rate-limit count did not come back")  # rolls back the group
            if case_rows:
                await conn.execute(cases.insert(), case_rows)
            if answer_rows:
                await conn.execute(answers.insert(), answer_rows)
            if contributor_rows:
                await conn.execute(case_contributors.insert(), contributor_rows)
        results: list[Any] = []
        for write in batch:
            if write.kind == "event":
                results.append(write.payload[0] in claimed)
                claimed.discard(write.payload[0])  # a second claim of one id in the group is a retry
            elif write.kind == "hit":
                # the group's hits on a key are numbered up to the key's new total, in arrival order
                hits[write.payload] -= 1
                results.append(totals[write.payload] - hits[write.payload])
            else:
                results.append(None)
        return results

    async def _take_out_words(self, conn: AsyncConnection, platform: str, user: str) -> _WordsTakenOut:
        """Remove the user's lines from other people's thread cases (their text and parts)."""
        contributed = (
            await conn.execute(
                sa.select(cases.c.id, cases.c.parts)
                .join(case_contributors, case_contributors.c.case_id == cases.c.id)
                .where(case_contributors.c.user_id == user, cases.c.platform == platform, cases.c.user_id != user)
                .order_by(cases.c.id)
            )
        ).all()
        lines = 0
        for case_id, parts in contributed:
            kept = [part for part in parts or [] if part.get("user") != user]
            lines += len(parts or []) - len(kept)
            text = "\n".join(str(part.get("text", "")) for part in kept)
            await conn.execute(cases.update().where(cases.c.id == case_id).values(text=text, parts=kept))
        ids = [case_id for case_id, _ in contributed]
        if ids:
            await conn.execute(
                case_contributors.delete().where(
                    case_contributors.c.user_id == user, case_contributors.c.case_id.in_(ids)
                )
            )
        return _WordsTakenOut(cases=ids, lines=lines)

    def _fails_every_write(self, error: Exception) -> bool:
        """Whether a failed group's error concerns the database rather than one of its writes (then
        retrying the writes one by one would only fail them again, slowly): the connection or the
        pool, or on SQLite an OperationalError (the file is locked, read-only, missing, or failing)."""
        if isinstance(error, OSError | TimeoutError | sa.exc.TimeoutError | sa.exc.DisconnectionError):
            return True
        if isinstance(error, sa.exc.DBAPIError):
            if error.connection_invalidated or isinstance(error, sa.exc.InterfaceError):
                return True
            return self.dialect == "sqlite" and isinstance(error, sa.exc.OperationalError)
        return False

    def _insert(self, table: sa.Table) -> Any:
        return (postgresql.insert if self.dialect == "postgresql" else sqlite.insert)(table)

    @functools.cached_property
    def _statements(self) -> _HotStatements:
        """The per-check upserts, built once with bound parameters (their compiled form is cached)."""

        def param(column: sa.Column[Any]) -> Any:
            return sa.bindparam(column.name, type_=column.type)

        # executed with a list of parameter sets: SQLAlchemy's "insertmanyvalues" sends them as one
        # multi-row INSERT ... RETURNING (on both databases)
        claim = self._insert(processed_events).values(
            event_id=param(processed_events.c.event_id), seen_at=param(processed_events.c.seen_at)
        )
        insert_hits = self._insert(rate_limits).values(
            scope=param(rate_limits.c.scope),
            user_id=param(rate_limits.c.user_id),
            window_start=param(rate_limits.c.window_start),
            hits=param(rate_limits.c.hits),
        )
        return _HotStatements(
            claim_events=claim.on_conflict_do_nothing(index_elements=["event_id"]).returning(
                processed_events.c.event_id
            ),
            add_hits=insert_hits.on_conflict_do_update(
                index_elements=["scope", "user_id", "window_start"],
                set_={"hits": rate_limits.c.hits + insert_hits.excluded.hits},
            ).returning(rate_limits.c.scope, rate_limits.c.user_id, rate_limits.c.window_start, rate_limits.c.hits),
        )


@dataclass(frozen=True)
class _WordsTakenOut:
    cases: list[str]  # other people's cases that held the user's lines
    lines: int  # how many lines went


def _contributors(case: Case) -> set[str]:
    """The people other than the case's owner whose words are in its text."""
    return {part.user for part in case.parts} - {case.user}


@dataclass(frozen=True)
class _HotStatements:
    claim_events: Any
    add_hits: Any


WriteKind = Literal["case", "hit", "event"]


@dataclass(eq=False)
class _Write:
    """One queued write: a case (its row and answer rows), a rate-limit hit (its key) or an event id
    claim (id, time); `future` gets its result once the transaction holding it has committed."""

    kind: WriteKind
    payload: Any
    future: asyncio.Future[Any] | None = field(default=None, repr=False)


class _GroupCommit:
    """Group commit: the writes of concurrent checks share one transaction, so one commit (and, on
    SQLite, one turn of the single writer lock) serves them all.

    One writer task per storage drains a queue: it flushes every write queued so far in one
    transaction, and meanwhile new writes queue for the next flush. There is no timer: a write on
    an idle storage is flushed on the next turn of the event loop, so latency at low load is that of
    a plain transaction, and batches grow only when the database is the bottleneck.

    Each caller waits for its own write's commit and gets its own result. When a group's
    transaction fails, nothing of it was stored: if the cause concerns the database as a whole (a
    lost connection, a locked, read-only or missing SQLite file), every caller gets that error;
    otherwise each write is retried in a transaction of its own, so only the write at fault fails.
    """

    def __init__(
        self,
        write: Callable[[Sequence[_Write]], Awaitable[list[Any]]],
        fails_every_write: Callable[[Exception], bool],
    ) -> None:
        self._write = write  # the writes of a group in one transaction; their results
        self._fails_every_write = fails_every_write
        self._queue: list[_Write] = []
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def submit(self, write: _Write) -> Any:
        """Queue `write` and wait until it is committed; its result (or its error)."""
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # first use, or a new event loop (e.g. a second asyncio.run)
            self._loop, self._queue, self._task = loop, [], None
        write.future = loop.create_future()
        self._queue.append(write)
        if self._task is None:
            self._task = loop.create_task(self._run(), name="perkcheck-group-commit")
        return await write.future

    async def drain(self) -> None:
        """Wait until every queued write has been flushed."""
        while self._task is not None and self._loop is asyncio.get_running_loop():
            await asyncio.wait({self._task})  # (not shield: a cancelled writer must not raise here)

    async def _run(self) -> None:
        try:
            while self._queue:
                batch = self._queue[:MAX_GROUP_WRITES]
                del self._queue[:MAX_GROUP_WRITES]
                # a caller cancelled before its write was flushed does not want it any more
                batch = [w for w in batch if w.future is not None and not w.future.done()]
                if batch:
                    await self._flush(batch)
        except BaseException as error:  # cancelled (the loop is closing): nobody waits forever
            for write in self._queue:
                _fail(write, error)
            self._queue = []
            raise
        finally:
            if self._task is asyncio.current_task():
                self._task = None

    async def _flush(self, batch: list[_Write]) -> None:
        try:
            results = await self._write(batch)
        except asyncio.CancelledError as error:
            for write in batch:
                _fail(write, error)
            raise
        except Exception as error:
            if len(batch) == 1 or self._fails_every_write(error):
                for write in batch:
                    _fail(write, error)
                return
            log.info("a group of %d writes failed (%s); retrying them one by one", len(batch), type(error).__name__)
            for write in batch:
                await self._flush([write])
            return
        for write, result in zip(batch, results, strict=True):
            if write.future is not None and not write.future.done():
                write.future.set_result(result)


def _fail(write: _Write, error: BaseException) -> None:
    if write.future is None or write.future.done():
        return
    if isinstance(error, asyncio.CancelledError):
        write.future.cancel()
    else:
        write.future.set_exception(error)


def _utc(value: datetime) -> datetime:
    """`value` as an aware UTC datetime (naive ones are taken as UTC, as the database columns do)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


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
        "signals": signals_to_json(case.signals),
        "verdict": case.verdict.model_dump(mode="json"),
        "created_at": case.created_at,
        "updated_at": case.updated_at,
        "version": case.version,
        "closed": case.closed,
        "feedback": case.feedback,
        "feedback_by": case.feedback_by,
        "feedback_at": case.feedback_at,
        "parts": [part.model_dump() for part in case.parts] or None,
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
        signals=signals_from_json(row.signals),
        answers=case_answers,
        verdict=Verdict.model_validate(row.verdict),
        created_at=row.created_at,
        updated_at=row.updated_at,
        version=row.version,
        closed=row.closed,
        feedback=row.feedback,
        feedback_by=row.feedback_by,
        feedback_at=row.feedback_at,
        parts=[TextPart.model_validate(part) for part in row.parts or []],
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
