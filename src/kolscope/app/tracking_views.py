"""Read models and rows of tracked links and their clicks, as the tracking repository speaks them.

Clicks travel as :class:`ClickRow` tuples rather than models: the redirect service makes tens of
thousands a second and a tuple costs a tenth of a validated object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple


@dataclass(frozen=True)
class LinkIn:
    """A link to store: its code, the checked destination and the URL with UTM parameters."""

    code: str
    destination: str
    url: str
    utm: dict[str, str] = field(default_factory=dict)
    campaign_id: int | None = None
    collaboration_id: int | None = None
    deliverable_id: int | None = None
    enabled: bool = True


@dataclass(frozen=True)
class LinkView:
    id: int
    workspace_id: int
    code: str
    destination: str
    url: str
    utm: dict[str, str]
    campaign_id: int | None
    collaboration_id: int | None
    deliverable_id: int | None
    enabled: bool
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class RedirectTarget:
    """What the redirect service keeps in memory of one link."""

    link_id: int
    workspace_id: int
    code: str
    url: str
    enabled: bool
    updated_at: datetime


class ClickRow(NamedTuple):
    """One recorded request to a link; ``bot`` is None for a person's click."""

    click_id: str
    link_id: int
    workspace_id: int
    code: str
    at: datetime
    user_agent: str
    referrer: str
    ip_hash: str
    visitor: str
    country: str | None
    bot: str | None
    is_unique: bool


@dataclass(frozen=True)
class ClickCounts:
    """A link's clicks: ``total`` and ``unique`` count people only; ``bots`` the rest."""

    total: int = 0
    unique: int = 0
    bots: int = 0
