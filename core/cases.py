"""Cases refined by answers: pure functions from signals + answers to a new verdict and the changes.

A case holds the original text, the signals found in it and the answers given since. An answer is
either structured (a question id and a contract value, as a button sends it) or free text ("they
said it rolls over"), which is read with the classifier's own vocabulary. Newer answers win over
older facts, and the change says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from core.classifier import decide, extract_signals
from core.models import Found, Signals, Verdict

#: The questions an answer can settle, in the order changes are reported.
ANSWERABLE: tuple[str, ...] = ("use", "expiry", "top_up", "comp_framing", "tax")

#: Structured answer values per question (what a button may send).
ANSWER_VALUES: dict[str, tuple[str, ...]] = {
    "use": ("work_only", "some_personal", "personal_allowed"),
    "expiry": ("expires", "rolls_over", "cash_out"),
    "top_up": ("yes", "no"),
    "comp_framing": ("counted", "not_counted"),
    "tax": ("taxable", "not_taxable"),
}

#: What a person calls each question in a change line.
FIELD_LABELS: dict[str, str] = {
    "use": "Use",
    "expiry": "Expiry",
    "top_up": "Top-up",
    "comp_framing": "Counted in pay",
    "tax": "Tax",
}

#: Plain words for each value (values the classifier invents fall back to their own spelling).
VALUE_LABELS: dict[str, dict[str, str]] = {
    "use": {
        "work_only": "work only",
        "some_personal": "some personal use",
        "personal_allowed": "personal use allowed",
    },
    "expiry": {"expires": "expires", "rolls_over": "rolls over", "cash_out": "paid out if unused"},
    "top_up": {"yes": "topped up when needed", "no": "hard cap"},
    "comp_framing": {"counted": "counted in total pay", "not_counted": "not counted in total pay"},
    "tax": {"taxable": "taxed as income", "not_taxable": "treated as a business expense"},
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Answer(_Model):
    """One answer to a case's question, structured (a button) or read from typed text."""

    question_id: str  # "use", "expiry", "top_up", "comp_framing", "tax"
    value: str  # a contract value, e.g. "work_only", "rolls_over", "yes"
    text: str | None = None  # the free-text answer as typed, when it was typed
    at: datetime
    phrase: str | None = None  # the words in `text` that gave the answer (quoted in reasons)
    user: str | None = None  # who answered (erased with that user's data)


class TextPart(_Model):
    """One person's words in a case text read from a thread of several people: a forgotten
    user's parts leave the text, and the case is read again without them."""

    user: str
    text: str


class Case(_Model):
    """An offer text, the signals found in it, the answers given since, and the current verdict."""

    id: str
    platform: str
    workspace: str
    channel: str
    thread: str | None
    user: str
    text: str
    signals: Signals
    answers: list[Answer] = Field(default_factory=list)
    verdict: Verdict
    created_at: datetime
    updated_at: datetime
    version: int = 1
    closed: bool = False  # set by "new": later messages start a fresh case
    feedback: str | None = None  # "up" or "down": did the person agree with the verdict?
    feedback_by: str | None = None  # who gave it (erased with that user's data)
    feedback_at: datetime | None = None
    #: Who wrote which line of `text`, when it was read from a thread (empty: all the owner's).
    parts: list[TextPart] = Field(default_factory=list)


class InvalidAnswer(ValueError):
    """A structured answer names a question or value this module does not know."""


class Refinement(_Model):
    """The outcome of applying answers to a case's signals."""

    signals: Signals
    verdict: Verdict
    changes: list[str] = Field(default_factory=list)


def value_label(question_id: str, value: str) -> str:
    """Plain words for a value of a question ("rolls_over" -> "rolls over")."""
    if value == "unknown":
        return "unknown"
    return VALUE_LABELS.get(question_id, {}).get(value, value.replace("_", " "))


