"""Vocabulary patterns built by core/regexes.py find exactly what the plain alternation finds."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from core.regexes import alternation, any_of, any_of_source


def _plain(parts: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{part})" for part in parts))


def _every_match(pattern: re.Pattern[str], text: str) -> list[tuple[int, int] | None]:
    """What the pattern matches at each position (match, not search): the order of preference shows."""
    return [(m.span() if (m := pattern.match(text, index)) else None) for index in range(len(text) + 1)]


def test_parts_with_the_same_opening_share_it() -> None:
    assert alternation(["approved", "approval", "apple", "xyz"]) == "app(?:rov(?:(?:ed)|(?:al))|(?:le))|(?:xyz)"


def test_the_first_part_that_matches_still_wins() -> None:
    # "use it" must win over "use it for anything" where both match, as in the plain alternation
    parts = ["use it", "(?:use|spend) it for anything", "use it for anything", "used"]
    text = "use it for anything, used"
    assert _every_match(re.compile(alternation(parts)), text) == _every_match(_plain(parts), text)


def test_a_part_with_a_capturing_group_keeps_its_place_and_number() -> None:
    parts = ["a(b)", "ac", "(c)d", "ae"]
    built = re.compile(alternation(parts))
    for text in ("ab", "ac", "cd", "ae"):
        assert built.match(text).groups() == _plain(parts).match(text).groups()  # type: ignore[union-attr]


def test_any_of_source_splits_only_top_level_bars() -> None:
    pattern = any_of_source(r"\bper (?:month|year)\b|\bmonthly\b|/mo\b|[|]x")
    for text in ("per month", "per year", "monthly", "$5/mo", "|x"):
        assert pattern.search(text), text
    assert not pattern.search("per week")


_ATOMS = st.sampled_from(["a", "b", "ab", "ba", "a?", "b+", r"\b", " ", "(?:a|b)", "(?:ab|a)", "[ab]", "(b)", "x"])
_PARTS = st.lists(st.lists(_ATOMS, min_size=1, max_size=4).map("".join), min_size=1, max_size=8)
_TEXTS = st.text(alphabet="abx ", max_size=12)


@settings(max_examples=400, deadline=None)
@given(parts=_PARTS, text=_TEXTS)
def test_same_matches_as_the_plain_alternation(parts: list[str], text: str) -> None:
    built = re.compile(alternation(parts))
    plain = _plain(parts)
    assert _every_match(built, text) == _every_match(plain, text)
    assert [m.span() for m in built.finditer(text)] == [m.span() for m in plain.finditer(text)]


@settings(max_examples=200, deadline=None)
@given(parts=_PARTS, text=_TEXTS)
def test_any_of_finds_what_the_parts_find(parts: list[str], text: str) -> None:
    bounded = [rf"\b{part}" for part in parts]
    assert [m.span() for m in any_of(*bounded).finditer(text)] == [m.span() for m in _plain(bounded).finditer(text)]
