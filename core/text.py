"""Text preparation: normalise, fix common typos, split into clauses, quote trigger phrases.

Matching runs on a lower-cased, typo-corrected copy of the text. Every character of that copy
remembers where it came from, so a phrase found in it is quoted back in the person's own words.
"""

from __future__ import annotations

import bisect
import functools
import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, overload

from core.models import QUOTE_CLOSE, QUOTE_OPEN
from core.prefilter import FEW_WORD_OPENINGS, StartPlan, WordStarts, matches_at, start_plan

# Characters folded before matching: dashes, unusual spaces, curly quotes, full-width digits.
_FOLD = str.maketrans(
    {
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2007": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u3000": " ",
        "\t": " ",
        "\r": " ",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\uff04": "$",
        "\uffe5": "\u00a5",
        **{chr(0xFF10 + digit): str(digit) for digit in range(10)},
        # control characters (not line breaks) read as spaces
        **{chr(code): " " for code in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)},
    }
)

# Words the rules depend on; a near-miss spelling of one is read as the word itself.
VOCABULARY = frozenset(
    [
        "work",
        "only",
        "personal",
        "projects",
        "project",
        "anything",
        "whatever",
        "learning",
        "experiments",
        "unrestricted",
        "unused",
        "cashed",
        "carried",
        "expire",
        "expires",
        "expired",
        "expiry",
        "rollover",
        "roll",
        "rolls",
        "carry",
        "carries",
        "over",
        "forfeit",
        "unlimited",
        "uncapped",
        "capped",
        "monthly",
        "annual",
        "annually",
        "yearly",
        "quarterly",
        "weekly",
        "daily",
        "budget",
        "allowance",
        "stipend",
        "credits",
        "tokens",
        "reimburse",
        "reimbursed",
        "reimbursement",
        "subscription",
        "business",
        "company",
        "strictly",
        "purposes",
        "restricted",
        "allowed",
        "welcome",
        "included",
        "compensation",
        "taxable",
        "increase",
        "topped",
        "personally",
        "private",
        "hobby",
        "outside",
        "hours",
        "salary",
        "bonus",
        "equity",
        "options",
        "vesting",
        "signing",
        "payout",
        "rollovers",
        "month",
        "year",
        "quarter",
        "week",
        "every",
    ]
)
# Ordinary words that sit one letter away from a vocabulary word and must stay as they are.
_KEEP = frozenset(
    [
        "word",
        "worm",
        "fork",
        "cork",
        "pork",
        "york",
        "form",
        "from",
        "mork",
        "lonely",
        "onyx",
        "roles",
        "polls",
        "toll",
        "tolls",
        "rule",
        "rules",
        "exile",
        "exire",
        "years",
        "yearn",
        "pears",
        "wears",
        "bears",
        "tears",
        "gears",
        "hears",
        "dears",
        "fears",
        "nears",
        "mouth",
        "unlimber",
        "annul",
        "anneal",
        "credit",
        "token",
        "tokes",
        "ovary",
        "over",
        "oven",
        "ever",
        "river",
        "rover",
        "cover",
    ]
)
_WORD = re.compile(r"[a-z]+")
#: For ASCII text: what is not a letter a-z as a space, so `split()` gives what `_WORD` finds.
_LETTERS_APART = str.maketrans({chr(code): " " for code in range(128) if not "a" <= chr(code) <= "z"})
# Chat shorthand read as the word it stands for.
_SHORTHAND = {
    "ony": "only",
    "onl": "only",
    "wrk": "work",
    "creds": "credits",
    "cant": "can't",
    "dont": "don't",
    "doesnt": "doesn't",
    "didnt": "didn't",
    "isnt": "isn't",
    "arent": "aren't",
    "wasnt": "wasn't",
    "wont": "won't",
    "shouldnt": "shouldn't",
    "couldnt": "couldn't",
    "cred": "credit",
    "biz": "business",
    "ovr": "over",
    "u": "you",
    "ur": "your",
    "pls": "please",
    "thru": "through",
    "bc": "because",
    "mths": "months",
    "yrly": "yearly",
    "mnthly": "monthly",
}