def validate_answer(question_id: str, value: str) -> None:
    """Raise InvalidAnswer unless (question_id, value) is a structured answer we accept."""
    if question_id not in ANSWER_VALUES:
        raise InvalidAnswer(f"unknown question {question_id!r}")
    if value not in ANSWER_VALUES[question_id]:
        raise InvalidAnswer(f"unknown value {value!r} for question {question_id!r}")


def answer_findings(signals: Signals) -> dict[str, Found]:
    """The answerable facts found in (the signals of) a free-text message."""
    found: dict[str, Found] = {}
    for question_id in ANSWERABLE:
        item = getattr(signals, question_id)
        if isinstance(item, Found) and item.value != "unknown":
            found[question_id] = item
    return found


def reads_as_answer(signals: Signals) -> bool:
    """True when a message settles a question and brings no money amount of its own."""
    return not starts_new_case(signals) and bool(answer_findings(signals))


def starts_new_case(signals: Signals) -> bool:
    """A message with its own money amount (or pay components) is a new offer, never an answer."""
    return signals.money is not None or bool(signals.components)


def interpret(text: str, at: datetime, user: str | None = None) -> list[Answer]:
    """Free text -> the answers it gives (maybe none). Raises InputTooLong like the classifier."""
    return answers_from_signals(extract_signals(text), text=text, at=at, user=user)


def answers_from_signals(signals: Signals, *, text: str, at: datetime, user: str | None = None) -> list[Answer]:
    """The answers carried by an already-parsed free-text message."""
    return [
        Answer(question_id=qid, value=item.value, text=text, phrase=item.phrase, at=at, user=user)
        for qid, item in answer_findings(signals).items()
    ]


def apply_answer(signals: Signals, answer: Answer) -> Signals:
    """The signals with one answer merged in; other facts are kept untouched."""
    if answer.question_id not in ANSWERABLE:
        raise InvalidAnswer(f"unknown question {answer.question_id!r}")
    phrase = answer.phrase or value_label(answer.question_id, answer.value)
    answered: dict[str, Any] = {answer.question_id: Found(value=answer.value, phrase=phrase)}
    return replace(signals, **answered)  # each answerable question is a field of the signals


def refine(current: Case | Signals, answers: Answer | Iterable[Answer]) -> Refinement:
    """Merge answers (in order) into a case's signals and re-decide; report each change.

    Given a Case, changes compare with the verdict the person last saw and say whether a
    contradicted fact came from an earlier answer or from the offer text.
    """
    batch: Sequence[Answer] = [answers] if isinstance(answers, Answer) else list(answers)
    if isinstance(current, Signals):
        signals, verdict, answered = current, decide(current), None
    else:
        signals, verdict = current.signals, current.verdict
        answered = {a.question_id for a in current.answers}
    changes: list[str] = []
    for answer in batch:
        new_signals = apply_answer(signals, answer)
        before = getattr(signals, answer.question_id)
        old_value = before.value if isinstance(before, Found) else "unknown"
        if old_value == answer.value:
            continue  # already known: keep the earlier wording
        new_verdict = decide(new_signals)
        origin = None if answered is None else answer.question_id in answered
        changes.append(_change_line(answer.question_id, old_value, answer.value, verdict, new_verdict, origin))
        signals, verdict = new_signals, new_verdict
        if answered is not None:
            answered.add(answer.question_id)
    return Refinement(signals=signals, verdict=verdict, changes=changes)


def _change_line(
    question_id: str,
    old: str,
    new: str,
    verdict_before: Verdict,
    verdict_after: Verdict,
    from_answer: bool | None,
) -> str:
    """One change in words; `from_answer`: did the contradicted fact come from an answer?"""
    field = FIELD_LABELS.get(question_id, question_id)
    line = f"{field}: {value_label(question_id, old)} -> {value_label(question_id, new)}"
    if old != "unknown":
        if from_answer is False:
            line += " (your answer replaces what the offer text said)"
        else:
            line += " (your newer answer replaces the earlier one)"
    if verdict_after.verdict != verdict_before.verdict:
        return f"{line}: verdict is now {verdict_after.label}"
    return f"{line}: verdict stays {verdict_after.label}"
