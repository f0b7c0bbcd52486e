"""`perkcheck compare` and `perkcheck check --context` as processes."""

from __future__ import annotations

import json

from cli_runner import perkcheck

OFFERS = (
    "Offer A: $185k base, 10% bonus, $15,000/yr AI token credits, work only."
    " Offer B: $190k base, 10% bonus, $5,000/yr AI stipend, use it for anything"
)


def test_compare_json_end_to_end() -> None:
    run = perkcheck("compare", "--json", OFFERS)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert data["comparable"] is True and data["currency"] == "USD"
    assert data["ahead"] == "Offer B" and data["margin_annual"] == 10500
    assert data["headline_ahead"] == "Offer A"
    assert [(o["label"], o["headline_total_annual"], o["real_total_annual"]) for o in data["offers"]] == [
        ("Offer A", 218500, 203500),
        ("Offer B", 214000, 214000),
    ]
    assert data["offers"][0]["not_pay"][0]["verdict"] == "operating_cost"
    assert data["offers"][1]["verdict"]["verdict"] == "perk"


def test_compare_reads_two_lines_from_stdin_and_prints_for_a_person() -> None:
    run = perkcheck("compare", stdin="$500/month API budget, work-only\n$200/month AI stipend, personal use allowed\n")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("Offer B is ahead on real pay by $2,400 a year")
    assert "Offer A: headline $6,000/yr, real pay $0/yr" in run.stdout
    assert "What makes the difference:" in run.stdout


def test_compare_refuses_to_add_different_currencies() -> None:
    run = perkcheck("compare", "--json", "$120k base, $2k/yr AI credits vs €110k base, €2k/yr AI budget for anything")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["comparable"] is False and data["ahead"] is None and data["margin_annual"] is None
    assert "different currencies" in data["refusal"] and data["summary"] == data["refusal"]


def test_compare_with_one_offer_explains_how_to_ask() -> None:
    run = perkcheck("compare", "--json", "$500/month API budget, work-only")
    assert run.returncode == 2
    assert "two offers" in json.loads(run.stdout)["error"]
    assert "two offers" in run.stderr


def test_check_context_adds_dated_prices_and_a_tax_note_without_changing_the_verdict() -> None:
    text = "they gave me Claude Pro, personal use is fine, we are based in London"
    plain = json.loads(perkcheck("check", "--json", text).stdout)
    run = perkcheck("check", "--json", "--context", text)
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert {key: data[key] for key in plain} == plain
    assert any("Claude Pro is about $20/month" in note and "2025-10-01" in note for note in data["context"])
    assert data["tax_note"]["country"] == "GB"
    assert data["tax_note"]["label"].startswith("General information, not tax advice")


def test_check_context_for_a_person_and_the_country_flag() -> None:
    run = perkcheck("check", "--context", "--country", "US", "Cursor Pro seat, work only")
    assert run.returncode == 0, run.stderr
    assert "In context:" in run.stdout and "cursor.com/pricing" in run.stdout
    assert "Tax in the United States (General information, not tax advice" in run.stdout
    assert "IRC §132(d)" in run.stdout


def test_check_without_context_is_unchanged() -> None:
    run = perkcheck("check", "they gave me Cursor Pro")
    assert "In context:" not in run.stdout and "not tax advice" not in run.stdout
