"""The cost model: the default rate card, a workspace's own card, and per-account estimates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from kolscope.app.ports import UnitOfWork
from kolscope.app.validation import parse_model
from kolscope.app.workspaces import require_workspace
from kolscope.core.discovery.tiers import Tier
from kolscope.core.matching.brief import ContentFormat
from kolscope.core.matching.rates import CostEstimate, Rate, default_card, estimate_cost
from kolscope.core.platforms import parse_platform
from kolscope.errors import InvalidInput, NotFound


def parse_rates(rows: Sequence[Mapping[str, object]], *, where: str,
                first: int = 2) -> list[Rate]:
    """Rate-card rows (platform, tier, format, currency, low, typical, high), checked row by row;
    errors number rows from ``first`` (2: a file's line under its header; 1: a JSON list)."""
    if not rows:
        raise InvalidInput(f"{where}: no rates", field="rates")
    rates = [parse_model(Rate, dict(row), where=f"{where} row {i}")
             for i, row in enumerate(rows, start=first)]
    keys = [r.key for r in rates]
    if len(set(keys)) != len(keys):
        raise InvalidInput(f"{where}: a platform × tier × format × currency appears twice",
                           field="rates")
    return rates


def rate_card(uow: UnitOfWork, *, workspace: str, include_default: bool = True
              ) -> list[Rate]:
    """The workspace's rates, then (unless asked not to) the default card's."""
    own = uow.rates.card(require_workspace(uow, workspace).id)
    return [*own, *(default_card() if include_default else [])]


def put_rates(uow: UnitOfWork, *, workspace: str, rates: Sequence[Rate], now: datetime) -> int:
    """Store (or replace) rows of the workspace's card; returns how many."""
    return uow.rates.put(require_workspace(uow, workspace).id, rates, now)


def estimate(uow: UnitOfWork, *, workspace: str, account_id: int, fmt: ContentFormat,
             currency: str) -> CostEstimate:
    """The cost of one deliverable by an account, with where the figure comes from."""
    ws = require_workspace(uow, workspace)
    subject = uow.rates.subject(ws.id, account_id)
    if subject is None:
        raise NotFound(f"no account {account_id}", account=account_id)
    card = {r.key: r for r in uow.rates.card(ws.id)}
    found = estimate_cost(platform=parse_platform(subject.platform),
                          tier=Tier(subject.tier) if subject.tier else None, fmt=fmt,
                          currency=currency.upper(), quote=subject.quote,
                          deals=uow.rates.deals(ws.id, account_id), card=card)
    if found is None:
        raise InvalidInput(f"nothing prices a {fmt.value} by @{subject.handle} in "
                           f"{currency.upper()}: add rates in {currency.upper()} with "
                           "`kolscope rates put` (amounts are never converted)",
                           field="currency")
    return found
