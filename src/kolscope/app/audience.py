"""Audience research: define an audience, then see what it engages with disproportionately."""

from __future__ import annotations

from collections import Counter

import numpy as np
from pydantic import BaseModel

from kolscope.app.accounts import resolve_account
from kolscope.app.ports import UnitOfWork
from kolscope.app.workspaces import require_workspace
from kolscope.core.discovery.audience import AUDIENCE_METHOD_VERSION, Affinity, affinities, terms
from kolscope.core.platforms import parse_platform
from kolscope.errors import InvalidInput


class AccountAffinity(Affinity):
    platform: str
    handle: str


class AudienceReport(BaseModel):
    """What an audience engages with more than everyone else, strongest evidence first."""

    method_version: str
    seeds: list[str]
    words: list[str]
    audience_size: int
    population_size: int
    accounts: list[AccountAffinity]
    terms: list[Affinity]


def research_audience(uow: UnitOfWork, *, workspace: str, seeds: list[str], words: list[str],
                      limit: int = 20, min_support: int = 3) -> AudienceReport:
    """The audience is everyone who commented on a seed account's posts or wrote one of
    ``words`` in a comment; the population is everyone who commented at all.

    Seeds are handles (``platform:handle`` where a handle exists on several platforms).
    """
    if not seeds and not words:
        raise InvalidInput("define the audience by seed accounts, words, or both",
                           field="seeds")
    ws = require_workspace(uow, workspace)
    seed_ids = [_seed(uow, workspace, s) for s in seeds]
    commenters, creators = uow.audience.engagements(ws.id)
    wanted = {w.casefold() for w in words}
    used: dict[int, set[str]] = {}
    members = set(commenters[np.isin(creators, seed_ids)].tolist())
    for author, text in uow.audience.comment_texts(ws.id):
        found = terms(text)
        used.setdefault(author, set()).update(found)
        if wanted and (wanted & found or any(w in text.casefold() for w in wanted)):
            members.add(author)
    population = set(commenters.tolist()) | set(used)
    if not members:
        raise InvalidInput("no one in this workspace matches that audience", field="seeds")
    in_audience = np.isin(commenters, list(members))
    audience_counts = Counter(creators[in_audience].tolist())
    baseline_counts = Counter(creators.tolist())
    ranked = affinities(((str(c), audience_counts[c], baseline_counts[c])
                         for c in audience_counts if c not in seed_ids),
                        audience_size=len(members), population_size=len(population),
                        min_support=min_support)[:limit]
    names = uow.audience.accounts([int(a.item) for a in ranked])
    accounts = [AccountAffinity(**a.model_dump(), platform=names[int(a.item)][0],
                                handle=names[int(a.item)][1]) for a in ranked]
    return AudienceReport(method_version=AUDIENCE_METHOD_VERSION, seeds=seeds, words=words,
                          audience_size=len(members), population_size=len(population),
                          accounts=accounts, terms=_term_affinities(
                              used, members, len(population), wanted, limit, min_support))


def _term_affinities(used: dict[int, set[str]], members: set[int], population: int,
                     wanted: set[str], limit: int, min_support: int) -> list[Affinity]:
    audience: Counter[str] = Counter()
    baseline: Counter[str] = Counter()
    for author, found in used.items():
        baseline.update(found)
        if author in members:
            audience.update(found)
    # Terms containing the words that define the audience would top their own list.
    counts = ((t, n, baseline[t]) for t, n in audience.items()
              if not any(w in t for w in wanted))
    return affinities(counts, audience_size=len(members), population_size=population,
                      min_support=min_support)[:limit]


def _seed(uow: UnitOfWork, workspace: str, seed: str) -> int:
    platform, _, handle = seed.rpartition(":")
    try:
        parsed = parse_platform(platform) if platform else None
    except ValueError as exc:
        raise InvalidInput(str(exc), field="seeds") from None
    return resolve_account(uow, workspace=workspace, handle=handle, platform=parsed)
