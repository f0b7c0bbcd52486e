"""Block Kit for a `core.service.Reply`, with Slack's limits checked as `slack_sdk.models.blocks` does.

Every piece of text that reaches Slack from a reply is escaped (`&`, `<`, `>`), so nothing a user
typed can become a live `<!channel>`, `<!here>`, `<!everyone>`, `<@U…>` mention or a link.
Slack's limits are kept: at most 50 blocks, 3,000 characters a section, 75 a button label; a
reply too long for one message is trimmed with a note saying so.

The layout code below asks a `BlockBuilder` for each block. `SDK_BLOCKS` is the reference: it
builds `slack_sdk.models.blocks` objects and returns their validated `to_dict()`. That validation
is generic and slow (most of the cost of a reply), so replies are rendered with `FAST_BLOCKS`,
which returns the same JSON as plain dicts and checks the same limits itself (raising the same
`SlackObjectFormationError`). Button rows are fixed per question and built once with slack_sdk.
tests/adapters/slack/test_slack_rendering.py renders many replies both ways and requires equal JSON.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from adapters.slack._parsing import (
    COPY_QUESTIONS_ACTION_ID,
    SHARE_ACTION_ID,
    answer_action_id,
    feedback_action_id,
)
from core.compare import Comparison
from core.models import Verdict
from core.present import (
    CONTEXT_TITLE,
    FEEDBACK_CHOICES,
    NO_ANNUAL_FIGURE,
    QUICK_ANSWERS,
    amounts,
    money_text,
    offer_rows,
    tax_heading,
    tax_lines,
)
from core.service import Reply
from core.tax import TaxNote

MAX_BLOCKS = 50
MAX_SECTION_CHARS = 3000
MAX_BUTTON_LABEL_CHARS = 75
MAX_BUTTON_VALUE_CHARS = 2000
MAX_FALLBACK_TEXT_CHARS = 3000
MAX_CONTEXT_CHARS = 2000
MAX_HEADER_CHARS = HeaderBlock.text_max_length  # 150
_VALUE_PLACEHOLDER = "case"

_USER_ID = re.compile(r"[UW][A-Z0-9]{2,20}")


BlockJson = dict[str, Any]


@dataclass(frozen=True)
class SlackMessage:
    """A message ready for `chat.postMessage`, `ack()` or `respond()`: fallback text and blocks.

    Every block was checked against Slack's limits when it was built (see `BlockBuilder`).
    """

    text: str
    blocks: list[BlockJson]

    def block_dicts(self) -> list[BlockJson]:
        return list(self.blocks)

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.block_dicts()}


class BlockBuilder(Protocol):
    """Makes the JSON of the few kinds of block a reply uses, checked against Slack's limits."""

    def header(self, text: str) -> BlockJson:
        """A header block: plain text (no emoji codes), at most 150 characters."""
        ...

    def section(self, markdown: str) -> BlockJson:
        """A section of verbatim mrkdwn, at most 3,000 characters."""
        ...

    def context(self, markdown: str, *, verbatim: bool | None = None) -> BlockJson:
        """A context block with one mrkdwn element."""
        ...

    def divider(self) -> BlockJson: ...


class SdkBlocks:
    """The reference builder: `slack_sdk.models.blocks` objects and their validated `to_dict()`."""

    def header(self, text: str) -> BlockJson:
        return _json(HeaderBlock(text=PlainTextObject(text=text, emoji=False)))

    def section(self, markdown: str) -> BlockJson:
        return _json(SectionBlock(text=MarkdownTextObject(text=markdown, verbatim=True)))

    def context(self, markdown: str, *, verbatim: bool | None = None) -> BlockJson:
        return _json(ContextBlock(elements=[MarkdownTextObject(text=markdown, verbatim=verbatim)]))

    def divider(self) -> BlockJson:
        return _json(DividerBlock())


