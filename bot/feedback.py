"""`perkcheck feedback --export`: the cases people disagreed with (👎), for the operator's own review.

One JSON object a line: the offer text, the verdict (the contract's object) and when the 👎 was given. No user
ids, workspaces or answers: enough to see where the rules went wrong, nothing about who asked.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from typing import TYPE_CHECKING, TextIO

from bot.bootstrap import configure_logging, load_settings

if TYPE_CHECKING:
    from bot.settings import Settings
    from bot.storage import SqlStorage


def feedback_main(argv: list[str]) -> int:
    """`perkcheck feedback --export [--output FILE]`: write the disagreed cases as JSONL."""
    parser = argparse.ArgumentParser(prog="perkcheck feedback", description=feedback_main.__doc__)
    parser.add_argument("--export", action="store_true", help="write the cases with a 👎 (text and verdict) as JSONL")
    parser.add_argument("--output", metavar="FILE", help="write to FILE (created private to you); default: stdout")
    args = parser.parse_args(argv)
    if not args.export:
        parser.print_usage(sys.stderr)
        print("perkcheck feedback: nothing to do; add --export", file=sys.stderr)
        return 2
    settings = load_settings()
    if settings is None:
        return 2
    configure_logging(settings)
    try:
        records = asyncio.run(_load(settings))
    except Exception as error:
        print(f"perkcheck: could not read the feedback: {type(error).__name__}", file=sys.stderr)
        return 1
    try:
        if args.output is None:
            write_jsonl(records, sys.stdout)
        else:
            fd = os.open(args.output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # offer texts: private
            with open(fd, "w", encoding="utf-8") as out:
                write_jsonl(records, out)
    except OSError as error:
        print(f"perkcheck: could not write {args.output}: {error.strerror}", file=sys.stderr)
        return 1
    cases = "case" if len(records) == 1 else "cases"
    where = f" to {args.output}" if args.output else ""
    print(f"Exported {len(records)} disagreed {cases}{where}.", file=sys.stderr)
    return 0


async def _load(settings: Settings) -> list[dict[str, object]]:
    from bot.storage import SqlStorage

    storage = SqlStorage(settings.database_url)
    try:
        return await disagreed_records(storage)
    finally:
        await storage.close()


async def disagreed_records(storage: SqlStorage) -> list[dict[str, object]]:
    """One record per case with a 👎, oldest first: its text, its verdict and when the 👎 was given."""
    return [
        {
            "text": case.text,
            "verdict": case.verdict.to_json_dict(),
            "feedback_at": case.feedback_at.isoformat() if case.feedback_at else None,
        }
        for case in await storage.disagreed_cases()
    ]


def write_jsonl(records: list[dict[str, object]], out: TextIO) -> None:
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    out.flush()
