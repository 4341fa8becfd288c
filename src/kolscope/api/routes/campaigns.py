"""Campaigns and collaborations: the pipeline, terms, contracts, deliverable review, the ledger
and relationships with KOLs."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from kolscope.adapters.documents import render_contract_html, render_contract_pdf
from kolscope.api.deps import RuntimeDep, UowDep, WorkspaceDep
from kolscope.app import campaigns as camp
from kolscope.app import deliverables as dl
from kolscope.app import payments as pay
from kolscope.app.campaign_views import (
    CampaignIn,
    CampaignStatus,
    CampaignView,
    CollaborationView,
    DeliverableView,
    DraftView,
    EventView,
    LedgerView,
    NoteView,
    RelationshipView,
)
from kolscope.app.relationships import add_note, relationship
from kolscope.core.campaigns.pipeline import Stage
from kolscope.core.money import Amount
from kolscope.core.platforms import Platform

router = APIRouter(tags=["campaigns"])
CSV: dict[int | str, dict[str, Any]] = {200: {"content": {"text/csv": {}}}}


class StrictIn(BaseModel):
    """A request body; unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


class ActorIn(StrictIn):
    """Who acts (a person's name, or the system that calls)."""

    actor: str = Field(default="api", min_length=1, max_length=200)


# campaigns


@router.post("/campaigns", response_model=CampaignView, status_code=201)
def create(body: CampaignIn, rt: RuntimeDep, uow: UowDep, workspace: WorkspaceDep
           ) -> CampaignView:
    """Create a campaign in draft; its slug is unique in the workspace."""
    view = camp.create_campaign(uow, workspace=workspace, campaign_in=body, now=rt.clock())
    uow.commit()
    return view


@router.get("/campaigns", response_model=list[CampaignView])
def campaigns(uow: UowDep, workspace: WorkspaceDep) -> list[CampaignView]:
    """The workspace's campaigns with their collaborations per stage and committed fees."""
    return camp.list_campaigns(uow, workspace=workspace)


@router.get("/campaigns/{slug}", response_model=CampaignView)
def campaign(slug: str, uow: UowDep, workspace: WorkspaceDep) -> CampaignView:
    """One campaign."""
    return camp.require_campaign(uow, workspace=workspace, slug=slug)


class StatusIn(StrictIn):
    status: CampaignStatus


@router.put("/campaigns/{slug}/status", response_model=CampaignView)
def set_status(slug: str, body: StatusIn, rt: RuntimeDep, uow: UowDep,
               workspace: WorkspaceDep) -> CampaignView:
    """Set a campaign's status: draft, active, completed or cancelled."""
    view = camp.set_campaign_status(uow, workspace=workspace, slug=slug, status=body.status,
                                    now=rt.clock())
    uow.commit()
    return view


class KolsIn(ActorIn):
    handles: list[str] = Field(max_length=1000)
    platform: Platform | None = None
    stage: Stage = Stage.SHORTLISTED
    why_you: str | None = Field(default=None, max_length=2000)


class KolsAdded(BaseModel):
    added: list[CollaborationView]
    existing: list[CollaborationView]


@router.post("/campaigns/{slug}/kols", response_model=KolsAdded)
def add_kols(slug: str, body: KolsIn, rt: RuntimeDep, uow: UowDep,
             workspace: WorkspaceDep) -> KolsAdded:
    """Add KOLs by handle as prospect or shortlisted; those already in it are listed, not
    added again."""
    added, existing = camp.add_kols(uow, workspace=workspace, slug=slug, handles=body.handles,
                                    platform=body.platform, stage=body.stage,
                                    why_you=body.why_you, actor=body.actor, now=rt.clock())
    uow.commit()
    return KolsAdded(added=added, existing=existing)


@router.get("/campaigns/{slug}/collaborations", response_model=list[CollaborationView])
def collaborations(slug: str, uow: UowDep, workspace: WorkspaceDep,
                   stage: Annotated[Stage | None, Query()] = None) -> list[CollaborationView]:
    """The campaign's collaborations, optionally of one stage."""
    return camp.collaborations(uow, workspace=workspace, slug=slug, stage=stage)


class Column(BaseModel):
    stage: Stage
    collaborations: list[CollaborationView]


@router.get("/campaigns/{slug}/board", response_model=list[Column])
def board(slug: str, uow: UowDep, workspace: WorkspaceDep) -> list[Column]:
    """The pipeline as columns: every stage, in order, with its collaborations."""
    columns = camp.board(uow, workspace=workspace, slug=slug)
    return [Column(stage=stage, collaborations=items) for stage, items in columns.items()]


@router.get("/campaigns/{slug}/ledger.csv", responses=CSV, response_class=Response)
def ledger_csv(slug: str, uow: UowDep, workspace: WorkspaceDep) -> Response:
    """Every ledger line of the campaign as CSV."""
    return Response(pay.ledger_csv(uow, workspace=workspace, slug=slug), media_type="text/csv",
                    headers={"content-disposition": f"attachment; filename={slug}-ledger.csv"})


