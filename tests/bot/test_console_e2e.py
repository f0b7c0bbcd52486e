"""`perkcheck chat` end to end: piped stdin, two processes sharing one database."""

from __future__ import annotations

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
