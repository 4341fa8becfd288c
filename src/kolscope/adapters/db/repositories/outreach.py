"""Outreach storage: templates, senders, sequences, messages, replies and suppressions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from kolscope.adapters.db.tables import (
    Account,
    CampaignRow,
    CollaborationRow,
    OutreachMessageRow,
    OutreachTemplateRow,
    ReplyRow,
    SenderRow,
    SequenceRow,
    SuppressionRow,
)
from kolscope.app.campaign_views import (
    MessageView,
    ReplyView,
    SenderView,
    SequenceView,
    TemplateView,
)
from kolscope.core.campaigns.outreach import Template

M, K, Q, S = OutreachMessageRow, CollaborationRow, SequenceRow, SenderRow
OPEN = ("pending", "approved")


class SqlOutreachRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    # templates and senders

    def put_template(self, workspace_id: int, template: Template, now: datetime) -> None:
        row = self.s.scalars(select(OutreachTemplateRow).where(
            OutreachTemplateRow.workspace_id == workspace_id,
            OutreachTemplateRow.name == template.name)).first()
        if row is None:
            row = OutreachTemplateRow(workspace_id=workspace_id, name=template.name)
            self.s.add(row)
        row.subject, row.body, row.updated_at = template.subject, template.body, now
        self.s.flush()

    @staticmethod
    def _template(r: OutreachTemplateRow) -> TemplateView:
        return TemplateView(name=r.name, subject=r.subject, body=r.body,
                            fields=Template(r.name, r.subject, r.body).fields,
                            updated_at=r.updated_at)

    def template(self, workspace_id: int, name: str) -> TemplateView | None:
        row = self.s.scalars(select(OutreachTemplateRow).where(
            OutreachTemplateRow.workspace_id == workspace_id,
            OutreachTemplateRow.name == name)).first()
        return None if row is None else self._template(row)

    def templates(self, workspace_id: int) -> list[TemplateView]:
        return [self._template(r) for r in self.s.scalars(select(OutreachTemplateRow).where(
            OutreachTemplateRow.workspace_id == workspace_id).order_by(OutreachTemplateRow.name))]

    def put_sender(self, workspace_id: int, address: str, display_name: str,
                   daily_cap: int) -> SenderView:
        row = self.s.scalars(select(S).where(S.workspace_id == workspace_id,
                                             S.address == address)).first()
        if row is None:
            row = S(workspace_id=workspace_id, address=address)
            self.s.add(row)
        row.display_name, row.daily_cap = display_name, daily_cap
        self.s.flush()
        return SenderView(id=row.id, address=address, display_name=display_name,
                          daily_cap=daily_cap)

    def sender(self, workspace_id: int, address: str) -> SenderView | None:
        row = self.s.scalars(select(S).where(S.workspace_id == workspace_id,
                                             S.address == address)).first()
        return None if row is None else SenderView(id=row.id, address=row.address,
                                                   display_name=row.display_name,
                                                   daily_cap=row.daily_cap)

    def senders(self, workspace_id: int) -> list[SenderView]:
        return [SenderView(id=r.id, address=r.address, display_name=r.display_name,
                           daily_cap=r.daily_cap)
                for r in self.s.scalars(select(S).where(S.workspace_id == workspace_id)
                                        .order_by(S.address))]

    # sequences

    def put_sequence(self, campaign_id: int, name: str, channel: str, sender_id: int | None,
                     steps: list[tuple[str, int]]) -> SequenceView:
        row = self.s.scalars(select(Q).where(Q.campaign_id == campaign_id,
                                             Q.name == name)).first()
        if row is None:
            row = Q(campaign_id=campaign_id, name=name)
            self.s.add(row)
        row.channel, row.sender_id, row.steps = channel, sender_id, [list(s) for s in steps]
        self.s.flush()
        found = self.sequence(campaign_id, name)
        assert found is not None
        return found

    def _sequences(self) -> Any:
        return select(Q, S.address).outerjoin(S, S.id == Q.sender_id)

    @staticmethod
    def _sequence(row: Any) -> SequenceView:
        q, address = row
        return SequenceView(id=q.id, campaign_id=q.campaign_id, name=q.name, channel=q.channel,
                            sender=address, steps=[(t, int(d)) for t, d in q.steps])

    def sequence(self, campaign_id: int, name: str) -> SequenceView | None:
        row = self.s.execute(self._sequences().where(Q.campaign_id == campaign_id,
                                                     Q.name == name)).first()
        return None if row is None else self._sequence(row)

    def sequences(self, campaign_id: int) -> list[SequenceView]:
        return [self._sequence(r) for r in self.s.execute(
            self._sequences().where(Q.campaign_id == campaign_id).order_by(Q.name))]

    # suppressions

    def suppress(self, workspace_id: int, value: str, reason: str, actor: str,
                 now: datetime) -> None:
        exists = self.s.scalar(select(SuppressionRow.id).where(
            SuppressionRow.workspace_id == workspace_id, SuppressionRow.value == value))
        if exists is None:
            self.s.add(SuppressionRow(workspace_id=workspace_id, value=value, reason=reason,
                                      added_by=actor, added_at=now))
            self.s.flush()

    def unsuppress(self, workspace_id: int, value: str) -> bool:
        result = self.s.execute(delete(SuppressionRow).where(
            SuppressionRow.workspace_id == workspace_id, SuppressionRow.value == value))
        return bool(getattr(result, "rowcount", 0))

    def suppressions(self, workspace_id: int) -> list[dict[str, object]]:
        return [{"value": r.value, "reason": r.reason, "added_by": r.added_by,
                 "added_at": r.added_at}
                for r in self.s.scalars(select(SuppressionRow).where(
                    SuppressionRow.workspace_id == workspace_id).order_by(SuppressionRow.value))]

    def suppressed_set(self, workspace_id: int) -> set[str]:
        return set(self.s.scalars(select(SuppressionRow.value).where(
            SuppressionRow.workspace_id == workspace_id)))

    # messages

    def add_message(self, workspace_id: int, collab_id: int, sequence_id: int | None,
                    step: int, channel: str, sender_id: int | None, recipient: str,
                    subject: str, body: str, now: datetime) -> int:
        row = M(workspace_id=workspace_id, collaboration_id=collab_id, sequence_id=sequence_id,
                step=step, channel=channel, sender_id=sender_id, recipient=recipient,
                subject=subject, body=body, status="pending", created_at=now)
        self.s.add(row)
        self.s.flush()
        return row.id

    def _messages(self) -> Any:
        return (select(M, CampaignRow.slug, Account.handle, Q.name, S.address)
                .join(K, K.id == M.collaboration_id)
                .join(CampaignRow, CampaignRow.id == K.campaign_id)
                .join(Account, Account.id == K.account_id)
                .outerjoin(Q, Q.id == M.sequence_id).outerjoin(S, S.id == M.sender_id))

    @staticmethod
    def _message(row: Any) -> MessageView:
        m, campaign, handle, sequence, sender = row
        return MessageView(id=m.id, collaboration_id=m.collaboration_id, campaign=campaign,
                           handle=handle, sequence=sequence, step=m.step, channel=m.channel,
                           sender=sender, recipient=m.recipient, subject=m.subject,
                           body=m.body, status=m.status, created_at=m.created_at,
                           approved_by=m.approved_by, sent_at=m.sent_at,
                           message_id=m.message_id, error=m.error)

    def message(self, workspace_id: int, message_id: int) -> MessageView | None:
        row = self.s.execute(self._messages().where(M.id == message_id,
                                                    M.workspace_id == workspace_id)).first()
        return None if row is None else self._message(row)

    def messages(self, workspace_id: int, campaign_id: int | None,
                 status: str | None) -> list[MessageView]:
        q = self._messages().where(M.workspace_id == workspace_id)
        if campaign_id is not None:
            q = q.where(K.campaign_id == campaign_id)
        if status is not None:
            q = q.where(M.status == status)
        return [self._message(r) for r in self.s.execute(q.order_by(M.id))]

    def messages_of(self, collab_id: int, sequence_id: int) -> list[MessageView]:
        return [self._message(r) for r in self.s.execute(self._messages().where(
            M.collaboration_id == collab_id, M.sequence_id == sequence_id).order_by(M.step))]

    def message_by_mail_id(self, workspace_id: int, mail_id: str) -> MessageView | None:
        row = self.s.execute(self._messages().where(M.workspace_id == workspace_id,
                                                    M.message_id == mail_id)).first()
        return None if row is None else self._message(row)

    def set_status(self, message_id: int, status: str, *, approved_by: str | None = None,
                   at: datetime | None = None, sent_at: datetime | None = None,
                   mail_id: str | None = None, error: str | None = None) -> None:
        values: dict[str, Any] = {"status": status}
        if approved_by is not None:
            values |= {"approved_by": approved_by, "approved_at": at}
        if sent_at is not None:
            values["sent_at"] = sent_at
        if mail_id is not None:
            values["message_id"] = mail_id
        if error is not None:
            values["error"] = error
        self.s.execute(update(M).where(M.id == message_id).values(**values))

    def sent_count(self, sender_id: int, since: datetime) -> int:
        return int(self.s.scalar(select(func.count()).select_from(M).where(
            M.sender_id == sender_id, M.status == "sent", M.sent_at >= since)) or 0)

    def cancel_open(self, collab_id: int, why: str) -> int:
        result = self.s.execute(update(M).where(M.collaboration_id == collab_id,
                                                M.status.in_(OPEN))
                                .values(status="cancelled", error=why))
        return int(getattr(result, "rowcount", 0))

    # replies

    def has_reply(self, collab_id: int) -> bool:
        return self.s.scalar(select(ReplyRow.id).where(
            ReplyRow.collaboration_id == collab_id).limit(1)) is not None

    def latest_collaboration_for(self, workspace_id: int, address: str) -> int | None:
        return self.s.scalar(select(M.collaboration_id).where(
            M.workspace_id == workspace_id, M.recipient == address, M.status == "sent")
            .order_by(M.sent_at.desc(), M.id.desc()).limit(1))

    def add_reply(self, workspace_id: int, collab_id: int, message_id: int | None,
                  channel: str, from_address: str, subject: str, body: str, source: str,
                  external_id: str, received_at: datetime) -> int | None:
        if self.s.scalar(select(ReplyRow.id).where(ReplyRow.workspace_id == workspace_id,
                                                   ReplyRow.external_id == external_id)):
            return None
        row = ReplyRow(workspace_id=workspace_id, collaboration_id=collab_id,
                       message_id=message_id, channel=channel, from_address=from_address,
                       subject=subject[:300], body=body, source=source,
                       external_id=external_id[:300], received_at=received_at)
        self.s.add(row)
        self.s.flush()
        return row.id

    @staticmethod
    def _reply(r: ReplyRow) -> ReplyView:
        return ReplyView(id=r.id, collaboration_id=r.collaboration_id, message_id=r.message_id,
                         channel=r.channel, from_address=r.from_address, subject=r.subject,
                         body=r.body, source=r.source, received_at=r.received_at)

    def reply(self, reply_id: int) -> ReplyView | None:
        row = self.s.get(ReplyRow, reply_id)
        return None if row is None else self._reply(row)

    def replies(self, collab_id: int) -> list[ReplyView]:
        return [self._reply(r) for r in self.s.scalars(select(ReplyRow).where(
            ReplyRow.collaboration_id == collab_id).order_by(ReplyRow.id))]
