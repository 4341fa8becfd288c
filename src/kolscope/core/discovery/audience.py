"""Audience affinity: what an audience engages with more than everyone else does.

Method: ``docs/methods/audience-research.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from kolscope.core.discovery.niche_lexicon import STOP_WORDS
from kolscope.core.stats import Z_95, wilson_interval
from kolscope.errors import InvalidInput

AUDIENCE_METHOD_VERSION = "audience-1"


class Affinity(BaseModel):
    """One item (an account or a term) and how much more the audience engages with it."""

    model_config = ConfigDict(frozen=True)

    item: str
    audience_count: int
    baseline_count: int
    audience_share: float
    baseline_share: float
    lift: float
    lift_lower: float


def wilson_lower(successes: int, trials: int, z: float = Z_95) -> float:
    """Lower bound of the Wilson score interval for a proportion (0 with no trials).

    Examples
    --------
    >>> round(wilson_lower(5, 10), 4)
    0.2366
    """
    return wilson_interval(successes, trials, z)[0] if trials > 0 else 0.0


def affinities(counts: Iterable[tuple[str, int, int]], *, audience_size: int,
               population_size: int, min_support: int = 3, z: float = Z_95) -> list[Affinity]:
    """Rank items by how much more often the audience engages with them than the population.

    Parameters
    ----------
    counts
        ``(item, audience_count, baseline_count)``: how many audience members, and how many
        members of the whole population (audience included), engaged with the item.
    audience_size, population_size
        How many members the audience and the population have.
    min_support
        Items fewer audience members engaged with are left out.
    z
        Normal quantile of the confidence bound (1.96: 95 % two-sided).

    Returns
    -------
    list of Affinity
        Sorted by ``lift_lower`` (the lift with the audience share at its Wilson lower bound),
        so that an item three members share does not outrank one three hundred share.

    Examples
    --------
    >>> [a.item for a in affinities([("x", 30, 40), ("y", 3, 3)], audience_size=100,
    ...                             population_size=1000)]
    ['x', 'y']
    """
    if audience_size <= 0 or population_size < audience_size:
        raise InvalidInput("need 0 < audience size <= population size", field="audience_size")
    ranked = []
    for item, a, b in counts:
        if a < min_support or b <= 0:
            continue
        baseline_share = b / population_size
        share = a / audience_size
        ranked.append(Affinity(
            item=item, audience_count=a, baseline_count=b, audience_share=share,
            baseline_share=baseline_share, lift=share / baseline_share,
            lift_lower=wilson_lower(a, audience_size, z) / baseline_share))
    ranked.sort(key=lambda x: (-x.lift_lower, -x.audience_count, x.item))
    return ranked


_LATIN = re.compile(r"#?[A-Za-z\u00c0-\u024f]{3,}")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]{2,}")


def terms(text: str) -> set[str]:
    """The distinct terms of a text: hashtags, Latin words of 3+ letters (stop words dropped)
    and, for Chinese, character bigrams.

    Examples
    --------
    >>> sorted(terms("Love this #serum, 好用好用"))
    ['#serum', 'love', '好用', '用好']
    """
    found = {w for w in (m.casefold() for m in _LATIN.findall(text))
             if w.lstrip("#") not in STOP_WORDS}
    for run in _HAN.findall(text):
        found.update(run[i:i + 2] for i in range(len(run) - 1))
    return found
