"""Compare offers: each offer's headline and real totals side by side, who is ahead on real pay, and why.

Offers in different currencies are shown side by side but never added or subtracted: there is no exchange
rate at run time, and a stale one would mislead.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from core.classifier import MAX_INPUT_CHARS, InputTooLong, decide, extract_signals
from core.models import VERDICT_LABELS, Component, ComponentKind, Verdict, VerdictKind, tidy_numbers
from core.present import money_text
from core.prices import price_seat
from core.rules import package

__all__ = [
    "MAX_OFFERS",
    "Comparison",
    "Difference",
    "NotAComparison",
    "OfferSummary",
    "PayItem",
    "compare",
    "split_labelled",
    "split_offers",
]

MAX_OFFERS = 4
HOW_TO_COMPARE = (
    'Give me two offers to compare, e.g. "Offer A: $185k base, $15k/yr AI credits, work only.'
    ' Offer B: $180k base, $5k/yr AI stipend for anything", or "<offer> vs <offer>", or one offer a line.'
)

_LEAD_IN = re.compile(
    # "offer" is the lead-in's only when no tag follows it ("compare Offer A: ..." keeps its first label)
    r"^\s*(?:/?perkcheck\s+)?(?:please\s+)?compare\b\s*(?:these|the)?\s*(?:(?:offers?|two)\b(?!\s*#?\s*[a-d1-4]\b))?"
    r"\s*:?\s*",
    re.I,
)
_NAMED = re.compile(
    r"(?:^|(?<=[\s.;,(]))(?:(?P<word>offer|option|job|company|role)\s*#?\s*(?P<tag>[a-d1-4])"
    r"|(?P<ord>first|second|third|fourth)\s+(?:offer|option|job|role))\b\s*(?::|[-–—)]\s|=)\s*",
    re.I,
)
_LETTERED = re.compile(r"(?:^|(?<=\s))\(?(?P<tag>[a-d1-4])\)\s*", re.I)
_VERSUS = re.compile(r"\s+(?:vs\.?|versus)\s+|\s+v\.\s+", re.I)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_CATEGORIES = {
    "base": "base salary",
    "bonus": "bonus",
    "equity": "equity",
    "sign_on": "sign-on",
    "allowance": "allowances",
    "stipend": "allowances",
}


class NotAComparison(ValueError):
    """The text does not hold two or more offers in a form `split_offers` understands."""

    def __init__(self) -> None:
        super().__init__(HOW_TO_COMPARE)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PayItem(_Model):
    """One component of an offer, with whether (and why not) it counts as pay."""

    label: str
    kind: ComponentKind
    annual_amount: float | None
    counts_as_pay: bool
    verdict: VerdictKind | None = None  # for allowances and stipends
    why: str = ""  # why it does not count (empty when it does)


class OfferSummary(_Model):
    """One offer, classified, with its totals in its own currency."""

    label: str
    text: str
    currency: str | None
    headline_total_annual: float
    real_total_annual: float
    items: list[PayItem]
    left_out: list[str] = []  # components in another currency than the offer's, not in its totals
    verdict: Verdict

    @property
    def not_pay(self) -> list[PayItem]:
        """Items the headline counts that real pay does not."""
        return [item for item in self.items if not item.counts_as_pay and item.annual_amount is not None]

    @property
    def has_allowance(self) -> bool:
        """Whether the offer names an AI token or tool allowance (with or without a sum)."""
        allowance = self.verdict.allowance
        return bool(self.verdict.questions) or allowance.amount is not None or allowance.use != "unknown"

    @property
    def upside(self) -> float:
        """How much more real pay there could be if the undecided allowances turn out to be open."""
        return sum(i.annual_amount or 0 for i in self.not_pay if i.verdict in ("mixed", "unclear"))


class Difference(_Model):
    """A category of pay where the leader and the runner-up differ (leader minus runner-up, real pay)."""

    category: str
    amounts: dict[str, float]  # offer label -> real pay in this category
    difference: float


class Comparison(_Model):
    """Offers side by side. `comparable` is False when they are in different currencies."""

    offers: list[OfferSummary]
    comparable: bool
    currency: str | None
    ahead: str | None = None  # label of the offer with the most real pay (None: a tie, or not comparable)
    margin_annual: float | None = None  # its lead over the next offer, per year
    headline_ahead: str | None = None
    headline_margin_annual: float | None = None
    differences: list[Difference]
    notes: list[str]
    refusal: str | None = None

    def to_json_dict(self) -> dict[str, object]:
        """JSON shape for --json and adapters: each offer's verdict in the contract's own shape."""
        data = self.model_dump(mode="json", exclude={"offers"})
        data["offers"] = [
            {
                **offer.model_dump(mode="json", exclude={"verdict"}),
                "not_pay": [item.model_dump(mode="json") for item in offer.not_pay],
                "verdict": offer.verdict.to_json_dict(),
            }
            for offer in self.offers
        ]
        data["summary"] = self.summary()
        tidy = tidy_numbers(data)
        assert isinstance(tidy, dict)
        return tidy

    def summary(self) -> str:
        """One sentence a person reads first."""
        if not self.comparable:
            return self.refusal or "These offers can't be compared."
        if self.ahead is None or self.margin_annual is None:
            real = self.offers[0].real_total_annual
            text = f"Level on real pay: each comes to {money_text(real, self.currency)} a year"
            if self.headline_ahead is not None:
                text += f", although {self.headline_ahead} has the bigger headline total"
            return text + "."
        text = f"{self.ahead} is ahead on real pay by {money_text(self.margin_annual, self.currency)} a year"
        if self.headline_ahead not in (None, self.ahead):
            text += f", although {self.headline_ahead} has the bigger headline total"
        return text + "."

    def render_text(self) -> str:
        """Plain text for a terminal or a chat message (no markup)."""
        lines = [self.summary()]
        for offer in self.offers:
            tag = f"  [AI allowance: {VERDICT_LABELS[offer.verdict.verdict]}]" if offer.has_allowance else ""
            lines.append(
                f"{offer.label}: headline {_money(offer.headline_total_annual, offer.currency)}/yr,"
                f" real pay {_money(offer.real_total_annual, offer.currency)}/yr{tag}"
            )
            for item in offer.items:
                amount = (
                    "no annual figure" if item.annual_amount is None else _money(item.annual_amount, offer.currency)
                )
                mark = "pay" if item.counts_as_pay else f"not pay: {item.why}"
                lines.append(f"  - {item.label}: {amount} ({mark})")
        if self.differences:
            lines.append("What makes the difference:")
            for diff in self.differences:
                parts = ", ".join(f"{label} {_money(v, self.currency)}" for label, v in diff.amounts.items())
                lines.append(f"  • {diff.category}: {parts}")
        lines.extend(f"Note: {note}" for note in self.notes)
        return "\n".join(lines)


def split_labelled(text: str) -> list[tuple[str, str]] | None:
    """(label, offer text) pairs, or None when the text does not hold 2 to MAX_OFFERS offers.

    Understood, in this order: "Offer A: … Offer B: …" (also Option/Job, 1/2, "first offer: …"),
    "A) … B) …", "X vs Y" / "X versus Y", offers in paragraphs split by a blank line, and one offer a line.
    """
    body = _LEAD_IN.sub("", text, count=1)
    for finder in (_by_names, _by_letters, _by_versus, _by_paragraphs, _by_lines):
        parts = finder(body)
        if parts is not None:
            parts = [(label, part.strip(" \t\n;,.")) for label, part in parts]
            if 2 <= len(parts) <= MAX_OFFERS and all(part for _, part in parts):
                return parts
    return None


def split_offers(text: str) -> list[str] | None:
    """The offers' texts, in order, or None when `text` is not two or more offers."""
    parts = split_labelled(text)
    return [part for _, part in parts] if parts else None


