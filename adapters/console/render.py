"""Plain-text rendering of replies and verdicts for a terminal.

User-derived text can only reach the terminal through these functions, and every piece of
text is passed through `clean()`, which drops control characters, so pasted text cannot move
the cursor, change colours or clear the screen.
"""

from __future__ import annotations

import unicodedata

from core.models import Verdict
from core.service import HistoryEntry, Reply

_PERIOD_WORDS = {
    "day": "a working day",
    "week": "a week",
    "month": "a month",
    "quarter": "a quarter",
    "year": "a year",
    "one_time": "once",
}


def clean(text: str) -> str:
    """Text safe for a terminal: control and format characters removed (tabs/newlines kept)."""
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co"))


def money(amount: float, currency: str | None) -> str:
    """`6000, "USD"` -> `USD 6,000`; keeps cents only when there are some."""
    number = f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"
    return f"{currency} {number}" if currency else number


def title(verdict: Verdict) -> str:
    """The shared verdict words, then the headline (once, if the headline opens with them)."""
    if verdict.label.lower() in verdict.headline.lower()[: len(verdict.label) + 4]:
        return verdict.headline
    return f"{verdict.label}: {verdict.headline}"


def render_verdict(verdict: Verdict) -> str:
    """A verdict as a few lines: the shared label and headline, amounts, reasons, questions."""
    lines = [clean(title(verdict))]
    allowance = verdict.allowance
    if allowance.amount is not None:
        stated = money(allowance.amount, allowance.currency)
        period = _PERIOD_WORDS.get(allowance.period or "", "")
        line = f"  Allowance: {stated} {period}".rstrip()
        if allowance.annual_amount is not None and allowance.period not in (None, "year"):
            line += f" ({money(allowance.annual_amount, allowance.currency)} a year)"
        lines.append(clean(line))
    if verdict.comp_value_annual is not None:
        lines.append(clean(f"  Count as pay: {money(verdict.comp_value_annual, allowance.currency)} a year"))
    if verdict.offer is not None:
        offer = verdict.offer
        lines.append(
            clean(
                f"  Offer: headline {money(offer.headline_total_annual, offer.currency)} a year, "
                f"real {money(offer.real_total_annual, offer.currency)} a year"
            )
        )
        for component in offer.components:
            amount = (
                "no annual figure"
                if component.annual_amount is None
                else money(component.annual_amount, offer.currency)
            )
            counted = "pay" if component.counts_as_pay else "not pay"
            lines.append(clean(f"    - {component.label}: {amount} ({counted})"))
    if verdict.reasons:
        lines.append("Why:")
        lines.extend(clean(f"  - {reason}") for reason in verdict.reasons)
    if verdict.questions:
        lines.append("Ask the employer:")
        lines.extend(clean(f"  {n}. {question.text}") for n, question in enumerate(verdict.questions, 1))
        lines.append('Tell me what they say ("it rolls over", "work only") and I\'ll update this.')
    return "\n".join(lines)


def render_history(entries: list[HistoryEntry]) -> str:
    return "\n".join(clean(f"  {entry.created_at:%Y-%m-%d %H:%M}  {title(entry.verdict)}") for entry in entries)


def render_reply(reply: Reply) -> str:
    """Everything a reply says, as terminal text (empty for a duplicate event)."""
    if reply.kind == "duplicate":
        return ""
    parts: list[str] = []
    if reply.changes:
        parts.append("What changed:\n" + "\n".join(clean(f"  - {change}") for change in reply.changes))
    if reply.text:
        parts.append(clean(reply.text))
    if reply.verdict is not None:
        parts.append(render_verdict(reply.verdict))
    if reply.history:
        parts.append(render_history(reply.history))
    if reply.notes:
        parts.append("\n".join(clean(f"Note: {note}") for note in reply.notes))
    return "\n".join(parts)
