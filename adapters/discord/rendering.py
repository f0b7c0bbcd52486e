"""Reply -> Discord message: embeds within Discord's limits, persistent answer buttons."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import discord
from discord.utils import escape_markdown

from adapters.discord._parsing import (
    ANSWER_CUSTOM_ID,
    QUICK_ANSWERS,
    AnswerClick,
    answer_custom_id,
    parse_answer_custom_id,
)
from core.models import Verdict
from core.service import Reply

# Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits)
TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
EMBED_TOTAL_MAX = 6000
CONTENT_MAX = 2000

TRIM_NOTE = "… (trimmed to fit Discord)"

VERDICT_COLOURS: dict[str, int] = {
    "operating_cost": 0xD9534F,  # red: not pay
    "perk": 0x2E9E5B,  # green: real pay
    "mixed": 0xE0A526,  # amber: partly pay
    "unclear": 0x8A8F98,  # grey: not known yet
}
HISTORY_COLOUR = 0x5865F2

_CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}
_PERIOD_WORDS = {
    "day": "a working day",
    "week": "a week",
    "month": "a month",
    "quarter": "a quarter",
    "year": "a year",
    "one_time": "once",
}

#: Every message the bot sends pings nobody, whatever the user typed.
NO_MENTIONS = discord.AllowedMentions.none()


def trim(text: str, limit: int, note: str = TRIM_NOTE) -> str:
    """`text` cut to `limit` characters, ending with `note` when anything was cut."""
    if len(text) <= limit:
        return text
    if limit <= len(note):
        return text[:limit]
    return text[: limit - len(note)].rstrip() + note


def escape(text: str) -> str:
    """User-derived text made inert for Discord markdown."""
    return escape_markdown(text)


def money(amount: float, currency: str | None) -> str:
    """`$6,000`, `€25,000`, `CAD 1,200`; whole numbers without decimals."""
    number = f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"
    if currency is None:
        return number
    symbol = _CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{number}" if symbol else f"{currency} {number}"


def amount_lines(verdict: Verdict) -> list[str]:
    """The allowance per year and what of it counts as pay, in words."""
    allowance = verdict.allowance
    lines: list[str] = []
    if allowance.annual_amount is not None:
        line = f"**Allowance:** {money(allowance.annual_amount, allowance.currency)} a year"
        if allowance.amount is not None and allowance.period not in (None, "year"):
            stated = money(allowance.amount, allowance.currency)
            line += f" ({stated} {_PERIOD_WORDS[allowance.period or 'year']}"
            line += ", 260 working days a year)" if allowance.period == "day" else ")"
        lines.append(line)
    elif allowance.amount is not None:
        lines.append(f"**Allowance:** {money(allowance.amount, allowance.currency)}")
    if verdict.comp_value_annual is not None:
        pay = money(verdict.comp_value_annual, allowance.currency)
        lines.append(f"**Counts as pay:** {pay} a year")
    elif allowance.amount is not None or allowance.annual_amount is not None:
        lines.append("**Counts as pay:** not known yet; the answers below decide it")
    return lines


def _offer_lines(verdict: Verdict) -> list[str]:
    offer = verdict.offer
    if offer is None:
        return []
    lines = [
        f"Headline total: {money(offer.headline_total_annual, offer.currency)} a year",
        f"Real pay: {money(offer.real_total_annual, offer.currency)} a year",
    ]
    for component in offer.components:
        amount = (
            f"{money(component.annual_amount, offer.currency)} a year"
            if component.annual_amount is not None
            else "no yearly figure"
        )
        counted = "pay" if component.counts_as_pay else "not pay"
        lines.append(f"• {escape(component.label)}: {amount} ({counted})")
    return lines


@dataclass
class _EmbedParts:
    title: str
    description: str
    colour: int
    fields: list[tuple[str, str]] = field(default_factory=list)
    footer: str = ""

    def add(self, name: str, lines: list[str]) -> None:
        if lines:
            self.fields.append((name, "\n".join(lines)))


def _build(parts: _EmbedParts) -> discord.Embed:
    """An embed from parts, every limit enforced, with a note wherever text was cut."""
    fields = parts.fields
    if len(fields) > FIELDS_MAX:
        dropped = len(fields) - FIELDS_MAX + 1
        fields = [*fields[: FIELDS_MAX - 1], ("More", f"{dropped} more sections not shown.")]
    title = trim(parts.title, TITLE_MAX)
    description = trim(parts.description, DESCRIPTION_MAX)
    names = [trim(name, FIELD_NAME_MAX) for name, _ in fields]
    values = [trim(value, FIELD_VALUE_MAX) for _, value in fields]
    footer = trim(parts.footer, FOOTER_MAX)

    def total() -> int:
        return len(title) + len(description) + len(footer) + sum(map(len, names + values))

    while total() > EMBED_TOTAL_MAX:
        excess = total() - EMBED_TOTAL_MAX
        longest = max(range(len(values)), key=lambda index: len(values[index]), default=None)
        if longest is not None and len(values[longest]) >= len(description):
            values[longest] = trim(values[longest], max(len(values[longest]) - excess, 1))
            if len(values[longest]) <= len(TRIM_NOTE) and total() > EMBED_TOTAL_MAX:
                del names[longest], values[longest]
        else:
            description = trim(description, max(len(description) - excess, len(TRIM_NOTE)))

    embed = discord.Embed(title=title, description=description or None, colour=parts.colour)
    for name, value in zip(names, values, strict=True):
        embed.add_field(name=name, value=value, inline=False)
    if footer:
        embed.set_footer(text=footer)
    return embed


def verdict_embed(
    verdict: Verdict,
    *,
    case_id: str | None = None,
    changes: list[str] | None = None,
    notes: list[str] | None = None,
    extra_notes: list[str] | None = None,
) -> discord.Embed:
    """The verdict as an embed: colour, label, headline, amount per year, reasons, questions."""
    description = "\n".join([escape(verdict.headline), "", *amount_lines(verdict)]).strip()
    parts = _EmbedParts(
        title=verdict.label, description=description, colour=VERDICT_COLOURS[verdict.verdict]
    )
    parts.add("What changed", [f"• {escape(change)}" for change in changes or []])
    parts.add("Why", [f"• {escape(reason)}" for reason in verdict.reasons])
    parts.add(
        "Ask the employer",
        [
            f"{number}. {escape(question.text)}"
            for number, question in enumerate(verdict.questions, 1)
        ],
    )
    parts.add("Whole offer", _offer_lines(verdict))
    parts.add("Notes", [f"• {escape(note)}" for note in [*(notes or []), *(extra_notes or [])]])
    if case_id:
        parts.footer = f"perkcheck · case {case_id}"
    return _build(parts)


def history_embed(reply: Reply) -> discord.Embed:
    lines = [
        f"`{entry.created_at:%Y-%m-%d}` **{entry.verdict.label}**: {escape(entry.verdict.headline)}"
        for entry in reply.history
    ]
    description = "\n".join(lines) or escape(reply.text) or "No checks yet."
    parts = _EmbedParts(title="Your recent checks", description=description, colour=HISTORY_COLOUR)
    parts.add("Notes", [f"• {escape(note)}" for note in reply.notes])
    return _build(parts)


class AnswerClickHandler(Protocol):
    async def on_answer_click(
        self, interaction: discord.Interaction, click: AnswerClick
    ) -> None: ...


class AnswerButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=ANSWER_CUSTOM_ID,
):
    """A quick-answer button; dispatched by custom_id, so it keeps working after a restart."""

    def __init__(self, click: AnswerClick, label: str, row: int) -> None:
        custom_id = answer_custom_id(click.case_id, click.question_id, click.value)
        if custom_id is None:
            raise ValueError("case id cannot be carried in a custom_id")
        super().__init__(
            discord.ui.Button(
                label=label, custom_id=custom_id, style=discord.ButtonStyle.secondary, row=row
            )
        )
        self.click = click

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: Any,
        /,
    ) -> AnswerButton:
        click = parse_answer_custom_id(match.string)
        if click is None:
            raise ValueError(f"not a quick answer: {match.string!r}")
        label = getattr(item, "label", None) or click.value
        return cls(click, label, row=0)

    async def callback(self, interaction: discord.Interaction) -> None:
        handler = getattr(interaction.client, "answer_handler", None)
        if handler is None:
            return
        await handler.on_answer_click(interaction, self.click)


def answer_view(verdict: Verdict, case_id: str | None) -> discord.ui.View | None:
    """Persistent buttons for the verdict's open questions (one row per question), or None."""
    if case_id is None:
        return None
    view = discord.ui.View(timeout=None)
    row = 0
    for question in verdict.questions:
        answers = QUICK_ANSWERS.get(question.id)
        if not answers or answer_custom_id(case_id, question.id, answers[0][0]) is None:
            continue
        for value, label in answers:
            view.add_item(AnswerButton(AnswerClick(case_id, question.id, value), label, row=row))
        row += 1
        if row == 5:
            break
    return view if view.children else None


