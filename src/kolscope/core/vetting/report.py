"""The vetting report of a KOL: every signal with its weight and contribution, and a verdict.

Method ``vetting-1`` (``docs/methods/vetting-report.md``). Each signal adds ``weight * severity``
points of risk (weights add up to 100), so the risk is the sum of the contributions the report
lists. The verdict is ``fail`` at 35 points or when a blocking signal fails (a red line, an
exclusivity conflict, unsafe content, a mostly fake audience), ``review`` at 12 points, on any
failed signal, or when less than half of the weight could be measured, and ``pass`` otherwise.
A person can override the verdict with a reason; the computed one stays beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from kolscope.core.vetting.signals import Signal
from kolscope.errors import InvalidInput

VETTING_METHOD_VERSION = "vetting-1"
Verdict = Literal["pass", "review", "fail"]
VERDICTS: tuple[Verdict, ...] = ("pass", "review", "fail")

WEIGHTS: dict[str, float] = {
    "audience_fake_share": 20.0,
    "engagement_rate_z": 15.0,
    "like_comment_ratio": 8.0,
    "follower_growth_spikes": 8.0,
    "low_quality_comments": 8.0,
    "duplicate_comments": 5.0,
    "commenter_concentration": 5.0,
    "brand_safety": 12.0,
    "sponsored_share": 6.0,
    "undisclosed_sponsorship": 5.0,
    "sponsored_engagement": 3.0,
    "negative_sentiment": 5.0,
}
"""Points of risk each signal adds at full severity. Signals not listed (red lines, value
alignment, exclusivity) add no points: they block or inform."""
BLOCKING = frozenset({"red_lines", "exclusivity", "brand_safety", "audience_fake_share"})
FAIL_RISK, REVIEW_RISK = 35.0, 12.0
MIN_COVERAGE = 0.5


class ReportLine(BaseModel):
    """A signal as the report weighs it."""

    model_config = ConfigDict(frozen=True)

    signal: Signal
    weight: float
    contribution: float
    blocking: bool


class Override(BaseModel):
    """A person's verdict and why; ``verdict`` None withdraws an earlier override."""

    model_config = ConfigDict(frozen=True)

    verdict: Verdict | None
    reason: str = Field(min_length=1, max_length=2_000)
    author: str = Field(min_length=1, max_length=200)
    created_at: datetime


class VettingReport(BaseModel):
    """Every signal of one KOL, the risk they add up to, the verdict and the reasons for it."""

    model_config = ConfigDict(frozen=True)

    account_id: int
    method_version: str = VETTING_METHOD_VERSION
    computed_at: datetime
    verdict: Verdict
    risk: float = Field(description="sum of the contributions, 0 to 100")
    coverage: float = Field(description="share of the weight whose signal could be measured")
    reasons: list[str]
    lines: list[ReportLine]
    data_as_of: datetime | None = Field(description="newest data point any signal read")
    override: Override | None = None

    @property
    def effective_verdict(self) -> Verdict:
        """The override's verdict where a person gave one, else the computed one."""
        if self.override is not None and self.override.verdict is not None:
            return self.override.verdict
        return self.verdict


def build_report(account_id: int, signals: Sequence[Signal], *, computed_at: datetime
                 ) -> VettingReport:
    """Weigh ``signals`` (one per key) into a report with its risk and verdict."""
    keys = [s.key for s in signals]
    if len(set(keys)) != len(keys):
        raise InvalidInput("each signal may appear once in a report", field="signals")
    lines = [ReportLine(signal=s, weight=WEIGHTS.get(s.key, 0.0),
                        contribution=round(WEIGHTS.get(s.key, 0.0) * s.severity, 4),
                        blocking=s.key in BLOCKING) for s in signals]
    total = sum(line.weight for line in lines)
    measured = sum(line.weight for line in lines if line.signal.status != "unknown")
    coverage = measured / total if total else 0.0
    risk = round(sum(line.contribution for line in lines), 4)
    verdict, reasons = _verdict(lines, risk, coverage)
    times = [s.data_as_of for s in signals if s.data_as_of is not None]
    return VettingReport(account_id=account_id, computed_at=computed_at, verdict=verdict,
                         risk=risk, coverage=round(coverage, 4), reasons=reasons, lines=lines,
                         data_as_of=max(times) if times else None)


def _verdict(lines: Sequence[ReportLine], risk: float, coverage: float
             ) -> tuple[Verdict, list[str]]:
    failed = [line.signal for line in lines if line.signal.status == "fail"]
    blocked = [s for s in failed if s.key in BLOCKING]
    if blocked:
        return "fail", [f"{s.label}: {s.display} (blocking)" for s in blocked]
    if risk >= FAIL_RISK:
        return "fail", [f"risk {risk:.0f} >= {FAIL_RISK:.0f} points", *_top(lines)]
    reasons: list[str] = []
    if risk >= REVIEW_RISK:
        reasons.append(f"risk {risk:.0f} >= {REVIEW_RISK:.0f} points")
    reasons += [f"{s.label}: {s.display}" for s in failed]
    if coverage < MIN_COVERAGE:
        reasons.append(f"only {coverage:.0%} of the signals' weight could be measured")
    if reasons:
        return "review", reasons + [r for r in _top(lines) if r not in reasons]
    return "pass", [f"risk {risk:.0f} < {REVIEW_RISK:.0f} points with {coverage:.0%} of the "
                    "weight measured"]


def _top(lines: Sequence[ReportLine], count: int = 3) -> list[str]:
    worst = sorted((line for line in lines if line.contribution > 0),
                   key=lambda line: -line.contribution)[:count]
    return [f"{line.signal.label}: {line.signal.display} (+{line.contribution:.1f})"
            for line in worst]
