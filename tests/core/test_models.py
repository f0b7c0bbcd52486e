"""The parser's signals are plain dataclasses: what pydantic checked on every check is held here
once, and they are still validated where they come in from storage."""

from __future__ import annotations

from typing import get_args

import pytest
from pydantic import ValidationError

import core.lexicon as lexicon
import core.money as money
import core.signals as signals
from core.classifier import extract_signals
from core.models import ComponentKind, Period, Signals, signals_from_json, signals_to_json

OFFER = "$185k base, 10% target bonus, RSUs worth $80,000 over 4 years, and $500/month AI credits, work only"


def test_every_kind_the_vocabulary_names_is_a_contract_kind() -> None:
    # (the first of COMPONENT_KINDS names a stated total, which is never a component)
    assert lexicon.COMPONENT_KINDS[0][0] == "total"
    named = {kind for kind, _ in lexicon.COMPONENT_KINDS[1:]} | {kind for kind, _ in signals._KIND_PATTERNS}
    assert named <= set(get_args(ComponentKind))


def test_a_kind_outside_the_contract_is_refused_where_a_component_is_made() -> None:
    assert signals._as_kind("bonus") == "bonus"
    with pytest.raises(ValueError, match="not a pay component kind"):
        signals._as_kind("perks")


def test_every_period_a_sum_can_be_given_is_a_contract_period() -> None:
    # a sum's period is the name of the group that matched in one of these (or "year", for LPA)
    read_by_group = (
        money._ANY_PERIOD,
        money._IMMEDIATE_PERIOD,
        money._NEXT_LINE_PERIOD,
        money._HEADING_PERIOD,
        money._LEAD_PERIOD,
    )
    periods = {name for name, _ in money.PERIOD_PATTERNS}.union(*(set(pattern.groupindex) for pattern in read_by_group))
    assert periods <= set(get_args(Period))


def test_signals_survive_storage_as_json() -> None:
    parsed = extract_signals(OFFER)
    assert len(parsed.components) >= 3
    assert signals_from_json(signals_to_json(parsed)) == parsed


def test_stored_signals_are_checked_field_by_field() -> None:
    stored = signals_to_json(extract_signals(OFFER))
    stored["components"][0]["kind"] = "perks"
    with pytest.raises(ValidationError):
        signals_from_json(stored)
    with pytest.raises(ValidationError):
        signals_from_json({**signals_to_json(Signals()), "money": {"amount": "lots", "currency": None}})
