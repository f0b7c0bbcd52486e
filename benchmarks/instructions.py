"""Instructions per classification, counted by valgrind's callgrind.

Wall time on a shared machine drifts by ±10% within minutes; an instruction count does not, so it
tells a small speed change from noise. The child process warms up (imports, plans), then classifies
the corpus (or the 4,000-character letter) a number of times. The count of a run with one round is
taken from the count of a run with more, which leaves out start-up. Not part of `make bench`: it
takes a few minutes, and it needs valgrind.

    python -m benchmarks.instructions [corpus|letter] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys

from core.classifier import classify
from core.text import PLAN_AFTER_SCANS

_COLLECTED = re.compile(r"Collected : (\d+)")
_LETTER_CHECKS = 20  # checks of the letter per round


def _child(which: str, rounds: int) -> None:
    from benchmarks import core_bench

    texts = core_bench._texts()
    letter = core_bench._long_text()
    for _ in range(PLAN_AFTER_SCANS + 1):  # imports done; plans made
        for text in texts:
            classify(text)
        classify(letter)
    for _ in range(rounds):
        for text in texts if which == "corpus" else [letter] * _LETTER_CHECKS:
            classify(text)


def _count(which: str, rounds: int) -> int:
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        "-m",
        "benchmarks.instructions",
        "--child",
        which,
        "--rounds",
        str(rounds),
    ]
    # string hashes fixed, so set and dict orders (and the work they cause) are the same every run
    environment = {**os.environ, "PYTHONHASHSEED": "0"}
    finished = subprocess.run(command, capture_output=True, text=True, check=True, env=environment)
    found = _COLLECTED.search(finished.stderr)
    if found is None:
        raise RuntimeError(f"callgrind printed no count:\n{finished.stderr[-2000:]}")
    return int(found.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("which", nargs="?", choices=("corpus", "letter"), default="corpus")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.which, args.rounds)
        return 0
    if shutil.which("valgrind") is None:
        print("valgrind is not installed", file=sys.stderr)
        return 2
    if args.rounds < 2:
        parser.error("--rounds must be at least 2")
    per_round = (_count(args.which, args.rounds) - _count(args.which, 1)) / (args.rounds - 1)
    from benchmarks import core_bench

    checks = len(core_bench._texts()) if args.which == "corpus" else _LETTER_CHECKS
    print(f"{args.which}: {per_round / 1e6:,.1f} M instructions a round, {per_round / checks / 1e3:,.0f} k a check")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
