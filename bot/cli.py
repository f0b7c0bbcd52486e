"""The `perkcheck` command: check offers from a terminal, chat, migrate, serve.

`perkcheck check` imports only `core`: no Slack, Discord or database stacks, so it starts fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from core import __version__
from core.classifier import MAX_INPUT_CHARS, InputTooLong, classify, decide, extract_signals
from core.models import Verdict
from core.present import NO_ANNUAL_FIGURE, amounts, money_text, offer_rows

_COLOURS = {"operating_cost": "\033[33m", "perk": "\033[32m", "mixed": "\033[36m", "unclear": "\033[35m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"

_EPILOG = """\
examples:
  perkcheck check '$500/month API budget, work-only'
  perkcheck check --json '$185k base, 10% bonus, $15,000/yr AI token credits'
  echo '{"text": "€100/mo AI stipend, use it for anything"}' | perkcheck check --jsonl
  perkcheck check --context 'they gave me Cursor Pro, we are in the UK'   # list prices and a tax note
  perkcheck compare 'Offer A: $185k base, $15k/yr AI credits, work only. Offer B: $180k base, $5k/yr AI stipend'
  perkcheck compare --json '$500/mo API budget, work only vs $200/mo AI stipend for anything'
  perkcheck chat        # a DM-style conversation that remembers your answers
  perkcheck feedback --export --output disagreed.jsonl   # the verdicts people marked 👎, for review
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="perkcheck",
        description="Is the AI token allowance in a job offer pay, or an operating cost dressed up as pay?",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"perkcheck {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser("check", help="give the verdict on an offer text")
    check.add_argument("text", nargs="*", help="the offer text (quote it); read from stdin when absent")
    mode = check.add_mutually_exclusive_group()
    mode.add_argument("--json", action="store_true", help="print the verdict object as one line of JSON")
    mode.add_argument(
        "--jsonl", action="store_true", help='read {"text": ...} lines from stdin, write one JSON result per line'
    )
    check.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    check.add_argument(
        "--context",
        action="store_true",
        help="add list prices of named AI plans (dated) and a general tax note (not tax advice)",
    )
    check.add_argument(
        "--country", metavar="CODE", help="country for the tax note (US, UK, ...); default: implied by the text"
    )

    versus = commands.add_parser(
        "compare",
        help="compare two or more offers on real pay",
        description='Offers as "Offer A: ... Offer B: ...", "A) ... B) ...", "X vs Y", or one offer a line.',
    )
    versus.add_argument("text", nargs="*", help="the offers (quote them); read from stdin when absent")
    versus.add_argument("--json", action="store_true", help="print the comparison as one line of JSON")
    versus.add_argument("--color", choices=("auto", "always", "never"), default="auto")

    commands.add_parser("chat", help="talk to the bot in this terminal (the local console)", add_help=False)
    commands.add_parser("migrate", help="apply database migrations", add_help=False)
    commands.add_parser(
        "feedback", help="--export [--output FILE]: the cases people disagreed with, as JSONL", add_help=False
    )
    commands.add_parser("serve", help="run the bot on every configured platform", add_help=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] in ("chat", "migrate", "serve", "feedback"):
        return _runtime(args_list[0], args_list[1:])
    args = _parser().parse_args(args_list)
    if args.command is None:
        _parser().print_help()
        return 0
    text = " ".join(args.text) if args.text else None
    if args.command == "compare":
        return compare_offers(sys.stdin.read() if text is None else text, as_json=args.json, out=sys.stdout)
    if args.jsonl:
        return check_jsonl(sys.stdin, sys.stdout)
    text = sys.stdin.read() if text is None else text
    colour = _use_colour(args.color, sys.stdout)
    return check_one(text, as_json=args.json, colour=colour, out=sys.stdout, context=args.context, country=args.country)


def _runtime(command: str, argv: list[str]) -> int:
    from bot import bootstrap, feedback  # the database and platform stacks load only here

    entry = {
        "chat": bootstrap.console_main,
        "migrate": bootstrap.migrate_main,
        "serve": bootstrap.serve_main,
        "feedback": feedback.feedback_main,
    }
    return entry[command](argv)


