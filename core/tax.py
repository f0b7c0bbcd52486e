"""Tax notes: general information about how an AI allowance tends to be taxed, by country. Not tax advice.

A note is given only where a country is implied (by the text's words or currency, or a user's setting).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from core.models import Verdict

__all__ = ["NOT_ADVICE", "TaxNote", "tax_note"]

NOT_ADVICE = "General information, not tax advice: rules change and depend on the details; ask a tax adviser."

_NAMES = {
    "US": "the United States",
    "GB": "the United Kingdom",
    "IN": "India",
    "CA": "Canada",
    "DE": "Germany",
    "AU": "Australia",
    "JP": "Japan",
}
_ALIASES = {"UK": "GB", "USA": "US", "UNITED STATES": "US", "UNITED KINGDOM": "GB", "BRITAIN": "GB"}
_SIGN = (
    "A work-only allowance that is tax-free to you is one more sign it is a business expense of the employer, not pay."
)


class TaxNote(BaseModel):
    """General tax information for one country, labelled as not advice."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    country: str  # ISO 3166-1 alpha-2, or the code given
    title: str
    points: list[str]
    business_expense_sign: str | None = None
    label: str = NOT_ADVICE

    def to_json_dict(self) -> dict[str, object]:
        return self.model_dump(mode="json")

    def render_text(self) -> str:
        """Plain text for any surface: title, the label, the points, the business-expense sign."""
        lines = [f"{self.title} ({self.label})"]
        lines.extend(f"  • {point}" for point in self.points)
        if self.business_expense_sign:
            lines.append(f"  • {self.business_expense_sign}")
        return "\n".join(lines)


def tax_note(verdict: Verdict, country: str | None) -> TaxNote | None:
    """General tax information for the verdict's allowance in `country`; None when no country is implied.

    Also None when the text names no allowance at all (nothing to say about how it is taxed).
    """
    if not country or not _names_an_allowance(verdict):
        return None
    code = _ALIASES.get(country.strip().upper(), country.strip().upper())
    work_only = verdict.verdict == "operating_cost"
    if code == "US":
        return _us(verdict, work_only)
    if code == "GB":
        return _uk(verdict, work_only)
    return _elsewhere(code, work_only)


def _names_an_allowance(verdict: Verdict) -> bool:
    allowance = verdict.allowance
    asked = {question.id for question in verdict.questions}
    return (
        allowance.amount is not None
        or allowance.form is not None
        or allowance.use != "unknown"
        or bool(asked & {"use", "expiry", "top_up"})
    )


def _us(verdict: Verdict, work_only: bool) -> TaxNote:
    form = verdict.allowance.form
    points = [
        "Tools and services the employer provides only for the job are usually a working-condition fringe"
        " (IRC §132(d)): excluded from your income, because you could deduct them as a business expense"
        " if you paid for them yourself.",
        "A stipend paid as money without receipts or proof of business use is taxable wages: it goes on"
        " your W-2 with withholding, so it is worth less to you than its face value.",
        "Reimbursements under an accountable plan (a business connection, receipts, and excess amounts"
        " returned) are not wages; reimbursements outside such a plan are taxed as wages.",
    ]
    if form == "stipend":
        points.insert(
            0, "This reads as a stipend: unless you must account for it with receipts, expect it to be taxed as pay."
        )
    elif form == "reimbursement":
        points.insert(0, "This reads as a reimbursement: ask whether it is under an accountable plan.")
    if verdict.verdict in ("perk", "mixed"):
        points.append("Personal use of something the employer pays for is generally a taxable fringe benefit.")
    return TaxNote(
        country="US",
        title="Tax in the United States",
        points=points,
        business_expense_sign=_SIGN if work_only else None,
    )


def _uk(verdict: Verdict, work_only: bool) -> TaxNote:
    points = [
        "Supplies and services provided for use in doing your job, with any private use not significant, are"
        " exempt from income tax (ITEPA 2003 s316).",
        "Expenses the employer pays or reimburses that you could have deducted yourself (wholly, exclusively"
        " and necessarily for the job) are exempt too (ITEPA 2003 s289A): nothing to report on a P11D.",
        "Otherwise it is a benefit in kind (on a P11D or payrolled) or, if paid as money, earnings through PAYE:"
        " taxed as pay, so worth less to you than its face value.",
    ]
    if verdict.allowance.form == "stipend":
        points.insert(0, "This reads as a stipend paid as money: expect it to go through payroll as taxable pay.")
    return TaxNote(
        country="GB",
        title="Tax in the United Kingdom",
        points=points,
        business_expense_sign=_SIGN if work_only else None,
    )


def _elsewhere(code: str, work_only: bool) -> TaxNote:
    name = _NAMES.get(code, code)
    points = [
        f"Tax rules in {name} are not covered in detail here. In most countries, tools and services an employer"
        " provides only for the job are treated as a business expense and are not taxed as your income,"
        " while money you can spend freely is taxed as pay.",
        "Ask the employer how it will be reported (on your payslip as pay, as a taxable benefit, or as a"
        " business expense), and a local tax adviser for your own case.",
    ]
    return TaxNote(
        country=code, title=f"Tax in {name}", points=points, business_expense_sign=_SIGN if work_only else None
    )
