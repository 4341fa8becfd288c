"""Outreach: templates, senders, sequences, drafts for approval, sending within caps, the
do-not-contact list, DM tasks and replies (typed in, or from the inbound-mail webhook)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Response
from pydantic import BaseModel, Field

from kolscope.adapters.mail import parse_webhook
from kolscope.api.deps import RuntimeDep, UowDep, WorkspaceDep
from kolscope.api.routes.campaigns import ActorIn, StrictIn
from kolscope.app import outreach as out
from kolscope.app.campaign_views import (
    MessageStatus,
    MessageView,
    ReplyView,
    SenderView,
    SendReport,
    SequenceView,
    TemplateView,
)
from kolscope.errors import NotFound

router = APIRouter(tags=["outreach"])


# templates and senders


@router.get("/outreach/templates", response_model=list[TemplateView])
def templates(uow: UowDep, workspace: WorkspaceDep) -> list[TemplateView]:
    """The workspace's message templates and the merge fields each uses."""
    return out.templates(uow, workspace=workspace)


@router.get("/outreach/templates/{name}", response_model=TemplateView)
def template(name: str, uow: UowDep, workspace: WorkspaceDep) -> TemplateView:
    """One template."""
    return out.require_template(uow, workspace=workspace, name=name)


class TemplateIn(StrictIn):
    subject: str
    body: str


@router.put("/outreach/templates/{name}", response_model=TemplateView)
def put_template(name: str, body: TemplateIn, rt: RuntimeDep, uow: UowDep,
                 workspace: WorkspaceDep) -> TemplateView:
    """Create or replace a template; unknown merge fields or stray braces are refused."""
    view = out.put_template(uow, workspace=workspace, name=name, subject=body.subject,
                            body=body.body, now=rt.clock())
    uow.commit()
    return view


@router.get("/outreach/senders", response_model=list[SenderView])
def senders(uow: UowDep, workspace: WorkspaceDep) -> list[SenderView]:
    """The sending addresses and their daily caps."""
    return out.senders(uow, workspace=workspace)


class SenderIn(StrictIn):
    address: str = Field(max_length=320)
    display_name: str
    daily_cap: int = 50


@router.put("/outreach/senders", response_model=SenderView)
def put_sender(body: SenderIn, uow: UowDep, workspace: WorkspaceDep) -> SenderView:
    """Create or update a sending address and its cap (messages per 24 hours, 1 to 500)."""
    view = out.put_sender(uow, workspace=workspace, address=body.address,
                          display_name=body.display_name, daily_cap=body.daily_cap)
    uow.commit()
    return view


# sequences and drafting


@router.get("/campaigns/{slug}/sequences", response_model=list[SequenceView])
def sequences(slug: str, uow: UowDep, workspace: WorkspaceDep) -> list[SequenceView]:
    """The campaign's sequences."""
    return out.sequences(uow, workspace=workspace, slug=slug)


@router.get("/campaigns/{slug}/sequences/{name}", response_model=SequenceView)
def sequence(slug: str, name: str, uow: UowDep, workspace: WorkspaceDep) -> SequenceView:
    """One of the campaign's sequences."""
    for view in out.sequences(uow, workspace=workspace, slug=slug):
        if view.name == name:
            return view
    raise NotFound(f"no sequence {name!r} in campaign {slug}", sequence=name)


class SequenceIn(StrictIn):
    channel: str = "email"
    sender: str | None = None
    steps: list[tuple[str, int]] = Field(max_length=20)


@router.put("/campaigns/{slug}/sequences/{name}", response_model=SequenceView)
def put_sequence(slug: str, name: str, body: SequenceIn, uow: UowDep,
                 workspace: WorkspaceDep) -> SequenceView:
    """Create or replace a sequence: ``steps`` as ``[[template, delay_days], ...]``, the first
    with delay 0; ``email`` needs a ``sender``, ``dm`` makes tasks to do by hand."""
    view = out.put_sequence(uow, workspace=workspace, slug=slug, name=name,
                            channel=body.channel, sender=body.sender, steps=body.steps)
    uow.commit()
    return view


class DraftIn(StrictIn):
    sequence: str = "main"


class Drafted(BaseModel):
    drafted: list[MessageView]
    skipped: list[str]


@router.post("/campaigns/{slug}/outreach/draft", response_model=Drafted)
def draft(slug: str, body: DraftIn, rt: RuntimeDep, uow: UowDep,
          workspace: WorkspaceDep) -> Drafted:
    """Write each KOL's next due message, pending approval: the preview. Nothing is sent;
    ``skipped`` says who was left out and why."""
    drafted, skipped = out.draft_messages(uow, workspace=workspace, slug=slug,
                                          sequence=body.sequence, now=rt.clock())
    uow.commit()
    return Drafted(drafted=drafted, skipped=skipped)


# messages


@router.get("/outreach/messages", response_model=list[MessageView])
def messages(uow: UowDep, workspace: WorkspaceDep,
             campaign: Annotated[str | None, Query(description="a campaign slug")] = None,
             status: Annotated[MessageStatus | None, Query()] = None) -> list[MessageView]:
    """Outreach messages, optionally of one campaign or status."""
    return out.messages(uow, workspace=workspace, slug=campaign, status=status)


