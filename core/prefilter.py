"""Where a vocabulary pattern can start, so it is tried only there instead of at every character.

Most vocabulary patterns open with a word boundary and a few hundred alternatives. The regex
engine tries every alternative at every word of the text, which dominates the cost of a check.
`start_plan` reads a compiled pattern's parse tree once and lists the first few characters
each match can begin with; `WordStarts` indexes a text's word starts by their first characters
(up to OPENING), without the regex engine. Matching then runs only at word starts whose opening
characters some alternative allows: the same matches as `finditer`, found with a fraction of the
work (tests/core/test_prefilter.py checks that equivalence over every pattern and the whole corpus).
In a long text, a word that a pattern names only before certain words ("is" in "is lost") is
tried only where one of those follows it.

A pattern anchored at the start of the text (`^`) is tried there; an alternative that opens with
a run of word characters and then a fixed piece ("\\b\\w+-abo") is found by that piece and tried
at the start of its word. Patterns the analysis cannot bound otherwise (a leading `.`, a case-
insensitive flag, a bare `\\w+`) get no plan and are scanned in full.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import accumulate, compress, count
from operator import add
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

#: More possible openings than this and listing them costs more than the scan it saves.
_MAX_OPENINGS = 20000
#: How many opening characters index a word start: four tell most vocabulary words apart ("work"
#: from "word"); with more, more openings are short of it and are looked up one by one.
OPENING = 4
_WORD_HEAD = re.compile(r"\w*")
_DIGITS = re.compile(r"\d")


class _WordsApart(dict[int, str]):
    """A `str.translate` table: a word character (\\w) stands for itself, a digit (\\d) for "0", any
    other character for a space. Filled as characters are first met."""

    _MOST = 20_000  # characters remembered; past that (a text of rare characters) each is worked out

    def __missing__(self, code: int) -> str:
        char = chr(code)
        value = "0" if _DIGITS.match(char) else char if _is_word(char) else " "
        if len(self) < self._MOST:
            self[code] = value
        return value


_WORDS_APART = _WordsApart()
#: A text with more different word openings than this is long: most patterns can start somewhere
#: in it, and a pattern's first word is tried only before the words the pattern lets follow it.
FEW_WORD_OPENINGS = 64
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
    #: Pieces that follow a run of word characters ("-abo" in "\\b\\w+-abo"): a match starts at the
    #: start of the word each one is found in.
    inner: frozenset[str] = frozenset()
    #: The pattern is anchored at the start of the text (`^`): it is tried there too.
    at_start: bool = False
    #: For some word openings, the openings the next word must have, after one space ("is" ->
    #: "lost" in "is lost"): a short text names the pattern's word only if it names such a pair.
    next_words: dict[str, frozenset[str]] = field(default_factory=dict, compare=False)
    #: The `anywhere` openings an ASCII text can hold.
    anywhere_ascii: frozenset[str] = field(init=False, repr=False, compare=False)
    #: The other `anywhere` openings (Japanese), by their first character: looked for only in a
    #: text that holds that character.
    anywhere_other: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    #: Nothing but word openings: candidates need no search and no merging of duplicates.
    at_word_only: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "at_word_only", not (self.short or self.anywhere or self.inner or self.at_start))
        object.__setattr__(self, "anywhere_ascii", frozenset(key for key in self.anywhere if key.isascii()))
        other: dict[str, list[str]] = {}
        for key in sorted(self.anywhere - self.anywhere_ascii):
            other.setdefault(key[0], []).append(key)
        object.__setattr__(self, "anywhere_other", {char: tuple(keys) for char, keys in other.items()})


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
        inner: set[str] = set()
        at_start = False
        next_words: dict[str, set[str] | None] = {}  # see StartPlan.next_words; None: any
        for alternative in _alternatives(list(tree.data)):
            items = _skip_lookbehinds(alternative)
            if items and items[0] in ((sre.AT, sre.AT_BEGINNING), (sre.AT, sre.AT_BEGINNING_STRING)):
                if pattern.flags & re.MULTILINE and items[0][1] is sre.AT_BEGINNING:
                    return None  # every line start: not listed
                at_start = True  # only the text's first position (match() with a later pos never sees `^`)
            elif items and items[0] == (sre.AT, sre.AT_BOUNDARY) and _word_run(items[1:]):
                pieces = _openings(items[2:], 2)
                if not _findable(pieces):
                    return None
                inner |= pieces
            elif items and items[0] == (sre.AT, sre.AT_BOUNDARY):
                heads: set[str] = set()
                for opening in _openings(items[1:], OPENING):
                    if not opening or not _is_word(opening[0]):
                        return None  # a boundary before a non-word character is not a word start
                    head = _as_opening(_WORD_HEAD.match(opening).group())  # type: ignore[union-attr]
                    heads.add(head)
                    if len(head) < len(opening):
                        whole.add(head)  # the word ends after `head`: only that word can start a match
                    else:
                        at_word.add(head)
                _add_next_words(next_words, items[1:], heads)
            else:  # Japanese, or a part without a leading boundary: found with str.find
                openings = _openings(items, 2)
                if not _findable(openings):
                    return None
                anywhere |= openings
    except (_Unbounded, RecursionError, re.error):
        return None
    full = frozenset(opening for opening in at_word if len(opening) == OPENING)
    # a word shorter than OPENING is its own head in WordStarts, so a whole short word is looked up
    # as it is, not as the opening of every longer word ("a year" is tried at "a", not at "annual")
    return StartPlan(
        full | frozenset(whole),
        frozenset(at_word - full),
        frozenset(anywhere),
        whole_words=bool(whole),
        inner=frozenset(inner),
        at_start=at_start,
        next_words={head: frozenset(after) for head, after in next_words.items() if after is not None},
    )


def _findable(pieces: set[str]) -> bool:
    """Pieces looked for with str.find: two characters or more, no digit class, no "some non-word
    character"."""
    return not any(len(piece) < 2 or _DIGITS.search(piece) or _NOT_WORD in piece for piece in pieces)


