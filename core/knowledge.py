"""What a careful compensation adviser knows: the questions to ask and general answers."""

from __future__ import annotations

import re

from core.models import Signals
from core.text import quote

QUESTIONS: dict[str, str] = {
    "use": "Is the token budget restricted to work, or can I use it for personal projects and learning?",
    "expiry": "Does it expire? Do unused credits roll over or get paid out?",
    "top_up": "What happens if I need more than the allowance to do my actual job?",
    "comp_framing": "Is this counted in the total compensation figure of my offer?",
    "tax": "Is it reported as taxable income, or treated as a business expense?",
    "token_value": "What is the token allowance worth in money, and at which model's prices?",
}

HOW_TO_ASK = (
    "Tell me about the AI allowance in an offer and I'll say whether it's pay, for example:"
    " $500/month API budget, work-only."
)

_TAXED_AS_PAY = re.compile(r"taxable|taxed|payslip|payroll|benefit in kind|bik|p11d|w-?2|income|perquisite|gross")
_TAX_FREE = re.compile(r"tax[- ]?free|non[- ]?taxable|not taxable|not taxed|tax[- ]exempt|business expense|pre-?tax")

_TAX_GENERAL = (
    "Tax (general information, not advice): a work-only tool is usually a business expense the employee"
    " is not taxed on, while money you can spend freely is usually taxed as pay."
)
_LAPTOP_TEST = (
    "The laptop test: nobody lists a laptop as compensation. A tool the work cannot happen without is an"
    " operating cost, however it is pitched."
)
_OPEN_USE = (
    "Open use is a real benefit: tokens you can spend on personal projects, learning and experiments look like"
    " an education stipend, and that is worth something to you."
)
_THREE_QUESTIONS = (
    "The three questions: is it restricted to work or open? Does it expire? What happens if you need more"
    " than the allowance to do your job? If the company tops it up without blinking, it was always an"
    " operating cost."
)
_DONT_INFLATE = (
    "Don't let it inflate your idea of your pay: in a whole package, separate the headline total from real pay."
)
_EXPIRY = "Expiry changes how much it is worth, not which side of the line it falls on."


def tax_reason(phrase: str) -> str:
    low = phrase.lower()
    if _TAX_FREE.search(low):
        return (
            f"Tax ({quote(phrase)}): tax-free to you means the employer treats it as a business expense,"
            " one more sign it is an operating cost."
        )
    if _TAXED_AS_PAY.search(low):
        return f"Tax ({quote(phrase)}): taxed as income, the employer is treating it as pay to you."
    return f"Tax ({quote(phrase)}): how it is taxed shows whether the employer treats it as pay or as a cost."


def answer(signals: Signals) -> tuple[str, list[str]]:
    """A headline and reasons for a general question that names no sum of money."""
    topics = {found.value: found.phrase for found in signals.topics}
    if "tax" in topics:
        return (
            "It depends on how it is given: a work-only tool is usually a tax-free business expense, while"
            " cash you can spend freely is usually taxed as pay.",
            [f"You asked about tax ({quote(topics['tax'])}).", _TAX_GENERAL, _LAPTOP_TEST],
        )
    if "ask" in topics:
        return (
            "Ask three things: is it restricted to work, does it expire, and what happens if you need more?",
            [f"You asked what to ask ({quote(topics['ask'])}).", _THREE_QUESTIONS, _DONT_INFLATE],
        )
    if "expiry" in topics:
        return (
            "Expiry changes what an allowance is worth to you, not whether it is pay.",
            [f"You asked about expiry ({quote(topics['expiry'])}).", _EXPIRY, _THREE_QUESTIONS],
        )
    if "top_up" in topics:
        return (
            "If the company adds more whenever the job needs it, the allowance was always an operating cost.",
            [f"You asked about top-ups ({quote(topics['top_up'])}).", _THREE_QUESTIONS, _LAPTOP_TEST],
        )
    if signals.has_allowance or "value" in topics:
        return (
            "Count an AI allowance as pay only when you can use it for yourself; a work-only budget is an"
            " operating cost.",
            [_LAPTOP_TEST, _OPEN_USE, _THREE_QUESTIONS, _DONT_INFLATE],
        )
    return (HOW_TO_ASK, [_LAPTOP_TEST, _OPEN_USE])