class FastBlocks:
    """The same JSON as `SdkBlocks`, built as plain dicts, with the same limits checked here.

    slack_sdk's `to_dict()` leaves out empty values and sorts keys; so does this. A value over a
    limit raises `SlackObjectFormationError`, as slack_sdk would.
    """

    def header(self, text: str) -> BlockJson:
        if len(text) > MAX_HEADER_CHARS:
            raise SlackObjectFormationError(f"text attribute cannot exceed {MAX_HEADER_CHARS} characters")
        plain: BlockJson = (
            {"emoji": False, "text": text, "type": "plain_text"} if text else {"emoji": False, "type": "plain_text"}
        )
        return {"text": plain, "type": "header"}

    def section(self, markdown: str) -> BlockJson:
        if len(markdown) > MAX_SECTION_CHARS:
            raise SlackObjectFormationError(f"text attribute cannot exceed {MAX_SECTION_CHARS} characters")
        return {"text": _mrkdwn(markdown, True), "type": "section"}

    def context(self, markdown: str, *, verbatim: bool | None = None) -> BlockJson:
        return {"elements": [_mrkdwn(markdown, verbatim)], "type": "context"}

    def divider(self) -> BlockJson:
        return {"type": "divider"}


def _mrkdwn(text: str, verbatim: bool | None) -> BlockJson:
    """A mrkdwn text object as slack_sdk's `to_dict()` makes it (empty text and unset verbatim left out)."""
    element: BlockJson = {"text": text, "type": "mrkdwn"} if text else {"type": "mrkdwn"}
    if verbatim is not None:
        element["verbatim"] = verbatim
    return element


SDK_BLOCKS: BlockBuilder = SdkBlocks()
FAST_BLOCKS: BlockBuilder = FastBlocks()


def escape(text: str) -> str:
    """Escape Slack's control characters so user text shows as typed and never as markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate_label(label: str, limit: int = MAX_BUTTON_LABEL_CHARS) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def render_reply(
    reply: Reply,
    *,
    shareable: bool = False,
    shared_by: str | None = None,
    blocks: BlockBuilder = FAST_BLOCKS,
) -> SlackMessage:
    """The Slack message for any reply.

    `shareable` adds the "Share in channel" button; `shared_by` (a Slack user id) credits the
    person who shared a verdict publicly. `blocks` builds the blocks (`SDK_BLOCKS`: the
    slack_sdk reference, for tests).
    """
    if reply.verdict is not None and reply.kind in ("verdict", "refined"):
        notes = [reply.text, *reply.notes] if reply.text else list(reply.notes)
        return render_verdict(
            reply.verdict,
            case_id=reply.case_id,
            changes=reply.changes,
            notes=notes,
            context=reply.context,
            tax=reply.tax,
            shareable=shareable,
            shared_by=shared_by,
            blocks=blocks,
        )
    if reply.comparison is not None:
        return render_comparison(reply.comparison, notes=reply.notes, blocks=blocks)
    if reply.kind == "history":
        return _render_history(reply, blocks)
    lines = [reply.text] if reply.text else []
    if reply.verdict is not None:
        lines.append(f"*{reply.verdict.label}*: {reply.verdict.headline}")
    body = [_section(blocks, piece) for piece in _split_markdown(lines)]
    return _message(blocks, _fallback(reply.text or "perkcheck"), body, notes=reply.notes)


def render_verdict(
    verdict: Verdict,
    *,
    case_id: str | None,
    changes: Sequence[str] = (),
    notes: Sequence[str] = (),
    context: Sequence[str] = (),
    tax: TaxNote | None = None,
    shareable: bool = False,
    shared_by: str | None = None,
    blocks: BlockBuilder = FAST_BLOCKS,
) -> SlackMessage:
    """The verdict: label, headline, amounts, changes, reasons, questions with quick answers, then the
    allowance in context (dated list prices) and a tax note (general information, not tax advice)."""
    body: list[BlockJson] = [
        blocks.header(verdict.label),
        *_sections(blocks, [f"*{escape(verdict.headline)}*"]),
    ]
    amounts = _amount_lines(verdict)
    if amounts:
        body += _sections(blocks, amounts)
    if changes:
        body += _sections(blocks, ["*What changed*", *(f"• {escape(change)}" for change in changes)])
    if verdict.reasons:
        body += _sections(blocks, ["*Why*", *(f"• {escape(reason)}" for reason in verdict.reasons)])
    if verdict.offer is not None:
        body += _sections(blocks, _offer_lines(verdict))
    if verdict.questions:
        body.append(blocks.divider())
        body += _sections(blocks, ["*Ask the employer*"])
        for question in verdict.questions:
            body += _sections(blocks, [escape(question.text)])
            if case_id is not None and question.id in QUICK_ANSWERS:
                body.append(_answer_buttons(case_id, question.id))
    if context:
        body += _sections(blocks, [f"*{CONTEXT_TITLE}*", *(f"• {escape(note)}" for note in context)])
    if tax is not None:
        lines = [f"*{escape(tax_heading(tax))}*", *(f"• {escape(point)}" for point in tax_lines(tax))]
        body += _sections(blocks, [*lines, f"_{escape(tax.label)}_"])
    footer = _footer_actions(verdict, case_id=case_id, shareable=shareable)
    if shared_by is not None and _USER_ID.fullmatch(shared_by):
        footer.insert(0, blocks.context(f"Shared by <@{shared_by}> with /perkcheck"))
    fallback = _fallback(f"{verdict.label}: {verdict.headline}")
    return _message(blocks, fallback, body, notes=notes, footer=footer)


def render_comparison(
    comparison: Comparison, *, notes: Sequence[str] = (), blocks: BlockBuilder = FAST_BLOCKS
) -> SlackMessage:
    """Offers side by side: the summary first, then each offer's totals and items (plain text, escaped)."""
    summary, *rest = comparison.render_text().split("\n")
    body = [
        blocks.header("Compare offers"),
        *_sections(blocks, [f"*{escape(summary)}*", *(escape(line) for line in rest)]),
    ]
    return _message(blocks, _fallback(summary), body, notes=notes)


