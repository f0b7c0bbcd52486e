"""Community stats for one workspace or server: how many allowances were checked, the share of each verdict,
and the median annual amount by verdict. Counts only: no user ids, no texts, nothing shown below `MIN_CASES`.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from core.models import VERDICT_LABELS
from core.present import money_text

__all__ = ["MIN_CASES", "Median", "WorkspaceStats", "stats_text"]

#: Nothing is shown until a workspace has this many checked allowances, and a median needs this many amounts.
MIN_CASES = 5


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Median(_Model):
    """The median annual amount of one verdict's allowances in one currency, and how many it is taken over."""

    verdict: str
    currency: str | None
    median_annual: float
    count: int


class WorkspaceStats(_Model):
    """Aggregates over the stored cases with an allowance in one workspace (what storage computes in SQL)."""

    total: int
    by_verdict: dict[str, int] = Field(default_factory=dict)
    medians: list[Median] = Field(default_factory=list)


def stats_text(stats: WorkspaceStats, where: str = "this workspace") -> str:
    """The stats in plain words, or a friendly note when there are too few checks to show anything."""
    if stats.total < MIN_CASES:
        return (
            f"Not enough checks in {where} yet for community stats: I show them once at least {MIN_CASES}"
            " AI allowances have been checked here, so that nobody can be singled out."
        )
    checks = "allowance" if stats.total == 1 else "allowances"
    lines = [f"Community stats for {where}: {stats.total} AI {checks} checked."]
    for verdict, label in VERDICT_LABELS.items():
        count = stats.by_verdict.get(verdict, 0)
        if count:
            lines.append(f"  {label}: {round(100 * count / stats.total)}% ({count})")
    medians = [m for m in stats.medians if m.count >= MIN_CASES]
    if medians:
        lines.append("Median annual amount:")
        order = list(VERDICT_LABELS)
        for median in sorted(medians, key=lambda m: (order.index(m.verdict), m.currency or "")):
            amount = money_text(median.median_annual, median.currency)
            lines.append(f"  {VERDICT_LABELS[median.verdict]}: {amount} a year (over {median.count} checks)")
    lines.append(
        f"Counts only: no names, user ids or offer texts. A median is shown where at least {MIN_CASES} checks"
        " in one currency share a verdict."
    )
    return "\n".join(lines)
