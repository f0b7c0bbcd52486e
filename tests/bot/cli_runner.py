"""Runs the `perkcheck` command as a separate process, as a person would."""

from __future__ import annotations

import subprocess
import sys


def perkcheck(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
