"""Campaigns and their collaborations: create, add KOLs, move through the pipeline, agree terms.

Every move goes through the one transitions table in ``core.campaigns.pipeline`` and is logged
with who and when. Entering a stage has its preconditions (terms before agreed and contracted,
approved and published deliverables before published, a settled ledger before paid) and its
consequences (deliverables from the terms on contracted, the fee on the ledger on completed,
outreach stopped on declined or cancelled).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal

from kolscope.app.accounts import resolve_account
from kolscope.app.campaign_views import (
    CampaignIn,
    CampaignStatus,
    CampaignView,
    CollaborationView,
    EventView,
)
from kolscope.app.ports import UnitOfWork
from kolscope.app.validation import parse_model
from kolscope.app.workspaces import require_workspace
from kolscope.core.campaigns.contract import ContractDocument, build_contract
from kolscope.core.campaigns.ledger import balance, fee_entry
from kolscope.core.campaigns.outreach import normalize_address
from kolscope.core.campaigns.pipeline import NEEDS_TERMS, Stage, check_move
from kolscope.core.campaigns.terms import Terms, deliverable_slots
from kolscope.core.platforms import Platform, parse_platform
from kolscope.errors import Conflict, InvalidInput, NotFound

# Terms may change until the contract is signed; after that a change is a new collaboration.
TERMS_OPEN = frozenset({Stage.PROSPECT, Stage.SHORTLISTED, Stage.CONTACTED, Stage.NEGOTIATING,
                        Stage.AGREED})


def require_campaign(uow: UnitOfWork, *, workspace: str, slug: str) -> CampaignView:
    ws = require_workspace(uow, workspace)
    campaign = uow.campaigns.by_slug(ws.id, slug)
    if campaign is None:
        known = ", ".join(c.slug for c in uow.campaigns.all(ws.id)) or "none yet"
        raise NotFound(f"no campaign {slug!r} (known: {known})", workspace=workspace, slug=slug)
    return campaign


def require_collaboration(uow: UnitOfWork, *, workspace: str, collab_id: int
                          ) -> CollaborationView:
    ws = require_workspace(uow, workspace)
    collab = uow.campaigns.collaboration(ws.id, collab_id)
    if collab is None:
        raise NotFound(f"no collaboration {collab_id} in this workspace", workspace=workspace,
                       collaboration=collab_id)
    return collab


def create_campaign(uow: UnitOfWork, *, workspace: str, campaign_in: CampaignIn,
                    now: datetime) -> CampaignView:
    """Store a new campaign in draft; its slug is unique in the workspace."""
    ws = require_workspace(uow, workspace)
    c = campaign_in
    if c.ends_on and c.starts_on and c.ends_on < c.starts_on:
        raise InvalidInput("ends_on is before starts_on", field="ends_on")
    if campaign_in.budget is not None and campaign_in.currency is None:
        raise InvalidInput("a budget needs its currency", field="currency")
    if uow.campaigns.by_slug(ws.id, campaign_in.slug) is not None:
        raise Conflict(f"campaign {campaign_in.slug!r} exists already", slug=campaign_in.slug)
    version = None
    if c.brief is not None:
        brief = uow.briefs.get(ws.id, c.brief, None)
        if brief is None:
            raise NotFound(f"no brief {c.brief!r}; store it with `kolscope brief put`",
                           field="brief", brief=c.brief)
        version = brief.version
    return uow.campaigns.create(ws.id, campaign_in, now, version)


def parse_campaign(data: object, *, where: str | None = None) -> CampaignIn:
    return parse_model(CampaignIn, data, where=where)


def list_campaigns(uow: UnitOfWork, *, workspace: str) -> list[CampaignView]:
    ws = require_workspace(uow, workspace)
    return uow.campaigns.all(ws.id)


def set_campaign_status(uow: UnitOfWork, *, workspace: str, slug: str, status: CampaignStatus,
                        now: datetime) -> CampaignView:
    campaign = require_campaign(uow, workspace=workspace, slug=slug)
    uow.campaigns.set_status(campaign.id, status.value, now)
    return require_campaign(uow, workspace=workspace, slug=slug)


def _why_you(collab_niche: str | None, followers: int | None, er: float | None) -> str:
    parts = []
    if collab_niche:
        parts.append(f"your {collab_niche.replace('_', ' ')} content")
    if followers:
        audience = f"the {followers:,} people who follow you"
        if er:
            audience += f" and engage with {er:.1%} of what you post"
        parts.append(audience)
    return " and ".join(parts)


def add_kols(uow: UnitOfWork, *, workspace: str, slug: str, handles: Sequence[str],
             platform: Platform | None = None, stage: Stage = Stage.SHORTLISTED,
             why_you: str | None = None, actor: str, now: datetime
             ) -> tuple[list[CollaborationView], list[CollaborationView]]:
    """Add accounts to a campaign; returns (added, already there). Adding twice is harmless."""
    if stage not in (Stage.PROSPECT, Stage.SHORTLISTED):
        raise InvalidInput("KOLs join a campaign as prospect or shortlisted", field="stage")
    if not handles:
        raise InvalidInput("name at least one KOL handle", field="handles")
    campaign = require_campaign(uow, workspace=workspace, slug=slug)
    ws = require_workspace(uow, workspace)
    ids = [resolve_account(uow, workspace=workspace, handle=h, platform=platform)
           for h in handles]
    summaries = uow.accounts.summaries(ws.id, ids)
    added, existing = [], []
    for account_id in dict.fromkeys(ids):
        found = uow.campaigns.find_collaboration(campaign.id, account_id)
        if found is not None:
            existing.append(require_collaboration(uow, workspace=workspace, collab_id=found))
            continue
        s = summaries.get(account_id)
        reason = why_you if why_you is not None else (
            _why_you(s.niche or s.predicted_niche, s.followers, s.engagement_rate) if s else "")
        collab_id = uow.campaigns.add_collaboration(ws.id, campaign.id, account_id, stage.value,
                                                    reason, now)
        uow.campaigns.add_event(collab_id, "stage", None, stage.value, actor,
                                f"added to {campaign.slug}", now)
        added.append(require_collaboration(uow, workspace=workspace, collab_id=collab_id))
    return added, existing


def collaborations(uow: UnitOfWork, *, workspace: str, slug: str,
                   stage: Stage | None = None) -> list[CollaborationView]:
    campaign = require_campaign(uow, workspace=workspace, slug=slug)
    return uow.campaigns.collaborations(campaign.id, stage.value if stage else None)


def board(uow: UnitOfWork, *, workspace: str, slug: str) -> dict[Stage, list[CollaborationView]]:
    """The pipeline as columns: every stage, in order, with its collaborations."""
    columns: dict[Stage, list[CollaborationView]] = {s: [] for s in Stage}
    for collab in collaborations(uow, workspace=workspace, slug=slug):
        columns[collab.stage].append(collab)
    return columns


def events(uow: UnitOfWork, *, workspace: str, collab_id: int) -> list[EventView]:
    require_collaboration(uow, workspace=workspace, collab_id=collab_id)
    return uow.campaigns.events(collab_id)


def _terms_of(collab: CollaborationView) -> Terms | None:
    return Terms.model_validate(collab.terms) if collab.terms is not None else None


def _check_preconditions(uow: UnitOfWork, collab: CollaborationView, target: Stage) -> None:
    if target in NEEDS_TERMS and collab.terms is None:
        raise InvalidInput(f"collaboration {collab.id} has no terms; agree terms before moving "
                           f"to {target.value} (`kolscope collab terms {collab.id} FILE`)",
                           field="terms")
    if target is Stage.PUBLISHED:
        pending = [d for d in uow.campaigns.deliverables(collab.id) if d.status != "published"]
        if pending:
            raise InvalidInput(f"{len(pending)} deliverable(s) not yet approved and linked to "
                               "a published post", field="deliverables",
                               deliverables=[d.id for d in pending])
    if target is Stage.PAID:
        terms = _terms_of(collab)
        if terms is None:
            raise InvalidInput(f"collaboration {collab.id} has no terms, so nothing was due "
                               "or paid", field="terms")
        state = balance(uow.campaigns.entries(collab.id), currency=terms.currency)
        if not state.settled:
            raise InvalidInput(f"the ledger is not settled: {state.outstanding} "
                               f"{terms.currency} outstanding of {state.due} due",
                               field="ledger")


def _on_enter(uow: UnitOfWork, collab: CollaborationView, target: Stage, actor: str,
              now: datetime) -> None:
    terms = _terms_of(collab)
    if target is Stage.CONTRACTED and terms is not None:
        uow.campaigns.replace_deliverables(collab.id, deliverable_slots(terms))
    if target is Stage.COMPLETED and terms is not None:
        entry = fee_entry(terms, completed_on=now.date())
        already = any(e.kind == "fee" for e in uow.campaigns.entries(collab.id))
        if entry is not None and not already:
            uow.campaigns.add_entry(collab.id, entry, actor, now)
    if target in (Stage.DECLINED, Stage.CANCELLED):
        uow.outreach.cancel_open(collab.id, f"collaboration {target.value}")


def move(uow: UnitOfWork, *, workspace: str, collab_id: int, to: Stage, actor: str,
         note: str = "", now: datetime) -> CollaborationView:
    """Move a collaboration to ``to`` if the transitions table and the preconditions allow."""
    collab = require_collaboration(uow, workspace=workspace, collab_id=collab_id)
    check_move(collab.stage, to)
    _check_preconditions(uow, collab, to)
    uow.campaigns.set_stage(collab.id, to.value, now)
    uow.campaigns.add_event(collab.id, "stage", collab.stage.value, to.value, actor, note, now)
    _on_enter(uow, collab, to, actor, now)
    return require_collaboration(uow, workspace=workspace, collab_id=collab_id)


def advance_if(uow: UnitOfWork, *, workspace: str, collab_id: int, frm: Stage, to: Stage,
               actor: str, note: str, now: datetime) -> bool:
    """Move ``frm`` → ``to`` when the collaboration is at ``frm``; used by outreach and review."""
    collab = require_collaboration(uow, workspace=workspace, collab_id=collab_id)
    if collab.stage is not frm:
        return False
    move(uow, workspace=workspace, collab_id=collab_id, to=to, actor=actor, note=note, now=now)
    return True


def parse_terms(data: object, *, where: str | None = None) -> Terms:
    return parse_model(Terms, data, where=where)


def set_terms(uow: UnitOfWork, *, workspace: str, collab_id: int, terms: Terms, actor: str,
              now: datetime) -> CollaborationView:
    """Store (or revise) a collaboration's terms; refused once it is contracted."""
    collab = require_collaboration(uow, workspace=workspace, collab_id=collab_id)
    if collab.stage not in TERMS_OPEN:
        raise Conflict(f"collaboration {collab_id} is {collab.stage.value}; terms are fixed "
                       "once contracted", collaboration=collab_id, stage=collab.stage.value)
    campaign = require_campaign(uow, workspace=workspace, slug=collab.campaign)
    if campaign.currency and campaign.currency != terms.currency:
        raise InvalidInput(f"terms are in {terms.currency}; the campaign's budget is in "
                           f"{campaign.currency}", field="currency")
    revision = collab.terms_revision + 1
    uow.campaigns.set_terms(collab.id, terms.model_dump(mode="json"), revision, now)
    uow.campaigns.add_event(collab.id, "terms", None, None, actor,
                            f"terms revision {revision}: fee {terms.fee} {terms.currency}, "
                            f"{terms.deliverable_count} deliverable(s)", now)
    return require_collaboration(uow, workspace=workspace, collab_id=collab_id)


