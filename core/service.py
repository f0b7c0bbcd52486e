"""The conversation service every adapter calls, and the storage port it is written against.

Adapters translate platform events into `Conversation` + text (or a button's case id, question
and value), call the service, and render the `Reply`. Everything shared between processes
(cases, answers, processed event ids, rate-limit counts, settings) goes through `Storage`.
A storage failure never stops a verdict: the reply comes with a note instead.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from core.cases import (
    ANSWER_VALUES,
    Answer,
    Case,
    InvalidAnswer,
    Refinement,
    TextPart,
    answers_from_signals,
    reads_as_answer,
    refine,
    validate_answer,
)
from core.classifier import MAX_INPUT_CHARS, decide, extract_signals
from core.compare import Comparison, NotAComparison
from core.compare import compare as compare_offers
from core.models import Signals, Verdict
from core.present import FEEDBACK_CHOICES
from core.prices import context_notes
from core.signals import COUNTRY_OF_CURRENCY
from core.stats import WorkspaceStats, stats_text
from core.tax import TaxNote, tax_note

__all__ = [
    "ANSWER_VALUES",
    "Answer",
    "Case",
    "Conversation",
    "ConversationService",
    "ForgetResult",
    "HistoryEntry",
    "Reply",
    "ReplyKind",
    "Storage",
    "Visibility",
    "WorkspaceSettings",
    "WorkspaceStats",
]

log = logging.getLogger(__name__)

NOTE_NOT_SAVED = "History could not be saved just now."
NOTE_NOT_READ = "History could not be read just now, so this was treated as a new check."
GONE = "I no longer have that check (it was erased or expired). Paste the offer again to start over."
NO_CASE_TO_RATE = "There is no open check here to rate: paste an offer first, then tell me good or bad."
NO_OPEN_CASE = (
    "That sounds like an answer, but there is no open check here to apply it to. "
    'Paste the offer (or just the allowance) first, e.g. "$500/month API budget".'
)
NOTE_STILL_OPEN = (
    "Your last check is still open: answer its questions in your own words "
    '("work only", "it rolls over", "hard cap"), or type new to start another.'
)
COMMAND_WORDS = ("help", "new", "history", "forget", "stats")
#: Typed feedback on the open case's verdict (the console's "good" / "bad"; buttons elsewhere).
FEEDBACK_WORDS = {"good": "up", "bad": "down", "👍": "up", "👎": "down"}
FEEDBACK_VALUES = tuple(value for value, _label in FEEDBACK_CHOICES)
NO_STATS_IN_DMS = "Community stats are per workspace or server: ask for them in a server channel, not a DM."


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Conversation(_Model):
    """Where a message came from. Adapters build one per incoming event."""

    platform: Literal["slack", "discord", "console"]
    workspace: str  # Slack team id, Discord guild id ("dm" for Discord DMs), "local" for console
    channel: str  # channel / DM channel id
    thread: str | None = None  # Slack thread_ts, Discord thread channel id; None outside threads
    user: str  # platform user id


class HistoryEntry(_Model):
    case_id: str
    created_at: datetime
    verdict: Verdict


Visibility = Literal["private", "public"]


class WorkspaceSettings(_Model):
    """Per-workspace defaults: how replies are shown, and the currency of bare amounts."""

    platform: str
    workspace: str
    default_visibility: Visibility = "private"
    default_currency: str | None = None  # ISO 4217, applied when the text names no currency
    updated_by: str | None = None
    updated_at: datetime | None = None


class ForgetResult(_Model):
    """What `Storage.forget_user` removed, and other users' cases that held this user's answers or
    lines of a thread (those lines are already out of the case's text; the service reads it again)."""

    deleted: int
    touched_case_ids: list[str] = Field(default_factory=list)


ReplyKind = Literal[
    "verdict",  # a fresh verdict on a new case
    "refined",  # an existing case updated by an answer; see `changes`
    "help",
    "history",
    "forgotten",
    "rate_limited",
    "error",  # the input was refused (too long, binary...): `text` says why, politely
    "info",  # anything else worth saying in plain words
    "comparison",  # offers compared: `comparison`, and `text` as plain words
    "stats",  # community stats of this workspace, in `text`
    "feedback",  # a 👍/👎 on a verdict was stored: `text` thanks for it
    "duplicate",  # a retried platform event already handled: post NOTHING
]


class Reply(_Model):
    """What the service says back; adapters render it (Block Kit, embeds, text)."""

    kind: ReplyKind
    text: str = ""  # plain words for help / history / forget / errors / info
    verdict: Verdict | None = None
    # None when nothing was stored (no allowance in the text, or storage down): no answer buttons
    case_id: str | None = None
    changes: list[str] = Field(default_factory=list)  # what an answer changed, and why
    notes: list[str] = Field(default_factory=list)  # e.g. "History could not be saved."
    history: list[HistoryEntry] = Field(default_factory=list)
    comparison: Comparison | None = None
    context: list[str] = Field(default_factory=list)  # dated list prices that put the allowance in context
    tax: TaxNote | None = None  # general tax information (not advice) where a country is implied


class Storage(Protocol):
    """The port core needs; bot/ implements it with SQLAlchemy (SQLite or PostgreSQL).

    Every method may raise any exception when the database is unavailable; the service turns
    that into a note on the reply.
    """

    async def create_case(self, case: Case) -> None:
        """Insert a new case (its answers list is empty)."""

    async def get_case(self, case_id: str) -> Case | None:
        """A case with its answers in the order given, or None."""

    async def open_case(self, conv: Conversation) -> Case | None:
        """The newest unclosed case in this conversation (a thread: anyone's; else the user's)."""

    async def update_case(self, case_id: str, change: Callable[[Case], tuple[Case, Sequence[Answer]]]) -> Case | None:
        """Atomically: lock the case, call `change(case)` (pure, may raise to abort), store the
        returned case's signals/verdict/updated_at with version + 1 and append the returned
        answers. The stored case, or None when there is no such case. Concurrent writers to one
        case must queue (row lock / write lock), never lose an update."""

    async def rewrite_case(self, case: Case) -> None:
        """Replace a case's signals, verdict and answer list unconditionally (after erasure)."""

    async def close_cases(self, conv: Conversation) -> int:
        """Mark this conversation's open cases closed; how many."""

    async def list_cases(self, platform: str, workspace: str, user: str, limit: int) -> list[Case]:
        """A user's newest cases in one workspace, newest first."""

    async def forget_user(self, platform: str, user: str) -> ForgetResult:
        """Delete every row holding this user's id or text on this platform, and take the user's
        lines (`Case.parts`) out of the text of other people's thread cases."""

    async def claim_event(self, event_id: str, now: datetime) -> bool:
        """True the first time an event id is stored; False if it was already there."""

    async def count_hit(self, scope: str, user: str, window_start: datetime) -> int:
        """Add one to a user's counter for a time window; return the new count."""

    async def get_settings(self, platform: str, workspace: str) -> WorkspaceSettings | None: ...

    async def put_settings(self, settings: WorkspaceSettings) -> None: ...

    async def get_meta(self, key: str) -> str | None: ...

    async def set_meta(self, key: str, value: str) -> None: ...

    async def purge(self, cases_before: datetime, events_before: datetime) -> int:
        """Delete cases last touched before `cases_before` (and their answers), processed event ids
        and rate-limit windows before `events_before`; how many cases went."""

    async def set_feedback(
        self, case_id: str, *, value: str, user: str, at: datetime, workspace: str | None
    ) -> Case | None:
        """Store a 👍/👎 ("up"/"down") on a case (the last one given counts); the case, or None when
        there is no such case (in `workspace`, when given)."""

    async def workspace_stats(self, platform: str, workspace: str) -> WorkspaceStats:
        """Counts by verdict and median annual amounts by verdict and currency, over this workspace's
        cases that name an allowance, aggregated in the database (no ids or texts leave it)."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


HELP_TEXT = (
    "Paste the part of a job offer that mentions an AI token allowance, and I'll tell you whether "
    "it is pay or an operating cost dressed up as pay.\n"
    "Examples:\n"
    "  $500/month API budget, work-only\n"
    "  they're offering 15k a year in AI credits, use it for anything, it rolls over\n"
    "  $185k base, 10% bonus, $15,000/yr AI token credits\n"
    'Then answer my questions in your own words ("they said it rolls over", "work only") '
    "and I'll update the verdict.\n"
    "Words I know: help, new (start a fresh check), history (your recent checks), "
    "forget (erase everything stored about you), stats (community stats for this workspace), "
    'compare then two offers ("$185k base, $15k AI credits work only vs $180k base, $5k AI stipend"), '
    "good / bad (was my last verdict right?)."
)


class ConversationService:
    """One behaviour for every surface: check, answer, history, forget, settings."""

    def __init__(
        self,
        storage: Storage,
        clock: Callable[[], datetime] = _utc_now,
        rate_limit_per_minute: int = 20,
        *,
        history_limit: int = 10,
    ) -> None:
        self._storage = storage
        self._clock = clock
        self._rate_limit = rate_limit_per_minute
        self._history_limit = history_limit

    @property
    def storage(self) -> Storage:
        return self._storage

    # --- entry points -------------------------------------------------------------------

    async def check(self, conv: Conversation, text: str, *, event_id: str | None = None) -> Reply:
        """A new case from `text` (slash command, shortcut, context menu)."""
        return await self._check(conv, text, event_id, parts=())

    async def check_thread(
        self, conv: Conversation, parts: Sequence[TextPart], *, event_id: str | None = None
    ) -> Reply:
        """A new case from a thread's messages (oldest first, one part each): their text, one
        message a line, remembering who wrote which so that `forget` can take a person's out."""
        text = "\n".join(part.text for part in parts)
        others = {part.user for part in parts} - {conv.user}
        return await self._check(conv, text, event_id, parts=parts if others else ())  # all the asker's: none kept

    async def _check(self, conv: Conversation, text: str, event_id: str | None, *, parts: Sequence[TextPart]) -> Reply:
        refused = await self._admit(conv, text, event_id)
        if refused:
            return refused
        return await self._new_case(conv, text, extract_signals(text), notes=[], parts=parts)

    async def message(self, conv: Conversation, text: str, *, event_id: str | None = None) -> Reply:
        """A DM / thread message: a command word, an answer to the open case, or a new case."""
        word = text.strip().lower().strip("!./?")
        if word in COMMAND_WORDS or word in FEEDBACK_WORDS:
            if event_id is not None and not await self.claim_event(event_id):
                return Reply(kind="duplicate")
            return await self._command(conv, word)
        if word.startswith("compare") and word[7:8] in ("", " ", ":", "\n"):
            return await self.compare(conv, text, event_id=event_id)
        refused = await self._admit(conv, text, event_id)
        if refused:
            return refused
        signals = extract_signals(text)
        notes: list[str] = []
        if reads_as_answer(signals):
            try:
                case = await self._storage.open_case(conv)
            except Exception:
                log.exception("could not read the open case")
                case, notes = None, [NOTE_NOT_READ]
            if case is not None and case.signals.has_allowance:
                answers = answers_from_signals(signals, text=text, at=self._clock(), user=conv.user)
                return await self._refine(case.id, answers, first=case)
            if not notes and not _worth_keeping(signals):
                return Reply(kind="info", text=NO_OPEN_CASE, notes=notes)
        elif not _worth_keeping(signals):
            # small talk or a general question: answer it, and keep the open case open
            case = await self.open_case(conv)
            if case is not None and case.signals.has_allowance and case.verdict.questions:
                notes = [NOTE_STILL_OPEN]
        return await self._new_case(conv, text, signals, notes=notes)

    async def answer(
        self,
        case_id: str,
        user: str,
        question_id: str,
        value: str,
        *,
        workspace: str | None = None,
    ) -> Reply:
        """A structured answer (a button click) to a case's question.

        Pass `workspace` (the clicker's team/guild) to refuse cases from another workspace.
        """
        try:
            validate_answer(question_id, value)
        except InvalidAnswer:
            return Reply(kind="error", text="That answer isn't one I know; try the buttons again.")
        answer = Answer(question_id=question_id, value=value, at=self._clock(), user=user)
        return await self._refine(case_id, [answer], workspace=workspace)

    async def compare(self, conv: Conversation, text: str, *, event_id: str | None = None) -> Reply:
        """Two or more offers side by side on real pay (`compare A vs B`); nothing is stored."""
        refused = await self._admit(conv, text, event_id)
        if refused:
            return refused
        try:
            comparison = compare_offers(text)
        except NotAComparison as error:
            return Reply(kind="error", text=str(error))
        return Reply(kind="comparison", text=comparison.render_text(), comparison=comparison)

    async def stats(self, conv: Conversation) -> Reply:
        """Community stats for this workspace: counts and medians only, nothing below the threshold."""
        if conv.platform == "discord" and conv.workspace == "dm":
            return Reply(kind="info", text=NO_STATS_IN_DMS)
        try:
            stats = await self._storage.workspace_stats(conv.platform, conv.workspace)
        except Exception:
            log.exception("could not read community stats")
            return Reply(kind="error", text="I can't read the stats just now; try again in a minute.")
        where = "this server" if conv.platform == "discord" else "this workspace"
        return Reply(kind="stats", text=stats_text(stats, where))

    async def feedback(self, case_id: str, user: str, value: str, *, workspace: str | None = None) -> Reply:
        """A 👍 ("up") or 👎 ("down") on a case's verdict, stored with the case (the last one counts)."""
        if value not in FEEDBACK_VALUES:
            return Reply(kind="error", text="That feedback isn't one I know; use the 👍 or 👎 button.")
        try:
            case = await self._storage.set_feedback(
                case_id, value=value, user=user, at=self._clock(), workspace=workspace
            )
        except Exception:
            log.exception("could not save feedback")
            return Reply(kind="error", text="I couldn't save your feedback just now; please try again in a minute.")
        if case is None:
            return Reply(kind="error", text=GONE)
        if value == "up":
            text = "Thanks for the 👍: noted that this verdict looks right to you."
        else:
            text = (
                "Thanks for the 👎: noted that this verdict looks wrong to you. The operator reviews disagreed"
                " checks (the offer text and the verdict, never who sent them) to improve the rules;"
                " forget erases yours."
            )
        return Reply(kind="feedback", text=text, case_id=case.id)

    async def history(self, conv: Conversation, limit: int = 10) -> Reply:
        """The user's recent cases in this workspace, newest first."""
        try:
            cases = await self._storage.list_cases(conv.platform, conv.workspace, conv.user, limit)
        except Exception:
            log.exception("could not read history")
            return Reply(kind="history", text="I can't read your history just now; try again soon.")
        entries = [HistoryEntry(case_id=c.id, created_at=c.created_at, verdict=c.verdict) for c in cases]
        if not entries:
            text = "No checks stored for you yet."
        elif len(entries) == 1:
            text = "Your last check:"
        else:
            text = f"Your last {len(entries)} checks, newest first:"
        return Reply(kind="history", text=text, history=entries)

    async def forget(self, conv: Conversation) -> Reply:
        """Erase everything stored about this user on this platform; say how many items went."""
        try:
            result = await self._storage.forget_user(conv.platform, conv.user)
            for case_id in result.touched_case_ids:
                await self._rebuild_without(case_id, conv.user)
        except Exception:
            log.exception("could not erase a user's data")
            return Reply(
                kind="error",
                text="I couldn't erase your data just now (the database is unavailable). Please try again in a minute.",
            )
        items = "item" if result.deleted == 1 else "items"
        return Reply(
            kind="forgotten",
            text=f"Done: I erased {result.deleted} {items} stored about you (checks, answers and settings you made).",
        )

    async def claim_event(self, event_id: str) -> bool:
        """True the first time an event id is seen (across processes); False for a retry."""
        try:
            return await self._storage.claim_event(event_id, self._clock())
        except Exception:
            log.exception("could not record an event id; handling the event anyway")
            return True

    def help(self) -> Reply:
        return Reply(kind="help", text=HELP_TEXT)

    async def open_case(self, conv: Conversation) -> Case | None:
        """The case an answer here would refine (None when there is none or storage is down)."""
        try:
            return await self._storage.open_case(conv)
        except Exception:
            log.exception("could not read the open case")
            return None

    async def get_case(self, case_id: str, *, platform: str | None = None, workspace: str | None = None) -> Case | None:
        """A stored case by id; None if unknown, from elsewhere, or if storage is down."""
        try:
            case = await self._storage.get_case(case_id)
        except Exception:
            log.exception("could not read a case")
            return None
        if case is None:
            return None
        if (platform is not None and case.platform != platform) or (
            workspace is not None and case.workspace != workspace
        ):
            return None
        return case

    async def new(self, conv: Conversation) -> Reply:
        """Close the open case so the next message starts a fresh one."""
        try:
            await self._storage.close_cases(conv)
        except Exception:
            log.exception("could not close the open case")
        return Reply(kind="info", text="OK, starting fresh: paste the next offer or allowance.")

    async def settings(self, conv: Conversation) -> WorkspaceSettings:
        """This workspace's defaults (the built-in ones when none are stored or storage is down)."""
        try:
            stored = await self._storage.get_settings(conv.platform, conv.workspace)
        except Exception:
            log.exception("could not read workspace settings")
            stored = None
        return stored or WorkspaceSettings(platform=conv.platform, workspace=conv.workspace)

    async def update_settings(
        self,
        conv: Conversation,
        *,
        default_visibility: Visibility | None = None,
        default_currency: str | None = None,
    ) -> WorkspaceSettings:
        """Change this workspace's defaults; raises if storage is down (settings must persist)."""
        current = await self.settings(conv)
        update: dict[str, object] = {"updated_by": conv.user, "updated_at": self._clock()}
        if default_visibility is not None:
            update["default_visibility"] = default_visibility
        if default_currency is not None:
            currency = default_currency.strip().upper()
            if len(currency) != 3 or not currency.isalpha():
                raise ValueError("default currency must be a three-letter ISO 4217 code")
            update["default_currency"] = currency
        new = current.model_copy(update=update)
        await self._storage.put_settings(new)
        return new

    async def get_meta(self, key: str) -> str | None:
        return await self._storage.get_meta(key)

    async def set_meta(self, key: str, value: str) -> None:
        await self._storage.set_meta(key, value)

    async def purge_expired(self, retention_days: int) -> int:
        """Delete cases older than the retention period; how many went."""
        now = self._clock()
        return await self._storage.purge(
            cases_before=now - timedelta(days=retention_days),
            events_before=now - timedelta(days=1),
        )

    # --- internals ----------------------------------------------------------------------

    async def _command(self, conv: Conversation, word: str) -> Reply:
        if word == "help":
            return self.help()
        if word == "new":
            return await self.new(conv)
        if word == "history":
            return await self.history(conv, self._history_limit)
        if word == "stats":
            return await self.stats(conv)
        if word in FEEDBACK_WORDS:
            case = await self.open_case(conv)
            if case is None:
                return Reply(kind="info", text=NO_CASE_TO_RATE)
            return await self.feedback(case.id, conv.user, FEEDBACK_WORDS[word], workspace=conv.workspace)
        return await self.forget(conv)

    async def _admit(self, conv: Conversation, text: str, event_id: str | None) -> Reply | None:
        """The reply that stops a text here (unreadable, a retried event, over the rate limit), or None."""
        return _refusal(text) or await self._gate(conv, event_id)

    async def _gate(self, conv: Conversation, event_id: str | None) -> Reply | None:
        """De-duplicate retried events, then apply the per-user rate limit."""
        if event_id is not None and not await self.claim_event(event_id):
            return Reply(kind="duplicate")
        if self._rate_limit <= 0:
            return None
        now = self._clock()
        window = now.replace(second=0, microsecond=0)
        try:
            count = await self._storage.count_hit(f"{conv.platform}:{conv.workspace}", conv.user, window)
        except Exception:
            log.exception("could not count a check for the rate limit; allowing it")
            return None
        if count > self._rate_limit:
            wait = 60 - now.second
            return Reply(
                kind="rate_limited",
                text=f"That's {self._rate_limit} checks in a minute, my limit per person. "
                f"Give it about {wait} seconds and try again.",
            )
        return None

    async def _new_case(
        self, conv: Conversation, text: str, signals: Signals, notes: list[str], parts: Sequence[TextPart] = ()
    ) -> Reply:
        signals = await self._with_workspace_defaults(conv.platform, conv.workspace, signals)
        verdict = decide(signals)
        now = self._clock()
        case = Case(
            id=uuid.uuid4().hex,
            platform=conv.platform,
            workspace=conv.workspace,
            channel=conv.channel,
            thread=conv.thread,
            user=conv.user,
            text=text,
            signals=signals,
            verdict=verdict,
            created_at=now,
            updated_at=now,
            parts=list(parts),
        )
        context = in_context(verdict, text, signals.country)
        if not _worth_keeping(signals):
            return Reply(kind="verdict", verdict=verdict, notes=notes, **context)
        try:
            await self._storage.create_case(case)
        except Exception:
            log.exception("could not save a case")
            return Reply(kind="verdict", verdict=verdict, notes=[*notes, NOTE_NOT_SAVED], **context)
        return Reply(kind="verdict", verdict=verdict, case_id=case.id, notes=notes, **context)

    async def _with_workspace_defaults(self, platform: str, workspace: str, signals: Signals) -> Signals:
        """What the workspace's settings imply when the text does not say: a bare amount ("500 a
        month") takes the default currency, and that currency implies the country for tax notes."""
        needs_currency = signals.money is not None and signals.money.currency is None
        needs_country = signals.has_allowance and signals.country is None
        if not (needs_currency or needs_country):
            return signals
        try:
            settings = await self._storage.get_settings(platform, workspace)
        except Exception:
            log.exception("could not read workspace settings")
            return signals
        if settings is None or settings.default_currency is None:
            return signals
        money = signals.money
        if needs_currency and money is not None:
            money = replace(money, currency=settings.default_currency)
        country = COUNTRY_OF_CURRENCY.get(settings.default_currency) if needs_country else signals.country
        return replace(signals, money=money, country=country)

    async def _refine(
        self,
        case_id: str,
        answers: list[Answer],
        *,
        first: Case | None = None,
        workspace: str | None = None,
    ) -> Reply:
        """Apply answers to the stored case under its lock, so concurrent answers all count."""
        outcomes: list[Refinement] = []

        def change(case: Case) -> tuple[Case, Sequence[Answer]]:
            if workspace is not None and case.workspace != workspace:
                raise _OtherWorkspace
            outcome = refine(case, answers)
            outcomes.append(outcome)
            return _updated(case, outcome, self._clock()), answers

        try:
            stored = await self._storage.update_case(case_id, change)
        except _OtherWorkspace:
            stored = None
        except Exception:
            log.exception("could not save an answer")
            if first is None:
                return Reply(
                    kind="error",
                    text="I can't reach my history right now, so I can't update that check. "
                    "Please try again in a minute.",
                    notes=[NOTE_NOT_SAVED],
                )
            return self._refined_reply(first, refine(first, answers), notes=[NOTE_NOT_SAVED])
        if stored is None:
            return Reply(kind="error", text=GONE)
        return self._refined_reply(stored, outcomes[-1], notes=[])

    def _refined_reply(self, case: Case, outcome: Refinement, notes: list[str]) -> Reply:
        text = "" if outcome.changes else "I already knew that, so nothing changed."
        return Reply(
            kind="refined",
            text=text,
            verdict=outcome.verdict,
            case_id=case.id,
            changes=outcome.changes,
            notes=notes,
            **in_context(outcome.verdict, case.text, outcome.signals.country),
        )

    def case_reply(self, case: Case) -> Reply:
        """A stored case's verdict as a reply (e.g. to share it), with its context and tax notes."""
        return Reply(
            kind="verdict",
            verdict=case.verdict,
            case_id=case.id,
            **in_context(case.verdict, case.text, case.signals.country),
        )

    async def _rebuild_without(self, case_id: str, user: str) -> None:
        """Recompute another user's case from its text and the answers that remain."""
        case = await self._storage.get_case(case_id)
        if case is None:
            return
        remaining = [a for a in case.answers if a.user != user]
        base = await self._with_workspace_defaults(case.platform, case.workspace, extract_signals(case.text))
        outcome = refine(base, remaining)
        await self._storage.rewrite_case(
            case.model_copy(
                update={
                    "signals": outcome.signals,
                    "verdict": outcome.verdict,
                    "answers": remaining,
                    "updated_at": self._clock(),
                }
            )
        )


class _OtherWorkspace(Exception):
    """A button from one workspace named a case of another."""


def in_context(verdict: Verdict, text: str, country: str | None) -> dict[str, object]:
    """Reply fields that put a verdict in context: dated list prices, and a tax note where the
    text implies a country (`Signals.country`, read once with the rest of the signals)."""
    return {"context": context_notes(verdict, text), "tax": tax_note(verdict, country)}


def _updated(case: Case, outcome: Refinement, now: datetime) -> Case:
    return case.model_copy(update={"signals": outcome.signals, "verdict": outcome.verdict, "updated_at": now})


def _worth_keeping(signals: Signals) -> bool:
    """Only texts about an allowance or pay become cases; small talk is answered, not stored."""
    return signals.has_allowance or bool(signals.components)


def _refusal(text: str) -> Reply | None:
    """A polite error for input the classifier must not see: empty, too long, or binary."""
    if not text or not text.strip():
        return Reply(kind="error", text="That message was empty. " + _TRY)
    if len(text) > MAX_INPUT_CHARS:
        return Reply(
            kind="error",
            text=f"That message is {len(text):,} characters; I read at most {MAX_INPUT_CHARS:,}. "
            "Paste just the part of the offer about the allowance.",
        )
    if _looks_binary(text):
        return Reply(kind="error", text="That looks like binary data, not text. " + _TRY)
    return None


_TRY = 'Paste the part of the offer that mentions the AI allowance, e.g. "$500/month API budget, work-only".'


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    odd = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\n\r") or ch == "\ufffd")
    return odd > max(2, len(text) // 10)