@dataclass(frozen=True)
class Rendered:
    """Keyword arguments for a discord.py send or edit, with mentions always off."""

    content: str | None = None
    embed: discord.Embed | None = None
    view: discord.ui.View | None = None

    def send_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"allowed_mentions": NO_MENTIONS}
        if self.content is not None:
            kwargs["content"] = self.content
        if self.embed is not None:
            kwargs["embed"] = self.embed
        if self.view is not None:
            kwargs["view"] = self.view
        return kwargs

    def edit_kwargs(self) -> dict[str, Any]:
        """For editing a message in place: replaces content, embed and buttons."""
        return {
            "allowed_mentions": NO_MENTIONS,
            "content": self.content,
            "embed": self.embed,
            "view": self.view,
        }


def render(reply: Reply, *, extra_notes: list[str] | None = None) -> Rendered:
    """A service Reply as a Discord message."""
    if reply.kind in ("verdict", "refined") and reply.verdict is not None:
        return Rendered(
            embed=verdict_embed(
                reply.verdict,
                case_id=reply.case_id,
                changes=_changes(reply) if reply.kind == "refined" else None,
                notes=reply.notes,
                extra_notes=extra_notes,
            ),
            view=answer_view(reply.verdict, reply.case_id),
        )
    if reply.kind == "history":
        return Rendered(embed=history_embed(reply))
    lines = [escape(reply.text)] if reply.text else []
    lines += [escape(note) for note in [*reply.notes, *(extra_notes or [])]]
    return Rendered(content=trim("\n".join(lines) or "Done.", CONTENT_MAX))


def plain(text: str) -> Rendered:
    """A short message of the bot's own words (escaped, trimmed)."""
    return Rendered(content=trim(escape(text), CONTENT_MAX))


def _changes(reply: Reply) -> list[str]:
    """What an answer changed, or the service's word that nothing did."""
    return reply.changes or ([reply.text] if reply.text else [])