def contract(uow: UnitOfWork, *, workspace: str, collab_id: int, issued_on: date
             ) -> ContractDocument:
    """The contract document for a collaboration's current terms."""
    collab = require_collaboration(uow, workspace=workspace, collab_id=collab_id)
    terms = _terms_of(collab)
    if terms is None:
        raise InvalidInput(f"collaboration {collab_id} has no terms to put in a contract",
                           field="terms")
    campaign = require_campaign(uow, workspace=workspace, slug=collab.campaign)
    kol = f"{collab.display_name} (@{collab.handle} on {collab.platform})" \
        if collab.display_name else f"@{collab.handle} on {collab.platform}"
    return build_contract(terms=terms, reference=f"{campaign.slug}-{collab.id}-r"
                          f"{collab.terms_revision}", issued_on=issued_on, brand=campaign.brand,
                          campaign=campaign.name, kol=kol)


def set_contact(uow: UnitOfWork, *, workspace: str, account_id: int, email: str | None) -> None:
    """Store (or clear) the email address outreach writes to for an account."""
    ws = require_workspace(uow, workspace)
    if uow.campaigns.account_name(ws.id, account_id) is None:
        raise NotFound(f"no account {account_id}", account=account_id)
    address = normalize_address(email, "email") if email else None
    uow.campaigns.set_contact_email(ws.id, account_id, address)


