"""Core classifier speed: classifications per second, p50/p99 latency, CLI wall time."""

from __future__ import annotations

import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

from core.classifier import MAX_INPUT_CHARS, classify
from core.text import PLAN_AFTER_SCANS

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "core" / "corpus.jsonl"


def _texts() -> list[str]:
    return [json.loads(line)["text"] for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


_LETTER = """Dear Alex,

We are delighted to offer you the position of Senior Software Engineer at Northwind Labs, reporting to the
Director of Platform Engineering. This letter sets out the main terms of your employment; the full terms are
in the enclosed employment agreement, which prevails if anything here conflicts with it.

Start date and location. Your anticipated start date is the first Monday of next month. The role is hybrid:
you will be expected in our office on Tuesdays and Thursdays, and may work remotely on other days, subject to
the remote working policy in the employee handbook and to the needs of your team.

Compensation. Your base salary will be $185,000 per annum, paid semi-monthly in accordance with our normal
payroll practices and subject to applicable withholdings. You will be eligible for an annual performance bonus
with a target of 10% of your base salary, based on company and individual performance; bonuses are paid in
the first quarter following the performance year and you must be employed on the payment date to receive it.

Equity. Subject to approval by the Board, you will be granted restricted stock units with a value of $80,000,
vesting over 4 years with a one-year cliff and quarterly vesting thereafter, under the terms of the Equity
Incentive Plan and your award agreement.

AI tooling. To support your work you will receive an AI tooling allowance of $500 per month in API credits on
the company's account. The allowance is for work use only and unused credits expire at the end of each month.
If your projects need more capacity, your manager can approve an increase.

Benefits. You will be eligible to participate in our medical, dental and vision plans from your first day, our
401(k) plan with a company match, life and disability insurance, and our paid time off policy, which currently
provides 25 days of vacation per year in addition to company holidays. Details of each plan are in the
benefits guide; plans may be amended from time to time.

Equipment. We will provide a laptop, a monitor and the software licences you need for your role. Equipment
remains the property of the company and must be returned when your employment ends.

Conditions. This offer is contingent on satisfactory completion of a background check, verification of your
right to work, and your signing our standard confidentiality and invention assignment agreement. Your
employment is at will, which means either you or the company may end it at any time, with or without cause
or notice. Nothing in this letter creates a contract for a fixed term.

Confidentiality. During and after your employment you must keep confidential all non-public information about
the company, its customers and its partners, and you must not use it for any purpose other than your work for
us. You agree not to bring to the company any confidential information belonging to a former employer.

Acceptance. To accept this offer, please sign and return this letter within seven days. We are excited about
the prospect of you joining the team and about what we will build together. If you have any questions, please
contact your recruiter, who will be glad to help.

Sincerely,
Jordan Lee, Head of People
"""


def _long_text() -> str:
    """A pasted offer letter of the maximum length (realistic: prose with a handful of sums)."""
    letter = _LETTER.replace("\n", " ")
    return (letter + " " + letter)[:MAX_INPUT_CHARS]


def _dense_text() -> str:
    """A worst case: 4,000 characters packed with sums and allowance vocabulary."""
    paragraph = (
        "Base salary $185,000 per annum, a target bonus of 10%, RSUs worth $80,000 vesting over 4 years, and "
        "$500/month AI credits; work use only, unused credits expire monthly. "
    )
    return (paragraph * (MAX_INPUT_CHARS // len(paragraph) + 1))[:MAX_INPUT_CHARS]


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return ordered[len(ordered) // 2], ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def _latency(text: str, rounds: int = 200) -> tuple[float, float]:
    classify(text)
    samples = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        classify(text)
        samples.append(time.perf_counter() - t0)
    return _percentiles(samples)


def _machine_speed() -> float:
    """Milliseconds a fixed pure-Python loop takes (best of five): the same code on the same
    interpreter, so a reader can tell a slow machine from slow code. This machine's speed swings
    by more than half within minutes; see docs/benchmarks.md."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        total = 0
        for number in range(1_000_000):
            total += number
        best = min(best, time.perf_counter() - started)
    return best * 1e3


def run(rounds: int = 20) -> list[tuple[str, str]]:
    machine_before = _machine_speed()
    texts = _texts()
    # the steady state of a running bot: a pattern gets its start plan once scanned
    # PLAN_AFTER_SCANS times (a bot's warm-up and first checks see to that; here the corpus does)
    for _ in range(PLAN_AFTER_SCANS + 1):
        for text in texts:
            classify(text)
    # as `python -m bot` does once started (bot/bootstrap.py): the start-up objects leave the
    # cyclic collector's sight, so a full collection does not walk them in the middle of a check
    gc.collect()
    gc.freeze()
    latencies: list[float] = []
    started = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            t0 = time.perf_counter()
            classify(text)
            latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    p50, p99 = _percentiles(latencies)

    long_p50, long_p99 = _latency(_long_text())
    dense_p50, dense_p99 = _latency(_dense_text())

    machine_after = _machine_speed()

    cli = ROOT / ".venv" / "bin" / "perkcheck"
    command = [str(cli)] if cli.exists() else [sys.executable, "-m", "bot.cli"]
    walls = []
    for _ in range(7):
        t0 = time.perf_counter()
        subprocess.run(
            [*command, "check", "--json", "$500/month API budget, work-only"], capture_output=True, check=True
        )
        walls.append(time.perf_counter() - t0)

    return [
        # the interpreter matters here: see tools/pick-python.sh
        ("python", f"{platform.python_version()} ({os.path.realpath(sys.executable)})"),
        (
            "machine: a fixed Python loop, before / after the core runs",
            f"{machine_before:.1f} ms / {machine_after:.1f} ms",
        ),
        ("core: classifications/s (corpus)", f"{len(latencies) / elapsed:,.0f}  (target >= 5,000)"),
        ("core: latency p50 / p99 (corpus)", f"{p50 * 1e3:.3f} ms / {p99 * 1e3:.3f} ms"),
        (
            "core: 4,000-char offer letter p50 / p99",
            f"{long_p50 * 1e3:.3f} ms / {long_p99 * 1e3:.3f} ms  (target p99 < 2 ms)",
        ),
        ("core: 4,000 chars dense with sums p50 / p99", f"{dense_p50 * 1e3:.3f} ms / {dense_p99 * 1e3:.3f} ms"),
        ("cli: perkcheck check --json wall (median of 7)", f"{statistics.median(walls):.3f} s  (target < 0.3 s)"),
    ]