def _use_colour(choice: str, stream: TextIO) -> bool:
    if choice != "auto":
        return choice == "always"
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def check_one(
    text: str, *, as_json: bool, colour: bool, out: TextIO, context: bool = False, country: str | None = None
) -> int:
    """The verdict on `text`; with `context`, also dated list prices and a general tax note (--json
    then adds `context` and `tax_note` keys)."""
    try:
        signals = extract_signals(text)
    except InputTooLong as error:
        if as_json:
            print(json.dumps({"error": str(error)}), file=out)
        print(f"perkcheck: {error}", file=sys.stderr)
        return 2
    verdict = decide(signals)
    if not context:
        print(
            json.dumps(verdict.to_json_dict(), ensure_ascii=False)
            if as_json
            else render_terminal(verdict, colour=colour),
            file=out,
        )
        return 0

    from core.prices import context_notes
    from core.tax import tax_note

    notes = context_notes(verdict, text)
    tax = tax_note(verdict, country or signals.country)
    if as_json:
        data = verdict.to_json_dict()
        data["context"] = notes
        data["tax_note"] = tax.to_json_dict() if tax else None
        print(json.dumps(data, ensure_ascii=False), file=out)
        return 0
    lines = [render_terminal(verdict, colour=colour)]
    if notes:
        lines.append(f"{_BOLD}In context:{_RESET}" if colour else "In context:")
        lines.extend(f"  · {note}" for note in notes)
    if tax is not None:
        lines.append(tax.render_text())
    print("\n".join(lines), file=out)
    return 0


def compare_offers(text: str, *, as_json: bool, out: TextIO) -> int:
    """Compare the offers in `text`; exit code 2 when it holds fewer than two offers or is too long."""
    from core.compare import NotAComparison, compare

    try:
        comparison = compare(text)
    except (InputTooLong, NotAComparison) as error:
        if as_json:
            print(json.dumps({"error": str(error)}, ensure_ascii=False), file=out)
        print(f"perkcheck: {error}", file=sys.stderr)
        return 2
    if as_json:
        print(json.dumps(comparison.to_json_dict(), ensure_ascii=False), file=out)
    else:
        print(comparison.render_text(), file=out)
    return 0


def check_jsonl(source: TextIO, out: TextIO) -> int:
    """One result line per input line, in order; a bad line yields {"error": ...} and the rest still run."""
    for number, line in enumerate(source, start=1):
        if not line.strip():
            continue
        result: dict[str, object]
        try:
            item = json.loads(line)
        except json.JSONDecodeError:
            result = {"error": f"line {number} is not JSON"}
        else:
            text = item.get("text") if isinstance(item, dict) else None
            if not isinstance(text, str):
                result = {"error": f'line {number} is not an object with a string field "text"'}
            elif len(text) > MAX_INPUT_CHARS:
                result = {"error": f"line {number}: text is {len(text):,} characters; the limit is {MAX_INPUT_CHARS:,}"}
            else:
                result = classify(text).to_json_dict()
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
    out.flush()
    return 0


def render_terminal(verdict: Verdict, *, colour: bool) -> str:
    """The verdict for a person reading a terminal."""

    def paint(code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if colour else text

    lines = [paint(_BOLD + _COLOURS[verdict.verdict], verdict.label.upper()) + "  " + verdict.headline]
    figures = amounts(verdict)
    if figures.annual is not None:
        lines.append(f"Per year: {figures.annual}")
    if verdict.offer is not None:
        offer = verdict.offer
        lines.append(
            f"Package: headline {money_text(offer.headline_total_annual, offer.currency)}/yr,"
            f" real pay {money_text(offer.real_total_annual, offer.currency)}/yr"
        )
        for row in offer_rows(offer):
            lines.append(
                f"  - {row.label}: {row.amount or NO_ANNUAL_FIGURE} ({'pay' if row.counts_as_pay else 'not pay'})"
            )
    if verdict.reasons:
        lines.append(paint(_BOLD, "Why:"))
        lines.extend(f"  • {reason}" for reason in verdict.reasons)
    if verdict.questions:
        lines.append(paint(_BOLD, "Ask the employer:"))
        lines.extend(f"  ? {question.text}" for question in verdict.questions)
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
