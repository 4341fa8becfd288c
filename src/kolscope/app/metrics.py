"""Profile-metric use cases: compute each account's metrics in core and store them."""

from __future__ import annotations

from collections.abc import Sequence

from kolscope.app.ports import Clock, UnitOfWorkFactory
from kolscope.app.workspaces import require_workspace
from kolscope.core.discovery.profile import compute_profile_metrics
from kolscope.core.discovery.tiers import TierThresholds
from kolscope.core.text import dominant_language

CHUNK = 1_000
LANGUAGE_SAMPLE = 12


def refresh_profile_metrics(uow_factory: UnitOfWorkFactory, *, workspace_id: int,
                            account_ids: Sequence[int] | None, thresholds: TierThresholds,
                            window: int, clock: Clock) -> int:
    """Recompute and store profile metrics of ``account_ids`` (every creator's when ``None``).

    Work goes in chunks of accounts, a unit of work each, so memory stays flat on big workspaces.
    Accounts with no language of their own get the dominant language of their recent posts.
    Returns how many accounts were scored.
    """
    scored = 0
    for chunk in _chunks(uow_factory, workspace_id, account_ids):
        with uow_factory() as uow:
            stats = uow.metrics.post_stats(chunk)
            followers = uow.metrics.followers(chunk)
            now = clock()
            results = {
                account_id: compute_profile_metrics(stats.get(account_id, []),
                                                    followers=followers.get(account_id),
                                                    thresholds=thresholds, window=window)
                for account_id in chunk}
            uow.metrics.save(workspace_id, results, computed_at=now)
            posts = uow.metrics.post_languages(chunk, LANGUAGE_SAMPLE)
            languages = {a: lang for a, langs in posts.items()
                         if (lang := dominant_language(langs))}
            uow.metrics.set_languages(languages)
            uow.workspaces.bump_version(workspace_id)
            uow.commit()
        scored += len(chunk)
    return scored


def rescore_workspace(uow_factory: UnitOfWorkFactory, *, workspace: str,
                      thresholds: TierThresholds, window: int, clock: Clock) -> int:
    """Recompute every creator account's profile metrics, e.g. after tier settings change."""
    with uow_factory() as uow:
        workspace_id = require_workspace(uow, workspace).id
    return refresh_profile_metrics(uow_factory, workspace_id=workspace_id, account_ids=None,
                                   thresholds=thresholds, window=window, clock=clock)


def _chunks(uow_factory: UnitOfWorkFactory, workspace_id: int,
            account_ids: Sequence[int] | None) -> list[list[int]]:
    if account_ids is not None:
        return [list(account_ids[i:i + CHUNK]) for i in range(0, len(account_ids), CHUNK)]
    chunks: list[list[int]] = []
    after = 0
    with uow_factory() as uow:
        while ids := uow.metrics.creator_account_ids(workspace_id, after, CHUNK):
            chunks.append(ids)
            after = ids[-1]
    return chunks
