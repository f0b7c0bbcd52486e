"""Signals -> the verdict object: the rules, the questions, and the words a person reads."""

from __future__ import annotations

import functools

from core import knowledge
from core.models import (
    PERIOD_FACTORS,
    Allowance,
    Component,
    Found,
    Offer,
    OfferComponent,
    Question,
    Signals,
    Verdict,
    VerdictKind,
)
from core.present import money_text
from core.text import quote

__all__ = ["decide", "money_text", "package", "verdict_for"]


def verdict_for(use: str, top_up: str, company_kit: bool, has_allowance: bool) -> VerdictKind:
    """The contract's rules 0-5, in order."""
    if not has_allowance:
        return "unclear"
    opened = use in ("personal_allowed", "some_personal")
    if use == "work_only" or (company_kit and not opened):  # rules 1 and 0
        return "operating_cost"
    if top_up == "yes":  # rule 2
        return "mixed" if use == "personal_allowed" else "operating_cost"
    if use == "personal_allowed":  # rule 3
        return "perk"
    if use == "some_personal":  # rule 4
        return "mixed"
    return "unclear"  # rule 5


def decide(signals: Signals) -> Verdict:
    """Apply the rules to the signals and write the reply's words."""
    use = _value(signals.use, "unknown")
    expiry = _value(signals.expiry, "unknown")
    top_up = _value(signals.top_up, "unknown")
    has_allowance = signals.has_allowance
    money = signals.money if has_allowance else None
    annual = None
    if money is not None and money.period is not None:
        annual = round(money.amount * PERIOD_FACTORS[money.period], 2)

    kind = verdict_for(use, top_up, signals.company_kit is not None, has_allowance)
    allowance = Allowance(
        amount=money.amount if money else None,
        currency=money.currency if money else None,
        period=money.period if money else None,
        annual_amount=annual,
        form=signals.form.value if (signals.form and has_allowance) else None,
        use=use if has_allowance else "unknown",
        expiry=expiry if has_allowance else "unknown",
        top_up=top_up if has_allowance else "unknown",
    )
    comp_value = 0.0 if kind == "operating_cost" else (annual if kind == "perk" else None)
    offer = package(signals, kind) if len(signals.components) >= 2 else None

    if signals.is_question and money is None:
        headline, reasons = knowledge.answer(signals)
    else:
        headline = _headline(kind, signals, allowance, offer)
        reasons = _reasons(kind, signals, allowance, offer)
    return Verdict(
        verdict=kind,
        headline=headline,
        allowance=allowance,
        comp_value_annual=comp_value,
        reasons=reasons,
        questions=_questions(signals, allowance) if has_allowance else [],
        offer=offer,
    )


def _value(found: Found | None, default: str) -> str:
    return found.value if found is not None else default


# --- questions ------------------------------------------------------------------------------


def _questions(signals: Signals, allowance: Allowance) -> list[Question]:
    asked: list[Question] = []
    if allowance.use == "unknown":
        asked.append(_question("use"))
    if allowance.expiry == "unknown":
        asked.append(_question("expiry"))
    if allowance.top_up == "unknown":
        asked.append(_question("top_up"))
    if signals.comp_framing is None:
        asked.append(_question("comp_framing"))
    if signals.tax is None:
        asked.append(_question("tax"))
    if allowance.amount is None and signals.token_count is not None:
        asked.append(_question("token_value"))
    return asked


@functools.cache
def _question(question_id: str) -> Question:
    """One question, built once: questions are frozen, so every verdict can share it."""
    return Question(id=question_id, text=knowledge.QUESTIONS[question_id])


# --- words ----------------------------------------------------------------------------------


def _yearly(allowance: Allowance) -> str | None:
    if allowance.annual_amount is None:
        return None
    amount = money_text(allowance.annual_amount, allowance.currency)
    return f"one-time {amount}" if allowance.period == "one_time" else f"{amount}/yr"