#: How far into an alternative its first two words are read (a first word of up to eight characters,
#: a space, and the next word's opening).
_PAIR_REACH = 14


def _add_next_words(next_words: dict[str, set[str] | None], items: list[Any], heads: set[str]) -> None:
    """For each word opening (`heads`) of an alternative ("is lost" opens with "is"), the openings
    of the word that must follow it after one space ("lost"); None once some alternative opening
    so does not say (the word can go on, or something else than one space follows)."""
    try:
        openings = _openings(items, _PAIR_REACH)
    except (_Unbounded, RecursionError):
        for head in heads:
            next_words[head] = None  # too many to list: this alternative's words may be followed by anything
        return
    said = set()
    for opening in openings:
        word = _WORD_HEAD.match(opening).group()  # type: ignore[union-attr]
        head = _as_opening(word[:OPENING])
        said.add(head)
        rest = opening[len(word) + 1 :]
        after = _WORD_HEAD.match(rest).group()  # type: ignore[union-attr]
        if (
            not word
            or opening[len(word) : len(word) + 1] != " "
            or not after
            or (len(after) < OPENING and len(after) == len(rest))  # the next word may go on
        ):
            next_words[head] = None
        elif next_words.get(head, set()) is not None:
            next_words.setdefault(head, set()).add(_as_opening(after[:OPENING]))  # type: ignore[union-attr]
    for head in heads - said:
        next_words[head] = None  # read short of this word: what follows it is not known


def _alternatives(items: list[Any]) -> list[list[Any]]:
    """The pattern's alternatives: a branch is split, and so is a group an alternative opens with
    ("(?:\\b(?:cad|canadian))|...", "\\b(?:\\w+-abo|plan)"). Behind-assertions in front are dropped:
    they only narrow where a match starts."""
    items = _skip_lookbehinds(items)
    boundary = items[:1] if items and items[0] == (sre.AT, sre.AT_BOUNDARY) else []
    head = items[len(boundary) :]
    if head and head[0][0] is sre.SUBPATTERN and not (head[0][1][1] or head[0][1][2]):  # no inline flags
        head = list(head[0][1][3].data) + head[1:]
    elif not (len(head) == 1 and head[0][0] is sre.BRANCH):
        return [items]
    if head and head[0][0] is sre.BRANCH:
        rest = head[1:]
        alternatives = [alt for branch in head[0][1][1] for alt in _alternatives(list(branch.data) + rest)]
    else:
        alternatives = _alternatives(head)
    return [alt if not boundary or alt[:1] == boundary else boundary + alt for alt in alternatives]