def compare(text: str) -> Comparison:
    """Classify each offer in `text` and compare their real pay.

    Raises InputTooLong over MAX_INPUT_CHARS and NotAComparison when the text is not two or more offers.
    """
    if len(text) > MAX_INPUT_CHARS:
        raise InputTooLong(len(text))
    parts = split_labelled(text)
    if parts is None:
        raise NotAComparison()
    offers = [_summarise(label, part) for label, part in parts]
    currencies = sorted({offer.currency for offer in offers if offer.currency})
    notes: list[str] = []
    if len(currencies) > 1:
        named = "; ".join(f"{offer.label} in {offer.currency or 'no stated currency'}" for offer in offers)
        refusal = (
            f"These offers are in different currencies ({named}), so I won't add or subtract them:"
            " I have no exchange rate, and rates move. Convert one offer's real pay at today's rate yourself,"
            " and compare real pay, not headline totals."
        )
        return Comparison(offers=offers, comparable=False, currency=None, differences=[], notes=notes, refusal=refusal)
    currency = currencies[0] if currencies else None
    for offer in offers:
        if offer.currency is None and currency is not None:
            notes.append(f"{offer.label} states no currency; I read it as {currency}, like the other offer.")
        if not offer.items:
            notes.append(f"I found no sums of money in {offer.label}, so its totals are 0.")
    ranked = sorted(offers, key=lambda o: o.real_total_annual, reverse=True)
    leader, runner_up = ranked[0], ranked[1]
    margin = round(leader.real_total_annual - runner_up.real_total_annual, 2)
    by_headline = sorted(offers, key=lambda o: o.headline_total_annual, reverse=True)
    headline_margin = round(by_headline[0].headline_total_annual - by_headline[1].headline_total_annual, 2)
    if margin and runner_up.upside - leader.upside >= margin:
        notes.append(
            f"The lead is not settled: {runner_up.label} has up to {money_text(runner_up.upside, currency)} more"
            " real pay if its undecided allowances turn out to be open to personal use."
        )
    for offer in offers:
        notes.extend(f"{offer.label}: {left} is in another currency, so it is left out." for left in offer.left_out)
        for item in offer.not_pay:
            notes.append(
                f"Left out of {offer.label}'s real pay: {item.label}"
                f" ({money_text(item.annual_amount or 0, currency)}/yr), {item.why}."
            )
        seat = price_seat(offer.text) if offer.has_allowance and offer.verdict.allowance.amount is None else None
        if seat is not None:
            notes.append(
                f"{offer.label}'s {seat.name} has no stated amount: at list price it is about {seat.price_text()}"
                f" ({money_text(seat.annual, seat.currency)} a year; {seat.dated()}), and it counts as pay only"
                " if it is open to personal use."
            )
    return Comparison(
        offers=offers,
        comparable=True,
        currency=currency,
        ahead=leader.label if margin else None,
        margin_annual=margin if margin else None,
        headline_ahead=by_headline[0].label if headline_margin else None,
        headline_margin_annual=headline_margin if headline_margin else None,
        differences=_differences(leader, runner_up) if margin or headline_margin else [],
        notes=notes,
    )