def _typo_index() -> dict[str, str]:
    """Every accepted misspelling of a vocabulary word, mapped to the word: one swap of
    neighbours (any length), one dropped letter (five letters or more). Extra and wrong letters
    are found from the misspelling's side in `_correct`."""
    index: dict[str, str] = {}
    for word in VOCABULARY:
        for i in range(len(word) - 1):
            swapped = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            index.setdefault(swapped, word)
        if len(word) >= 6:
            for i in range(len(word)):
                index.setdefault(word[:i] + word[i + 1 :], word)
    return index


def _wildcard_index() -> dict[str, str]:
    """Vocabulary words of seven letters or more with one letter blanked: finds one wrong letter."""
    index: dict[str, str] = {}
    for word in VOCABULARY:
        if len(word) >= 7:
            for i in range(len(word)):
                index.setdefault(word[:i] + "?" + word[i + 1 :], word)
    return index


class _Speller:
    """Maps near-miss spellings of the vocabulary to the words meant. Built once per process."""

    def __init__(self) -> None:
        self._typos = _typo_index()
        self._wildcards = _wildcard_index()
        self._cache: dict[str, str] = {}
        self._foreign = _foreign_words()
        #: Words seen so far that need no correction: a text made only of them is checked at once.
        self.unchanged: set[str] = set()

    def correct(self, word: str) -> str:
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        fixed = self._lookup(word)
        if len(self._cache) < 50_000:
            self._cache[word] = fixed
            if fixed == word:
                self.unchanged.add(word)
        return fixed

    def _lookup(self, word: str) -> str:
        if word in _SHORTHAND:
            return _SHORTHAND[word]
        if len(word) < 4 or word in VOCABULARY or word in _KEEP or word in self._foreign:
            return word
        candidates = [self._typos.get(word)]
        if len(word) >= 6:  # one extra letter
            candidates += [word[:i] + word[i + 1 :] for i in range(len(word))]
        if len(word) >= 7:  # one wrong letter
            candidates += [self._wildcards.get(word[:i] + "?" + word[i + 1 :]) for i in range(len(word))]
        for candidate in candidates:
            if candidate and candidate in VOCABULARY and not _inflection(word, candidate):
                return candidate
        return word


def _foreign_words() -> frozenset[str]:
    """The German, French and Spanish vocabulary's own words, never "corrected" into English
    ("forfait" is not a typo of "forfeit")."""
    from core.languages import EXTRA

    return frozenset(
        word
        for patterns in EXTRA.values()
        for pattern in patterns
        for word in _WORD.findall(_ESCAPE.sub(" ", pattern))
        if len(word) >= 4
    )


_ESCAPE = re.compile(r"\\[a-zA-Z]")  # \b, \w: not letters of a word


_ENDINGS = frozenset({"", "s", "es", "d", "ed", "ing", "y", "ies", "ied", "e", "er", "ers", "ly"})


def _inflection(word: str, target: str) -> bool:
    """Two forms of one word ("carried" / "carries", "purpose" / "purposes"), not a typo."""
    if len(target) == len(word) + 1 and target[:-1] == word and target[-1] == target[-2]:
        return False  # a dropped double letter ("busines"), not an ending
    stem = 0
    while stem < min(len(word), len(target)) and word[stem] == target[stem]:
        stem += 1
    endings = {word[stem:], target[stem:]}
    # "monthy" is a typo of "monthly", "expirs" of "expires"
    return endings <= _ENDINGS and endings not in ({"y", "ly"}, {"s", "es"})


@functools.cache
def _speller() -> _Speller:
    """The process's speller, built on first use (not at import)."""
    return _Speller()


