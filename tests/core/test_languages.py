"""Allowance vocabulary in German, French, Spanish and Japanese (replies stay in English)."""

from __future__ import annotations

import pytest

from core.classifier import classify


@pytest.mark.parametrize(
    ("text", "verdict", "amount", "currency", "period", "use", "expiry"),
    [
        (
            "KI-Budget von 200 € pro Monat, nur für die Arbeit, verfällt am Monatsende",
            "operating_cost",
            200,
            "EUR",
            "month",
            "work_only",
            "expires",
        ),
        (
            "KI-Guthaben 1.200 € jährlich, auch privat nutzbar",
            "perk",
            1200,
            "EUR",
            "year",
            "personal_allowed",
            "unknown",
        ),
        ("KI-Guthaben 50 € im Monat, verfällt nicht", "unclear", 50, "EUR", "month", "unknown", "rolls_over"),
        (
            "Budget IA de 150 € par mois, usage personnel autorisé",
            "perk",
            150,
            "EUR",
            "month",
            "personal_allowed",
            "unknown",
        ),
        (
            "Crédits IA : 900 € par trimestre, usage professionnel uniquement",
            "operating_cost",
            900,
            "EUR",
            "quarter",
            "work_only",
            "unknown",
        ),
        ("crédits IA 80 € par mois, reportés au mois suivant", "unclear", 80, "EUR", "month", "unknown", "rolls_over"),
        (
            "Presupuesto de IA: 100 € al mes, solo para trabajo, no acumulable",
            "operating_cost",
            100,
            "EUR",
            "month",
            "work_only",
            "expires",
        ),
        (
            "Créditos de IA de 1.000 € al año para proyectos personales",
            "perk",
            1000,
            "EUR",
            "year",
            "personal_allowed",
            "unknown",
        ),
        ("AI手当 月額2万円、業務専用、繰り越し不可", "operating_cost", 20000, "JPY", "month", "work_only", "expires"),
        ("AIクレジット 年額12万円、私用可", "perk", 120000, "JPY", "year", "personal_allowed", "unknown"),
    ],
)
def test_foreign_vocabulary(
    text: str, verdict: str, amount: float, currency: str, period: str, use: str, expiry: str
) -> None:
    result = classify(text)
    allowance = result.allowance
    assert (result.verdict, allowance.amount, allowance.currency, allowance.period) == (
        verdict,
        amount,
        currency,
        period,
    )
    assert (allowance.use, allowance.expiry) == (use, expiry)


def test_top_up_words_in_other_languages() -> None:
    assert classify("KI-Budget 300 € pro Monat, unbegrenzt für die Arbeit").allowance.top_up == "yes"
    assert classify("Budget IA plafonné à 100 € par mois").allowance.top_up == "no"
    assert classify("AIクレジット 月額3万円、上限なし").allowance.top_up == "yes"


def test_whole_package_in_german() -> None:
    offer = classify("Grundgehalt 90.000 € pro Jahr, KI-Guthaben 1.200 € jährlich, auch privat nutzbar").offer
    assert offer is not None
    assert (offer.headline_total_annual, offer.real_total_annual) == (91200, 91200)


def test_replies_are_in_english() -> None:
    assert classify("KI-Budget von 200 € pro Monat, nur für die Arbeit").headline.startswith("Office supplies")
