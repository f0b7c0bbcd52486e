"""Allowances in context: a dated table of AI plan and API list prices, and the notes drawn from it.

The table (`core/data/ai_prices.json`) is read once, lazily. Every price carries the date it was checked and
the name of the vendor page it came from, and every note quotes both: prices change, the table does not.
Nothing here fetches anything.
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict

from core.models import Verdict
from core.present import money_text

__all__ = [
    "ModelPrice",
    "PriceTable",
    "SeatPrice",
    "budget_tokens",
    "context_notes",
    "default_model",
    "load_prices",
    "price_model",
    "price_seat",
    "token_count_value",
]

_DATA_FILE = "data/ai_prices.json"
_TOKEN_COUNT = re.compile(
    r"(\d[\d,]*(?:\.\d+)?)\s?(k|thousand|m|mn|million|b|bn|billion)?\s?(?:ai |api |llm )?tokens?\b", re.IGNORECASE
)
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9}


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SeatPrice(_Frozen):
    """A plan's list price per month (billed monthly), with its date and source."""

    id: str
    name: str
    vendor: str
    monthly: float
    annual_billing_monthly: float | None = None
    per_seat: bool = False
    currency: str = "USD"
    as_of: date
    source: str
    note: str | None = None
    phrase: str = ""  # the words in the text that named it (empty in the table itself)

    @property
    def annual(self) -> float:
        """Twelve months at the monthly list price."""
        return round(self.monthly * 12, 2)

    def price_text(self) -> str:
        """`$20/month`, or `$30/month a seat`."""
        return f"{money_text(self.monthly, self.currency)}/month" + (" a seat" if self.per_seat else "")

    def dated(self) -> str:
        """`2025-10-01, cursor.com/pricing`: when the price was checked, and where."""
        return f"{self.as_of.isoformat()}, {self.source}"

    def to_json_dict(self) -> dict[str, object]:
        return self.model_dump(mode="json")


class ModelPrice(_Frozen):
    """An API model's list price per million input and output tokens, with its date and source."""

    id: str
    name: str
    vendor: str
    input_per_mtok: float
    output_per_mtok: float
    currency: str = "USD"
    as_of: date
    source: str
    note: str | None = None

    def to_json_dict(self) -> dict[str, object]:
        return self.model_dump(mode="json")


class _SeatEntry(SeatPrice):
    match: list[str]


class _ModelEntry(ModelPrice):
    match: list[str]


class PriceTable(_Frozen):
    """The whole data file."""

    about: str
    currency: str
    default_model: str
    seats: list[_SeatEntry]
    models: list[_ModelEntry]


@cache
def load_prices() -> PriceTable:
    """The packaged price table (read on first use, then cached)."""
    raw = resources.files("core").joinpath(_DATA_FILE).read_text(encoding="utf-8")
    return PriceTable.model_validate(json.loads(raw))


@cache
def _seat_patterns() -> tuple[tuple[re.Pattern[str], _SeatEntry], ...]:
    return tuple((re.compile(p, re.IGNORECASE), seat) for seat in load_prices().seats for p in seat.match)


@cache
def _model_patterns() -> tuple[tuple[re.Pattern[str], _ModelEntry], ...]:
    return tuple((re.compile(p, re.IGNORECASE), model) for model in load_prices().models for p in model.match)


def _union(patterns: tuple[tuple[re.Pattern[str], object], ...]) -> re.Pattern[str]:
    """One pattern for every name in a table: most texts name none, and one scan says so."""
    return re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _ in patterns), re.IGNORECASE)


@cache
def _any_seat() -> re.Pattern[str]:
    return _union(_seat_patterns())


@cache
def _any_model() -> re.Pattern[str]:
    return _union(_model_patterns())


def price_seat(text: str) -> SeatPrice | None:
    """The first plan the text names (in the table's order, most specific first), at list price; else None."""
    if not _any_seat().search(text):
        return None
    best: tuple[int, SeatPrice] | None = None
    for pattern, entry in _seat_patterns():
        found = pattern.search(text)
        if found is None:
            continue
        if best is None or found.start() < best[0]:
            seat = SeatPrice(**entry.model_dump(exclude={"match", "phrase"}), phrase=found.group(0))
            best = (found.start(), seat)
    return best[1] if best else None


def price_model(text: str) -> ModelPrice | None:
    """The API model the text names, at list price; else None. Plan names ("Claude Pro") are not models."""
    if not _any_model().search(text):
        return None
    for pattern, entry in _model_patterns():
        if pattern.search(text):
            return ModelPrice(**entry.model_dump(exclude={"match"}))
    return None


@cache
def default_model() -> ModelPrice:
    """The model used for rough token translations when the text names none."""
    table = load_prices()
    entry = next(m for m in table.models if m.id == table.default_model)
    return ModelPrice(**entry.model_dump(exclude={"match"}))