def rate(uow: UnitOfWork, *, workspace: str, collab_id: int, rating: int, actor: str,
         now: datetime) -> CollaborationView:
    """Rate a collaboration 1 to 5 for the KOL's relationship history."""
    if not 1 <= rating <= 5:
        raise InvalidInput("ratings are 1 to 5", field="rating")
    collab = require_collaboration(uow, workspace=workspace, collab_id=collab_id)
    uow.campaigns.set_rating(collab.id, rating)
    uow.campaigns.add_event(collab.id, "rating", None, None, actor, f"rated {rating} of 5", now)
    return require_collaboration(uow, workspace=workspace, collab_id=collab_id)


def committed_fees(collabs: Sequence[CollaborationView]) -> Decimal:
    """Fees of collaborations with terms that are not declined or cancelled."""
    total = Decimal(0)
    for c in collabs:
        if c.terms is not None and c.stage not in (Stage.DECLINED, Stage.CANCELLED):
            total += Decimal(str(c.terms.get("fee", "0")))
    return total


def add_shortlist(uow: UnitOfWork, *, workspace: str, slug: str,
                  rows: Sequence[Mapping[str, object]], where: str, actor: str, now: datetime,
                  first: int = 2) -> tuple[list[CollaborationView], list[CollaborationView]]:
    """Add every KOL of a shortlist (rows with ``handle``, optional ``platform`` and
    ``why_you``, as ``kolscope kols export`` writes them) in one step; all or nothing.
    Errors number rows from ``first``: 2 for a CSV's line under its header, 1 for JSON."""
    if not rows:
        raise InvalidInput(f"{where}: the shortlist is empty", field="handle")
    added: list[CollaborationView] = []
    existing: list[CollaborationView] = []
    for line, row in enumerate(rows, start=first):
        handle = str(row.get("handle") or "").strip()
        if not handle:
            raise InvalidInput(f"{where} row {line}: no handle", field="handle", line=line)
        platform = str(row.get("platform") or "").strip()
        why = str(row.get("why_you") or "").strip() or None
        try:
            a, e = add_kols(uow, workspace=workspace, slug=slug, handles=[handle],
                            platform=parse_platform(platform) if platform else None,
                            why_you=why, actor=actor, now=now)
        except ValueError as exc:
            raise InvalidInput(f"{where} row {line}: {exc}", field="platform",
                               line=line) from None
        except (NotFound, InvalidInput) as exc:
            raise type(exc)(f"{where} row {line}: {exc.message}", line=line) from None
        added += a
        existing += e
    return added, existing