# collaborations


@router.get("/collaborations/{collab_id}", response_model=CollaborationView)
def collaboration(collab_id: int, uow: UowDep, workspace: WorkspaceDep) -> CollaborationView:
    """One collaboration: the KOL, the stage, the terms and the rating."""
    return camp.require_collaboration(uow, workspace=workspace, collab_id=collab_id)


class MoveIn(ActorIn):
    to: Stage
    note: str = Field(default="", max_length=2000)


@router.post("/collaborations/{collab_id}/moves", response_model=CollaborationView)
def move(collab_id: int, body: MoveIn, rt: RuntimeDep, uow: UowDep,
         workspace: WorkspaceDep) -> CollaborationView:
    """Move a collaboration to another stage, if the pipeline and its preconditions allow."""
    view = camp.move(uow, workspace=workspace, collab_id=collab_id, to=body.to,
                     actor=body.actor, note=body.note, now=rt.clock())
    uow.commit()
    return view


@router.get("/collaborations/{collab_id}/events", response_model=list[EventView])
def events(collab_id: int, uow: UowDep, workspace: WorkspaceDep) -> list[EventView]:
    """The collaboration's log: moves, terms, drafts, reviews, payments, who and when."""
    return camp.events(uow, workspace=workspace, collab_id=collab_id)


@router.put("/collaborations/{collab_id}/terms", response_model=CollaborationView)
def terms(collab_id: int, body: Annotated[dict[str, Any], Body()], rt: RuntimeDep,
          uow: UowDep, workspace: WorkspaceDep) -> CollaborationView:
    """Agree (or revise) the terms: fee and currency, deliverables, usage, exclusivity, seeding,
    performance pay. Amounts as text; an ``actor`` field says who."""
    actor = str(body.pop("actor", None) or "api")
    parsed = camp.parse_terms(body, where="terms")
    view = camp.set_terms(uow, workspace=workspace, collab_id=collab_id, terms=parsed,
                          actor=actor, now=rt.clock())
    uow.commit()
    return view


@router.get("/collaborations/{collab_id}/contract", response_class=Response,
            responses={200: {"content": {"text/html": {}, "application/pdf": {}}}})
def contract(collab_id: int, rt: RuntimeDep, uow: UowDep, workspace: WorkspaceDep,
             format: Annotated[Literal["html", "pdf"], Query()] = "pdf") -> Response:
    """The contract for the current terms, as a PDF or HTML document to sign."""
    doc = camp.contract(uow, workspace=workspace, collab_id=collab_id,
                        issued_on=rt.clock().date())
    disposition = {"content-disposition": f'attachment; filename="{doc.reference}.{format}"'}
    if format == "pdf":
        return Response(render_contract_pdf(doc), media_type="application/pdf",
                        headers=disposition)
    return Response(render_contract_html(doc), media_type="text/html", headers=disposition)


class RatingIn(ActorIn):
    rating: int


@router.put("/collaborations/{collab_id}/rating", response_model=CollaborationView)
def rate(collab_id: int, body: RatingIn, rt: RuntimeDep, uow: UowDep,
         workspace: WorkspaceDep) -> CollaborationView:
    """Rate the collaboration 1 to 5, for the KOL's relationship history."""
    view = camp.rate(uow, workspace=workspace, collab_id=collab_id, rating=body.rating,
                     actor=body.actor, now=rt.clock())
    uow.commit()
    return view


@router.get("/collaborations/{collab_id}/deliverables", response_model=list[DeliverableView])
def deliverables(collab_id: int, uow: UowDep, workspace: WorkspaceDep
                 ) -> list[DeliverableView]:
    """The posts the contract calls for, each with its drafts and review status."""
    return dl.deliverables(uow, workspace=workspace, collab_id=collab_id)


@router.get("/collaborations/{collab_id}/ledger", response_model=LedgerView)
def ledger(collab_id: int, uow: UowDep, workspace: WorkspaceDep) -> LedgerView:
    """What is due, paid and outstanding, with every ledger line."""
    return pay.ledger(uow, workspace=workspace, collab_id=collab_id)


class PaymentIn(ActorIn):
    amount: Amount
    method: str = Field(max_length=60)
    reference: str | None = Field(default=None, max_length=200)
    note: str = Field(default="", max_length=2000)


@router.post("/collaborations/{collab_id}/payments", response_model=LedgerView,
             status_code=201)
def record_payment(collab_id: int, body: PaymentIn, rt: RuntimeDep, uow: UowDep,
                   workspace: WorkspaceDep) -> LedgerView:
    """Record a payment made outside kolscope; more than the outstanding balance is refused."""
    view = pay.record_payment(uow, workspace=workspace, collab_id=collab_id,
                              amount=body.amount, method=body.method, reference=body.reference,
                              note=body.note, actor=body.actor, now=rt.clock())
    uow.commit()
    return view


