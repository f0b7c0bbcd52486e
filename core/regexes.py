"""Vocabulary patterns built so the regex engine tries them quickly: parts that open at a word
boundary share one `\\b`, and parts that open with the same characters share that opening
(`alternation`). The built pattern finds exactly what the plain alternation `(?:p1)|(?:p2)|...`
finds; tests/core/test_regexes.py checks it."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

_LOOKBEHINDS = re.compile(r"^((?:\(\?<!?[^)]*\))*)\\b")


def _is_cjk(char: str) -> bool:
    """A character of the CJK blocks (no regex: compiling such a wide class costs milliseconds)."""
    return "\u3000" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef"


def any_of(*parts: str) -> re.Pattern[str]:
    """One pattern matching any of `parts`. Parts that start at a word boundary share a single
    leading `\\b`, so the engine tries the alternatives only where a word starts (about ten times
    faster on long texts than trying every alternative at every character). Japanese parts, which
    have no word boundaries, come next, then the rest, so the order of preference is kept."""
    at_word: list[str] = []
    cjk: list[str] = []
    anywhere: list[str] = []
    for part in parts:
        lead = _LOOKBEHINDS.match(part)
        if lead:
            at_word.append(lead.group(1) + part[lead.end() :])
        elif _is_cjk(part[:1]):
            cjk.append(part)
        else:
            anywhere.append(part)
    pieces = []
    if at_word:
        pieces.append(r"\b(?:" + alternation(at_word) + ")")
    pieces += [f"(?:{part})" for part in (*cjk, *anywhere)]
    return re.compile("|".join(pieces))


_PLAIN_RUN = re.compile(r"[^\\.^$*+?{}\[\]|()]*")  # characters that stand for themselves
_QUANTIFIERS = frozenset("?*+{")
_CAPTURING = re.compile(r"(?<!\\)\((?!\?)|\(\?P<")


def _literal_head(part: str) -> str:
    """The plain characters `part` must open with ("get" of "gets?", "" of "(?:a|b)")."""
    end = _PLAIN_RUN.match(part).end()  # type: ignore[union-attr]
    if end < len(part) and part[end] in _QUANTIFIERS:
        end -= 1  # "s?": the character before a quantifier is optional
    return part[: max(end, 0)]


def _has_top_level_bar(part: str) -> bool:
    return "|" in part and len(_top_level_pieces(part)) > 1


def _syntax(source: str) -> Iterator[tuple[int, str, int]]:
    """The characters of a pattern's source that are syntax (not escaped, not inside a class), each
    with its index and how deep in groups it stands."""
    depth, index, in_class = 0, 0, False
    while index < len(source):
        char = source[index]
        if char == "\\":
            index += 1
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if source[index + 1 : index + 2] == "]":
                index += 1
        else:
            yield index, char, depth
            depth += (char == "(") - (char == ")")
        index += 1


def _top_level_pieces(body: str) -> list[str]:
    """`body` split at its top-level bars ("a|(?:b|c)" gives "a", "(?:b|c)")."""
    bounds = [-1, *(index for index, char, depth in _syntax(body) if char == "|" and depth == 0), len(body)]
    return [body[start + 1 : end] for start, end in itertools.pairwise(bounds)]


def _opened_by_group(part: str) -> list[str] | None:
    """ "(?:is|are) lost" as "is lost", "are lost" (the same matches in the same order), when
    `part` opens with a non-capturing group that is not repeated; else None."""
    if not part.startswith("(?:"):
        return None
    close = next((index for index, char, depth in _syntax(part) if char == ")" and depth == 1), None)
    if close is None or part[close + 1 : close + 2] in _QUANTIFIERS:
        return None
    return [piece + part[close + 1 :] for piece in _top_level_pieces(part[3:close])]


def _first_chars(part: str) -> frozenset[str] | None:
    """The characters a match of `part` can open with, when plain to see ("(?:is|are) lost":
    "i", "a"); None when not."""
    head = _literal_head(part)
    if head:
        return frozenset(head[0])
    pieces = _opened_by_group(part)
    if pieces is None:
        return None
    chars: set[str] = set()
    for piece in pieces:
        found = _first_chars(piece)
        if found is None:
            return None
        chars |= found
    return frozenset(chars)


def alternation(parts: list[str] | tuple[str, ...]) -> str:
    """`(?:p1)|(?:p2)|...`, with parts that open with the same plain characters merged into one
    branch ("app(?:roved|roval)"): the same matches, in the same order of preference, but the
    engine compares an opening once instead of once per part, which makes a vocabulary of
    hundreds of parts several times quicker to try at a position.

    Only parts that open with the same character can match at the same place, so only their
    relative order matters: a part that can open with several ("(?:is|are) lost") keeps its place
    before the later parts that open with any of them, and one whose opening is not plain to see
    keeps its place before every later part."""
    out: list[list[str] | str] = []  # merged groups (lists of parts) and parts kept as they are
    open_groups: dict[str, list[str]] = {}  # the group each character's parts are merged into now
    for part in parts:
        # a part with a group of its own keeps its place: merging would renumber the groups
        chars = None if _has_top_level_bar(part) or _CAPTURING.search(part) else _first_chars(part)
        if chars is None:
            open_groups.clear()
            out.append(part)
        elif len(chars) > 1 or not _literal_head(part):
            for char in chars:
                open_groups.pop(char, None)
            out.append(part)
        else:
            (char,) = chars
            if char not in open_groups:
                open_groups[char] = []
                out.append(open_groups[char])
            open_groups[char].append(part)
    return "|".join(_merged(item) if isinstance(item, list) else f"(?:{item})" for item in out)


def _merged(members: list[str]) -> str:
    """Parts that open with the same character as one branch: their shared opening, once."""
    if len(members) == 1:
        return f"(?:{members[0]})"
    heads = [_literal_head(member) for member in members]
    # each member keeps a plain character after the shared opening, so what follows it
    # ("\\b" in "ki\\b") stays next to a character (core/prefilter.py reads it there)
    common = heads[0][: min(map(len, heads)) - 1]
    for head in heads[1:]:
        while not head.startswith(common):
            common = common[:-1]
    if not common:
        return "|".join(f"(?:{member})" for member in members)
    return f"{common}(?:{alternation([member[len(common) :] for member in members])})"


def any_of_source(source: str) -> re.Pattern[str]:
    """`any_of` over the top-level alternatives of one pattern's source."""
    return any_of(*_top_level_pieces(source))
