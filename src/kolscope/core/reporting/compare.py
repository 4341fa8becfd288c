"""Campaigns side by side and the KOL leaderboard, by the report's own definitions.

A leaderboard adds up each KOL's totals over every campaign it was in (posts, clicks, sales,
spend) and computes its KPIs from those sums, never by averaging campaign ratios.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from pydantic import BaseModel

from kolscope.core.reporting.facts import KolFacts
from kolscope.core.reporting.models import CampaignReport, CampaignSummary, KolLine, Kpi
from kolscope.core.reporting.report import ReportInput, kol_line, kol_totals, spend_lines
from kolscope.core.reporting.totals import LOWER_IS_BETTER, Totals, sum_totals
from kolscope.errors import InvalidInput

#: KPIs a leaderboard ranks by (KolLine fields).
RANKABLE = ("engagements", "engagement_rate", "impressions", "views", "clicks", "orders",
            "revenue", "spend", "cpe", "cpc", "cpa", "roas", "roi")
#: How each rankable KPI reads (the report's units).
RANK_UNITS = {"engagement_rate": "share", "roi": "share", "revenue": "money", "spend": "money",
              "cpe": "money", "cpc": "money", "cpa": "money", "roas": "ratio"}


class Comparison(BaseModel):
    campaigns: list[CampaignSummary]
    keys: list[str]
    labels: dict[str, str]
    kpis: list[list[Kpi]]  # one list per campaign, in ``keys`` order


class LeaderRow(BaseModel):
    rank: int
    value: int | float | str | None  # the ranking KPI (money as text)
    campaigns: list[str]
    kol: KolLine


class Leaderboard(BaseModel):
    by: str
    generated_at: datetime
    rows: list[LeaderRow]


def compare(reports: Sequence[CampaignReport]) -> Comparison:
    """The same KPIs of each report, in one order."""
    if not reports:
        raise InvalidInput("nothing to compare", field="slugs")
    keys = [k.key for k in reports[0].kpis]
    return Comparison(campaigns=[r.campaign for r in reports], keys=keys,
                      labels={k.key: k.label for k in reports[0].kpis},
                      kpis=[[r.kpi(key) for key in keys] for r in reports])


def leaderboard(inputs: Sequence[ReportInput], *, by: str, generated_at: datetime,
                limit: int = 50) -> Leaderboard:
    """KOLs (by account) ranked by ``by`` over every campaign of ``inputs``; costs lowest
    first, everything else highest first, unknown values last."""
    if by not in RANKABLE:
        raise InvalidInput(f"rank by one of {', '.join(RANKABLE)}", field="by")
    if not 1 <= limit <= 10_000:
        raise InvalidInput("limit is 1 to 10,000", field="limit")
    parts: dict[int, list[Totals]] = defaultdict(list)
    seen: dict[int, KolFacts] = {}
    campaigns: dict[int, list[str]] = defaultdict(list)
    for data in inputs:
        totals = kol_totals(data, spend_lines(data.kols, data.entries))
        for k in data.kols:
            parts[k.account_id].append(totals[k.collaboration_id])
            seen.setdefault(k.account_id, k)
            campaigns[k.account_id].append(data.campaign.slug)
    lines = [kol_line(seen[a], sum_totals(ts)) for a, ts in parts.items()]

    def key(line: KolLine) -> tuple[bool, float, str]:
        value = getattr(line, by)
        if value is None:
            return True, 0.0, line.handle
        return False, float(value) if by in LOWER_IS_BETTER else -float(value), line.handle

    ranked = sorted(lines, key=key)[:limit]
    return Leaderboard(by=by, generated_at=generated_at, rows=[
        LeaderRow(rank=i, value=_shown(getattr(line, by)), campaigns=campaigns[line.account_id],
                  kol=line) for i, line in enumerate(ranked, start=1)])


def _shown(value: object) -> int | float | str | None:
    if value is None or isinstance(value, int | float):
        return value
    return str(value)