# --- splitting ------------------------------------------------------------------------------


def _by_names(text: str) -> list[tuple[str, str]] | None:
    marks = list(_NAMED.finditer(text))
    if len(marks) < 2:
        return None
    tags = [_tag_number(m.group("tag")) if m.group("tag") else _ORDINALS[m.group("ord").lower()] for m in marks]
    if tags != list(range(1, len(marks) + 1)):
        return None
    labels = [_named_label(m) for m in marks]
    return _cut(text, marks, labels)


def _by_letters(text: str) -> list[tuple[str, str]] | None:
    marks: list[re.Match[str]] = []
    for mark in _LETTERED.finditer(text):
        if _tag_number(mark.group("tag")) == len(marks) + 1:
            marks.append(mark)
    if len(marks) < 2:
        return None
    labels = [f"Offer {m.group('tag').upper()}" for m in marks]
    return _cut(text, marks, labels)


def _by_versus(text: str) -> list[tuple[str, str]] | None:
    parts = _VERSUS.split(text)
    return _lettered(parts) if len(parts) >= 2 else None


def _by_paragraphs(text: str) -> list[tuple[str, str]] | None:
    parts = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    return _lettered(parts) if len(parts) >= 2 else None


def _by_lines(text: str) -> list[tuple[str, str]] | None:
    parts = [line for line in text.splitlines() if line.strip()]
    return _lettered(parts) if len(parts) >= 2 else None


def _lettered(parts: list[str]) -> list[tuple[str, str]]:
    return [(f"Offer {chr(ord('A') + i)}", part) for i, part in enumerate(parts)]