def _amount_lines(verdict: Verdict) -> list[str]:
    figures = amounts(verdict)
    lines: list[str] = []
    if figures.stated is not None:
        line = f"Allowance: *{figures.stated}*" + (f" {figures.period}" if figures.period else "")
        if figures.per_period:
            line += f", *{figures.annual} a year*"
            if figures.working_days:
                line += " (260 working days)"
        lines.append(escape(line))
    if figures.pay is not None:
        lines.append(f"Count as pay: *{escape(figures.pay)} a year*")
    return lines


def _offer_lines(verdict: Verdict) -> list[str]:
    offer = verdict.offer
    assert offer is not None
    lines = ["*The whole offer*"]
    for row in offer_rows(offer):
        amount = NO_ANNUAL_FIGURE if row.amount is None else f"{row.amount} a year"
        counts = "counts as pay" if row.counts_as_pay else "not pay"
        lines.append(f"• {escape(row.label)}: {escape(amount)} ({counts})")
    headline_total = escape(money_text(offer.headline_total_annual, offer.currency))
    real_total = escape(money_text(offer.real_total_annual, offer.currency))
    lines.append(f"Headline total *{headline_total}* a year; real pay *{real_total}* a year.")
    return lines


def _answer_buttons(case_id: str, question_id: str) -> BlockJson:
    """The quick-answer row of a question, its buttons carrying the case id."""
    return _with_case_id(_answer_buttons_template(question_id), case_id)


@functools.cache
def _answer_buttons_template(question_id: str) -> BlockJson:
    """The validated JSON of a question's quick-answer row, with an empty value to fill in.

    A memo of a pure function: the row is fixed per question, and validating it with
    slack_sdk once instead of on every reply is most of the cost of rendering a verdict.
    """
    return _json(
        ActionsBlock(
            block_id=f"answers.{question_id}",
            elements=[
                ButtonElement(
                    text=PlainTextObject(text=truncate_label(label), emoji=False),
                    action_id=answer_action_id(question_id, value),
                    value=_VALUE_PLACEHOLDER,
                )
                for value, label in QUICK_ANSWERS[question_id]
            ],
        )
    )


def _footer_actions(verdict: Verdict, *, case_id: str | None, shareable: bool) -> list[BlockJson]:
    if case_id is None:
        return []
    return [_with_case_id(_footer_template(shareable, bool(verdict.questions)), case_id)]


@functools.cache
def _footer_template(shareable: bool, copyable: bool) -> BlockJson:
    """The validated JSON of the footer row ("Share in channel", "Copy questions", 👍, 👎)."""
    buttons: list[ButtonElement] = []
    if shareable:
        buttons.append(
            ButtonElement(
                text=PlainTextObject(text="Share in channel", emoji=False),
                action_id=SHARE_ACTION_ID,
                value=_VALUE_PLACEHOLDER,
                style="primary",
            )
        )
    if copyable:
        buttons.append(
            ButtonElement(
                text=PlainTextObject(text="Copy questions for the employer", emoji=False),
                action_id=COPY_QUESTIONS_ACTION_ID,
                value=_VALUE_PLACEHOLDER,
            )
        )
    buttons += [
        ButtonElement(
            text=PlainTextObject(text=label, emoji=True),
            action_id=feedback_action_id(value),
            value=_VALUE_PLACEHOLDER,
        )
        for value, label in FEEDBACK_CHOICES
    ]
    return _json(ActionsBlock(block_id="perkcheck.footer", elements=buttons))


