"""The prefilter finds exactly what a full regex scan finds, for every vocabulary pattern.

core/prefilter.py lists where a pattern's matches can start and tries the pattern only there.
Any opening it forgot would silently lose a match, so each planned pattern is compared with
`finditer` / `search` on every corpus text (as written, and repeated into a long text), on
random spans, and on generated text.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import core.lexicon as lexicon
import core.money as money
import core.signals as signals
from core.prefilter import FEW_WORD_OPENINGS, StartPlan, WordStarts, matches_at, start_plan
from core.text import Prepared, prepare

HERE = Path(__file__).parent
TEXTS = [
    json.loads(line)["text"]
    for path in [HERE / "corpus.jsonl", *sorted(HERE.glob("holdout*.jsonl"))]
    for line in path.read_text(encoding="utf-8").splitlines()
    if line.strip()
]


def _patterns() -> list[re.Pattern[str]]:
    """Every compiled pattern the classifier's modules hold, alone or in tuples, lists and dicts."""
    found: dict[int, re.Pattern[str]] = {}

    def visit(value: object) -> None:
        if isinstance(value, re.Pattern):
            found[id(value)] = value
        elif isinstance(value, (tuple, list)):
            for item in value:
                visit(item)
        elif isinstance(value, dict):
            for item in value.values():
                visit(item)

    for module in (lexicon, signals, money):
        for value in vars(module).values():
            visit(value)
    return list(found.values())


PATTERNS = _patterns()
PLANNED = [(pattern, plan) for pattern in PATTERNS if (plan := start_plan(pattern)) is not None]


def _expected(pattern: re.Pattern[str], text: str, spans: list[tuple[int, int]]) -> list[tuple[object, ...]]:
    return [(m.span(), m.groups()) for start, end in spans for m in pattern.finditer(text, start, end)]


Spans = list[tuple[int, int]]


def _found(pattern: re.Pattern[str], plan: StartPlan, text: str, spans: Spans) -> list[tuple[object, ...]]:
    starts = WordStarts(text).candidates(plan, spans)
    return [(m.span(), m.groups()) for m in matches_at(pattern, text, starts, spans)]


def test_most_vocabulary_patterns_get_a_plan() -> None:
    assert len(PATTERNS) > 60
    planned = {id(pattern) for pattern, _ in PLANNED}
    for name in ("AI_WORDS", "ALLOWANCE_NOUNS", "PRODUCTS", "KIT", "TAX", "COMP_FRAMING", "INDIRECT_QUESTION"):
        assert id(getattr(lexicon, name)) in planned, name


