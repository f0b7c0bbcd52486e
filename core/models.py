"""The verdict object every surface renders (see docs/verdict-contract.md), and the signals behind it."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, TypeAdapter

VerdictKind = Literal["operating_cost", "perk", "mixed", "unclear"]
Period = Literal["day", "week", "month", "quarter", "year", "one_time"]
Form = Literal["api_credits", "subscription", "stipend", "reimbursement"]
Use = Literal["work_only", "some_personal", "personal_allowed", "unknown"]
Expiry = Literal["expires", "rolls_over", "cash_out", "unknown"]
TopUp = Literal["yes", "no", "unknown"]
QuestionId = Literal["use", "expiry", "top_up", "comp_framing", "tax"]

#: The words every surface uses for a verdict.
VERDICT_LABELS: dict[str, str] = {
    "operating_cost": "Operating cost",
    "perk": "Real perk",
    "mixed": "Partly pay",
    "unclear": "Can't tell yet",
}

#: Annual multiplier per period (a day is a working day: 260 a year).
PERIOD_FACTORS: dict[str, int] = {
    "day": 260,
    "week": 52,
    "month": 12,
    "quarter": 4,
    "year": 1,
    "one_time": 1,
}

#: Opening and closing marks around any user text quoted in a reason.
QUOTE_OPEN = "\u201c"
QUOTE_CLOSE = "\u201d"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Allowance(_Model):
    amount: float | None = None
    currency: str | None = None
    period: Period | None = None
    annual_amount: float | None = None
    form: Form | None = None
    use: Use = "unknown"
    expiry: Expiry = "unknown"
    top_up: TopUp = "unknown"


class Question(_Model):
    id: str
    text: str


class OfferComponent(_Model):
    label: str
    annual_amount: float | None
    counts_as_pay: bool


class Offer(_Model):
    currency: str | None
    headline_total_annual: float
    real_total_annual: float
    components: list[OfferComponent]


class Verdict(_Model):
    """The contract's output object, field for field."""

    verdict: VerdictKind
    headline: str
    allowance: Allowance
    comp_value_annual: float | None
    reasons: list[str]
    questions: list[Question]
    offer: Offer | None = None

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self.verdict]

    def to_json_dict(self) -> dict[str, object]:
        """The contract's JSON shape, whole numbers written as integers."""
        tidy = tidy_numbers(self.model_dump(mode="json"))
        assert isinstance(tidy, dict)
        return tidy


def tidy_numbers(value: object) -> object:
    """Whole-number floats as integers, through dicts and lists (the contract's JSON style)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: tidy_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [tidy_numbers(item) for item in value]
    return value


# --- Signals: what the parser found in a text, each with the phrase that triggered it ---------
#
# Plain frozen dataclasses, not pydantic models: a check builds several of them from values the
# parser has already checked, and validating them cost about 3% of a check. They are validated
# where they come in from outside: read back from storage (`signals_from_json`), and as fields of
# the pydantic models that hold them (a case, a refinement).


@dataclass(frozen=True, slots=True)
class Found:
    """A value found in the text and the words that triggered it (quoted back in reasons)."""

    value: str
    phrase: str


@dataclass(frozen=True, slots=True)
class Money:
    amount: float
    currency: str | None
    period: Period | None
    phrase: str


ComponentKind = Literal["base", "bonus", "equity", "sign_on", "allowance", "stipend"]


@dataclass(frozen=True, slots=True)
class Component:
    """One pay component of a whole offer, as parsed (before the rules decide what counts)."""

    kind: ComponentKind
    label: str
    annual_amount: float | None
    currency: str | None = None
    phrase: str = ""
    percent: float | None = None  # a bonus stated as a share of base
    is_main: bool = False  # the allowance the top-level verdict describes
    own_verdict: VerdictKind | None = None  # for the other allowances and stipends
    assumed_annual: bool = False  # no period was stated; a package's sums are read as yearly


@dataclass(frozen=True, slots=True)
class Signals:
    """Everything the rules need, parsed from one text (and refined later by answers)."""

    has_allowance: bool = False
    money: Money | None = None
    form: Found | None = None
    use: Found | None = None
    expiry: Found | None = None
    top_up: Found | None = None
    company_kit: Found | None = None
    comp_framing: Found | None = None
    tax: Found | None = None
    country: str | None = None
    is_question: bool = False
    components: list[Component] = field(default_factory=list)
    stated_total: Money | None = None
    token_count: str | None = None  # "2M tokens a month": a quantity, not money
    topics: list[Found] = field(default_factory=list)  # what a general question asks about


@functools.cache
def _signals_adapter() -> TypeAdapter[Signals]:
    return TypeAdapter(Signals)  # built on first use: it costs milliseconds


def signals_to_json(signals: Signals) -> dict[str, Any]:
    """The signals as JSON-ready data (what storage keeps)."""
    data = _signals_adapter().dump_python(signals, mode="json")
    assert isinstance(data, dict)
    return data


def signals_from_json(data: object) -> Signals:
    """Signals read back from JSON data, checked field by field (a stored case)."""
    return _signals_adapter().validate_python(data)
