"""One vetting signal: a measured value against its thresholds, with the data it rests on.

Every vetting score (audience, engagement, comments, brand safety, sponsorship, sentiment) comes
out as :class:`Signal` values, so that a report can list them side by side and say for each what
was measured, against which threshold, on how much data and how old it is. How much each signal
weighs in the verdict is the report's business (``core/vetting/report.py``), not the signal's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from kolscope.errors import InvalidInput

Status = Literal["ok", "warn", "fail", "unknown"]
Group = Literal["audience", "engagement", "growth", "comments", "brand_safety", "values",
                "sponsored", "sentiment"]
# The severity a signal has exactly at its warn threshold; it grows linearly to 1 at fail.
WARN_SEVERITY = 0.25


class Signal(BaseModel):
    """A measured value, how it compares with its thresholds, and what it was measured on.

    ``severity`` is 0 when the value is fine or unknown, :data:`WARN_SEVERITY` at the warn
    threshold, rising linearly to 1 at the fail threshold and staying 1 beyond it.
    """

    model_config = ConfigDict(frozen=True)

    key: str = Field(description="stable identifier, e.g. engagement_rate_z")
    group: Group
    label: str = Field(description="what is measured, in words")
    value: float | None = Field(description="the measured value; None when unknown")
    display: str = Field(description="the value for people, e.g. '1.2% (z -2.8)'")
    threshold: str = Field(description="the thresholds in words, e.g. 'warn below -2, fail "
                                       "below -3'")
    status: Status
    severity: float = Field(ge=0.0, le=1.0)
    sample_size: int | None = Field(default=None, ge=0,
                                    description="posts, comments or accounts measured")
    data_as_of: datetime | None = Field(default=None,
                                        description="time of the newest data point read")
    note: str = Field(default="", description="context that changes how to read the value")
    evidence: list[str] = Field(default_factory=list,
                                description="a few concrete examples behind the value")


def graded(value: float | None, *, warn: float, fail: float) -> tuple[Status, float]:
    """Status and severity of ``value`` against a warn and a fail threshold.

    Higher is worse when ``fail > warn`` and lower is worse when ``fail < warn``; reaching a
    threshold counts as reaching it.

    Examples
    --------
    >>> graded(0.1, warn=0.2, fail=0.4)
    ('ok', 0.0)
    >>> graded(0.3, warn=0.2, fail=0.4)
    ('warn', 0.625)
    >>> graded(-3.5, warn=-2.0, fail=-3.0)
    ('fail', 1.0)
    >>> graded(None, warn=0.2, fail=0.4)
    ('unknown', 0.0)
    """
    if warn == fail:
        raise InvalidInput("warn and fail thresholds must differ", field="fail")
    if value is None:
        return "unknown", 0.0
    sign = 1.0 if fail > warn else -1.0
    past = sign * (value - warn)
    if past < 0:
        return "ok", 0.0
    span = sign * (fail - warn)
    if past >= span:
        return "fail", 1.0
    return "warn", WARN_SEVERITY + (1.0 - WARN_SEVERITY) * past / span


def unknown(key: str, group: Group, label: str, *, threshold: str, note: str,
            sample_size: int | None = None) -> Signal:
    """A signal that could not be measured, saying why in ``note``."""
    return Signal(key=key, group=group, label=label, value=None, display="unknown",
                  threshold=threshold, status="unknown", severity=0.0, sample_size=sample_size,
                  note=note)