class ApproveIn(ActorIn):
    ids: list[int] = Field(min_length=1, max_length=1000)


@router.post("/outreach/messages/approve", response_model=list[MessageView])
def approve(body: ApproveIn, rt: RuntimeDep, uow: UowDep,
            workspace: WorkspaceDep) -> list[MessageView]:
    """A person's go-ahead for pending messages; nothing is sent without one."""
    views = out.approve(uow, workspace=workspace, message_ids=body.ids, actor=body.actor,
                        now=rt.clock())
    uow.commit()
    return views


@router.post("/outreach/messages/{message_id}/cancel", response_model=MessageView)
def cancel(message_id: int, uow: UowDep, workspace: WorkspaceDep) -> MessageView:
    """Cancel a pending or approved message."""
    view = out.cancel(uow, workspace=workspace, message_id=message_id)
    uow.commit()
    return view


@router.post("/outreach/messages/{message_id}/done", response_model=MessageView)
def done(message_id: int, rt: RuntimeDep, uow: UowDep, workspace: WorkspaceDep,
         body: ActorIn | None = None) -> MessageView:
    """Mark an approved DM task as sent by hand on the platform."""
    view = out.complete_dm(uow, workspace=workspace, message_id=message_id,
                           actor=(body or ActorIn()).actor, now=rt.clock())
    uow.commit()
    return view


@router.post("/outreach/send", response_model=SendReport)
def send(rt: RuntimeDep, uow: UowDep, workspace: WorkspaceDep,
         body: ActorIn | None = None) -> SendReport:
    """Send approved email within each sender's daily cap, skipping suppressed recipients;
    DM tasks are listed, not sent."""
    report = out.send_approved(uow, rt.mail, workspace=workspace,
                               actor=(body or ActorIn()).actor, now=rt.clock(),
                               mail_domain=rt.settings.mail_domain)
    uow.commit()
    return report


# the do-not-contact list


@router.get("/outreach/suppressions")
def suppressions(uow: UowDep, workspace: WorkspaceDep) -> list[dict[str, Any]]:
    """The do-not-contact list: email addresses and ``platform:handle`` entries."""
    return out.suppressions(uow, workspace=workspace)


class SuppressIn(ActorIn):
    value: str = Field(max_length=320, description="an email address or platform:handle")
    reason: str = Field(default="", max_length=2000)


@router.post("/outreach/suppressions", status_code=201)
def suppress(body: SuppressIn, rt: RuntimeDep, uow: UowDep,
             workspace: WorkspaceDep) -> dict[str, str]:
    """Add to the do-not-contact list; open messages to it are cancelled at once."""
    key = out.suppress(uow, workspace=workspace, value=body.value, reason=body.reason,
                       actor=body.actor, now=rt.clock())
    uow.commit()
    return {"value": key}


@router.delete("/outreach/suppressions", status_code=204, response_class=Response)
def unsuppress(uow: UowDep, workspace: WorkspaceDep,
               value: Annotated[str, Query(max_length=320)]) -> Response:
    """Take an address or ``platform:handle`` off the do-not-contact list."""
    out.unsuppress(uow, workspace=workspace, value=value)
    uow.commit()
    return Response(status_code=204)


# replies


class Duplicate(BaseModel):
    duplicate: bool = True


@router.get("/collaborations/{collab_id}/replies", response_model=list[ReplyView])
def replies(collab_id: int, uow: UowDep, workspace: WorkspaceDep) -> list[ReplyView]:
    """The KOL's replies on this collaboration."""
    return out.replies(uow, workspace=workspace, collab_id=collab_id)


class ReplyIn(ActorIn):
    sender: str = Field(alias="from", max_length=320)
    subject: str = Field(default="", max_length=2000)
    text: str = ""


@router.post("/collaborations/{collab_id}/replies", response_model=ReplyView | Duplicate)
def record_reply(collab_id: int, body: ReplyIn, rt: RuntimeDep, uow: UowDep,
                 workspace: WorkspaceDep) -> ReplyView | Duplicate:
    """Record a reply received elsewhere (``from``, ``subject``, ``text``); it stops the
    sequence and moves a contacted collaboration to negotiating."""
    inbound = parse_webhook({"from": body.sender, "subject": body.subject, "text": body.text})
    view = out.record_reply(uow, workspace=workspace, inbound=inbound, source="manual",
                            actor=body.actor, now=rt.clock(), collab_id=collab_id)
    uow.commit()
    return view or Duplicate()


@router.post("/outreach/inbound", response_model=ReplyView | Duplicate)
def inbound(payload: Annotated[Any, Body()], rt: RuntimeDep, uow: UowDep,
            workspace: WorkspaceDep) -> ReplyView | Duplicate:
    """The inbound-mail webhook: ``from``, ``subject``, ``text``, ``message_id``,
    ``in_reply_to``, ``references`` (or ``raw``, the whole message). The reply is matched to
    its message; ``{"duplicate": true}`` when it was recorded before."""
    view = out.record_reply(uow, workspace=workspace, inbound=parse_webhook(payload),
                            source="webhook", actor="webhook", now=rt.clock())
    uow.commit()
    return view or Duplicate()
