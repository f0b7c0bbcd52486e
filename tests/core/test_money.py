"""The period words' guard (core/money.py): it passes over positions no period word opens at, and
never over one where a period word does."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import core.money as money
from core.prefilter import _alternatives, _openings, _skip_lookbehinds, sre, sre_parse

HERE = Path(__file__).parent
TEXTS = [
    json.loads(line)["text"].lower()
    for path in [HERE / "corpus.jsonl", *sorted(HERE.glob("holdout*.jsonl"))]
    for line in path.read_text(encoding="utf-8").splitlines()
    if line.strip()
]
UNGUARDED = re.compile(money._ANY_PERIOD.pattern.removeprefix(money._PERIOD_OPENERS))
_GUARD = re.compile(r"\(\?=\\b\[(?P<at_word>[^\]]+)\]\|\[(?P<anywhere>[^\]]+)\]\)")


def _found(pattern: re.Pattern[str], text: str, start: int, end: int) -> list[tuple[tuple[int, int], str | None]]:
    return [(match.span(), match.lastgroup) for match in pattern.finditer(text, start, end)]


def test_the_guard_names_every_character_a_period_word_opens_with() -> None:
    guard = _GUARD.fullmatch(money._PERIOD_OPENERS)
    assert guard is not None
    at_word: set[str] = set()
    anywhere: set[str] = set()
    for alternative in _alternatives(list(sre_parse.parse(UNGUARDED.pattern).data)):
        items = _skip_lookbehinds(alternative)
        led_by_a_word_start = items[:1] == [(sre.AT, sre.AT_BOUNDARY)]
        (at_word if led_by_a_word_start else anywhere).update(_openings(items, 1))
    assert at_word - set(guard.group("at_word")) == set(), "add these to _PERIOD_OPENERS, after \\b"
    assert anywhere - set(guard.group("anywhere")) == set(), "add these to _PERIOD_OPENERS, in the second class"


def test_the_guarded_scan_finds_what_the_plain_one_does_in_every_text_and_window() -> None:
    for text in TEXTS:
        for start in range(0, len(text), 7):
            for end in (start + 13, start + 60, len(text)):
                assert _found(money._ANY_PERIOD, text, start, end) == _found(UNGUARDED, text, start, end), text


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "$",
                "500",
                "/",
                "/ ",
                "mo",
                "month",
                "per",
                " ",
                "a",
                "year",
                "semi-",
                "bi",
                "-",
                "weekly",
                "pa",
                "p.a.",
                "月",
                "額",
                "年",
                "3",
                "万",
                "円",
                "毎",
                "1日あたり",
                "chaque",
                "mois",
                "ú",
                "único",
                "pago",
                ",",
                "\n",
            ]
        ),
        max_size=30,
    ).map("".join),
    st.integers(0, 40),
    st.integers(0, 80),
)
def test_the_guarded_scan_finds_what_the_plain_one_does_in_generated_text(text: str, start: int, length: int) -> None:
    assert _found(money._ANY_PERIOD, text, start, start + length) == _found(UNGUARDED, text, start, start + length)