def _with_case_id(row: BlockJson, case_id: str) -> BlockJson:
    """A copy of a button row whose buttons carry `case_id` as their value."""
    if not 0 < len(case_id) <= MAX_BUTTON_VALUE_CHARS:
        raise ValueError(f"a case id must be 1 to {MAX_BUTTON_VALUE_CHARS} characters")
    return {**row, "elements": [{**button, "value": case_id} for button in row["elements"]]}


def _render_history(reply: Reply, blocks: BlockBuilder) -> SlackMessage:
    lines = [reply.text] if reply.text else []
    if not reply.history and not lines:
        lines.append("No checks stored yet.")
    for entry in reply.history:
        when = entry.created_at.strftime("%Y-%m-%d")
        lines.append(f"• {when}: {entry.verdict.label}. {entry.verdict.headline}")
    body = [_section(blocks, piece) for piece in _split_markdown(lines)]
    return _message(blocks, _fallback(reply.text or "Your recent checks"), body, notes=reply.notes)


def _split_markdown(lines: Iterable[str]) -> list[str]:
    return chunk_escaped([escape(line) for line in "\n".join(lines).split("\n")])


def _sections(blocks: BlockBuilder, escaped_lines: Sequence[str]) -> list[BlockJson]:
    """Sections for lines of escaped mrkdwn, split to respect the section limit."""
    return [_section(blocks, piece) for piece in chunk_escaped(escaped_lines)]


def chunk_escaped(escaped_lines: Sequence[str], limit: int = MAX_SECTION_CHARS) -> list[str]:
    """Join escaped lines into pieces of at most `limit` characters, cutting long lines safely."""
    pieces: list[str] = []
    current = ""
    for line in escaped_lines:
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        current = line
        while len(current) > limit:
            cut = _safe_cut(current, limit)
            pieces.append(current[:cut])
            current = current[cut:]
    if current:
        pieces.append(current)
    return pieces


def _safe_cut(escaped_text: str, limit: int) -> int:
    """The largest cut position <= limit that does not split an `&amp;`-style escape."""
    cut = limit
    amp = escaped_text.rfind("&", max(0, cut - 4), cut)
    if amp != -1 and escaped_text.find(";", amp) >= cut:
        cut = amp
    space = escaped_text.rfind(" ", max(0, cut - 200), cut)
    return space + 1 if space > 0 else cut


def _section(blocks: BlockBuilder, escaped_markdown: str) -> BlockJson:
    return blocks.section(escaped_markdown or " ")


def _json(block: Block) -> BlockJson:
    """The block's JSON; slack_sdk validates it against Slack's limits (raises if over)."""
    return block.to_dict()


def _fallback(text: str) -> str:
    escaped = escape(text)
    if len(escaped) <= MAX_FALLBACK_TEXT_CHARS:
        return escaped
    return escaped[: _safe_cut(escaped, MAX_FALLBACK_TEXT_CHARS - 1)] + "…"


def _message(
    blocks: BlockBuilder,
    fallback: str,
    body: Sequence[BlockJson],
    *,
    notes: Sequence[str] = (),
    footer: Sequence[BlockJson] = (),
) -> SlackMessage:
    tail: list[BlockJson] = []
    if notes:
        note_text = chunk_escaped([escape(note) for note in notes], MAX_CONTEXT_CHARS)[0]
        tail.append(blocks.context(note_text, verbatim=True))
    tail.extend(footer)
    room = MAX_BLOCKS - len(tail)
    if len(body) > room:
        hidden = len(body) - (room - 1)
        body = list(body[: room - 1])
        trimmed = f"_Trimmed to fit one Slack message: {hidden} more part(s) not shown._"
        body.append(blocks.context(trimmed))
    return SlackMessage(text=fallback, blocks=[*body, *tail])