@pytest.mark.parametrize("long", [False, True], ids=["as written", "repeated past 4,000 characters"])
def test_same_matches_as_finditer_on_every_corpus_text(long: bool) -> None:
    rng = random.Random(7)
    texts = TEXTS[::3] if not long else TEXTS[::40]
    for text in texts:
        low = prepare(text * (1 + 4000 // max(1, len(text))) if long else text).low
        cuts = sorted(rng.randrange(len(low) + 1) for _ in range(4))
        for spans in ([(0, len(low))], [(cuts[0], cuts[1]), (cuts[2], cuts[3])]):
            for pattern, plan in PLANNED:
                assert _found(pattern, plan, low, spans) == _expected(pattern, low, spans), (pattern.pattern[:60], text)


def test_same_matches_in_long_texts_of_many_different_words() -> None:
    """A long text with many different words tries a pattern's first word only before the words
    the pattern lets follow it (WordStarts.followed_by): still every match finditer finds, also in
    spans that end inside a word."""
    rng = random.Random(11)
    for _ in range(12):
        text = " ".join(rng.sample(TEXTS, 60))[:4000]
        low = prepare(text).low
        assert len(WordStarts(low).heads) > FEW_WORD_OPENINGS  # long enough to be narrowed
        cuts = sorted(rng.randrange(len(low) + 1) for _ in range(6))
        for spans in ([(0, len(low))], [(cuts[0], cuts[1]), (cuts[2], cuts[3]), (cuts[4], cuts[5])]):
            for pattern, plan in PLANNED:
                assert _found(pattern, plan, low, spans) == _expected(pattern, low, spans), pattern.pattern[:60]


def test_a_span_that_cuts_the_next_word_still_finds_the_pair_the_engine_finds() -> None:
    pattern = re.compile(r"\b(?:paid for\b|xyz)")
    plan = start_plan(pattern)
    assert plan is not None and plan.next_words == {"paid": {"for"}}
    filler = " ".join(a + b + "zz" for a in "bcdfghjklm" for b in "aeiou")  # a long text: 50 words, 50 openings
    filler += " " + filler.replace("zz", "yy")
    assert len(WordStarts(filler).heads) > FEW_WORD_OPENINGS
    text = f"{filler} paid forward, paid for it"
    cut = text.index("paid forward") + len("paid for")
    for spans in ([(0, len(text))], [(0, cut)], [(0, cut), (cut + 3, len(text))]):
        assert _found(pattern, plan, text, spans) == _expected(pattern, text, spans)
    assert len(_found(pattern, plan, text, [(0, cut)])) == 1  # "paid for|ward" within the span


def test_prepared_scan_first_and_everywhere_agree_with_the_engine() -> None:
    for text in TEXTS[::60]:
        prep = prepare(text * (1 + 700 // max(1, len(text))))
        for pattern in PATTERNS:
            for _ in range(5):  # past the point where Prepared starts using the plan
                assert [m.span() for m in prep.scan(pattern)] == [m.span() for m in pattern.finditer(prep.low)]
            first, searched = prep.first(pattern), pattern.search(prep.low)
            assert (first and first.span()) == (searched and searched.span()), pattern.pattern[:60]
            assert [m.span() for m in prep.everywhere(pattern)] == [m.span() for m in pattern.finditer(prep.low)]


_PIECES = st.sampled_from(
    [
        "ai",
        "api",
        "a.i.",
        "tc",
        "credits",
        "work only",
        "personal",
        "n't",
        "rolls over",
        "top up",
        "is lost",
        "are  lost",
        "the company tops",
        "ki",
        "トークン",
        "予算",
        "24/7",
        "12 / 34",
        "401k",
        "٣٤",
        "cad",
        "canadian",
        "$500/mo",
        "verfällt",
        "é",
        "_",
        "-",
        "'",
    ]
)
_TEXT = st.lists(st.one_of(_PIECES, st.text(max_size=6)), max_size=40).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(text=_TEXT)
def test_same_matches_on_generated_text(text: str) -> None:
    low = prepare(text).low
    for pattern, plan in PLANNED:
        assert _found(pattern, plan, low, [(0, len(low))]) == _expected(pattern, low, [(0, len(low))])


_WORDS = st.text(alphabet="abcdefghiklmnoprstuw", min_size=1, max_size=6)
_LONG_TEXT = st.lists(st.one_of(_PIECES, _WORDS), min_size=150, max_size=300).map(" ".join)


@settings(max_examples=40, deadline=None)
@given(text=_LONG_TEXT, cut=st.integers(min_value=0))
def test_same_matches_on_generated_long_text(text: str, cut: int) -> None:
    low = prepare(text).low
    end = cut % (len(low) + 1)
    for spans in ([(0, len(low))], [(0, end)]):
        for pattern, plan in PLANNED:
            assert _found(pattern, plan, low, spans) == _expected(pattern, low, spans)


def test_openings_of_a_simple_pattern() -> None:
    plan = start_plan(re.compile(r"\b(?:cad\b|canadian|ai\b|\d{2}k)"))
    assert plan is not None
    # four characters, and "cad" and "ai" looked up as whole words: the word ends there
    assert plan.at_word == {"cad", "cana", "ai"}
    assert plan.short == {"00k"}  # digits read as "0"; a longer word ("20k-ish") can continue it
    assert plan.anywhere == frozenset()


@pytest.mark.parametrize(
    "source, flags",
    [
        (r"\b.foo", 0),  # any character first
        (r"\b\w+", 0),  # any word
        (r"^foo", re.MULTILINE),  # every line start
        (r"foo", re.IGNORECASE),  # case-folding
        (r"\b(?:x)?", 0),  # can match nothing
        (r"\b\$5", 0),  # a boundary before a non-word character is not a word start
        (r"a", 0),  # anywhere, one character: too common to look for
        (r"\d\d", 0),  # anywhere, a digit class: str.find cannot look for it
    ],
)
def test_patterns_that_cannot_be_bounded_get_no_plan(source: str, flags: int) -> None:
    assert start_plan(re.compile(source, flags)) is None


def test_word_starts_read_digits_as_zero_and_find_short_openings() -> None:
    words = WordStarts("ai 401k aim ٣٤ x")
    plan = StartPlan(at_word=frozenset({"000k"}), short=frozenset({"ai", "x"}), anywhere=frozenset())
    assert words.candidates(plan) == [0, 3, 8, 15]
    two_digits = StartPlan(at_word=frozenset(), short=frozenset({"00"}), anywhere=frozenset())
    assert words.candidates(two_digits) == [3, 12]  # "401k" and the Arabic-Indic "٣٤"
    japanese = StartPlan(at_word=frozenset(), short=frozenset(), anywhere=frozenset({"予算"}))
    assert WordStarts("ai予算 予算").candidates(japanese) == [2, 5]  # no word boundaries needed


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(_TEXT, st.text(alphabet=st.characters(max_codepoint=127), max_size=80)))
def test_word_heads_and_pairs_are_what_the_engine_reads(text: str) -> None:
    """Texts are indexed without the regex engine: the same heads at the same places, and the same
    pairs of a word's opening with the next word's after one space."""
    read = re.sub(r"\d", "0", text)
    expected: dict[str, list[int]] = {}
    for match in re.finditer(r"\b\w{1,4}", read):
        expected.setdefault(match.group(), []).append(match.start())
    words = WordStarts(text)
    assert words.heads == set(expected)
    assert words.pairs() == re.findall(r"\b(\w{1,4})\w*(?= (\w{1,4}))?", read)
    for head, starts in expected.items():
        assert words.candidates(StartPlan(at_word=frozenset({head}), short=frozenset(), anywhere=frozenset())) == starts


def test_a_one_off_check_does_not_pay_for_plans() -> None:
    """Plans are made only for patterns scanned a few times (the CLI checks one text)."""
    pattern = re.compile(r"\b(?:fresh|pattern)\b")
    prep = Prepared(original="a fresh pattern", low="a fresh pattern", origin=tuple(range(15)))
    assert [m.group() for m in prep.scan(pattern)] == ["fresh", "pattern"]
    assert "word_starts" not in prep.__dict__


def test_warm_up_makes_the_plans_a_bot_s_first_checks_would_wait_for() -> None:
    """In a fresh process (plans are made once per process): none before, the main ones after."""
    script = (
        "import core.text as text, core.lexicon as lx\n"
        "from core.classifier import warm_up\n"
        "main = [lx.AI_WORDS, lx.PRODUCTS, lx.KIT, lx.TAX, lx.COMP_FRAMING, lx.INDIRECT_QUESTION]\n"
        "assert not any(id(p) in text._READY for p in main)\n"
        "warm_up()\n"
        "assert all(text._READY[id(p)][0] is not None for p in main)\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=Path(__file__).parents[2])


def test_a_span_that_cuts_a_word_finds_the_short_word_the_engine_finds() -> None:
    pattern = re.compile(r"\b(?:ki\b|budget)")
    plan = start_plan(pattern)
    assert plan is not None and plan.whole_words
    text = "a benefit in kind, ki budget"
    spans = [(0, 15)]  # ends inside "kind": finditer reads "ki" there as a whole word
    expected = [m.span() for m in pattern.finditer(text, 0, 15)]
    assert expected == [(13, 15)]
    assert [m.span() for m in matches_at(pattern, text, WordStarts(text).candidates(plan, spans), spans)] == expected
    assert WordStarts(text).candidates(plan) == [19, 22]  # over the whole text: the word "ki" itself, "budget"


def test_a_word_run_before_a_fixed_piece_is_found_by_the_piece() -> None:
    pattern = re.compile(r"\b\w+-abo\b|\bplan\b")
    plan = start_plan(pattern)
    assert plan is not None and plan.inner == {"-a"}
    text = "ein chatgpt-abo, ein claude-abo und x-abonnement"
    starts = WordStarts(text).candidates(plan)
    assert starts == [4, 21, 36]  # the start of each word the piece is found in
    expected = [m.span() for m in pattern.finditer(text)]
    assert [m.span() for m in matches_at(pattern, text, starts, [(0, len(text))])] == expected == [(4, 15), (21, 31)]


def test_an_anchored_alternative_is_tried_at_the_start_of_the_text_only() -> None:
    pattern = re.compile(r"^\s*op\s*:|\bmine\b")
    plan = start_plan(pattern)
    assert plan is not None and plan.at_start
    for text in ("  OP: mine is $200".lower(), "not op: but mine"):
        starts = WordStarts(text).candidates(plan)
        assert [m.span() for m in matches_at(pattern, text, starts, [(0, len(text))])] == [
            m.span() for m in pattern.finditer(text)
        ]


def test_alternatives_that_open_with_a_group_are_split() -> None:
    plan = start_plan(re.compile(r"(?:\b(?:cad\b|canadian))|(?:\b(?:aud\b|australian))"))
    assert plan is not None
    assert plan.at_word == {"cad", "cana", "aud", "aust"} and not plan.anywhere


_MONEY_TEXT = st.text(alphabet="0123456789$€£¥ .,'-kmusdeurinrcan٣٤５\n", max_size=40)


@settings(max_examples=500, deadline=None)
@given(text=_MONEY_TEXT)
def test_sums_are_found_where_the_full_scan_finds_them(text: str) -> None:
    """find_money tries its pattern only just before digits; that finds what finditer finds."""
    expected = [(m.span(), m.groups()) for m in money._MONEY.finditer(text)]
    assert [(m.span(), m.groups()) for m in money._money_matches(text)] == expected


def test_sums_in_every_corpus_text_are_found_as_the_full_scan_finds_them() -> None:
    for text in TEXTS:
        low = prepare(text).low
        expected = [(m.span(), m.groups()) for m in money._MONEY.finditer(low)]
        assert [(m.span(), m.groups()) for m in money._money_matches(low)] == expected, text


def test_patterns_passed_over_in_a_short_text_have_no_match_there() -> None:
    """A short text passes over the patterns none of its word openings or pieces can start (the
    opening bits in core/text.py): what it still finds is what the engine finds."""
    for pattern in PATTERNS:  # past the point where plans and bits are made
        for _ in range(5):
            prepare("warm up").scan(pattern)
    for text in TEXTS[::7]:
        prep = prepare(text)
        for pattern in PATTERNS:
            assert [m.span() for m in prep.scan(pattern)] == [m.span() for m in pattern.finditer(prep.low)]
            first, searched = prep.first(pattern), pattern.search(prep.low)
            assert (first and first.span()) == (searched and searched.span()), (pattern.pattern[:60], text)
            for start, end in prep.clauses + prep.sentences:  # spans that keep their words whole
                found, searched = prep.search(pattern, start, end), pattern.search(prep.low, start, end)
                assert (found and found.span()) == (searched and searched.span()), (pattern.pattern[:60], text)


@pytest.mark.parametrize(
    "source, next_words",
    [
        (r"\b(?:is lost|are lost\b|gets? lost)", {"is": {"lost"}, "are": {"lost"}, "get": {"lost"}, "gets": {"lost"}}),
        (r"\bthe company (?:tops|adds)", {"the": {"comp"}}),
        (r"\b(?:is lost|is\b)", {}),  # "is" alone may match: any word may follow it
        (r"\b(?:work only|working)", {}),  # "work" may go on as another word
        (r"\b(?:the (?:\w+ )?team|the company)", {}),  # any word may follow "the"
        (r"\bpaid\s+out", {}),  # not one plain space
    ],
)
def test_the_word_after_a_pattern_s_first_word_is_listed_only_when_it_is_certain(
    source: str, next_words: dict[str, set[str]]
) -> None:
    plan = start_plan(re.compile(source))
    assert plan is not None
    assert plan.next_words == next_words


def test_pairs_of_a_text_are_its_words_with_the_word_after_one_space() -> None:
    pairs = WordStarts("is lost,  gone 401k x").pairs()
    assert pairs == [("is", "lost"), ("lost", ""), ("gone", "000k"), ("000k", "x"), ("x", "")]


@settings(max_examples=150, deadline=None)
@given(text=_TEXT)
def test_patterns_passed_over_in_generated_short_texts_have_no_match_there(text: str) -> None:
    for pattern in PATTERNS:  # past the point where plans and bits are made
        for _ in range(5):
            prepare("warm up").scan(pattern)
    prep = prepare(text)
    for pattern in PATTERNS:
        assert [m.span() for m in prep.scan(pattern)] == [m.span() for m in pattern.finditer(prep.low)]


_SHARE_PIECES = st.sampled_from(
    [
        "1,,5 units",
        "4,000 rsus",
        "10%",
        "1, options",
        "2.5k shares",
        "5 %",
        "and",
        "plus",
        "(",
        ")",
        ".",
        ",",
        "x9 units",
    ]
)


def _holds_a_share(low: str, clause: tuple[int, int]) -> bool:
    text = low[clause[0] : clause[1]]
    return "%" in text or "％" in text or signals._UNIT_GRANT.search(text) is not None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_SHARE_PIECES, _PIECES, st.text(max_size=5)), min_size=20, max_size=120).map(" ".join))
def test_clauses_picked_for_shares_hold_every_clause_with_one(text: str) -> None:
    """In a text of many clauses only some are looked at for a percentage or a unit grant: never
    one fewer than the clauses where looking finds one."""
    prep = prepare(text)
    picked = set(signals._share_clauses(prep))
    assert {place for place, clause in enumerate(prep.clauses) if _holds_a_share(prep.low, clause)} <= picked


def test_clauses_picked_for_shares_in_long_corpus_texts() -> None:
    rng = random.Random(5)
    for _ in range(20):
        prep = prepare(" ".join(rng.sample(TEXTS, 40))[:4000])
        assert len(prep.clauses) > signals._FEW_CLAUSES
        picked = set(signals._share_clauses(prep))
        assert {place for place, clause in enumerate(prep.clauses) if _holds_a_share(prep.low, clause)} <= picked


def _plain_clause_break() -> re.Pattern[str]:
    """The clause breaks as first written: any break character, then which break it is."""
    from core.text import _STOP_TAIL

    return re.compile(
        r"[!?.;\n|•·,\s()。、／｜]"
        r"(?:(?<=[^\S\n])(?:\+\s?|(?:and|with|but|while|whereas|und|sowie|aber|et|mais|y|pero)\s|(?<!chatgpt\s)plus\s|[-/]\s)|"
        rf"(?<=[!?.]){_STOP_TAIL}|(?<=[;\n|•·。、／｜])|(?<=,)(?!\d{{2,3}}\b)(?!(?<=\d,)\d)|(?<=[()]))"
    )


_BREAK_PIECES = st.sampled_from(
    [" and ", " plus ", "chatgpt plus ", " + ", " - ", " / ", "e.g. ", "no. 5", "1,000", ", ", ".\n", "\t", "\u2003y "]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_BREAK_PIECES, _PIECES, st.text(max_size=4)), max_size=30).map("".join))
def test_clause_breaks_are_where_the_plain_pattern_finds_them(text: str) -> None:
    from core.text import _CLAUSE_BREAK

    low = prepare(text).low
    assert [m.span() for m in _CLAUSE_BREAK.finditer(low)] == [m.span() for m in _plain_clause_break().finditer(low)]


def test_clause_breaks_in_every_corpus_text_are_where_the_plain_pattern_finds_them() -> None:
    from core.text import _CLAUSE_BREAK

    plain = _plain_clause_break()
    for text in TEXTS:
        low = prepare(text).low
        assert [m.span() for m in _CLAUSE_BREAK.finditer(low)] == [m.span() for m in plain.finditer(low)], text
