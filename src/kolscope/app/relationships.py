"""A KOL's relationship with the workspace: every collaboration, notes and a rehire suggestion."""

from __future__ import annotations

from datetime import datetime

from kolscope.app.campaign_views import NoteView, RelationshipView
from kolscope.app.ports import UnitOfWork
from kolscope.app.workspaces import require_workspace
from kolscope.core.campaigns.relationships import PastCollaboration, rehire
from kolscope.errors import InvalidInput, NotFound


def relationship(uow: UnitOfWork, *, workspace: str, account_id: int) -> RelationshipView:
    """History across campaigns (deliveries, timeliness, results, ratings) and what to do next."""
    ws = require_workspace(uow, workspace)
    who = uow.campaigns.account_name(ws.id, account_id)
    if who is None:
        raise NotFound(f"no account {account_id}", account=account_id)
    history = uow.campaigns.history(ws.id, account_id)
    past = [PastCollaboration(h.campaign, h.stage, h.deliverables, h.on_time, h.late, h.rating)
            for h in history]
    suggestion = rehire(past)
    return RelationshipView(account_id=account_id, platform=who[0], handle=who[1],
                            history=history, notes=uow.campaigns.notes(ws.id, account_id),
                            suggestion=suggestion.suggestion, reasons=list(suggestion.reasons))


def add_note(uow: UnitOfWork, *, workspace: str, account_id: int, body: str, actor: str,
             now: datetime) -> NoteView:
    if not body.strip() or len(body) > 5000:
        raise InvalidInput("a note is 1 to 5,000 characters", field="body")
    ws = require_workspace(uow, workspace)
    if uow.campaigns.account_name(ws.id, account_id) is None:
        raise NotFound(f"no account {account_id}", account=account_id)
    return uow.campaigns.add_note(ws.id, account_id, actor, body.strip(), now)