def budget_tokens(amount: float, model: ModelPrice) -> tuple[float, float]:
    """How many tokens `amount` (in the model's currency) buys: (all output, all input), the two extremes."""
    return amount / model.output_per_mtok * 1e6, amount / model.input_per_mtok * 1e6


def token_count_value(phrase: str, model: ModelPrice) -> tuple[float, float] | None:
    """What a token count ("2M tokens") costs at list price: (all input, all output); None if unreadable."""
    found = _TOKEN_COUNT.search(phrase)
    if found is None:
        return None
    count = float(found.group(1).replace(",", "")) * _SCALE.get((found.group(2) or "").lower(), 1.0)
    return count / 1e6 * model.input_per_mtok, count / 1e6 * model.output_per_mtok


def context_notes(verdict: Verdict, text: str) -> list[str]:
    """What the price table adds to a verdict: a named seat's list price, a perk's ceiling, rough token maths.

    Every note gives the price's date and source. No note is given where the table has nothing to say.
    """
    notes: list[str] = []
    allowance = verdict.allowance
    seat = price_seat(text)
    if seat is not None:
        per_year = f"{money_text(seat.annual, seat.currency)} a year"
        if allowance.amount is None:
            notes.append(
                f"{seat.name} is about {seat.price_text()} ({per_year}) at list price ({seat.dated()})."
                " The text gives no amount, so this is an estimate of what the seat costs, not a stated sum."
            )
        if verdict.verdict in ("perk", "mixed"):
            notes.append(
                f"A perk is worth at most what you would pay yourself: {seat.name} is {seat.price_text()}"
                f" (list price, {seat.dated()}), so count no more than {per_year}, and only if you'd buy it anyway."
            )
            stated = allowance.annual_amount
            if stated is not None and allowance.currency == seat.currency and stated > seat.annual:
                notes.append(
                    f"The stated {money_text(stated, allowance.currency)}/yr is more than the"
                    f" seat's list price of {per_year}."
                )
        elif verdict.verdict == "operating_cost" and allowance.amount is None:
            notes.append(f"As an operating cost, none of that {per_year} is pay to you.")
    model = price_model(text)
    budget = _budget(verdict)
    if budget is not None and (model is not None or allowance.form in ("api_credits", "stipend", None)):
        if seat is None or model is not None:
            notes.append(_token_note(*budget, model or default_model(), named=model is not None))
    elif allowance.amount is None and verdict.questions and any(q.id == "token_value" for q in verdict.questions):
        notes.extend(_token_value_note(text, model or default_model(), named=model is not None))
    return notes


def _budget(verdict: Verdict) -> tuple[float, str, str] | None:
    """(amount, currency, how it was stated) of a money allowance in USD, the table's currency."""
    allowance = verdict.allowance
    if allowance.amount is None or allowance.currency != load_prices().currency:
        return None
    period = {"day": "a day", "week": "a week", "month": "a month", "quarter": "a quarter", "year": "a year"}
    return allowance.amount, allowance.currency, period.get(allowance.period or "", "")


def _token_note(amount: float, currency: str, per: str, model: ModelPrice, *, named: bool) -> str:
    output, input_ = budget_tokens(amount, model)
    which = model.name if named else f"{model.name} (a common default; name a model for another)"
    stated = f"{money_text(amount, currency)}{' ' + per if per else ''}"
    return (
        f"Rough guide only: {stated} buys about {_tokens(output)} output tokens or {_tokens(input_)} input tokens"
        f"{' ' + per if per else ''} of {which}, at list API prices of"
        f" {money_text(model.input_per_mtok, model.currency)} in / {money_text(model.output_per_mtok, model.currency)}"
        f" out per million tokens ({model.as_of.isoformat()}, {model.source}). Caching, batch discounts,"
        " long prompts and the mix of input and output change this a lot."
    )


def _token_value_note(text: str, model: ModelPrice, *, named: bool) -> list[str]:
    found = _TOKEN_COUNT.search(text)
    if found is None:
        return []
    value = token_count_value(found.group(0), model)
    if value is None:
        return []
    low, high = value
    which = model.name if named else f"{model.name} (a common default)"
    return [
        f"Rough guide only: {found.group(0)} would cost about {money_text(round(low, 2), model.currency)}"
        f" (all input) to {money_text(round(high, 2), model.currency)} (all output) of {which} at list API"
        f" prices ({model.as_of.isoformat()}, {model.source}). Ask the employer what it is worth in money."
    ]


def _tokens(count: float) -> str:
    if count >= 1e9:
        return f"{count / 1e9:.1f}B"
    if count >= 1e7:
        return f"{count / 1e6:,.0f}M"
    if count >= 1e6:
        return f"{count / 1e6:.1f}M"
    return f"{count / 1e3:,.0f}k"
