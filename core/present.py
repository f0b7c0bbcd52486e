"""Platform-neutral wording every surface shares: quick answers, periods, money, amounts, offers, questions.

Everything here returns plain text (no markup, nothing escaped). Each adapter escapes it for its platform
and adds its own emphasis and layout, so the words stay the same on Slack, Discord, the console and the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.models import Offer, Verdict

if TYPE_CHECKING:
    from core.tax import TaxNote

__all__ = [
    "CONTEXT_TITLE",
    "FEEDBACK_CHOICES",
    "NO_ANNUAL_FIGURE",
    "PERIOD_WORDS",
    "QUICK_ANSWERS",
    "Amounts",
    "OfferRow",
    "amounts",
    "money_text",
    "offer_rows",
    "questions_text",
    "tax_heading",
    "tax_lines",
]

#: Quick answers per question id: (contract value, button label). The values are `core.cases.ANSWER_VALUES`.
QUICK_ANSWERS: dict[str, tuple[tuple[str, str], ...]] = {
    "use": (
        ("work_only", "Work only"),
        ("some_personal", "Some personal use"),
        ("personal_allowed", "Anything goes"),
    ),
    "expiry": (
        ("expires", "Expires"),
        ("rolls_over", "Rolls over"),
        ("cash_out", "Paid out"),
    ),
    "top_up": (
        ("yes", "Topped up"),
        ("no", "Hard cap"),
    ),
    "comp_framing": (
        ("counted", "Counted in total pay"),
        ("not_counted", "Not counted"),
    ),
    "tax": (
        ("taxable", "Taxed as income"),
        ("not_taxable", "Business expense"),
    ),
}

#: Feedback on a verdict: (stored value, button label).
FEEDBACK_CHOICES: tuple[tuple[str, str], ...] = (("up", "👍"), ("down", "👎"))

#: How a stated sum's period reads after the amount ("$500 a month").
PERIOD_WORDS: dict[str, str] = {
    "day": "a working day",
    "week": "a week",
    "month": "a month",
    "quarter": "a quarter",
    "year": "a year",
    "one_time": "once",
}

NO_ANNUAL_FIGURE = "no annual figure"
CONTEXT_TITLE = "In context (list prices, dated)"

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "CAD": "C$", "AUD": "A$", "NZD": "NZ$"}


def money_text(amount: float, currency: str | None, *, code: bool = False) -> str:
    """`$6,000`, `€1,200.50`, `1,234 CHF`; with `code`, `USD 6,000`. Never user text."""
    number = f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"
    if currency is None:
        return number
    if code:
        return f"{currency} {number}"
    symbol = _SYMBOLS.get(currency)
    return f"{symbol}{number}" if symbol else f"{number} {currency}"


@dataclass(frozen=True)
class Amounts:
    """The allowance's sums in words, for a surface to lay out (`None`: not known)."""

    stated: str | None  # the sum as stated: "$500"
    period: str  # "a month"; "" when no period is stated
    annual: str | None  # the yearly figure: "$6,000"
    per_period: bool  # the stated sum is per a period other than a year, so both figures are worth showing
    working_days: bool  # a daily sum, counted over 260 working days
    pay: str | None  # what counts as pay a year: "$0"


def amounts(verdict: Verdict, *, code: bool = False) -> Amounts:
    """The verdict's allowance and pay figures as money text."""
    allowance = verdict.allowance
    currency = allowance.currency

    def text(amount: float | None, in_currency: str | None = currency) -> str | None:
        return None if amount is None else money_text(amount, in_currency, code=code)

    return Amounts(
        stated=text(allowance.amount),
        period=PERIOD_WORDS.get(allowance.period or "", ""),
        annual=text(allowance.annual_amount),
        per_period=allowance.annual_amount is not None and allowance.period not in (None, "year"),
        working_days=allowance.period == "day",
        pay=text(verdict.comp_value_annual),
    )


@dataclass(frozen=True)
class OfferRow:
    """One component of a whole offer: its label (from the text: escape it), yearly sum and whether it is pay."""

    label: str
    amount: str | None  # yearly money text; None when it has no annual figure
    counts_as_pay: bool


def offer_rows(offer: Offer, *, code: bool = False) -> list[OfferRow]:
    """The offer's components, each with its yearly sum in the offer's currency."""
    return [
        OfferRow(
            label=component.label,
            amount=None
            if component.annual_amount is None
            else money_text(component.annual_amount, offer.currency, code=code),
            counts_as_pay=component.counts_as_pay,
        )
        for component in offer.components
    ]


def questions_text(verdict: Verdict) -> str:
    """The open questions as one plain message a person can paste to a recruiter."""
    if not verdict.questions:
        return "There are no open questions for the employer."
    lines = ["A few questions about the AI token allowance in the offer:"]
    lines += [f"{number}. {question.text}" for number, question in enumerate(verdict.questions, 1)]
    return "\n".join(lines)


def tax_heading(tax: TaxNote) -> str:
    """The heading of a tax note: its country and that it is general information, not advice."""
    return f"{tax.title}: general information, not tax advice"


def tax_lines(tax: TaxNote) -> list[str]:
    """The tax note's points and its business-expense sign (show `tax.label` after them)."""
    return [*tax.points, tax.business_expense_sign] if tax.business_expense_sign else list(tax.points)
