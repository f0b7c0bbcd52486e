"""Where a vocabulary pattern can start, so it is tried only there instead of at every character.

Most vocabulary patterns open with a word boundary and a few hundred alternatives. The regex
engine tries every alternative at every word of the text, which dominates the cost of a check.
`start_plan` reads a compiled pattern's parse tree once and lists the first few characters
each match can begin with; `WordStarts` indexes a text's word starts by their first one to three
characters. Matching then runs only at word starts whose opening characters some alternative
allows: the same matches as `finditer`, found with a fraction of the work (tests/core/test_prefilter.py
checks that equivalence over every pattern and the whole corpus).

Patterns the analysis cannot bound (a leading `.` or `\\w`, a case-insensitive flag, an
alternative that does not open at a word boundary) get no plan and are scanned in full.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

#: More possible openings than this and listing them costs more than the scan it saves.
_MAX_OPENINGS = 4000
#: How many opening characters index a word start: three tell most vocabulary words apart.
OPENING = 3
_WORD_HEAD = re.compile(r"\w*")
_WORD_HEAD_RUN = re.compile(rf"\b\w{{1,{OPENING}}}")
_DIGITS = re.compile(r"\d")
#: Stands for "some non-word character" in an opening (a space, \\W): a word head ends there.
_NOT_WORD = "\x00"


def _as_opening(head: str) -> str:
    """Openings compare digits as "0": a pattern's `\\d` stands for any of them."""
    return _DIGITS.sub("0", head)


@dataclass(frozen=True, slots=True)
class StartPlan:
    """A pattern's possible openings: at a word start (up to OPENING characters), or anywhere."""

    #: Openings of OPENING characters, and whole words shorter than that: looked up by a word's head.
    at_word: frozenset[str]
    #: Openings shorter than OPENING characters (the match can end there): any word starting so.
    short: frozenset[str]
    #: Openings (two characters or more) of alternatives that can start anywhere, not only at a word start.
    anywhere: frozenset[str]
    #: Some at_word openings are whole short words ("ai", "a year"): a scan whose span ends inside a
    #: longer word ("ki|nd") must also try that word, as `finditer` would find "ki" there.
    whole_words: bool = False
    #: The `anywhere` openings an ASCII text can hold.
    anywhere_ascii: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "anywhere_ascii", frozenset(key for key in self.anywhere if key.isascii()))


class _Unbounded(Exception):
    """The pattern can open with too many different characters to list."""


def start_plan(pattern: re.Pattern[str]) -> StartPlan | None:
    """The openings of every match of `pattern`, or None when they cannot be listed."""
    if pattern.flags & (re.IGNORECASE | re.VERBOSE) or not isinstance(pattern.pattern, str):
        return None
    try:
        tree = sre_parse.parse(pattern.pattern, pattern.flags)
        if tree.getwidth()[0] == 0:
            return None  # an empty match: finditer's stepping rules differ, so scan in full
        at_word: set[str] = set()
        whole: set[str] = set()  # short words that end there ("a year", "ai"): looked up as they are
        anywhere: set[str] = set()
        for alternative in _top_alternatives(list(tree.data)):
            items = _skip_lookbehinds(alternative)
            if items and items[0] == (sre.AT, sre.AT_BOUNDARY):
                for opening in _openings(items[1:], OPENING):
                    if not opening or not _is_word(opening[0]):
                        return None  # a boundary before a non-word character is not a word start
                    head = _as_opening(_WORD_HEAD.match(opening).group())  # type: ignore[union-attr]
                    if len(head) < len(opening):
                        whole.add(head)  # the word ends after `head`: only that word can start a match
                    else:
                        at_word.add(head)
            else:  # Japanese, or a part without a leading boundary: found with str.find
                openings = _openings(items, 2)
                if any(len(opening) < 2 or _DIGITS.search(opening) or _NOT_WORD in opening for opening in openings):
                    return None  # found with str.find, so no short or digit-class openings
                anywhere |= openings
    except (_Unbounded, RecursionError, re.error):
        return None
    full = frozenset(opening for opening in at_word if len(opening) == OPENING)
    # a word shorter than OPENING is its own head in WordStarts, so a whole short word is looked up
    # as it is, not as the opening of every longer word ("a year" is tried at "a", not at "annual")
    return StartPlan(full | frozenset(whole), frozenset(at_word - full), frozenset(anywhere), whole_words=bool(whole))


def _top_alternatives(items: list[Any]) -> list[list[Any]]:
    """The pattern's top-level alternatives (a lone non-capturing group is looked into)."""
    while len(items) == 1 and items[0][0] is sre.SUBPATTERN and items[0][1][0] is None:
        items = list(items[0][1][3].data)
    if len(items) == 1 and items[0][0] is sre.BRANCH:
        return [list(branch.data) for branch in items[0][1][1]]
    return [items]