def _word_run(items: list[Any]) -> bool:
    """A run of word characters (`\\w+`, `\\w*`) followed by more of the pattern."""
    if len(items) < 2 or items[0][0] not in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        return False
    repeated = list(items[0][1][2].data)
    return repeated in ([(sre.IN, [(sre.CATEGORY, sre.CATEGORY_WORD)])], [(sre.CATEGORY, sre.CATEGORY_WORD)])


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
        if value[1] & re.IGNORECASE:
            raise _Unbounded  # (?i:...): case-folded openings are not listed
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
    try:
        if length > 1 and all(map(_is_word, chars)):
            tails = _openings_after_word(rest, length - 1)
        else:
            tails = _openings(rest, length - 1)
    except _Unbounded:
        # what follows cannot be listed ("ki-\\w+", "revers\\w*"): the opening stops at `chars`,
        # which any word that starts so can continue
        tails = {""}
    return _check_size({char + tail for char in chars for tail in tails})


def _openings_after_word(items: list[Any], length: int) -> set[str]:
    """Openings of `items` right after a word character: a `\\b` there (also as the first thing of
    a branch, "ki(?:\\b|-\\w+)") means the word ends."""
    if not items:
        return {""}
    op, value = items[0]
    if (op, value) == (sre.AT, sre.AT_BOUNDARY):
        return {_NOT_WORD}
    if op is sre.BRANCH:
        found: set[str] = set()
        for branch in value[1]:
            found |= _openings_after_word(list(branch.data) + items[1:], length)
        return _check_size(found)
    if op is sre.SUBPATTERN and not value[1] & re.IGNORECASE:
        return _openings_after_word(list(value[3].data) + items[1:], length)
    return _openings(items, length)


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

    __slots__ = (
        "_chars",
        "_followers",
        "_head_set",
        "_heads",
        "_index_of",
        "_long",
        "_shorter",
        "_sorted_heads",
        "_word_starts",
        "_words",
        "text",
    )

    def __init__(self, text: str) -> None:
        self.text = text
        # the characters of a text that is not plain ASCII: an opening in another script (Japanese)
        # is looked for only if its first character is there
        self._chars: frozenset[str] | None = None if text.isascii() else frozenset(text)
        # every character that is not a word character (\w) as one space, and digits as "0" (one
        # character for one, so positions stay): the words are what lies between single spaces,
        # and each starts after the words and spaces before it
        words = text.translate(_WORDS_APART).split(" ")
        self._words = words
        self._word_starts = starts = list(map(add, accumulate(map(len, words), initial=0), count()))
        heads: dict[str, list[int]] = {}
        known = heads.get
        # (one start more than words: where the text ends; `compress` passes over empty words)
        for word, start in compress(zip(words, starts, strict=False), words):
            head = word[:OPENING]
            found = known(head)
            if found is None:
                heads[head] = [start]
            else:
                found.append(start)
        self._heads = heads  # a word's first OPENING characters (all of it if shorter)
        self._head_set = frozenset(heads)
        self._long = len(heads) > FEW_WORD_OPENINGS
        self._shorter: dict[str, list[int]] | None = None
        self._sorted_heads: list[str] = []
        self._followers: dict[str, dict[str, list[int]]] = {}
        self._index_of: dict[int, int] | None = None

    @property
    def chars(self) -> frozenset[str] | None:
        """The text's different characters; None for plain ASCII text."""
        return self._chars

    @property
    def heads(self) -> frozenset[str]:
        """The text's different word openings."""
        return self._head_set

    def pairs(self) -> list[tuple[str, str]]:
        """Each word's opening with the opening of the word after it, when one space is between
        them ("" when not), in text order: what `StartPlan.next_words` is checked against."""
        text, words = self.text, self._words
        return [
            (word[:OPENING], after[:OPENING] if after and text[start + len(word)] == " " else "")
            for word, start, after in zip(words, self._word_starts, [*words[1:], ""], strict=False)
            if word
        ]

    def followed_by(self, opening: str) -> dict[str, list[int]]:
        """The openings of the words that follow a word opening so (`opening`, a key of the index)
        after one space, each with where those words start: "is" -> {"lost": [...], "not": [...]}.
        Worked out once per text and opening, when first asked for."""
        found = self._followers.get(opening)
        if found is None:
            found = self._followers[opening] = {}
            if self._index_of is None:  # where each word starts: its place in the list of words
                self._index_of = dict(zip(self._word_starts, count()))
            text, words, index_of = self.text, self._words, self._index_of
            last = len(words) - 1
            for start in self._heads[opening]:
                index = index_of[start]
                if index < last and (after := words[index + 1]) and text[start + len(words[index])] == " ":
                    head = after[:OPENING]  # one space, then this word
                    at = found.get(head)
                    if at is None:
                        found[head] = [start]
                    else:
                        at.append(start)
        return found

    def _starting_with(self, opening: str) -> list[int]:
        """Starts of the words whose head begins with `opening` (shorter than OPENING), looked up
        once per text and opening, by bisection in the sorted heads: few plans have such openings."""
        if self._shorter is None:
            self._shorter = {}
            self._sorted_heads = sorted(self._heads)
        found = self._shorter.get(opening)
        if found is None:
            ordered = self._sorted_heads
            found = []
            index = bisect.bisect_left(ordered, opening)
            while index < len(ordered) and ordered[index].startswith(opening):
                found += self._heads[ordered[index]]
                index += 1
            self._shorter[opening] = found
        return found

    def candidates(self, plan: StartPlan, spans: list[tuple[int, int]] | None = None) -> list[int]:
        """Sorted positions where a match of the plan's pattern can start (within `spans`, whose ends
        can cut a word short); one may repeat. The list may be the index's own: read it, do not
        change it."""
        heads = self._heads
        keys = plan.at_word & self._head_set  # a set with a set: the smaller one is walked
        # in a long text, a word the pattern names only before certain words is tried only there
        # (unless a span ends inside a word: there the engine reads the word's opening as a word)
        narrowable = bool(self._long and plan.next_words)
        cut = word_starts_across(self.text, spans) if spans is not None and (plan.whole_words or narrowable) else []
        across = cut if plan.whole_words else []
        narrow = narrowable and not cut
        if plan.at_word_only and not across and not narrow:  # the common case, quickly
            if len(keys) == 1:
                return heads[next(iter(keys))]  # in text order already; the caller only reads it
            return sorted([start for key in keys for start in heads[key]])  # words start once each
        positions: list[int] = across
        if not narrow:
            for key in keys:
                positions += heads[key]
        else:
            next_words = plan.next_words
            for key in keys:
                after = next_words.get(key)
                if after is None:
                    positions += heads[key]
                elif len(by_next := self.followed_by(key)) <= len(after):  # the smaller one is walked
                    for word, before in by_next.items():
                        if word in after:
                            positions += before
                else:
                    for word in after:
                        if (these := by_next.get(word)) is not None:
                            positions += these
        for key in plan.short:
            positions += self._starting_with(key)
        searched: Iterable[str] = plan.anywhere_ascii
        if self._chars is not None and plan.anywhere_other:
            other = plan.anywhere_other
            searched = [*searched, *(key for char in self._chars.intersection(other) for key in other[char])]
        for key in searched:
            at = self.text.find(key)
            while at != -1:
                positions.append(at)
                at = self.text.find(key, at + 1)
        for key in plan.inner:
            at = self.text.find(key)
            while at != -1:
                positions.append(_word_start(self.text, at))
                at = self.text.find(key, at + 1)
        if plan.at_start:
            positions.append(0)
        positions.sort()  # a position found twice is tried once: a failed match fails again, a match moves past it
        return positions


