"""The public entry points: free text -> signals -> verdict."""

from __future__ import annotations

from core.models import Signals, Verdict
from core.rules import decide
from core.signals import extract_signals as _extract

MAX_INPUT_CHARS = 4000

__all__ = ["MAX_INPUT_CHARS", "InputTooLong", "classify", "decide", "extract_signals"]


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
