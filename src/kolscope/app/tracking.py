"""Use cases of tracking set-up: the workspace's UTM template and promo format, short links per
collaboration and deliverable, and promo codes per KOL.

Bulk creation is idempotent: a collaboration (or deliverable) that has a link or a promo code
keeps it, so running it again after adding KOLs only fills the gaps.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from kolscope.app.campaign_views import CampaignView, CollaborationView, DeliverableView
from kolscope.app.campaigns import require_campaign
from kolscope.app.ports import UnitOfWork
from kolscope.app.tracking_views import (
    ClickCounts,
    LinkIn,
    LinkView,
    PromoCodeIn,
    PromoCodeView,
    TrackingSettingsView,
)
from kolscope.app.workspaces import require_workspace
from kolscope.core.campaigns.pipeline import COMMITTED, Stage
from kolscope.core.tracking.links import (
    UtmTemplate,
    check_code,
    new_code,
    render_utm,
    slug,
    tracked_url,
    validate_destination,
)
from kolscope.core.tracking.promo import PromoFormat, code_for, normalize_code
from kolscope.errors import Conflict, InvalidInput, NotFound

CLOSED_STAGES = frozenset({Stage.DECLINED, Stage.CANCELLED})


def _new_site_key() -> str:
    return "ks_" + secrets.token_urlsafe(18)


def tracking_settings(uow: UnitOfWork, *, workspace: str) -> TrackingSettingsView:
    """The workspace's settings, the defaults stored on first use (a site key is made then)."""
    ws = require_workspace(uow, workspace)
    stored = uow.commerce.settings(ws.id)
    if stored is not None:
        return stored
    return uow.commerce.save_settings(ws.id, utm=UtmTemplate().model_dump(),
                                      promo=PromoFormat().model_dump(), site_key=_new_site_key(),
                                      now=datetime.now().astimezone())


def update_tracking_settings(uow: UnitOfWork, *, workspace: str, now: datetime,
                             utm: Mapping[str, object] | None = None,
                             promo: Mapping[str, object] | None = None,
                             webhook_secret: str | None = None, clear_secret: bool = False,
                             new_site_key: bool = False) -> TrackingSettingsView:
    """Change the settings; ``utm`` and ``promo`` change only the fields they name."""
    ws = require_workspace(uow, workspace)
    current = tracking_settings(uow, workspace=workspace)
    template = _template({**current.utm, **(utm or {})})
    fmt = _format({**current.promo, **(promo or {})})
    if webhook_secret is not None and len(webhook_secret.strip()) < 16:
        raise InvalidInput("a webhook secret has at least 16 characters (Shopify's are 64)",
                           field="webhook_secret")
    return uow.commerce.save_settings(
        ws.id, utm=template.model_dump(), promo=fmt.model_dump(),
        site_key=_new_site_key() if new_site_key else current.site_key, now=now,
        webhook_secret=None if webhook_secret is None else webhook_secret.strip(),
        clear_secret=clear_secret)


def _template(data: dict[str, object]) -> UtmTemplate:
    return UtmTemplate.model_validate(data)


def _format(data: dict[str, object]) -> PromoFormat:
    return PromoFormat.model_validate(data)


# --- links ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkRow:
    """A link as its campaign lists it: whose it is, for which deliverable, and its clicks."""

    link: LinkView
    handle: str | None
    platform: str | None
    deliverable: str | None
    clicks: ClickCounts


def deliverable_label(d: DeliverableView) -> str:
    """``instagram-reel-1``: the deliverable's platform, format and number, as UTM content."""
    return slug(f"{d.platform}-{d.format}-{d.number}")


def _context(ws_slug: str, campaign: CampaignView, collab: CollaborationView,
             deliverable: DeliverableView | None) -> dict[str, str]:
    return {"platform": deliverable.platform if deliverable else collab.platform,
            "campaign": campaign.slug, "handle": collab.handle,
            "kol": collab.display_name or collab.handle, "workspace": ws_slug,
            "deliverable": deliverable_label(deliverable) if deliverable else ""}


