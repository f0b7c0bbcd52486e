"""Reply -> Discord message: embeds within Discord's limits, persistent answer buttons."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import discord
from discord.utils import escape_markdown

from adapters.discord._parsing import (
    ANSWER_CUSTOM_ID,
    FEEDBACK_CUSTOM_ID,
    QUICK_ANSWERS,
    AnswerClick,
    FeedbackClick,
    answer_custom_id,
    feedback_custom_id,
    parse_answer_custom_id,
    parse_feedback_custom_id,
)
from core.compare import Comparison
from core.models import Verdict
from core.present import (
    CONTEXT_TITLE,
    FEEDBACK_CHOICES,
    NO_ANNUAL_FIGURE,
    amounts,
    money_text,
    offer_rows,
    tax_heading,
    tax_lines,
)
from core.service import Reply
from core.tax import TaxNote

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
COMPARE_COLOUR = 0x5865F2
MAX_ROWS = 5

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


def amount_lines(verdict: Verdict) -> list[str]:
    """The allowance per year and what of it counts as pay, in words."""
    figures = amounts(verdict)
    lines: list[str] = []
    if figures.annual is not None:
        line = f"**Allowance:** {figures.annual} a year"
        if figures.stated is not None and figures.per_period:
            line += f" ({figures.stated} {figures.period}"
            line += ", 260 working days a year)" if figures.working_days else ")"
        lines.append(line)
    elif figures.stated is not None:
        lines.append(f"**Allowance:** {figures.stated}")
    if figures.pay is not None:
        lines.append(f"**Counts as pay:** {figures.pay} a year")
    elif figures.stated is not None or figures.annual is not None:
        lines.append("**Counts as pay:** not known yet; the answers below decide it")
    return lines


def _offer_lines(verdict: Verdict) -> list[str]:
    offer = verdict.offer
    if offer is None:
        return []
    lines = [
        f"Headline total: {money_text(offer.headline_total_annual, offer.currency)} a year",
        f"Real pay: {money_text(offer.real_total_annual, offer.currency)} a year",
    ]
    for row in offer_rows(offer):
        amount = NO_ANNUAL_FIGURE if row.amount is None else f"{row.amount} a year"
        lines.append(f"• {escape(row.label)}: {amount} ({'pay' if row.counts_as_pay else 'not pay'})")
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

    def add_split(self, name: str, lines: list[str]) -> None:
        """Like `add`, continued in further fields rather than trimmed when longer than a field holds."""
        chunk: list[str] = []
        for line in lines:
            if chunk and len("\n".join([*chunk, line])) > FIELD_VALUE_MAX:
                self.add(name, chunk)
                name, chunk = f"{name} (continued)"[:FIELD_NAME_MAX], []
            chunk.append(line)
        self.add(name, chunk)


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
    context: list[str] | None = None,
    tax: TaxNote | None = None,
) -> discord.Embed:
    """The verdict as an embed: colour, label, headline, amount per year, reasons, questions, then
    the allowance in context (dated list prices) and a tax note (general information, not tax advice)."""
    description = "\n".join([escape(verdict.headline), "", *amount_lines(verdict)]).strip()
    parts = _EmbedParts(title=verdict.label, description=description, colour=VERDICT_COLOURS[verdict.verdict])
    parts.add("What changed", [f"• {escape(change)}" for change in changes or []])
    parts.add("Why", [f"• {escape(reason)}" for reason in verdict.reasons])
    parts.add(
        "Ask the employer",
        [f"{number}. {escape(question.text)}" for number, question in enumerate(verdict.questions, 1)],
    )
    parts.add("Whole offer", _offer_lines(verdict))
    parts.add_split(CONTEXT_TITLE, [f"• {escape(note)}" for note in context or []])
    if tax is not None:
        points = [f"• {escape(point)}" for point in tax_lines(tax)]
        parts.add_split(tax_heading(tax), [*points, f"*{escape(tax.label)}*"])
    parts.add("Notes", [f"• {escape(note)}" for note in [*(notes or []), *(extra_notes or [])]])
    if case_id:
        parts.footer = f"perkcheck · case {case_id}"
    return _build(parts)


def comparison_embed(comparison: Comparison) -> discord.Embed:
    """Offers side by side: the summary as the title's description, each offer's totals and items below."""
    summary, *rest = comparison.render_text().split("\n")
    description = "\n".join([f"**{escape(summary)}**", *(escape(line) for line in rest)])
    return _build(_EmbedParts(title="Compare offers", description=description, colour=COMPARE_COLOUR))


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
    async def on_answer_click(self, interaction: discord.Interaction, click: AnswerClick) -> None: ...


class AnswerButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=ANSWER_CUSTOM_ID,
):
    """A quick-answer button; dispatched by custom_id, so it keeps working after a restart."""

    def __init__(self, click: AnswerClick, label: str, row: int) -> None:
        super().__init__(_button(answer_custom_id(click.case_id, click.question_id, click.value), label, row))
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
        return cls(click, getattr(item, "label", None) or click.value, row=0)

    async def callback(self, interaction: discord.Interaction) -> None:
        handler = getattr(interaction.client, "answer_handler", None)
        if handler is not None:
            await handler.on_answer_click(interaction, self.click)


class FeedbackButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=FEEDBACK_CUSTOM_ID,
):
    """A 👍/👎 button on a verdict; dispatched by custom_id, so it keeps working after a restart."""

    def __init__(self, click: FeedbackClick, label: str, row: int) -> None:
        super().__init__(_button(feedback_custom_id(click.case_id, click.value), label, row))
        self.click = click

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: Any,
        /,
    ) -> FeedbackButton:
        click = parse_feedback_custom_id(match.string)
        if click is None:
            raise ValueError(f"not feedback: {match.string!r}")
        return cls(click, getattr(item, "label", None) or click.value, row=0)

    async def callback(self, interaction: discord.Interaction) -> None:
        handler = getattr(interaction.client, "answer_handler", None)
        if handler is not None:
            await handler.on_feedback_click(interaction, self.click)


def _button(custom_id: str | None, label: str, row: int) -> discord.ui.Button[discord.ui.View]:
    """A persistent button (no timeout; found again by its custom_id after a restart)."""
    if custom_id is None:
        raise ValueError("case id cannot be carried in a custom_id")
    return discord.ui.Button(label=label, custom_id=custom_id, style=discord.ButtonStyle.secondary, row=row)


def answer_view(verdict: Verdict, case_id: str | None) -> discord.ui.View | None:
    """Persistent buttons: the open questions' quick answers (one row each), then a 👍/👎 row; None
    without a stored case."""
    if case_id is None or feedback_custom_id(case_id, FEEDBACK_CHOICES[0][0]) is None:
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
        if row == MAX_ROWS - 1:
            break
    for value, label in FEEDBACK_CHOICES:
        view.add_item(FeedbackButton(FeedbackClick(case_id, value), label, row=row))
    return view


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
                context=reply.context,
                tax=reply.tax,
            ),
            view=answer_view(reply.verdict, reply.case_id),
        )
    if reply.comparison is not None:
        return Rendered(embed=comparison_embed(reply.comparison))
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
