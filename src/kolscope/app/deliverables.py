"""Deliverable review: drafts submitted, commented, approved or sent back, then published.

A draft is checked against its deliverable's terms when it is submitted (``core.campaigns.
disclosure``); approval is refused while a required disclosure is missing. The first draft moves
a contracted collaboration into content review; the last published deliverable moves it on to
published.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from kolscope.app.campaign_views import DeliverableView, DraftView
from kolscope.app.campaigns import advance_if, require_collaboration
from kolscope.app.ports import UnitOfWork
from kolscope.app.validation import limit_text
from kolscope.app.workspaces import require_workspace
from kolscope.core.campaigns.disclosure import check_draft
from kolscope.core.campaigns.pipeline import Stage
from kolscope.core.campaigns.terms import Terms
from kolscope.errors import Conflict, InvalidInput, NotFound

REVIEWABLE = frozenset({Stage.CONTRACTED, Stage.CONTENT_REVIEW})
DECISIONS = ("approve", "request_changes")


def deliverables(uow: UnitOfWork, *, workspace: str, collab_id: int) -> list[DeliverableView]:
    require_collaboration(uow, workspace=workspace, collab_id=collab_id)
    return uow.campaigns.deliverables(collab_id)


def require_deliverable(uow: UnitOfWork, *, workspace: str, deliverable_id: int
                        ) -> DeliverableView:
    ws = require_workspace(uow, workspace)
    found = uow.campaigns.deliverable(ws.id, deliverable_id)
    if found is None:
        raise NotFound(f"no deliverable {deliverable_id} in this workspace",
                       deliverable=deliverable_id)
    return found


def require_draft(uow: UnitOfWork, *, workspace: str, draft_id: int) -> DraftView:
    ws = require_workspace(uow, workspace)
    found = uow.campaigns.draft(ws.id, draft_id)
    if found is None:
        raise NotFound(f"no draft {draft_id} in this workspace", draft=draft_id)
    return found


def submit_draft(uow: UnitOfWork, *, workspace: str, deliverable_id: int, caption: str,
                 paid_partnership: bool = False, url: str | None = None,
                 file_name: str | None = None, file_sha256: str | None = None, actor: str,
                 now: datetime) -> DraftView:
    """Submit a draft (a link or a file) for review; the disclosure check runs on its caption."""
    deliverable = require_deliverable(uow, workspace=workspace, deliverable_id=deliverable_id)
    collab = require_collaboration(uow, workspace=workspace,
                                   collab_id=deliverable.collaboration_id)
    if collab.stage not in REVIEWABLE:
        raise InvalidInput(f"collaboration {collab.id} is {collab.stage.value}; drafts are "
                           "reviewed once it is contracted", field="stage")
    if deliverable.status in ("approved", "published"):
        raise Conflict(f"deliverable {deliverable_id} is {deliverable.status} already",
                       deliverable=deliverable_id)
    if not url and not file_name:
        raise InvalidInput("a draft is a link (url) or a file", field="url")
    if url and not url.startswith(("https://", "http://")):
        raise InvalidInput(f"not an http(s) link: {url!r}", field="url")
    if len(caption) > 20_000:
        raise InvalidInput("captions are at most 20,000 characters", field="caption")
    spec = Terms.model_validate(collab.terms).deliverables[deliverable.spec_index]
    check = check_draft(caption, paid_partnership=paid_partnership,
                        disclosures=spec.disclosures, hashtags_required=spec.hashtags,
                        links=spec.links)
    check_json = {"passed": check.passed, "summary": check.summary(), "version": check.version,
                  "items": [asdict(item) for item in check.items]}
    for earlier in deliverable.drafts:
        if earlier.status == "submitted":  # a newer draft replaces one not yet decided
            uow.campaigns.decide_draft(earlier.id, "superseded", actor, now)
    draft_id = uow.campaigns.add_draft(deliverable_id, url=url, file_name=file_name,
                                       file_sha256=file_sha256, caption=caption,
                                       paid_partnership=paid_partnership, check=check_json,
                                       actor=actor, now=now)
    uow.campaigns.set_deliverable_status(deliverable_id, "in_review")
    uow.campaigns.add_event(collab.id, "draft", None, None, actor,
                            f"draft for deliverable {deliverable_id}: {check.summary()}", now)
    advance_if(uow, workspace=workspace, collab_id=collab.id, frm=Stage.CONTRACTED,
               to=Stage.CONTENT_REVIEW, actor=actor, note="first draft submitted", now=now)
    return require_draft(uow, workspace=workspace, draft_id=draft_id)


def comment_draft(uow: UnitOfWork, *, workspace: str, draft_id: int, body: str, actor: str,
                  now: datetime) -> DraftView:
    if not body.strip() or len(body) > 5000:
        raise InvalidInput("a comment is 1 to 5,000 characters", field="body")
    require_draft(uow, workspace=workspace, draft_id=draft_id)
    uow.campaigns.add_draft_comment(draft_id, actor, body.strip(), now)
    return require_draft(uow, workspace=workspace, draft_id=draft_id)


def review_draft(uow: UnitOfWork, *, workspace: str, draft_id: int, decision: str, actor: str,
                 comment: str = "", now: datetime) -> DraftView:
    """Approve a draft or request changes; approval needs a passing disclosure check."""
    if decision not in DECISIONS:
        raise InvalidInput(f"decision must be one of {', '.join(DECISIONS)}", field="decision")
    limit_text(comment, "comment", 5_000)
    draft = require_draft(uow, workspace=workspace, draft_id=draft_id)
    if draft.status != "submitted":
        raise Conflict(f"draft {draft_id} was decided already ({draft.status})", draft=draft_id)
    if decision == "approve" and not draft.check.get("passed"):
        raise InvalidInput(f"cannot approve draft {draft_id}: {draft.check.get('summary')}",
                           field="caption", draft=draft_id)
    if decision == "request_changes" and not comment.strip():
        raise InvalidInput("say what should change", field="comment")
    status = "approved" if decision == "approve" else "changes_requested"
    uow.campaigns.decide_draft(draft_id, status, actor, now)
    if comment.strip():
        uow.campaigns.add_draft_comment(draft_id, actor, comment.strip(), now)
    uow.campaigns.set_deliverable_status(draft.deliverable_id, status)
    deliverable = require_deliverable(uow, workspace=workspace,
                                      deliverable_id=draft.deliverable_id)
    uow.campaigns.add_event(deliverable.collaboration_id, "review", None, None, actor,
                            f"draft {draft_id} {status.replace('_', ' ')}", now)
    return require_draft(uow, workspace=workspace, draft_id=draft_id)


def link_published(uow: UnitOfWork, *, workspace: str, deliverable_id: int, url: str,
                   actor: str, now: datetime) -> DeliverableView:
    """Link the live post to an approved deliverable (and to the imported post, if known)."""
    if not url.startswith(("https://", "http://")) or len(url) > 2000:
        raise InvalidInput(f"not an http(s) link: {url!r}", field="url")
    ws = require_workspace(uow, workspace)
    deliverable = require_deliverable(uow, workspace=workspace, deliverable_id=deliverable_id)
    if deliverable.status != "approved":
        raise InvalidInput(f"deliverable {deliverable_id} is {deliverable.status}; approve a "
                           "draft before linking the published post", field="status")
    post_id = uow.campaigns.post_by_url(ws.id, url)
    uow.campaigns.publish_deliverable(deliverable_id, url=url, post_id=post_id, now=now)
    collab_id = deliverable.collaboration_id
    uow.campaigns.add_event(collab_id, "published", None, None, actor,
                            f"deliverable {deliverable_id} live at {url}", now)
    if all(d.status == "published" for d in uow.campaigns.deliverables(collab_id)):
        advance_if(uow, workspace=workspace, collab_id=collab_id, frm=Stage.CONTENT_REVIEW,
                   to=Stage.PUBLISHED, actor=actor, note="every deliverable is live", now=now)
    return require_deliverable(uow, workspace=workspace, deliverable_id=deliverable_id)