_T = TypeVar("_T")


class _computed_once(Generic[_T]):
    """`functools.cached_property` without its lock (Python 3.11 takes one on every first read):
    the value is computed on first read and kept in the instance's `__dict__`, where later reads
    find it without calling this descriptor again. A Prepared serves one check at a time."""

    def __init__(self, compute: Callable[[Any], _T]) -> None:
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> _computed_once[_T]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> _T: ...
    def __get__(self, instance: object | None, owner: type | None = None) -> _T | _computed_once[_T]:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.compute(instance)
        return value


@dataclass
class Prepared:
    """The original text and the lower-cased, corrected copy that matching runs on."""

    original: str
    low: str
    origin: Sequence[int]  # origin[i]: index in `original` of low[i]
    #: Where find_all looks (sorted spans); None for the whole text. Set once, before any search.
    focus: list[tuple[int, int]] | None = None
    # keyed by id(pattern): hashing a compiled pattern hashes its whole source every time
    _found: dict[int, list[re.Match[str]]] = field(default_factory=dict, compare=False, repr=False)
    _everywhere: dict[int, list[re.Match[str]]] = field(default_factory=dict, compare=False, repr=False)
    _candidates: dict[int, list[int]] = field(default_factory=dict, compare=False, repr=False)

    def set_focus(self, spans: list[tuple[int, int]] | None) -> None:
        """Where find_all looks from now on (before any find_all). With no focus, find_all and
        everywhere find the same matches, so they share one cache."""
        self.focus = spans
        if spans is None:
            self._everywhere.update(self._found)
            self._found = self._everywhere

    def find_all(self, pattern: re.Pattern[str]) -> list[re.Match[str]]:
        """Every match of `pattern` in the focus, scanned once per text and pattern."""
        found = self._found.get(id(pattern))
        if found is None:
            found = self.scan(pattern, self.focus)
            self._found[id(pattern)] = found
        return found

    def scan(self, pattern: re.Pattern[str], spans: list[tuple[int, int]] | None = None) -> list[re.Match[str]]:
        """Every match of `pattern` in `spans` (the whole text when None); not cached. Once the
        pattern has a plan, it is tried only where a match can start (core/prefilter.py)."""
        plan, bit = _READY.get(id(pattern)) or _plan(pattern)
        if plan is None:
            if spans is None:
                return list(pattern.finditer(self.low))
            return [match for start, end in spans for match in pattern.finditer(self.low, start, end)]
        if bit and not self.openings_found & bit and (spans is None or not plan.whole_words):
            return []  # no word of the text opens as the pattern can
        starts = self._starts(pattern, plan) if spans is None else self.word_starts.candidates(plan, spans)
        if not starts:
            return []
        return matches_at(pattern, self.low, starts, [(0, len(self.low))] if spans is None else spans)

    def everywhere(self, pattern: re.Pattern[str]) -> list[re.Match[str]]:
        """Every match of `pattern` in the whole text, whatever the focus; scanned once."""
        found = self._everywhere.get(id(pattern))
        if found is None:
            found = self._everywhere[id(pattern)] = self.scan(pattern)
        return found

    def first(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        """The leftmost match of `pattern` in the whole text, as `pattern.search` finds it."""
        plan, bit = _READY.get(id(pattern)) or _plan(pattern)
        if plan is None:
            return pattern.search(self.low)
        if bit and not self.openings_found & bit:
            return None  # no word of the text opens as the pattern can
        for position in self._starts(pattern, plan):
            match = pattern.match(self.low, position)
            if match is not None:
                return match
        return None

    def search(self, pattern: re.Pattern[str], start: int, end: int) -> re.Match[str] | None:
        """What `pattern.search(self.low, start, end)` finds, tried only where a match can start
        (the pattern's candidates in the whole text, found once per text and pattern)."""
        low = self.low
        plan, bit = _READY.get(id(pattern)) or _plan(pattern)
        if plan is None or (  # `ends_inside_a_word(low, end)`, written out: the call costs ~1% of a check
            0 < end < len(low)
            and ((before := low[end - 1]).isalnum() or before == "_")
            and ((after := low[end]).isalnum() or after == "_")
        ):
            return pattern.search(low, start, end)  # no plan, or the span ends inside a word
        if bit and not self.openings_found & bit:
            return None  # no word of the text opens as the pattern can (the span keeps its words whole)
        starts = self._starts(pattern, plan)
        index = bisect.bisect_left(starts, start)
        while index < len(starts) and starts[index] < end:
            match = pattern.match(low, starts[index], end)
            if match is not None:
                return match
            index += 1
        return None

    def _starts(self, pattern: re.Pattern[str], plan: StartPlan) -> list[int]:
        """Where in the whole text a match of `pattern` can start; found once per text and pattern."""
        starts = self._candidates.get(id(pattern))
        if starts is None:
            starts = self._candidates[id(pattern)] = self.word_starts.candidates(plan)
        return starts

    @_computed_once
    def word_starts(self) -> WordStarts:
        return WordStarts(self.low)

    @_computed_once
    def openings_found(self) -> int:
        """The bits (see `_OPENING_BITS`) of the patterns that can match this short text somewhere:
        a pattern whose bit is not set has no match here. Bits of patterns planned after this is
        read are set, as are all bits for a long text (most patterns match somewhere in it)."""
        heads = self.word_starts.heads
        if len(heads) > FEW_WORD_OPENINGS:
            return -1
        found = 0
        pair, known, paired = _PAIR_BITS.get, _HEAD_BITS.get, _PAIRED_HEADS
        for head, after in self.word_starts.pairs():
            if head in paired:
                found |= pair((head, after), 0)
        for head in heads:
            bits = known(head)
            found |= _head_bits(head) if bits is None else bits
        low = self.low
        for piece, bit in _PIECE_BITS:
            if not found & bit and piece in low:
                found |= bit
        chars = self.word_starts.chars
        if chars is not None:  # not plain ASCII: pieces in other scripts, by the first character
            for char in chars.intersection(_OTHER_PIECE_BITS):
                for piece, bit in _OTHER_PIECE_BITS[char]:
                    if not found & bit and piece in low:
                        found |= bit
        return found | -(1 << len(_BIT_OF))

    def source(self, start: int, end: int) -> str:
        """The person's own words behind low[start:end]."""
        if start >= end:
            return ""
        return self.original[self.origin[start] : self.origin[end - 1] + 1]

    @_computed_once
    def clauses(self) -> list[tuple[int, int]]:
        """Spans of clauses: pieces between sentence marks, commas, semicolons, '+', 'and'."""
        spans: list[tuple[int, int]] = []
        start = 0
        for match in _CLAUSE_BREAK.finditer(self.low):
            if match.start() > start:
                spans.append((start, match.start()))
            start = match.end()
        if start < len(self.low):
            spans.append((start, len(self.low)))
        return [span for span in spans if self.low[span[0] : span[1]].strip()]

    def clause_at(self, index: int) -> tuple[int, int]:
        return _span_at(self.clauses, index, (index, index))

    @_computed_once
    def sentences(self) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        start = 0
        for match in _SENTENCE_BREAK.finditer(self.low):
            if match.start() > start:
                spans.append((start, match.start()))
            start = match.end()
        if start < len(self.low):
            spans.append((start, len(self.low)))
        return spans

    def sentence_at(self, index: int) -> tuple[int, int]:
        return _span_at(self.sentences, index, (0, len(self.low)))


#: A pattern's plan is worked out (about a millisecond for a large one) only once it has been
#: scanned this often: a one-off check (the CLI) never pays for it, a long-running bot soon does.
PLAN_AFTER_SCANS = 3


class _PlanSlot:
    """A pattern (held, so its id is never reused) and how often it has been scanned so far."""

    __slots__ = ("pattern", "scans")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.scans = 0


_PLANS: dict[int, _PlanSlot] = {}  # by id(pattern): hashing a pattern hashes its whole source
_NO_PLAN: tuple[StartPlan | None, int] = (None, 0)


def _plan(pattern: re.Pattern[str]) -> tuple[StartPlan | None, int]:
    """The pattern's start plan and opening bit, once worth making; (None, 0) until then, or when
    the pattern cannot be bounded."""
    ready = _READY.get(id(pattern))
    if ready is not None:
        return ready
    slot = _PLANS.get(id(pattern))
    if slot is None:
        slot = _PLANS[id(pattern)] = _PlanSlot(pattern)
    slot.scans += 1
    if slot.scans <= PLAN_AFTER_SCANS:
        return _NO_PLAN
    plan = start_plan(pattern)
    _READY[id(pattern)] = ready = (plan, _opening_bit(pattern, plan))
    return ready


#: Plans already made (or found impossible, None) and the pattern's opening bit, by id(pattern):
#: one lookup on the hot path.
_READY: dict[int, tuple[StartPlan | None, int]] = {}
#: A bit for each planned pattern: in `_OPENING_BITS[head]` when a word opening so can start a
#: match, in `_PAIR_BITS[head, next]` when it can only be followed by one space and a word opening so
#: ("is lost"), in `_PREFIX_BITS[start]` when any word opening that starts so can, and in
#: `_PIECE_BITS` beside a piece of text a match can start with anywhere. A short text ORs together
#: the bits its words and pieces light, once, and then passes over every pattern whose bit is dark
#: without looking (three patterns in four, for most texts).
_OPENING_BITS: dict[str, int] = {}
_PAIR_BITS: dict[tuple[str, str], int] = {}  # (word opening, next word's opening)
_PAIRED_HEADS: set[str] = set()  # the word openings of _PAIR_BITS's keys
_PREFIX_BITS: dict[str, int] = {}
_PREFIX_LENGTHS: list[int] = []  # the lengths of the keys of _PREFIX_BITS
_PIECE_BITS: list[tuple[str, int]] = []  # ASCII pieces
_OTHER_PIECE_BITS: dict[str, list[tuple[str, int]]] = {}  # pieces in other scripts (Japanese), by first character
_BIT_OF: dict[int, int] = {}


#: The bits a word opening lights by itself and by its prefixes, as worked out so far (cleared
#: when a pattern gets its bit, and when it grows past `_MOST_HEADS`).
_HEAD_BITS: dict[str, int] = {}
_MOST_HEADS = 50_000


def _head_bits(head: str) -> int:
    """The bits of the patterns that a word opening so can start: as a whole opening, or by a
    prefix (a head shorter than a prefix length is looked up whole)."""
    bits = _OPENING_BITS.get(head, 0)
    for length in _PREFIX_LENGTHS:
        bits |= _PREFIX_BITS.get(head[:length], 0)
    if len(_HEAD_BITS) >= _MOST_HEADS:
        _HEAD_BITS.clear()
    _HEAD_BITS[head] = bits
    return bits


def _opening_bit(pattern: re.Pattern[str], plan: StartPlan | None) -> int:
    """The pattern's bit, given out once its plan is made (0, always looked at, when it can also
    start at the start of the text)."""
    if plan is None or plan.at_start:
        return 0
    bit = _BIT_OF[id(pattern)] = 1 << len(_BIT_OF)
    _HEAD_BITS.clear()  # worked out without this pattern's bit
    for head in plan.at_word:
        after = plan.next_words.get(head)
        if after is None:
            _OPENING_BITS[head] = _OPENING_BITS.get(head, 0) | bit
        for word in after or ():
            _PAIR_BITS[head, word] = _PAIR_BITS.get((head, word), 0) | bit
            _PAIRED_HEADS.add(head)
    for start in plan.short:
        _PREFIX_BITS[start] = _PREFIX_BITS.get(start, 0) | bit
        if len(start) not in _PREFIX_LENGTHS:
            _PREFIX_LENGTHS.append(len(start))
    for piece in plan.anywhere | plan.inner:
        if piece.isascii():
            _PIECE_BITS.append((piece, bit))
        else:
            _OTHER_PIECE_BITS.setdefault(piece[0], []).append((piece, bit))
    return bit


def count_in(starts: Sequence[int], span: tuple[int, int]) -> int:
    """How many of the sorted positions `starts` fall in [span start, span end)."""
    return bisect.bisect_left(starts, span[1]) - bisect.bisect_left(starts, span[0])


def _span_at(spans: list[tuple[int, int]], index: int, default: tuple[int, int]) -> tuple[int, int]:
    """The span of sorted, non-overlapping `spans` that holds `index`."""
    position = bisect.bisect_right(spans, (index, float("inf"))) - 1
    if position >= 0 and spans[position][0] <= index < spans[position][1]:
        return spans[position]
    return default


# What must hold after a full stop, "!" or "?" for it to end a sentence: a full stop after a
# common abbreviation ("Rs. 500", "e.g.", "incl.", "No. 5") does not; "they said no." does. The
# checks look back at a full stop, so after "!" or "?" they hold of themselves.
_STOP_TAIL = (
    r"(?<!\brs\.)(?!(?<=\bno\.)\s*#?\d)(?<!\bvs\.)(?<!\bincl\.)(?<!\be\.g\.)(?<!\bi\.e\.)"
    r"(?<!\bp\.a\.)(?<!\bp\.m\.)(?<!\bapprox\.)(?<!\betc\.)"
    # German, French, Spanish: "z. B.", "bzw.", "ca.", "inkl.", "p. ex.", "p. ej."
    r"(?<!\bz\.)(?<!\bz\. b\.)(?<!\bz\.b\.)(?<!\bbzw\.)(?<!\bca\.)(?<!\busw\.)(?<!\bggf\.)(?<!\binkl\.)(?<!\bp\.)"
    r"(?<!\bp\. ex\.)(?<!\bp\. ej\.)['\")\]]*(?=\s|$)"
)
# Each opens by taking one character of a class (the engine skips to such characters in one fast
# loop) and then tells the kinds of break apart by that character, looking back at it.
# tests/core/test_prefilter.py holds the clause breaks to the plain way of writing them.
_CLAUSE_BREAK = re.compile(
    # a space (not a line break, which is a break of its own) before a joining word or sign: most
    # characters found are spaces, so the next one's first letter is looked at before the words
    r"[^\S\n](?=[+awbusempy/-])"
    r"(?:\+\s?|(?:and|with|but|while|whereas|und|sowie|aber|et|mais|y|pero)\s|plus\s(?<!chatgpt\splus\s)|[-/]\s)"
    r"|[!?.;\n|•·,()。、／｜]"
    rf"(?:(?<=[!?.]){_STOP_TAIL}|(?<=[;\n|•·。、／｜])|(?<=,)(?!\d{{2,3}}\b)(?!(?<=\d,)\d)|(?<=[()]))"
)
_SENTENCE_BREAK = re.compile(rf"[!?.\n;。](?:(?<=[!?.]){_STOP_TAIL}|(?<=[\n;。]))")


# Markup that carries no words: HTML tags (a line break where they break lines) and markdown marks.
_HTML_BREAK = re.compile(r"<(?:br|/p|/li|/div|/tr|/h\d)\s*/?>", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
_MARKDOWN = re.compile(r"[*_`~]+")
_ENTITY = re.compile(r"&(?:#\d{1,6}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")
_STRUCK = re.compile(r"~~[^~\n]{1,200}~~")


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


def _strip_markup(text: str) -> str:
    """Markup replaced by spaces of the same length, so positions still match the original.
    Struck-through text ("~~$100~~ $120") is taken back, so it goes too."""
    if "~~" in text:
        text = _STRUCK.sub(_blank, text)
    if "<" in text:
        text = _HTML_BREAK.sub(lambda m: "\n" + " " * (len(m.group()) - 1), text)
        text = _HTML_TAG.sub(_blank, text)
    if "*" in text or "_" in text or "`" in text or "~" in text:
        text = _MARKDOWN.sub(_blank, text)
    return text


def prepare(text: str) -> Prepared:
    """Fold, lower-case and correct `text`, keeping a map back to the original characters."""
    if "&" in text and _ENTITY.search(text):
        text = html.unescape(text)  # pasted from an email: "€300&nbsp;per month"
    folded = _strip_markup(text.translate(_FOLD))
    lowered = folded.lower()
    if len(lowered) != len(folded):  # rare characters whose lower case is longer
        lowered = "".join(char if len(char.lower()) != 1 else char.lower() for char in folded)
    seams: Sequence[int] = range(len(lowered))
    if not lowered.isascii():
        lowered, seams = _split_scripts(lowered)
    speller = _speller()
    words = set(lowered.translate(_LETTERS_APART).split() if lowered.isascii() else _WORD.findall(lowered))
    if words <= speller.unchanged or all(speller.correct(word) == word for word in words):
        return Prepared(original=folded, low=lowered, origin=seams)  # nothing to correct
    pieces: list[str] = []
    origin: list[int] = []
    cursor = 0
    for match in _WORD.finditer(lowered):
        word = match.group()
        fixed = speller.correct(word)
        if fixed == word:
            continue
        pieces.append(lowered[cursor : match.start()])
        origin.extend(range(cursor, match.start()))
        pieces.append(fixed)
        span = match.end() - match.start()
        origin.extend(match.start() + min(i, span - 1) for i in range(len(fixed)))
        cursor = match.end()
    pieces.append(lowered[cursor:])
    origin.extend(range(cursor, len(lowered)))
    if not isinstance(seams, range):
        origin = [seams[index] for index in origin]
    return Prepared(original=folded, low="".join(pieces), origin=tuple(origin))


# A Latin word written against Japanese ("Claudeを", "AIツール", "Cursor Proのシート") has no word
# boundary there (both are word characters), so a space is put in the matching copy.
_JAPANESE = r"[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]"
_SCRIPT_SEAM = re.compile(rf"(?<=[a-z])(?={_JAPANESE})|(?<={_JAPANESE})(?=[a-z])")


def _split_scripts(lowered: str) -> tuple[str, Sequence[int]]:
    """`lowered` with a space at each seam between Latin letters and Japanese script, and where
    each character of the result came from (an added space points at the character after it)."""
    cuts = [match.start() for match in _SCRIPT_SEAM.finditer(lowered)]
    if not cuts:
        return lowered, range(len(lowered))
    pieces: list[str] = []
    origin: list[int] = []
    cursor = 0
    for cut in cuts:
        pieces += [lowered[cursor:cut], " "]
        origin += [*range(cursor, cut), cut]
        cursor = cut
    pieces.append(lowered[cursor:])
    origin += range(cursor, len(lowered))
    return "".join(pieces), tuple(origin)


_QUOTE_MAX = 80


def quote(phrase: str) -> str:
    """A trigger phrase as a marked quote: the only way user text enters a reply."""
    cleaned = " ".join(phrase.replace(QUOTE_OPEN, "").replace(QUOTE_CLOSE, "").split())
    cleaned = cleaned.strip(" ,.;:-")
    if len(cleaned) > _QUOTE_MAX:
        cleaned = cleaned[: _QUOTE_MAX - 1].rstrip() + "…"
    return f"{QUOTE_OPEN}{cleaned}{QUOTE_CLOSE}"
