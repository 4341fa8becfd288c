"""Relationship history across campaigns and the rehire suggestion drawn from it.

The suggestion is a rule, not a model: completed work, on-time delivery and the team's ratings.
``rehire`` needs at least one completed collaboration, on-time share ≥ 0.8 and a mean rating ≥ 4
(of 5) where rated; ``avoid`` follows a mean rating < 2.5 or on-time share < 0.5; the rest is
``consider``. Every suggestion lists the facts behind it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean

REHIRE_VERSION = "rehire-1"
DONE = frozenset({"completed", "paid"})


@dataclass(frozen=True)
class PastCollaboration:
    campaign: str
    stage: str
    deliverables: int
    on_time: int
    late: int
    rating: int | None


@dataclass(frozen=True)
class Rehire:
    suggestion: str  # rehire, consider, avoid or unknown
    completed: int
    on_time_share: float | None
    mean_rating: float | None
    reasons: tuple[str, ...]
    version: str = REHIRE_VERSION


def rehire(history: Sequence[PastCollaboration]) -> Rehire:
    """Suggest whether to work with a KOL again from their past collaborations."""
    completed = sum(1 for h in history if h.stage in DONE)
    on_time = sum(h.on_time for h in history)
    late = sum(h.late for h in history)
    share = on_time / (on_time + late) if on_time + late else None
    ratings = [h.rating for h in history if h.rating is not None]
    mean = fmean(ratings) if ratings else None
    reasons = [f"{completed} of {len(history)} collaboration(s) completed"]
    if share is not None:
        reasons.append(f"{on_time} of {on_time + late} deliverable(s) on time")
    if mean is not None:
        reasons.append(f"mean rating {mean:.1f} of 5 from {len(ratings)} rating(s)")
    if (mean is not None and mean < 2.5) or (share is not None and share < 0.5):
        return Rehire("avoid", completed, share, mean, tuple(reasons))
    if not history or (completed == 0 and share is None):
        return Rehire("unknown", completed, share, mean, (*reasons, "no finished work yet"))
    if completed and (share is None or share >= 0.8) and (mean is None or mean >= 4):
        return Rehire("rehire", completed, share, mean, tuple(reasons))
    return Rehire("consider", completed, share, mean, tuple(reasons))