def _taken_codes(uow: UnitOfWork, count: int) -> list[str]:
    """``count`` random codes unused in any workspace (codes share one redirect host)."""
    codes: list[str] = []
    while len(codes) < count:
        code = new_code()
        if code not in codes and not uow.tracking.code_taken(code):
            codes.append(code)
    return codes


def create_links(uow: UnitOfWork, *, workspace: str, slug: str, destination: str, now: datetime,
                 handles: Sequence[str] = (), per_deliverable: bool = True,
                 code: str | None = None, utm: dict[str, str] | None = None) -> list[LinkView]:
    """Links for a campaign's KOLs: the named ``handles``, or every collaboration with agreed
    terms onwards; one per deliverable (when it has deliverables and ``per_deliverable``), else
    one per collaboration. ``code`` chooses a vanity code for a single link; ``utm`` overrides
    template fields for these links. Existing links are kept and returned as they are."""
    ws = require_workspace(uow, workspace)
    campaign = require_campaign(uow, workspace=workspace, slug=slug)
    checked = validate_destination(destination)
    template = _template({**tracking_settings(uow, workspace=workspace).utm, **(utm or {})})
    collabs = _chosen(uow, campaign, handles)
    existing = {(link.collaboration_id, link.deliverable_id): link
                for link in uow.tracking.links(ws.id, campaign_id=campaign.id)}
    wanted: list[tuple[CollaborationView, DeliverableView | None]] = []
    parts = uow.campaigns.deliverables_of([c.id for c in collabs]) if per_deliverable else {}
    for collab in collabs:
        wanted += [(collab, d) for d in parts.get(collab.id, [])] or [(collab, None)]
    missing = [(c, d) for c, d in wanted if (c.id, d.id if d else None) not in existing]
    if code is not None:
        if len(missing) != 1:
            raise InvalidInput(f"a chosen code is for one link; this would make {len(missing)}",
                               field="code")
        codes = [check_code(code)]
        if uow.tracking.code_taken(codes[0]):
            raise Conflict(f"short code {codes[0]!r} is taken", code=codes[0])
    else:
        codes = _taken_codes(uow, len(missing))
    links = []
    for (collab, deliverable), link_code in zip(missing, codes, strict=True):
        params = render_utm(template, _context(ws.slug, campaign, collab, deliverable))
        links.append(LinkIn(code=link_code, destination=checked, url=tracked_url(checked, params),
                            utm=params, campaign_id=campaign.id, collaboration_id=collab.id,
                            deliverable_id=deliverable.id if deliverable else None))
    uow.tracking.upsert_links(ws.id, links, now)
    made = {(link.collaboration_id, link.deliverable_id): link
            for link in uow.tracking.links(ws.id, campaign_id=campaign.id)}
    return [made[(c.id, d.id if d else None)] for c, d in wanted]


def _chosen(uow: UnitOfWork, campaign: CampaignView,
            handles: Sequence[str]) -> list[CollaborationView]:
    collabs = uow.campaigns.collaborations(campaign.id, None)
    if not handles:
        chosen = [c for c in collabs if c.stage in COMMITTED]
        if not chosen:
            raise InvalidInput(f"campaign {campaign.slug} has no KOL with agreed terms yet; "
                               "name the KOLs to track", field="handles")
        return chosen
    by_handle = {c.handle.casefold().lstrip("@"): c for c in collabs}
    out = []
    for handle in handles:
        collab = by_handle.get(handle.casefold().lstrip("@"))
        if collab is None:
            raise NotFound(f"@{handle.lstrip('@')} is not in campaign {campaign.slug}",
                           handle=handle)
        if collab.stage in CLOSED_STAGES:
            raise InvalidInput(f"@{collab.handle}'s collaboration is {collab.stage}",
                               field="handles")
        out.append(collab)
    return out


