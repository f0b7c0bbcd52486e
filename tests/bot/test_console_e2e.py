"""`perkcheck chat` end to end: piped stdin, two processes sharing one database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def chat(tmp_path: Path, lines: str, command: tuple[str, ...] = ("bot.cli", "chat", "--user", "alice")) -> str:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "DISCORD_", "DATABASE_URL", "PERKCHECK_"))
    }
    env.update(
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'chat.sqlite'}",
        PYTHONPATH=str(ROOT),
        LOG_LEVEL="WARNING",
    )
    done = subprocess.run(
        [sys.executable, "-m", *command],
        input=lines,
        capture_output=True,
        text=True,
        cwd=tmp_path,  # no stray .env
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_ask_then_answer_in_a_second_process(tmp_path: Path) -> None:
    first = chat(tmp_path, "$500/month API budget\n")
    assert "Can't tell yet" in first
    assert "Ask the employer:" in first

    second = chat(tmp_path, "they said it's work only\nhistory\n")
    assert "Picking up your last check" in second
    assert "Use: unknown -> work only: verdict is now Operating cost" in second
    assert "Your last check:" in second

    third = chat(tmp_path, "forget\nhistory\nquit\n")
    assert "Done: I erased" in third
    assert "No checks stored for you yet." in third
    assert "Picking up" not in chat(tmp_path, "")


def test_python_m_bot_without_tokens_starts_the_console(tmp_path: Path) -> None:
    out = chat(tmp_path, "help\n$500/month API budget, work-only\n", command=("bot",))
    assert "Words I know: help, new" in out
    assert "Operating cost" in out


def test_offer_intelligence_in_the_console_and_the_export(tmp_path: Path) -> None:
    compared = chat(tmp_path, "compare $500/month API budget, work only vs $200/month AI stipend for anything\n")
    assert "Offer B is ahead on real pay by $2,400 a year" in compared
    refused = chat(tmp_path, "compare €110k base vs $120k base\n")
    assert "different currencies" in refused and "ahead on real pay" not in refused

    checked = chat(tmp_path, "$500/month API budget, work-only\n")
    assert "In context (list prices, dated):" in checked
    assert "Rough guide only: $500 a month buys about" in checked and "(2025-10-01, anthropic.com/pricing)" in checked
    assert "Tax in the United States: general information, not tax advice:" in checked

    assert "Not enough checks in this workspace yet" in chat(tmp_path, "stats\n")
    more = "".join(f"${amount}/month API budget, work-only\n" for amount in (100, 200, 300, 400))
    stats = chat(tmp_path, more + "bad\nstats\n")
    assert "Thanks for the 👎" in stats
    assert "Community stats for this workspace: 5 AI allowances checked." in stats

    exported = tmp_path / "disagreed.jsonl"
    chat(tmp_path, "", command=("bot.cli", "feedback", "--export", "--output", str(exported)))
    [line] = exported.read_text().splitlines()
    record = json.loads(line)
    assert record["text"] == "$400/month API budget, work-only"
    assert record["verdict"]["verdict"] == "operating_cost"
    assert exported.stat().st_mode & 0o077 == 0, "offer texts: readable by the operator only"

    chat(tmp_path, "forget\n")
    chat(tmp_path, "", command=("bot.cli", "feedback", "--export", "--output", str(exported)))
    assert exported.read_text() == ""
