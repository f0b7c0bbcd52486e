"""The public entry points: free text -> signals -> verdict."""

from __future__ import annotations

from core.models import Signals, Verdict
from core.rules import decide
from core.signals import extract_signals as _extract
from core.text import PLAN_AFTER_SCANS

MAX_INPUT_CHARS = 4000

__all__ = ["MAX_INPUT_CHARS", "InputTooLong", "classify", "decide", "extract_signals", "warm_up"]


class InputTooLong(ValueError):
    """The text is over MAX_INPUT_CHARS; it is refused, never cut."""

    def __init__(self, length: int) -> None:
        super().__init__(
            f"That text is {length:,} characters long; I read at most {MAX_INPUT_CHARS:,}."
            " Paste just the part about the AI allowance (or the pay components)."
        )
        self.length = length


def extract_signals(text: str) -> Signals:
    """What the text says about an allowance. Raises InputTooLong over MAX_INPUT_CHARS."""
    if len(text) > MAX_INPUT_CHARS:
        raise InputTooLong(len(text))
    return _extract(text)


def classify(text: str) -> Verdict:
    """The contract's verdict for `text`. Raises InputTooLong over MAX_INPUT_CHARS."""
    return decide(extract_signals(text))


#: Varied texts that between them reach most of the vocabulary: terms of use, expiry and top-up,
#: a whole offer with a question, equipment, other languages, a letter's prose.
_WARM_UP_TEXTS = (
    "$500/month API budget, work-only; unused credits expire monthly. If you need more, your manager can"
    " approve an increase.",
    "They give us 15k a year in AI credits, use it for anything, it rolls over. Is it part of total comp?",
    "$185k base, 10% bonus, RSUs worth $80,000 vesting over 4 years, plus a $200/mo Anthropic stipend for"
    " personal projects. Is that taxable?",
    "Cursor Pro seat and a laptop are provided; the company pays for ChatGPT Team, topped up without limit.",
    "Budget IA de 300 € par mois, usage perso autorisé. KI-Budget 200 € im Monat, nur dienstlich. 月3万円のAI予算",
    "Dear Alex, we are delighted to offer you the position. Your base salary will be $150,000 per annum,"
    " subject to applicable withholdings. Equipment remains the property of the company.",
)


def warm_up() -> None:
    """Classify a few varied texts often enough that the patterns they reach get their start plans
    now: a long-running process calls this once at start-up, so its first users do not wait for
    them (a one-off check, the CLI, never calls it)."""
    for _ in range(PLAN_AFTER_SCANS + 1):
        for text in _WARM_UP_TEXTS:
            classify(text)