def _word_start(text: str, index: int) -> int:
    """The start of the word that runs up to `index` (`index` itself when none does)."""
    while index > 0 and _is_word(text[index - 1]):
        index -= 1
    return index


def ends_inside_a_word(text: str, end: int) -> bool:
    """Whether `end` falls between two word characters: a span that ends there cuts a word short."""
    return 0 < end < len(text) and _is_word(text[end - 1]) and _is_word(text[end])


def word_starts_across(text: str, spans: list[tuple[int, int]]) -> list[int]:
    """Where the words start that a span's end cuts in two: inside a span such a word is shorter."""
    return [_word_start(text, end - 1) for _, end in spans if ends_inside_a_word(text, end)]


def matches_at(
    pattern: re.Pattern[str], text: str, starts: list[int], spans: list[tuple[int, int]]
) -> list[re.Match[str]]:
    """What `pattern.finditer(text, start, end)` finds in each span, trying only `starts`.

    `starts` must hold every position where a match can begin (sorted); spans are sorted and do
    not overlap. Matches do not overlap, and each is the one the engine finds from its start.
    """
    found: list[re.Match[str]] = []
    # the common case, every start in one span, without the bisections: its loop is the one below
    # written out again (shared through a function or a generator, checks took ~1% more instructions)
    if starts and len(spans) == 1 and spans[0][0] <= starts[0] and starts[-1] < spans[0][1]:
        resume, end = spans[0]
        for position in starts:
            if position >= resume:
                match = pattern.match(text, position, end)
                if match is not None:
                    found.append(match)
                    resume = max(match.end(), position + 1)
        return found
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