def campaign_links(uow: UnitOfWork, *, workspace: str, slug: str) -> list[LinkRow]:
    """A campaign's links with their owners and people's clicks so far."""
    ws = require_workspace(uow, workspace)
    campaign = require_campaign(uow, workspace=workspace, slug=slug)
    links = uow.tracking.links(ws.id, campaign_id=campaign.id)
    counts = uow.tracking.click_counts(ws.id, link_ids=[link.id for link in links])
    collabs = {c.id: c for c in uow.campaigns.collaborations(campaign.id, None)}
    labels = {d.id: deliverable_label(d)
              for parts in uow.campaigns.deliverables_of(list(collabs)).values() for d in parts}
    rows = []
    for link in links:
        collab = collabs.get(link.collaboration_id) if link.collaboration_id else None
        rows.append(LinkRow(link, collab.handle if collab else None,
                            collab.platform if collab else None,
                            labels.get(link.deliverable_id) if link.deliverable_id else None,
                            counts.get(link.id, ClickCounts())))
    return rows


def set_link_enabled(uow: UnitOfWork, *, workspace: str, code: str, enabled: bool,
                     now: datetime) -> LinkView:
    """Switch a link off (its code answers 404 within a second) or on again."""
    ws = require_workspace(uow, workspace)
    if not uow.tracking.set_enabled(ws.id, code, enabled, now):
        raise NotFound(f"no link {code!r} in this workspace", code=code)
    link = uow.tracking.link(ws.id, code)
    assert link is not None
    return link


def require_link(uow: UnitOfWork, *, workspace: str, code: str) -> LinkView:
    ws = require_workspace(uow, workspace)
    link = uow.tracking.link(ws.id, code)
    if link is None:
        raise NotFound(f"no link {code!r} in this workspace", code=code)
    return link


def short_url(base_url: str, code: str) -> str:
    """The link people see: the redirect host's address and the code."""
    return base_url.rstrip("/") + "/" + code


# --- promo codes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PromoRow:
    promo: PromoCodeView
    handle: str


def create_promo_codes(uow: UnitOfWork, *, workspace: str, slug: str, now: datetime,
                       handles: Sequence[str] = (), code: str | None = None,
                       suffix: str = "") -> list[PromoRow]:
    """A code per KOL from its handle in the workspace's format (``ANNA15``), for the named
    ``handles`` or every collaboration with agreed terms onwards; ``code`` chooses one by hand
    for a single KOL. A KOL with a code in this campaign keeps it."""
    ws = require_workspace(uow, workspace)
    campaign = require_campaign(uow, workspace=workspace, slug=slug)
    fmt = _format(tracking_settings(uow, workspace=workspace).promo)
    collabs = _chosen(uow, campaign, handles)
    stored = uow.commerce.promo_codes(ws.id)
    has_code = {p.collaboration_id for p in stored if p.campaign_id == campaign.id}
    taken = [p.key for p in stored]
    missing = [c for c in collabs if c.id not in has_code]
    if code is not None and len(missing) != 1:
        raise InvalidInput(f"a chosen code is for one KOL without a code; this names "
                           f"{len(missing)}", field="code")
    new: list[PromoCodeIn] = []
    for collab in missing:
        text = _chosen_code(code, fmt) if code is not None else \
            code_for(collab.handle, fmt, taken=taken, suffix=suffix)
        key = normalize_code(text)
        taken.append(key)
        new.append(PromoCodeIn(text, key, campaign.id, collab.id))
    uow.commerce.add_promo_codes(ws.id, new, now)
    handles_of = {c.id: c.handle for c in collabs}
    return [PromoRow(p, handles_of[p.collaboration_id])
            for p in uow.commerce.promo_codes(ws.id, campaign_id=campaign.id)
            if p.collaboration_id in handles_of]


def _chosen_code(code: str, fmt: PromoFormat) -> str:
    text = code.strip().upper()
    key = normalize_code(text)
    if not 3 <= len(key) <= fmt.max_length:
        raise InvalidInput(f"a promo code has 3 to {fmt.max_length} characters", field="code")
    return text


def campaign_promo_codes(uow: UnitOfWork, *, workspace: str, slug: str) -> list[PromoRow]:
    ws = require_workspace(uow, workspace)
    campaign = require_campaign(uow, workspace=workspace, slug=slug)
    handles = {c.id: c.handle for c in uow.campaigns.collaborations(campaign.id, None)}
    return [PromoRow(p, handles.get(p.collaboration_id, "?"))
            for p in uow.commerce.promo_codes(ws.id, campaign_id=campaign.id)]
