"""The labelled corpora must score 100%: every expectation of every case.

corpus.jsonl is the main set; holdout*.jsonl were written later, by people who had not seen the
classifier, to measure how it generalises (they join the regression suite once it passes them)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.classifier import classify

HERE = Path(__file__).parent
CORPORA = [HERE / "corpus.jsonl", *sorted(HERE.glob("holdout*.jsonl"))]
ALLOWANCE_KEYS = {"amount", "currency", "period", "annual_amount", "form", "use", "expiry", "top_up"}
OFFER_KEYS = {"headline_total_annual", "real_total_annual"}


def _cases() -> list[dict[str, object]]:
    return [
        json.loads(line) for path in CORPORA for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def _same(want: object, got: object) -> bool:
    if isinstance(want, int | float) and not isinstance(want, bool):
        return isinstance(got, int | float) and not isinstance(got, bool) and abs(got - want) <= 0.5
    return want == got


def misses(text: str, expect: dict[str, object]) -> list[str]:
    result = classify(text).to_json_dict()
    allowance = result.get("allowance") or {}
    offer = result.get("offer") or {}
    asked = {q["id"] for q in result["questions"]}  # type: ignore[index, union-attr]
    wrong: list[str] = []
    for key, want in expect.items():
        if key in ALLOWANCE_KEYS:
            got = allowance.get(key)  # type: ignore[union-attr]
        elif key in OFFER_KEYS:
            got = offer.get(key)  # type: ignore[union-attr]
        elif key == "asks":
            got = sorted(set(want) - asked)  # type: ignore[arg-type]
            want = []
        elif key == "not_asks":
            got = sorted(set(want) & asked)  # type: ignore[arg-type]
            want = []
        else:
            got = result.get(key)
        if not _same(want, got):
            wrong.append(f"{key}: want {want!r} got {got!r}")
    return wrong


def test_corpus_is_large_and_covers_every_verdict() -> None:
    cases = _cases()
    assert len([case for case in cases]) >= 200
    assert sum(1 for line in CORPORA[0].read_text(encoding="utf-8").splitlines() if line.strip()) >= 200
    verdicts = {case["expect"].get("verdict") for case in cases}  # type: ignore[union-attr]
    assert {"operating_cost", "perk", "mixed", "unclear"} <= verdicts


@pytest.mark.parametrize("case", _cases(), ids=lambda case: str(case["text"])[:60])
def test_corpus_case(case: dict[str, object]) -> None:
    assert misses(str(case["text"]), case["expect"]) == []  # type: ignore[arg-type]
