"""tools/pick-python.sh: the interpreter `make` creates .venv with."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "tools" / "pick-python.sh"

pytestmark = pytest.mark.skipif(shutil.which("sh") is None, reason="needs a POSIX shell")


def _fake_python(directory: Path, name: str, seconds: float | None, executable: str) -> None:
    """An interpreter that reports `seconds` for the timing (or fails it, when None)."""
    directory.mkdir(parents=True, exist_ok=True)
    body = "exit 1" if seconds is None else f'echo "{round(seconds * 1e6)} {executable}"'
    path = directory / name
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(0o755)


def _pick(path: str, *args: str) -> str:
    shell = shutil.which("sh")
    assert shell is not None
    finished = subprocess.run(
        [shell, str(SCRIPT), *args], capture_output=True, text=True, check=True, env={**os.environ, "PATH": path}
    )
    return finished.stdout.strip()


def test_the_fastest_interpreter_on_path_wins_wherever_it_is(tmp_path: Path) -> None:
    _fake_python(tmp_path / "manager", "python3.11", 0.012, "/opt/manager/python3.11")
    _fake_python(tmp_path / "manager", "python3", 0.012, "/opt/manager/python3.11")
    _fake_python(tmp_path / "system", "python3.11", 0.010, "/usr/lib/system/python3.11")
    _fake_python(tmp_path / "system", "python3.12", 0.011, "/usr/lib/system/python3.12")
    path = f"{tmp_path / 'manager'}:{tmp_path / 'system'}"
    assert _pick(path) == "/usr/lib/system/python3.11"


def test_each_interpreter_counts_by_its_best_round(tmp_path: Path) -> None:
    """A machine whose speed drifts slows whichever interpreter is timed then: each is timed in
    several rounds, and its fastest one counts."""
    counter = tmp_path / "runs"
    drifting = tmp_path / "drifting"
    drifting.mkdir()
    # slow on its first timing (the machine was busy), fast afterwards
    (drifting / "python3.11").write_text(
        f'#!/bin/sh\nif [ -f "{counter}" ]; then echo "9000 /opt/optimised/python3.11"; '
        f'else : > "{counter}"; echo "30000 /opt/optimised/python3.11"; fi\n',
        encoding="utf-8",
    )
    (drifting / "python3.11").chmod(0o755)
    _fake_python(tmp_path / "steady", "python3.11", 0.012, "/opt/manager/python3.11")
    assert _pick(f"{drifting}:{tmp_path / 'steady'}") == "/opt/optimised/python3.11"


def test_interpreters_that_cannot_run_the_timing_are_passed_over(tmp_path: Path) -> None:
    # an old Python fails the timing's version check; a version manager's shim with no such version fails too
    _fake_python(tmp_path / "a", "python3", None, "/old/python3.9")
    _fake_python(tmp_path / "a", "python3.13", None, "/shim/python3.13")
    _fake_python(tmp_path / "b", "python3.11", 0.5, "/slow/python3.11")
    assert _pick(f"{tmp_path / 'a'}:{tmp_path / 'b'}") == "/slow/python3.11"


def test_with_no_usable_interpreter_it_falls_back_to_python3(tmp_path: Path) -> None:
    _fake_python(tmp_path, "python3", None, "/old/python3.9")
    assert _pick(str(tmp_path)) == "python3"


def test_an_interpreter_given_to_make_is_used_as_given(tmp_path: Path) -> None:
    _fake_python(tmp_path, "python3.11", 0.01, "/usr/lib/system/python3.11")
    assert _pick(str(tmp_path), "python3.12") == "python3.12"


def test_the_timing_runs_on_this_interpreter() -> None:
    """The real timing code, not a fake: this test's own Python (>= 3.11, with venv) is picked,
    named by its real path (a venv's python is a link to it)."""
    directory = Path(sys.executable).parent
    assert _pick(f"{directory}:/nonexistent") == os.path.realpath(sys.executable)