def _skip_lookbehinds(items: list[Any]) -> list[Any]:
    index = 0
    while index < len(items) and items[index][0] in (sre.ASSERT, sre.ASSERT_NOT) and items[index][1][0] < 0:
        index += 1
    return items[index:]


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _openings(items: list[Any], length: int) -> set[str]:
    """Every string of `length` characters a match of `items` can open with (shorter when the
    match can end sooner). Zero-width assertions are skipped, which only widens the set."""
    if length == 0 or not items:
        return {""}
    op, value = items[0]
    rest = items[1:]
    if op is sre.LITERAL:
        return _prefixed({chr(value)}, rest, length)
    if op is sre.IN:
        return _prefixed(_charset(value), rest, length)
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return _openings(rest, length)
    if op is sre.SUBPATTERN:
        return _openings(list(value[3].data) + rest, length)
    if op is sre.ATOMIC_GROUP:
        return _openings(list(value.data) + rest, length)
    if op is sre.BRANCH:
        found: set[str] = set()
        for branch in value[1]:
            found |= _openings(list(branch.data) + rest, length)
            _check_size(found)
        return found
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        least, most, item = value
        if item.getwidth()[0] == 0:
            raise _Unbounded
        found = _openings(rest, length) if least == 0 else set()
        if most != 0:
            again = most if most == sre.MAXREPEAT else most - 1
            more = [(sre.MAX_REPEAT, (max(least - 1, 0), again, item))] if again != 0 else []
            found |= _openings(list(item.data) + more + rest, length)
        return _check_size(found)
    raise _Unbounded  # any character, a category such as \w, a back reference


def _prefixed(chars: set[str], rest: list[Any], length: int) -> set[str]:
    if length > 1 and rest and rest[0] == (sre.AT, sre.AT_BOUNDARY) and all(map(_is_word, chars)):
        return _check_size({char + _NOT_WORD for char in chars})  # the word ends here
    tails = _openings(rest, length - 1)
    return _check_size({char + tail for char in chars for tail in tails})


def _charset(entries: list[Any]) -> set[str]:
    chars: set[str] = set()
    for op, value in entries:
        if op is sre.CATEGORY and value is sre.CATEGORY_DIGIT:
            chars.add("0")  # any digit: openings and word heads both read digits as "0"
        elif op is sre.CATEGORY and value in (sre.CATEGORY_SPACE, sre.CATEGORY_NOT_WORD):
            chars.add(_NOT_WORD)  # ends a word head; never looked up as such
        elif op is sre.LITERAL:
            chars.add(chr(value))
        elif op is sre.RANGE and value[1] - value[0] < 64:
            chars.update(chr(code) for code in range(value[0], value[1] + 1))
        else:  # a negated set, a category, a wide range
            raise _Unbounded
    return chars


def _check_size(found: set[str]) -> set[str]:
    if len(found) > _MAX_OPENINGS:
        raise _Unbounded
    return found


class WordStarts:
    """Where each word of a text starts, indexed by its first characters (digits read as "0")."""

    __slots__ = ("_ascii", "_heads", "_shorter", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._ascii = text.isascii()  # then openings in other scripts (Japanese) need no search
        heads: dict[str, list[int]] = {}
        for match in _WORD_HEAD_RUN.finditer(text):
            heads.setdefault(match.group(), []).append(match.start())
        if any(char.isdecimal() for char in "".join(heads)):
            merged: dict[str, list[int]] = {}
            for head, starts in heads.items():
                merged.setdefault(_as_opening(head), []).extend(starts)
            heads = merged
        self._heads = heads  # a word's first OPENING characters (all of it if shorter)
        self._shorter: dict[str, list[int]] | None = None

    def _by_shorter_opening(self) -> dict[str, list[int]]:
        """Word starts by their first one and two characters, for openings shorter than OPENING."""
        if self._shorter is None:
            shorter: dict[str, list[int]] = {}
            for head, starts in self._heads.items():
                for length in range(1, min(len(head), OPENING - 1) + 1):
                    shorter.setdefault(head[:length], []).extend(starts)
            self._shorter = shorter
        return self._shorter

    def candidates(self, plan: StartPlan, spans: list[tuple[int, int]] | None = None) -> list[int]:
        """Sorted positions where a match of the plan's pattern can start (within `spans`, whose ends
        can cut a word short)."""
        heads = self._heads
        positions: list[int] = []
        for key in plan.at_word.intersection(heads):
            positions += heads[key]
        if plan.short:
            shorter = self._by_shorter_opening()
            for key in plan.short.intersection(shorter):
                positions += shorter[key]
        for key in plan.anywhere_ascii if self._ascii else plan.anywhere:
            at = self.text.find(key)
            while at != -1:
                positions.append(at)
                at = self.text.find(key, at + 1)
        if spans is not None and plan.whole_words:
            positions += word_starts_across(self.text, spans)
        if len(positions) > 1:
            positions = sorted(set(positions))
        return positions


def word_starts_across(text: str, spans: list[tuple[int, int]]) -> list[int]:
    """Where the words start that a span's end cuts in two: inside a span such a word is shorter."""
    starts: list[int] = []
    length = len(text)
    for _, end in spans:
        if 0 < end < length and _is_word(text[end - 1]) and _is_word(text[end]):
            start = end - 1
            while start > 0 and _is_word(text[start - 1]):
                start -= 1
            starts.append(start)
    return starts


def matches_at(
    pattern: re.Pattern[str], text: str, starts: list[int], spans: list[tuple[int, int]]
) -> list[re.Match[str]]:
    """What `pattern.finditer(text, start, end)` finds in each span, trying only `starts`.

    `starts` must hold every position where a match can begin (sorted); spans are sorted and do
    not overlap. Matches do not overlap, and each is the one the engine finds from its start.
    """
    found: list[re.Match[str]] = []
    index = 0
    for span_start, span_end in spans:
        index = bisect.bisect_left(starts, span_start, index)
        stop = bisect.bisect_left(starts, span_end, index)
        resume = span_start
        for position in starts[index:stop]:
            if position < resume:
                continue
            match = pattern.match(text, position, span_end)
            if match is not None:
                found.append(match)
                resume = max(match.end(), position + 1)
        index = stop
    return found