class PerformanceIn(ActorIn):
    clicks: int = Field(default=0, ge=0)
    conversions: int = Field(default=0, ge=0)
    revenue: Amount = Decimal(0)


@router.post("/collaborations/{collab_id}/performance", response_model=LedgerView)
def performance(collab_id: int, body: PerformanceIn, rt: RuntimeDep, uow: UowDep,
                workspace: WorkspaceDep) -> LedgerView:
    """Bring performance pay up to what the totals so far (clicks, conversions, revenue) earn."""
    view = pay.accrue_performance(uow, workspace=workspace, collab_id=collab_id,
                                  clicks=body.clicks, conversions=body.conversions,
                                  revenue=body.revenue, actor=body.actor, now=rt.clock())
    uow.commit()
    return view


# accounts: contact and relationship


class ContactIn(StrictIn):
    email: str | None = Field(max_length=320)


@router.put("/accounts/{account_id}/contact", status_code=204, response_class=Response)
def set_contact(account_id: int, body: ContactIn, uow: UowDep,
                workspace: WorkspaceDep) -> Response:
    """Set (or, with ``null``, clear) the email address outreach writes to."""
    camp.set_contact(uow, workspace=workspace, account_id=account_id, email=body.email)
    uow.commit()
    return Response(status_code=204)


@router.get("/accounts/{account_id}/relationship", response_model=RelationshipView)
def account_relationship(account_id: int, uow: UowDep, workspace: WorkspaceDep
                         ) -> RelationshipView:
    """Every collaboration with the KOL, notes, and whether to hire them again and why."""
    return relationship(uow, workspace=workspace, account_id=account_id)


class NoteIn(ActorIn):
    body: str


@router.post("/accounts/{account_id}/notes", response_model=NoteView, status_code=201)
def note(account_id: int, body: NoteIn, rt: RuntimeDep, uow: UowDep,
         workspace: WorkspaceDep) -> NoteView:
    """Add a note about the KOL."""
    view = add_note(uow, workspace=workspace, account_id=account_id, body=body.body,
                    actor=body.actor, now=rt.clock())
    uow.commit()
    return view


# deliverables and drafts


class DraftIn(ActorIn):
    caption: str = ""
    url: str | None = None
    file_name: str | None = Field(default=None, max_length=300)
    file_sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    paid_partnership: bool = False


@router.post("/deliverables/{deliverable_id}/drafts", response_model=DraftView,
             status_code=201)
def submit_draft(deliverable_id: int, body: DraftIn, rt: RuntimeDep, uow: UowDep,
                 workspace: WorkspaceDep) -> DraftView:
    """Submit a draft (a link or a file name) for review; its disclosure check runs now."""
    view = dl.submit_draft(uow, workspace=workspace, deliverable_id=deliverable_id,
                           caption=body.caption, paid_partnership=body.paid_partnership,
                           url=body.url, file_name=body.file_name, file_sha256=body.file_sha256,
                           actor=body.actor, now=rt.clock())
    uow.commit()
    return view


class CommentIn(ActorIn):
    body: str


@router.post("/drafts/{draft_id}/comments", response_model=DraftView, status_code=201)
def comment(draft_id: int, body: CommentIn, rt: RuntimeDep, uow: UowDep,
            workspace: WorkspaceDep) -> DraftView:
    """Comment on a draft."""
    view = dl.comment_draft(uow, workspace=workspace, draft_id=draft_id, body=body.body,
                            actor=body.actor, now=rt.clock())
    uow.commit()
    return view


class ReviewIn(ActorIn):
    decision: Literal["approve", "request_changes"]
    comment: str = ""


@router.post("/drafts/{draft_id}/review", response_model=DraftView)
def review(draft_id: int, body: ReviewIn, rt: RuntimeDep, uow: UowDep,
           workspace: WorkspaceDep) -> DraftView:
    """Approve a draft (refused while a required disclosure is missing) or request changes."""
    view = dl.review_draft(uow, workspace=workspace, draft_id=draft_id, decision=body.decision,
                           comment=body.comment, actor=body.actor, now=rt.clock())
    uow.commit()
    return view


class PublishedIn(ActorIn):
    url: str


@router.post("/deliverables/{deliverable_id}/published", response_model=DeliverableView)
def published(deliverable_id: int, body: PublishedIn, rt: RuntimeDep, uow: UowDep,
              workspace: WorkspaceDep) -> DeliverableView:
    """Link the live post to an approved deliverable; the last one moves the collaboration to
    published."""
    view = dl.link_published(uow, workspace=workspace, deliverable_id=deliverable_id,
                             url=body.url, actor=body.actor, now=rt.clock())
    uow.commit()
    return view