def _headline(kind: VerdictKind, signals: Signals, allowance: Allowance, offer: Offer | None) -> str:
    yearly = _yearly(allowance)
    zero = money_text(0, allowance.currency or "USD")
    if not signals.has_allowance:
        if offer is not None:
            real = money_text(offer.real_total_annual, offer.currency)
            return f"No AI token or tool allowance in this package: real pay is {real} a year."
        return knowledge.HOW_TO_ASK
    if kind == "operating_cost":
        if signals.company_kit is not None and allowance.use != "work_only" and yearly is None:
            return f"Company kit, not compensation: count {zero} of it as pay."
        if yearly is None:
            return f"Office supplies with better marketing: count {zero} of it as pay."
        return f"Office supplies with better marketing: count {zero} of the {yearly} as pay."
    if kind == "perk":
        if yearly is None:
            return "A real perk: open use makes it worth something to you, up to what you'd pay for it yourself."
        return f"A real perk: you can fairly count the {yearly} as pay, if you'd really use it for yourself."
    if kind == "mixed":
        if yearly is None:
            return "Partly pay: only the share you'd really use for yourself counts."
        return f"Partly pay: count somewhere between {zero} and the {yearly}, by how much you'd use it for yourself."
    if yearly is None:
        return "Can't tell yet: ask whether it's restricted to work before you count any of it as pay."
    return f"Can't tell yet: don't count the {yearly} as pay until you know whether it's restricted to work."


def _reasons(kind: VerdictKind, signals: Signals, allowance: Allowance, offer: Offer | None) -> list[str]:
    reasons: list[str] = []
    money = signals.money if signals.has_allowance else None
    if money is not None:
        if allowance.annual_amount is None:
            reasons.append(f"Amount {quote(money.phrase)}: no period is stated, so I can't put a yearly figure on it.")
        elif money.period == "day":
            reasons.append(
                f"Amount {quote(money.phrase)}: {money_text(allowance.annual_amount, money.currency)} a year,"
                " counting 260 working days."
            )
        elif money.period == "one_time":
            reasons.append(f"Amount {quote(money.phrase)}: paid once, so it counts once.")
        elif money.period != "year":
            reasons.append(
                f"Amount {quote(money.phrase)}: {money_text(allowance.annual_amount, money.currency)} a year."
            )
    elif signals.has_allowance and signals.token_count is not None:
        reasons.append(f"A token count is not money ({quote(signals.token_count)}): ask what it is worth in currency.")

    if signals.company_kit is not None and allowance.use not in ("personal_allowed", "some_personal"):
        reasons.append(
            f"Company kit ({quote(signals.company_kit.phrase)}): equipment, licences and compute the company"
            " owns and manages for the job are tools, not pay."
        )
    use_phrase = quote(signals.use.phrase) if signals.use else ""
    if allowance.use == "work_only":
        reasons.append(
            f"Restricted to work use ({use_phrase}): the work cannot happen without it, so it is an operating"
            " cost (the laptop test)."
        )
    elif allowance.use == "personal_allowed":
        reasons.append(
            f"Open to personal use ({use_phrase}): like an education stipend, that is worth something to you."
        )
    elif allowance.use == "some_personal":
        reasons.append(
            f"Only partly open ({use_phrase}): the personal share is pay, the work share is an operating cost."
        )
    elif signals.has_allowance and signals.company_kit is None:
        reasons.append("Nothing says whether you can use it outside work, and that decides whether any of it is pay.")

    if signals.top_up is not None and allowance.top_up != "unknown":
        phrase = quote(signals.top_up.phrase)
        if allowance.top_up == "yes":
            tail = (
                "even with personal use allowed, part of it is really the company's running cost."
                if allowance.use == "personal_allowed"
                else "if the company tops it up without blinking, it was always an operating cost."
            )
            reasons.append(f"More is given when the job needs it ({phrase}): {tail}")
        else:
            reasons.append(f"A hard cap ({phrase}): if the work needs more, you may end up paying for it.")

    if signals.expiry is not None and allowance.expiry != "unknown":
        phrase = quote(signals.expiry.phrase)
        effect = {
            "expires": "use-it-or-lose-it lowers what it is worth to you",
            "rolls_over": "unused credit carrying over makes it worth a little more to you",
            "cash_out": "unused balance paid out as money behaves like cash pay",
        }[allowance.expiry]
        reasons.append(
            f"Expiry ({phrase}): {effect}; it changes how much it is worth, not which side of the line it falls on."
        )

    if signals.comp_framing is not None and signals.has_allowance:
        reasons.append(
            f"Framing ({quote(signals.comp_framing.phrase)}): whatever the offer counts, only real pay should"
            " shape your idea of your pay."
        )
    if signals.tax is not None and signals.has_allowance:
        reasons.append(knowledge.tax_reason(signals.tax.phrase))
    if offer is not None:
        reasons.extend(_offer_reasons(signals, offer, kind))
    elif not signals.has_allowance:
        reasons.append("I couldn't find an AI token or tool allowance in that text.")
    return reasons


