"""The `perkcheck` command as a process: check, --json, --jsonl, errors, --version, --help."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from cli_runner import perkcheck

from core import __version__
from core.classifier import MAX_INPUT_CHARS


def test_check_json_prints_the_contract_object_on_one_line() -> None:
    run = perkcheck("check", "--json", "$500/month API budget, work-only")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert len(lines) == 1
    verdict = json.loads(lines[0])
    assert set(verdict) == {
        "verdict",
        "headline",
        "allowance",
        "comp_value_annual",
        "reasons",
        "questions",
        "offer",
    }
    assert verdict["verdict"] == "operating_cost"
    assert verdict["allowance"]["annual_amount"] == 6000
    ids = [question["id"] for question in verdict["questions"]]
    assert "expiry" in ids and "top_up" in ids and "use" not in ids


def test_check_for_a_person_names_the_verdict_in_shared_words() -> None:
    run = perkcheck("check", "€100 monthly AI stipend, spend it on anything, including personal projects")
    assert run.returncode == 0
    assert "REAL PERK" in run.stdout
    assert "\033[" not in run.stdout  # no colour when not a terminal
    assert "Ask the employer:" in run.stdout


def test_check_colour_can_be_forced() -> None:
    run = perkcheck("check", "--color", "always", "$5k/yr AI budget, work only")
    assert "\033[" in run.stdout and "OPERATING COST" in run.stdout


def test_check_reads_stdin_when_no_text_is_given() -> None:
    run = perkcheck("check", "--json", stdin="£50/month towards AI tools; reasonable personal use is ok")
    assert json.loads(run.stdout)["verdict"] == "mixed"


def test_jsonl_keeps_order_and_isolates_bad_lines() -> None:
    lines = [
        json.dumps({"text": "$500/month API budget, work-only"}),
        "not json at all",
        json.dumps({"text": "x" * (MAX_INPUT_CHARS + 1)}),
        json.dumps({"nope": 1}),
        json.dumps(["a list"]),
        json.dumps({"text": 42}),
        json.dumps({"text": "A Claude Max plan on us, use it for whatever you like"}),
    ]
    run = perkcheck("check", "--jsonl", stdin="\n".join(lines) + "\n")
    assert run.returncode == 0, run.stderr
    results = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(results) == len(lines)
    assert results[0]["verdict"] == "operating_cost"
    for bad in results[1:6]:
        assert set(bad) == {"error"} and bad["error"]
    assert "4,000" in results[2]["error"]
    assert results[6]["verdict"] == "perk"


def test_over_long_input_is_refused_with_a_clear_message() -> None:
    run = perkcheck("check", "--json", "y" * (MAX_INPUT_CHARS + 1))
    assert run.returncode != 0
    assert "4,000" in run.stderr
    assert "verdict" not in run.stdout


@pytest.mark.parametrize("text", ["", "\x01\x02\x7f", "<!channel> @everyone", "日本語のテキスト", "<b>markup</b>"])
def test_odd_input_gets_a_friendly_unclear(text: str) -> None:
    run = perkcheck("check", "--json", text, stdin="")
    assert run.returncode == 0, run.stderr
    verdict = json.loads(run.stdout)
    assert verdict["verdict"] == "unclear"
    assert "for example" in verdict["headline"]


def test_binary_on_stdin_is_handled() -> None:
    run = perkcheck("check", "--json", stdin="\x00\xff\x00 binary \x00")
    assert run.returncode == 0 and json.loads(run.stdout)["verdict"] == "unclear"


def test_version_and_help() -> None:
    assert perkcheck("--version").stdout.strip() == f"perkcheck {__version__}"
    help_text = perkcheck("--help").stdout
    for word in ("check", "chat", "migrate", "serve", "--jsonl"):
        assert word in help_text or word == "--jsonl"
    assert "--jsonl" in perkcheck("check", "--help").stdout


def test_check_does_not_load_platform_or_database_stacks() -> None:
    code = (
        "import sys, io, contextlib\n"
        "from bot.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['check', '--json', '$1k/mo AI credits'])\n"
        "stacks = ('sqlalchemy', 'slack_bolt', 'slack_sdk', 'discord', 'aiohttp', 'alembic')\n"
        "heavy = [m for m in stacks if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert run.stdout.strip() == ""
