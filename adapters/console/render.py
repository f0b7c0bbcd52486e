"""Plain-text rendering of replies and verdicts for a terminal.

User-derived text can only reach the terminal through these functions, and every piece of
text is passed through `clean()`, which drops control characters, so pasted text cannot move
the cursor, change colours or clear the screen.
"""

from __future__ import annotations

import unicodedata

from core.models import Verdict
from core.present import CONTEXT_TITLE, NO_ANNUAL_FIGURE, amounts, money_text, offer_rows, tax_heading, tax_lines
from core.service import HistoryEntry, Reply
from core.tax import TaxNote


def clean(text: str) -> str:
    """Text safe for a terminal: control and format characters removed (tabs/newlines kept)."""
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co"))


def money(amount: float, currency: str | None) -> str:
    """`6000, "USD"` -> `USD 6,000`: the console writes currency codes; keeps cents only when there are some."""
    return money_text(amount, currency, code=True)


def title(verdict: Verdict) -> str:
    """The shared verdict words, then the headline (once, if the headline opens with them)."""
    if verdict.label.lower() in verdict.headline.lower()[: len(verdict.label) + 4]:
        return verdict.headline
    return f"{verdict.label}: {verdict.headline}"


def render_verdict(verdict: Verdict) -> str:
    """A verdict as a few lines: the shared label and headline, amounts, reasons, questions."""
    lines = [clean(title(verdict))]
    figures = amounts(verdict, code=True)
    if figures.stated is not None:
        line = f"  Allowance: {figures.stated} {figures.period}".rstrip()
        if figures.per_period:
            line += f" ({figures.annual} a year)"
        lines.append(clean(line))
    if figures.pay is not None:
        lines.append(clean(f"  Count as pay: {figures.pay} a year"))
    if verdict.offer is not None:
        offer = verdict.offer
        lines.append(
            clean(
                f"  Offer: headline {money(offer.headline_total_annual, offer.currency)} a year, "
                f"real {money(offer.real_total_annual, offer.currency)} a year"
            )
        )
        for row in offer_rows(offer, code=True):
            counted = "pay" if row.counts_as_pay else "not pay"
            lines.append(clean(f"    - {row.label}: {row.amount or NO_ANNUAL_FIGURE} ({counted})"))
    if verdict.reasons:
        lines.append("Why:")
        lines.extend(clean(f"  - {reason}") for reason in verdict.reasons)
    if verdict.questions:
        lines.append("Ask the employer:")
        lines.extend(clean(f"  {n}. {question.text}") for n, question in enumerate(verdict.questions, 1))
        lines.append('Tell me what they say ("it rolls over", "work only") and I\'ll update this.')
    return "\n".join(lines)


def render_context(context: list[str], tax: TaxNote | None) -> str:
    """Dated list prices and the tax note (general information, not tax advice), labelled."""
    lines: list[str] = []
    if context:
        lines.append(f"{CONTEXT_TITLE}:")
        lines.extend(clean(f"  - {note}") for note in context)
    if tax is not None:
        lines.append(clean(f"{tax_heading(tax)}:"))
        lines.extend(clean(f"  - {point}") for point in tax_lines(tax))
        lines.append(clean(f"  ({tax.label})"))
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
    if reply.context or reply.tax is not None:
        parts.append(render_context(reply.context, reply.tax))
    if reply.history:
        parts.append(render_history(reply.history))
    if reply.notes:
        parts.append("\n".join(clean(f"Note: {note}") for note in reply.notes))
    return "\n".join(parts)