# --- whole offers ---------------------------------------------------------------------------


def package(signals: Signals, kind: VerdictKind) -> Offer | None:
    """The pay components as an offer with its two totals (the verdict carries one only from two
    components up, as the contract says; comparisons use it for a single component too)."""
    if not signals.components:
        return None
    currencies = [c.currency for c in signals.components if c.kind == "base" and c.currency]
    currencies += [c.currency for c in signals.components if c.currency]
    currency = currencies[0] if currencies else None
    rows: list[OfferComponent] = []
    headline_total = 0.0
    real_total = 0.0
    for component in signals.components:
        counts = _counts_as_pay(component, kind)
        same_currency = component.currency in (None, currency)
        rows.append(OfferComponent(label=component.label, annual_amount=component.annual_amount, counts_as_pay=counts))
        if component.annual_amount is None or not same_currency:
            continue
        headline_total += component.annual_amount
        if counts:
            real_total += component.annual_amount
    return Offer(
        currency=currency,
        headline_total_annual=round(headline_total, 2),
        real_total_annual=round(real_total, 2),
        components=rows,
    )


def _counts_as_pay(component: Component, kind: VerdictKind) -> bool:
    if component.kind in ("base", "bonus", "sign_on"):
        return True
    if component.kind == "equity":
        return component.annual_amount is not None
    verdict = kind if component.is_main else component.own_verdict
    return verdict == "perk"


def _offer_reasons(signals: Signals, offer: Offer, kind: VerdictKind) -> list[str]:
    reasons: list[str] = []
    gap = offer.headline_total_annual - offer.real_total_annual
    if gap > 0:
        reasons.append(
            f"Headline total {money_text(offer.headline_total_annual, offer.currency)} a year; real pay"
            f" {money_text(offer.real_total_annual, offer.currency)}: the difference is not pay."
        )
    for component in signals.components:
        if component.kind == "equity" and component.annual_amount is None:
            reasons.append(f"Equity {quote(component.phrase)} has no annual figure, so it is left out of both totals.")
        if component.kind in ("allowance", "stipend") and component.annual_amount is not None:
            verdict = kind if component.is_main else component.own_verdict
            if verdict in (None, "operating_cost", "perk"):
                continue
            reasons.append(
                f"Up to {money_text(component.annual_amount, component.currency or offer.currency)} more if"
                f" {quote(component.phrase)} turns out to be open to personal use."
            )
        if component.assumed_annual and component.kind != "base":
            reasons.append(f"{quote(component.phrase)} has no period stated, so I read it as yearly.")
        if component.currency not in (None, offer.currency):
            reasons.append(f"{quote(component.phrase)} is in another currency, so it is left out of the totals.")
    if signals.stated_total is not None:
        stated = signals.stated_total.amount
        if abs(stated - offer.headline_total_annual) > 0.5:
            reasons.append(
                f"The stated total {quote(signals.stated_total.phrase)} differs from the components, which add"
                f" up to {money_text(offer.headline_total_annual, offer.currency)}."
            )
    return reasons
