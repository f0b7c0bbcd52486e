"""Properties that hold for any input: a valid verdict, sane numbers, user text only in marked quotes."""

from __future__ import annotations

import math
import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from core.classifier import MAX_INPUT_CHARS, classify
from core.models import PERIOD_FACTORS, QUOTE_CLOSE, QUOTE_OPEN, Verdict

_QUOTED = re.compile(f"{QUOTE_OPEN}[^{QUOTE_CLOSE}]*{QUOTE_CLOSE}")

# Pieces people type, so that random strings often contain real signals too.
_PIECES = st.sampled_from(
    [
        "$500/month",
        "€1,200 a year",
        "₹1.2L",
        "18 LPA",
        "15k/yr",
        "API credits",
        "AI stipend",
        "Claude Max",
        "work-only",
        "personal projects ok",
        "rolls over",
        "expires",
        "paid out",
        "unlimited",
        "hard cap",
        "taxable",
        "included in TC",
        "base $180k",
        "10% bonus",
        "$80k RSUs over 4 years",
        "0.1% equity",
        "?",
        ", ",
        "; ",
        "\n",
        " and ",
        "@everyone",
        "<!channel>",
        "<@U024BE7LH>",
        "<https://evil.example|click>",
    ]
)
_TEXT = st.one_of(
    st.text(max_size=MAX_INPUT_CHARS),
    st.lists(st.one_of(_PIECES, st.text(max_size=12)), max_size=40).map("".join),
)


def _check_numbers(verdict: Verdict) -> None:
    allowance = verdict.allowance
    numbers = [allowance.amount, allowance.annual_amount, verdict.comp_value_annual]
    if verdict.offer is not None:
        numbers += [verdict.offer.headline_total_annual, verdict.offer.real_total_annual]
        numbers += [component.annual_amount for component in verdict.offer.components]
    for number in numbers:
        assert number is None or (math.isfinite(number) and number >= 0)
    if allowance.amount is not None and allowance.period is not None:
        assert allowance.annual_amount is not None
        assert math.isclose(allowance.annual_amount, allowance.amount * PERIOD_FACTORS[allowance.period], rel_tol=1e-9)
    if verdict.verdict == "operating_cost":
        assert verdict.comp_value_annual == 0
    elif verdict.verdict == "perk":
        assert verdict.comp_value_annual == allowance.annual_amount
    else:
        assert verdict.comp_value_annual is None
    if verdict.offer is not None:
        assert verdict.offer.real_total_annual <= verdict.offer.headline_total_annual


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT)
@example("")
@example("\x00\x01\x02binary\xff")
@example("$" * 4000)
@example("9" * 4000)
def test_any_text_gives_a_valid_verdict(text: str) -> None:
    verdict = classify(text)
    _check_numbers(verdict)
    assert Verdict.model_validate_json(verdict.model_dump_json()) == verdict
    ids = [question.id for question in verdict.questions]
    assert len(ids) == len(set(ids))


_MARKER = st.from_regex(r"[a-z]{3}zq[a-z]{3}", fullmatch=True)
_MENTIONS = st.sampled_from(["@everyone", "@here", "<!channel>", "<!here>", "<!everyone>", "<@U024BE7LH>", "<#C123>"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_PIECES, _MARKER, _MENTIONS), min_size=1, max_size=25), st.sampled_from([" ", ", ", "\n"]))
def test_user_text_appears_only_as_marked_quotes(pieces: list[str], glue: str) -> None:
    """Headlines never carry user text; reasons carry it only inside the quote marks, so an adapter
    can escape it. A marker word of the user's own and every mention form stand in for user text."""
    text = glue.join(pieces)
    verdict = classify(text)
    user_only = {piece for piece in pieces if "zq" in piece or piece.startswith(("<", "@"))}
    outside_quotes = [_QUOTED.sub("", reason) for reason in verdict.reasons]
    outside_quotes += [verdict.headline] + [question.text for question in verdict.questions]
    if verdict.offer is not None:
        outside_quotes += [component.label for component in verdict.offer.components]
    for piece in user_only:
        for line in outside_quotes:
            assert piece not in line
    for line in outside_quotes:
        assert "<" not in line and "@" not in line