def _cut(text: str, marks: list[re.Match[str]], labels: list[str]) -> list[tuple[str, str]]:
    ends = [m.start() for m in marks[1:]] + [len(text)]
    return [(label, text[m.end() : end]) for label, m, end in zip(labels, marks, ends, strict=True)]


def _tag_number(tag: str) -> int:
    return int(tag) if tag.isdigit() else ord(tag.lower()) - ord("a") + 1


def _named_label(mark: re.Match[str]) -> str:
    if mark.group("ord"):
        return f"{mark.group('ord').capitalize()} offer"
    word = mark.group("word").capitalize()
    return f"{word} {mark.group('tag').upper()}"


# --- one offer ------------------------------------------------------------------------------


def _summarise(label: str, text: str) -> OfferSummary:
    signals = extract_signals(text)
    verdict = decide(signals)
    components, offer = signals.components, package(signals, verdict.verdict)
    if offer is not None:
        currency = offer.currency
        rows = list(zip(components, offer.components, strict=True))
        return OfferSummary(
            label=label,
            text=text,
            currency=currency,
            headline_total_annual=offer.headline_total_annual,
            real_total_annual=offer.real_total_annual,
            items=[_item(c, row.counts_as_pay, verdict.verdict) for c, row in rows if c.currency in (None, currency)],
            left_out=[f"{c.label} ({c.phrase})" for c, _ in rows if c.currency not in (None, currency)],
            verdict=verdict,
        )
    allowance = verdict.allowance
    items = []
    if allowance.amount is not None:
        counts = verdict.verdict == "perk"
        items.append(
            PayItem(
                label="AI allowance",
                kind="allowance",
                annual_amount=allowance.annual_amount,
                counts_as_pay=counts,
                verdict=verdict.verdict,
                why="" if counts else _why(verdict.verdict),
            )
        )
    return OfferSummary(
        label=label,
        text=text,
        currency=allowance.currency,
        headline_total_annual=allowance.annual_amount or 0.0,
        real_total_annual=verdict.comp_value_annual or 0.0,
        items=items,
        verdict=verdict,
    )


def _item(component: Component, counts: bool, main_verdict: VerdictKind) -> PayItem:
    verdict = None
    if component.kind in ("allowance", "stipend"):
        verdict = main_verdict if component.is_main else (component.own_verdict or "unclear")
    why = ""
    if not counts:
        why = _why(verdict) if verdict else "equity with no annual figure is left out of both totals"
    return PayItem(
        label=component.label,
        kind=component.kind,
        annual_amount=component.annual_amount,
        counts_as_pay=counts,
        verdict=verdict,
        why=why,
    )


def _why(verdict: VerdictKind) -> str:
    return {
        "operating_cost": "an operating cost, a tool for the job",
        "mixed": "only your personal share is pay, and the text doesn't say how much",
        "unclear": "it isn't known yet whether it is open to personal use",
        "perk": "",
    }[verdict]


def _differences(leader: OfferSummary, runner_up: OfferSummary) -> list[Difference]:
    """Real pay by category where the two offers differ, largest gap first; then what the headlines count."""
    pair = (leader, runner_up)
    diffs: list[Difference] = []
    for category in dict.fromkeys(_CATEGORIES.values()):
        amounts = {
            offer.label: round(
                sum(
                    item.annual_amount or 0
                    for item in offer.items
                    if item.counts_as_pay and _CATEGORIES[item.kind] == category
                ),
                2,
            )
            for offer in pair
        }
        gap = round(amounts[leader.label] - amounts[runner_up.label], 2)
        if gap:
            name = "allowances counted as pay" if category == "allowances" else category
            diffs.append(Difference(category=name, amounts=amounts, difference=gap))
    diffs.sort(key=lambda diff: -abs(diff.difference))
    not_pay = {offer.label: round(sum(item.annual_amount or 0 for item in offer.not_pay), 2) for offer in pair}
    if any(not_pay.values()):
        gap = round(not_pay[leader.label] - not_pay[runner_up.label], 2)
        diffs.append(Difference(category="in the headline but not pay", amounts=not_pay, difference=gap))
    return diffs


def _money(amount: float, currency: str | None) -> str:
    return money_text(amount, currency)
