"""Campaigns, collaborations and their events, deliverables and drafts, the ledger, notes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from kolscope.adapters.db.repositories._sql import chunks
from kolscope.adapters.db.tables import (
    Account,
    AccountNote,
    CampaignRow,
    CollaborationEvent,
    CollaborationRow,
    DeliverableRow,
    DraftComment,
    DraftRow,
    LedgerEntryRow,
    Post,
)
from kolscope.app.campaign_views import (
    CampaignIn,
    CampaignView,
    CollaborationView,
    DeliverableView,
    DraftView,
    EventView,
    HistoryRow,
    LedgerEntryView,
    NoteView,
)
from kolscope.core.campaigns.ledger import Entry
from kolscope.core.campaigns.terms import DeliverableSpec

C, K, A = CampaignRow, CollaborationRow, Account
_CAMPAIGN_FIELDS = ("id", "slug", "name", "brand", "goal", "status", "budget", "currency",
                    "starts_on", "ends_on", "kpi_targets", "offer", "audience_gain",
                    "brief_version", "created_at")


class SqlCampaignRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    # campaigns

    def _view(self, row: CampaignRow) -> CampaignView:
        counts = dict(self.s.execute(select(K.stage, func.count()).where(
            K.campaign_id == row.id).group_by(K.stage)).all())
        fees = Decimal(0)
        for terms, stage in self.s.execute(select(K.terms, K.stage).where(
                K.campaign_id == row.id, K.terms.is_not(None))):
            if stage not in ("declined", "cancelled") and terms:
                fees += Decimal(str(terms.get("fee", "0")))
        return CampaignView(**{f: getattr(row, f) for f in _CAMPAIGN_FIELDS}, stages=counts,
                            committed=fees, brief=row.brief_slug)

    def create(self, workspace_id: int, campaign: CampaignIn, now: datetime,
               brief_version: int | None) -> CampaignView:
        row = C(workspace_id=workspace_id, status="draft", created_at=now, updated_at=now,
                **campaign.model_dump(exclude={"goal", "brief"}), goal=campaign.goal.value,
                brief_slug=campaign.brief, brief_version=brief_version)
        self.s.add(row)
        self.s.flush()
        return self._view(row)

    def by_slug(self, workspace_id: int, slug: str) -> CampaignView | None:
        row = self.s.scalars(select(C).where(C.workspace_id == workspace_id,
                                             C.slug == slug)).first()
        return None if row is None else self._view(row)

    def all(self, workspace_id: int) -> list[CampaignView]:
        rows = self.s.scalars(select(C).where(C.workspace_id == workspace_id).order_by(
            C.created_at.desc(), C.id.desc()))
        return [self._view(r) for r in rows]

    def set_status(self, campaign_id: int, status: str, now: datetime) -> None:
        self.s.execute(update(C).where(C.id == campaign_id).values(status=status,
                                                                    updated_at=now))

    # collaborations

    def find_collaboration(self, campaign_id: int, account_id: int) -> int | None:
        return self.s.scalar(select(K.id).where(K.campaign_id == campaign_id,
                                                K.account_id == account_id))

    def add_collaboration(self, workspace_id: int, campaign_id: int, account_id: int,
                          stage: str, why_you: str, now: datetime) -> int:
        row = K(workspace_id=workspace_id, campaign_id=campaign_id, account_id=account_id,
                stage=stage, why_you=why_you, terms=None, terms_revision=0, created_at=now,
                updated_at=now)
        self.s.add(row)
        self.s.flush()
        return row.id

    def _collabs(self) -> Any:
        return (select(K.id, K.campaign_id, C.slug, K.account_id, A.platform, A.handle,
                       A.display_name, A.niche, A.followers, A.contact_email, K.stage,
                       K.why_you, K.terms, K.terms_revision, K.rating, K.updated_at)
                .join(C, C.id == K.campaign_id).join(A, A.id == K.account_id))

    @staticmethod
    def _collab(r: Any) -> CollaborationView:
        return CollaborationView(
            id=r[0], campaign_id=r[1], campaign=r[2], account_id=r[3], platform=r[4],
            handle=r[5], display_name=r[6], niche=r[7], followers=r[8], contact_email=r[9],
            stage=r[10], why_you=r[11], terms=r[12], terms_revision=r[13], rating=r[14],
            updated_at=r[15])

    def collaboration(self, workspace_id: int, collab_id: int) -> CollaborationView | None:
        row = self.s.execute(self._collabs().where(K.id == collab_id,
                                                   K.workspace_id == workspace_id)).first()
        return None if row is None else self._collab(row)

    def collaborations(self, campaign_id: int, stage: str | None) -> list[CollaborationView]:
        q = self._collabs().where(K.campaign_id == campaign_id)
        if stage is not None:
            q = q.where(K.stage == stage)
        return [self._collab(r) for r in self.s.execute(q.order_by(K.id))]

    def _set(self, collab_id: int, **values: Any) -> None:
        self.s.execute(update(K).where(K.id == collab_id).values(**values))

    def set_stage(self, collab_id: int, stage: str, now: datetime) -> None:
        self._set(collab_id, stage=stage, updated_at=now)

    def set_terms(self, collab_id: int, terms: dict[str, Any], revision: int,
                  now: datetime) -> None:
        self._set(collab_id, terms=terms, terms_revision=revision, updated_at=now)

    def set_rating(self, collab_id: int, rating: int) -> None:
        self._set(collab_id, rating=rating)

    def set_contact_email(self, workspace_id: int, account_id: int, email: str | None) -> None:
        self.s.execute(update(A).where(A.id == account_id, A.workspace_id == workspace_id)
                       .values(contact_email=email))

    def add_event(self, collab_id: int, kind: str, from_stage: str | None,
                  to_stage: str | None, actor: str, note: str, at: datetime) -> None:
        self.s.add(CollaborationEvent(collaboration_id=collab_id, kind=kind,
                                      from_stage=from_stage, to_stage=to_stage, actor=actor,
                                      note=note, at=at))
        self.s.flush()

    def events(self, collab_id: int) -> list[EventView]:
        rows = self.s.scalars(select(CollaborationEvent).where(
            CollaborationEvent.collaboration_id == collab_id).order_by(CollaborationEvent.id))
        return [EventView(id=r.id, kind=r.kind, from_stage=r.from_stage, to_stage=r.to_stage,
                          actor=r.actor, note=r.note, at=r.at) for r in rows]

    # deliverables and drafts

    def replace_deliverables(self, collab_id: int,
                             slots: Sequence[tuple[int, int, DeliverableSpec]]) -> None:
        self.s.execute(delete(DeliverableRow).where(DeliverableRow.collaboration_id == collab_id))
        for index, number, spec in slots:
            self.s.add(DeliverableRow(collaboration_id=collab_id, spec_index=index, number=number,
                                      platform=spec.platform.value, format=spec.format.value,
                                      due_on=spec.due, status="pending"))
        self.s.flush()

    def _drafts(self, deliverable_ids: Sequence[int]) -> dict[int, list[DraftView]]:
        out: dict[int, list[DraftView]] = {i: [] for i in deliverable_ids}
        if not deliverable_ids:
            return out
        rows = [r for part in chunks(list(deliverable_ids))
                for r in self.s.scalars(select(DraftRow).where(
                    DraftRow.deliverable_id.in_(part)).order_by(DraftRow.version))]
        comments: dict[int, list[dict[str, Any]]] = {r.id: [] for r in rows}
        for part in chunks(list(comments)):
            for c in self.s.scalars(select(DraftComment).where(
                    DraftComment.draft_id.in_(part)).order_by(DraftComment.id)):
                comments[c.draft_id].append({"author": c.author, "body": c.body, "at": c.at})
        for r in rows:
            out[r.deliverable_id].append(self._draft(r, comments[r.id]))
        return out

    @staticmethod
    def _draft(r: DraftRow, comments: list[dict[str, Any]]) -> DraftView:
        return DraftView(id=r.id, deliverable_id=r.deliverable_id, version=r.version, url=r.url,
                         file_name=r.file_name, file_sha256=r.file_sha256, caption=r.caption,
                         paid_partnership=r.paid_partnership, check=r.check, status=r.status,
                         submitted_by=r.submitted_by, submitted_at=r.submitted_at,
                         decided_by=r.decided_by, decided_at=r.decided_at, comments=comments)

    def _deliverable_views(self, rows: Sequence[DeliverableRow]) -> list[DeliverableView]:
        drafts = self._drafts([r.id for r in rows])
        return [DeliverableView(id=r.id, collaboration_id=r.collaboration_id,
                                spec_index=r.spec_index, number=r.number, platform=r.platform,
                                format=r.format, due_on=r.due_on, status=r.status,
                                post_id=r.post_id, published_url=r.published_url,
                                published_at=r.published_at, drafts=drafts[r.id])
                for r in rows]

    def deliverables(self, collab_id: int) -> list[DeliverableView]:
        return self.deliverables_of([collab_id])[collab_id]

    def deliverables_of(self, collab_ids: Sequence[int]) -> dict[int, list[DeliverableView]]:
        """Each collaboration's deliverables, for many collaborations in a few queries."""
        out: dict[int, list[DeliverableView]] = {i: [] for i in collab_ids}
        for part in chunks(sorted(out)):
            rows = list(self.s.scalars(select(DeliverableRow).where(
                DeliverableRow.collaboration_id.in_(part)).order_by(
                DeliverableRow.collaboration_id, DeliverableRow.spec_index,
                DeliverableRow.number)))
            for view in self._deliverable_views(rows):
                out[view.collaboration_id].append(view)
        return out

    def deliverable(self, workspace_id: int, deliverable_id: int) -> DeliverableView | None:
        row = self.s.scalars(select(DeliverableRow).join(
            K, K.id == DeliverableRow.collaboration_id).where(
            DeliverableRow.id == deliverable_id, K.workspace_id == workspace_id)).first()
        return None if row is None else self._deliverable_views([row])[0]

    def set_deliverable_status(self, deliverable_id: int, status: str) -> None:
        self.s.execute(update(DeliverableRow).where(DeliverableRow.id == deliverable_id)
                       .values(status=status))

    def publish_deliverable(self, deliverable_id: int, *, url: str, post_id: int | None,
                            now: datetime) -> None:
        self.s.execute(update(DeliverableRow).where(DeliverableRow.id == deliverable_id).values(
            status="published", published_url=url, post_id=post_id, published_at=now))

    def post_by_url(self, workspace_id: int, url: str) -> int | None:
        return self.s.scalar(select(Post.id).where(Post.workspace_id == workspace_id,
                                                   Post.url == url).limit(1))

    def add_draft(self, deliverable_id: int, *, url: str | None, file_name: str | None,
                  file_sha256: str | None, caption: str, paid_partnership: bool,
                  check: dict[str, Any], actor: str, now: datetime) -> int:
        version = (self.s.scalar(select(func.max(DraftRow.version)).where(
            DraftRow.deliverable_id == deliverable_id)) or 0) + 1
        row = DraftRow(deliverable_id=deliverable_id, version=version, url=url,
                       file_name=file_name, file_sha256=file_sha256, caption=caption,
                       paid_partnership=paid_partnership, check=check, status="submitted",
                       submitted_by=actor, submitted_at=now)
        self.s.add(row)
        self.s.flush()
        return row.id

    def draft(self, workspace_id: int, draft_id: int) -> DraftView | None:
        row = self.s.scalars(select(DraftRow).join(
            DeliverableRow, DeliverableRow.id == DraftRow.deliverable_id).join(
            K, K.id == DeliverableRow.collaboration_id).where(
            DraftRow.id == draft_id, K.workspace_id == workspace_id)).first()
        if row is None:
            return None
        return next(d for d in self._drafts([row.deliverable_id])[row.deliverable_id]
                    if d.id == draft_id)

    def decide_draft(self, draft_id: int, status: str, actor: str, now: datetime) -> None:
        self.s.execute(update(DraftRow).where(DraftRow.id == draft_id).values(
            status=status, decided_by=actor, decided_at=now))

    def add_draft_comment(self, draft_id: int, author: str, body: str, now: datetime) -> None:
        self.s.add(DraftComment(draft_id=draft_id, author=author, body=body, at=now))
        self.s.flush()

    # ledger

    def add_entry(self, collab_id: int, entry: Entry, actor: str, now: datetime) -> None:
        self.s.add(LedgerEntryRow(collaboration_id=collab_id, kind=entry.kind,
                                  amount=entry.amount, currency=entry.currency,
                                  due_on=entry.due_on, method=entry.method,
                                  reference=entry.reference, note=entry.note,
                                  recorded_by=actor, recorded_at=now))
        self.s.flush()

    def _entries(self, collab_ids: Sequence[int]) -> dict[int, list[LedgerEntryRow]]:
        out: dict[int, list[LedgerEntryRow]] = {i: [] for i in collab_ids}
        for part in chunks(sorted(out)):
            for r in self.s.scalars(select(LedgerEntryRow).where(
                    LedgerEntryRow.collaboration_id.in_(part)).order_by(LedgerEntryRow.id)):
                out[r.collaboration_id].append(r)
        return out

    @staticmethod
    def _entry(r: LedgerEntryRow) -> Entry:
        return Entry(r.kind, r.amount, r.currency, due_on=r.due_on, method=r.method,
                     reference=r.reference, note=r.note)

    def entries(self, collab_id: int) -> list[Entry]:
        return [self._entry(r) for r in self._entries([collab_id])[collab_id]]

    def entries_of(self, collab_ids: Sequence[int]) -> dict[int, list[Entry]]:
        """Each collaboration's ledger entries, oldest first, in a few queries."""
        return {i: [self._entry(r) for r in rows] for i, rows in self._entries(collab_ids).items()}

    def entry_views(self, collab_id: int) -> list[LedgerEntryView]:
        return self.entry_views_of([collab_id])[collab_id]

    def entry_views_of(self, collab_ids: Sequence[int]) -> dict[int, list[LedgerEntryView]]:
        return {i: [LedgerEntryView(id=r.id, collaboration_id=r.collaboration_id, kind=r.kind,
                                    amount=r.amount, currency=r.currency, due_on=r.due_on,
                                    method=r.method, reference=r.reference, note=r.note,
                                    recorded_by=r.recorded_by, recorded_at=r.recorded_at)
                    for r in rows] for i, rows in self._entries(collab_ids).items()}

    # relationships

    def account_name(self, workspace_id: int, account_id: int) -> tuple[str, str] | None:
        row = self.s.execute(select(A.platform, A.handle).where(
            A.id == account_id, A.workspace_id == workspace_id)).first()
        return None if row is None else (row[0], row[1])

    def history(self, workspace_id: int, account_id: int) -> list[HistoryRow]:
        collabs = self.s.execute(select(K.id, C.slug, C.name, K.stage, K.rating, K.terms).join(
            C, C.id == K.campaign_id).where(K.workspace_id == workspace_id,
                                            K.account_id == account_id).order_by(K.id)).all()
        out = []
        for cid, slug, name, stage, rating, terms in collabs:
            rows = self.s.execute(
                select(DeliverableRow.status, DeliverableRow.due_on, DeliverableRow.published_at,
                       func.coalesce(Post.likes, 0) + func.coalesce(Post.comments_count, 0))
                .outerjoin(Post, Post.id == DeliverableRow.post_id)
                .where(DeliverableRow.collaboration_id == cid)).all()
            published = [r for r in rows if r[0] == "published"]
            on_time = sum(1 for r in published if r[1] is None or _day(r[2]) <= r[1])
            fee = Decimal(str(terms["fee"])) if terms else None
            out.append(HistoryRow(
                collaboration_id=cid, campaign=slug, campaign_name=name, stage=stage,
                deliverables=len(rows), published=len(published), on_time=on_time,
                late=len(published) - on_time, rating=rating, fee=fee,
                currency=terms["currency"] if terms else None,
                engagements=int(sum(r[3] or 0 for r in published))))
        return out

    def notes(self, workspace_id: int, account_id: int) -> list[NoteView]:
        rows = self.s.scalars(select(AccountNote).where(
            AccountNote.workspace_id == workspace_id, AccountNote.account_id == account_id)
            .order_by(AccountNote.id.desc()))
        return [NoteView(id=r.id, author=r.author, body=r.body, at=r.at) for r in rows]

    def add_note(self, workspace_id: int, account_id: int, author: str, body: str,
                 now: datetime) -> NoteView:
        row = AccountNote(workspace_id=workspace_id, account_id=account_id, author=author,
                          body=body, at=now)
        self.s.add(row)
        self.s.flush()
        return NoteView(id=row.id, author=author, body=body, at=now)


def _day(at: datetime | None) -> date:
    return at.date() if at is not None else date.max
