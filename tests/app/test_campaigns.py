"""Campaigns end to end on a real SQLite database and a real SMTP server on loopback: add KOLs,
send personalised outreach, stop on a reply, agree terms, review drafts, pay, and the refusals."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from kolscope.adapters.db.database import Database
from kolscope.adapters.mail import SmtpMailSender, parse_webhook
from kolscope.app import campaigns as camp
from kolscope.app import deliverables as dl
from kolscope.app import outreach as out
from kolscope.app import payments as pay
from kolscope.app.accounts import resolve_account
from kolscope.app.campaign_views import MessageStatus
from kolscope.app.relationships import add_note, relationship
from kolscope.core.campaigns.pipeline import Stage
from kolscope.errors import Conflict, InvalidInput, InvalidTransition, NotFound
from kolscope.settings import Settings
from tests.conftest import FIXED_NOW, Inbox, campaign_world, do_import

NOW = FIXED_NOW
TERMS: dict[str, Any] = {
    "fee": "800", "currency": "EUR", "payment_due_days": 14,
    "deliverables": [{"platform": "instagram", "format": "reel", "count": 1,
                      "due": "2026-01-20", "hashtags": ["#glowup"]}],
    "performance": {"per_click": "0.10", "cap": "100"},
}


@pytest.fixture
def world(db: Database, settings: Settings, workspace: str, tmp_path: Path) -> Database:
    do_import(db, settings, "generic", campaign_world(tmp_path / "w.jsonl"))
    with db.uow() as uow:
        camp.create_campaign(uow, workspace="acme", now=NOW, campaign_in=camp.parse_campaign({
            "slug": "spring", "name": "Spring glow", "brand": "Acme Beauty",
            "goal": "conversion", "budget": "5000", "currency": "EUR",
            "offer": "our new serum and a paid reel",
            "audience_gain": "a 15% code for your followers"}))
        for handle in ("mia", "leo", "zoe"):
            account = resolve_account(uow, workspace="acme", handle=handle)
            camp.set_contact(uow, workspace="acme", account_id=account,
                             email=f"{handle.upper()}@Example.com")
        out.put_template(uow, workspace="acme", name="intro", now=NOW,
                         subject="{brand} x {name}",
                         body="Hi {name},\nWe love {why_you}.\nWe offer {offer}; "
                              "{audience_gain}.\n{sender}")
        out.put_template(uow, workspace="acme", name="nudge", now=NOW,
                         subject="Re: {brand} x {name}", body="Just checking in, {name}.")
        out.put_sender(uow, workspace="acme", address="team@acme.test",
                       display_name="Ana at Acme", daily_cap=2)
        out.put_sequence(uow, workspace="acme", slug="spring", name="main", channel="email",
                         sender="team@acme.test", steps=[("intro", 0), ("nudge", 3)])
        uow.commit()
    return db


def _add(db: Database, *handles: str) -> list[int]:
    with db.uow() as uow:
        added, _ = camp.add_kols(uow, workspace="acme", slug="spring", handles=list(handles),
                                 actor="ana", now=NOW)
        uow.commit()
    return [c.id for c in added]


def test_full_collaboration_from_outreach_to_paid(world: Database,
                                                   smtp_server: tuple[str, int, Inbox]) -> None:
    host, port, inbox = smtp_server
    mail = SmtpMailSender(host, port)
    (mia,) = _add(world, "mia")
    with world.uow() as uow:
        drafted, skipped = out.draft_messages(uow, workspace="acme", slug="spring",
                                              sequence="main", now=NOW)
        assert skipped == []
        assert [m.recipient for m in drafted] == ["mia@example.com"]
        assert "We love your beauty content" in drafted[0].body
        assert drafted[0].subject == "Acme Beauty x Mia"
        # nothing leaves before a person approves
        assert out.send_approved(uow, mail, workspace="acme", actor="ana", now=NOW).sent == []
        out.approve(uow, workspace="acme", message_ids=[drafted[0].id], actor="ana", now=NOW)
        report = out.send_approved(uow, mail, workspace="acme", actor="ana", now=NOW)
        uow.commit()
    assert report.sent == [drafted[0].id]
    assert len(inbox.messages) == 1
    received = inbox.messages[0]
    assert received["To"] == "mia@example.com"
    assert "a 15% code for your followers" in received.get_content()
    with world.uow() as uow:
        assert camp.require_collaboration(uow, workspace="acme", collab_id=mia).stage \
            is Stage.CONTACTED
        # the follow-up waits three days, then is drafted for approval
        assert out.draft_messages(uow, workspace="acme", slug="spring", sequence="main",
                                  now=NOW + timedelta(days=1))[0] == []
        later = NOW + timedelta(days=3)
        (nudge,), _ = out.draft_messages(uow, workspace="acme", slug="spring",
                                         sequence="main", now=later)
        assert nudge.step == 2
        reply = out.record_reply(uow, workspace="acme", source="webhook", actor="webhook",
                                 now=later, inbound=parse_webhook({
                                     "from": "Mia <mia@example.com>", "subject": "Re: hi",
                                     "text": "Love it, let's talk", "message_id": "<r1@x>",
                                     "in_reply_to": received["Message-ID"]}))
        assert reply is not None and reply.message_id == drafted[0].id
        assert out.require_message(uow, workspace="acme", message_id=nudge.id).status \
            is MessageStatus.CANCELLED
        # the same reply delivered twice counts once
        again = out.record_reply(uow, workspace="acme", source="webhook", actor="webhook",
                                 now=later, inbound=parse_webhook({
                                     "from": "mia@example.com", "message_id": "<r1@x>"}))
        assert again is None
        assert out.draft_messages(uow, workspace="acme", slug="spring", sequence="main",
                                  now=later + timedelta(days=10))[0] == []
        collab = camp.require_collaboration(uow, workspace="acme", collab_id=mia)
        assert collab.stage is Stage.NEGOTIATING

        camp.set_terms(uow, workspace="acme", collab_id=mia, terms=camp.parse_terms(TERMS),
                       actor="ana", now=later)
        camp.move(uow, workspace="acme", collab_id=mia, to=Stage.AGREED, actor="ana", now=later)
        doc = camp.contract(uow, workspace="acme", collab_id=mia, issued_on=later.date())
        assert doc.reference == f"spring-{mia}-r1"
        assert any("800.00 EUR" in i for s in doc.sections for i in s.items)
        camp.move(uow, workspace="acme", collab_id=mia, to=Stage.CONTRACTED, actor="ana",
                  now=later)
        with pytest.raises(Conflict, match="terms are fixed"):
            camp.set_terms(uow, workspace="acme", collab_id=mia,
                           terms=camp.parse_terms(TERMS), actor="ana", now=later)
        (deliverable,) = dl.deliverables(uow, workspace="acme", collab_id=mia)
        first = dl.submit_draft(uow, workspace="acme", deliverable_id=deliverable.id,
                                caption="My new serum routine #glowup", url="https://d.test/1",
                                actor="mia", now=later)
        assert not first.check["passed"]
        with pytest.raises(InvalidInput, match="missing required disclosure: #ad"):
            dl.review_draft(uow, workspace="acme", draft_id=first.id, decision="approve",
                            actor="ana", now=later)
        dl.review_draft(uow, workspace="acme", draft_id=first.id, decision="request_changes",
                        comment="add #ad please", actor="ana", now=later)
        second = dl.submit_draft(uow, workspace="acme", deliverable_id=deliverable.id,
                                 caption="My new serum routine #ad #glowup",
                                 url="https://d.test/2", actor="mia", now=later)
        assert second.check["passed"] and second.version == 2
        dl.review_draft(uow, workspace="acme", draft_id=second.id, decision="approve",
                        actor="ana", now=later)
        with pytest.raises(InvalidInput, match="not yet approved and linked"):
            camp.move(uow, workspace="acme", collab_id=mia, to=Stage.PUBLISHED, actor="ana",
                      now=later)
        dl.link_published(uow, workspace="acme", deliverable_id=deliverable.id,
                          url="https://instagram.com/p/mia1", actor="ana", now=later)
        collab = camp.require_collaboration(uow, workspace="acme", collab_id=mia)
        assert collab.stage is Stage.PUBLISHED
        (linked,) = dl.deliverables(uow, workspace="acme", collab_id=mia)
        assert linked.post_id is not None
        done = later + timedelta(days=2)
        camp.move(uow, workspace="acme", collab_id=mia, to=Stage.COMPLETED, actor="ana", now=done)
        pay.accrue_performance(uow, workspace="acme", collab_id=mia, clicks=420, conversions=3,
                               revenue=Decimal("150"), actor="tracking", now=done)
        ledger = pay.ledger(uow, workspace="acme", collab_id=mia)
        assert ledger.due == Decimal("842.00")  # 800 fee + 420 × 0.10
        fee = next(e for e in ledger.entries if e.kind == "fee")
        assert fee.due_on == (done + timedelta(days=14)).date()
        with pytest.raises(InvalidInput, match="not settled"):
            camp.move(uow, workspace="acme", collab_id=mia, to=Stage.PAID, actor="ana", now=done)
        with pytest.raises(InvalidInput, match="exceeds the outstanding"):
            pay.record_payment(uow, workspace="acme", collab_id=mia, amount=Decimal("900"),
                               method="bank_transfer", reference="T1", actor="ana", now=done)
        pay.record_payment(uow, workspace="acme", collab_id=mia, amount=Decimal("842.00"),
                           method="bank_transfer", reference="T1", actor="ana", now=done)
        final = camp.move(uow, workspace="acme", collab_id=mia, to=Stage.PAID, actor="ana",
                          now=done)
        assert final.stage is Stage.PAID
        stages = [(e.from_stage, e.to_stage) for e in
                  camp.events(uow, workspace="acme", collab_id=mia) if e.kind == "stage"]
        assert stages == [(None, "shortlisted"), ("shortlisted", "contacted"),
                          ("contacted", "negotiating"), ("negotiating", "agreed"),
                          ("agreed", "contracted"), ("contracted", "content_review"),
                          ("content_review", "published"), ("published", "completed"),
                          ("completed", "paid")]
        rows = pay.ledger_rows(uow, workspace="acme", slug="spring")
        assert [r["kind"] for r in rows] == ["fee", "performance", "payment"]
        camp.rate(uow, workspace="acme", collab_id=mia, rating=5, actor="ana", now=done)
        account = resolve_account(uow, workspace="acme", handle="mia")
        add_note(uow, workspace="acme", account_id=account, body="fast and honest",
                 actor="ana", now=done)
        rel = relationship(uow, workspace="acme", account_id=account)
        assert rel.suggestion == "rehire"
        assert rel.history[0].on_time == 1 and rel.history[0].engagements == 520
        assert rel.notes[0].body == "fast and honest"


def test_sending_respects_the_daily_cap_and_the_suppression_list(
        world: Database, smtp_server: tuple[str, int, Inbox]) -> None:
    host, port, inbox = smtp_server
    mail = SmtpMailSender(host, port)
    _add(world, "mia", "leo", "zoe")
    with world.uow() as uow:
        drafted, _ = out.draft_messages(uow, workspace="acme", slug="spring", sequence="main",
                                        now=NOW)
        out.approve(uow, workspace="acme", message_ids=[m.id for m in drafted], actor="ana",
                    now=NOW)
        # three approved messages, a cap of two a day: one run tries to send all three
        first = out.send_approved(uow, mail, workspace="acme", actor="ana", now=NOW)
        again = out.send_approved(uow, mail, workspace="acme", actor="ana",
                                  now=NOW + timedelta(hours=23))
        uow.commit()
    assert len(first.sent) == 2 and len(first.deferred) == 1
    assert again.sent == [] and again.deferred == first.deferred
    assert len(inbox.messages) == 2
    with world.uow() as uow:
        next_day = out.send_approved(uow, mail, workspace="acme", actor="ana",
                                     now=NOW + timedelta(days=1, minutes=1))
        uow.commit()
    assert next_day.sent == first.deferred and len(inbox.messages) == 3

    with world.uow() as uow:
        camp.create_campaign(uow, workspace="acme", now=NOW, campaign_in=camp.parse_campaign(
            {"slug": "autumn", "name": "Autumn", "brand": "Acme Beauty", "offer": "a box",
             "audience_gain": "a code"}))
        out.put_sequence(uow, workspace="acme", slug="autumn", name="main", channel="email",
                         sender="team@acme.test", steps=[("intro", 0)])
        camp.add_kols(uow, workspace="acme", slug="autumn", handles=["mia", "leo", "zoe"],
                      actor="ana", now=NOW)
        out.suppress(uow, workspace="acme", value="instagram:@leo", reason="asked not to",
                     actor="ana", now=NOW)
        later = NOW + timedelta(days=3)
        drafted, skipped = out.draft_messages(uow, workspace="acme", slug="autumn",
                                              sequence="main", now=later)
        assert skipped == ["@leo: on the do-not-contact list"]
        out.approve(uow, workspace="acme", message_ids=[m.id for m in drafted], actor="ana",
                    now=later)
        # suppressing an address cancels its approved message at once
        out.suppress(uow, workspace="acme", value="ZOE@example.com", reason="bounced",
                     actor="ana", now=later)
        zoe = next(m for m in drafted if m.handle == "zoe")
        assert out.require_message(uow, workspace="acme", message_id=zoe.id).status \
            is MessageStatus.CANCELLED
        sent = out.send_approved(uow, mail, workspace="acme", actor="ana", now=later)
        uow.commit()
    assert len(sent.sent) == 1
    assert [m["To"] for m in inbox.messages[3:]] == ["mia@example.com"]


def test_invalid_moves_missing_terms_and_bad_templates_change_nothing(world: Database) -> None:
    (mia,) = _add(world, "mia")
    with world.uow() as uow:
        with pytest.raises(InvalidTransition, match="cannot move from shortlisted to paid"):
            camp.move(uow, workspace="acme", collab_id=mia, to=Stage.PAID, actor="ana", now=NOW)
        camp.move(uow, workspace="acme", collab_id=mia, to=Stage.CONTACTED, actor="ana", now=NOW)
        camp.move(uow, workspace="acme", collab_id=mia, to=Stage.NEGOTIATING, actor="ana",
                  now=NOW)
        with pytest.raises(InvalidInput, match="has no terms"):
            camp.move(uow, workspace="acme", collab_id=mia, to=Stage.AGREED, actor="ana", now=NOW)
        with pytest.raises(InvalidInput, match=r"unknown merge field \{nmae\}"):
            out.put_template(uow, workspace="acme", name="intro", subject="Hi {nmae}",
                             body="x", now=NOW)
        with pytest.raises(InvalidInput, match="body line 2"):
            out.put_template(uow, workspace="acme", name="intro", subject="Hi",
                             body="Hello\n{name:>9}", now=NOW)
        with pytest.raises(InvalidInput, match="Single '}'"):
            out.put_template(uow, workspace="acme", name="intro", subject="Hi", body="x }",
                             now=NOW)
        with pytest.raises(InvalidInput, match="deliverables"):
            camp.parse_terms({"fee": "1", "currency": "EUR", "deliverables": []})
        with pytest.raises(NotFound):
            camp.move(uow, workspace="acme", collab_id=999, to=Stage.CONTACTED, actor="a",
                      now=NOW)
        intro = out.require_template(uow, workspace="acme", name="intro")
        assert intro.subject == "{brand} x {name}"
        assert camp.require_collaboration(uow, workspace="acme", collab_id=mia).stage \
            is Stage.NEGOTIATING
        kinds = [e.to_stage for e in camp.events(uow, workspace="acme", collab_id=mia)]
        assert kinds == ["shortlisted", "contacted", "negotiating"]


def test_dm_tasks_and_manual_replies(world: Database) -> None:
    (mia,) = _add(world, "mia")
    with world.uow() as uow:
        out.put_sequence(uow, workspace="acme", slug="spring", name="dm", channel="dm",
                         sender=None, steps=[("intro", 0)])
        (task,), _ = out.draft_messages(uow, workspace="acme", slug="spring", sequence="dm",
                                        now=NOW)
        assert task.recipient == "instagram:mia" and task.channel == "dm"
        out.approve(uow, workspace="acme", message_ids=[task.id], actor="ana", now=NOW)
        done = out.complete_dm(uow, workspace="acme", message_id=task.id, actor="ana", now=NOW)
        assert done.status is MessageStatus.SENT
        assert camp.require_collaboration(uow, workspace="acme", collab_id=mia).stage \
            is Stage.CONTACTED
        with pytest.raises(NotFound, match="cannot match the reply"):
            out.record_reply(uow, workspace="acme", source="manual", actor="ana", now=NOW,
                             inbound=parse_webhook({"from": "someone@else.test", "text": "?"}))
        reply = out.record_reply(uow, workspace="acme", source="manual", actor="ana", now=NOW,
                                 collab_id=mia, inbound=parse_webhook(
                                     {"from": "mia@example.com", "text": "yes"}))
        assert reply is not None
        assert camp.require_collaboration(uow, workspace="acme", collab_id=mia).stage \
            is Stage.NEGOTIATING


def test_adding_twice_and_campaign_validation(world: Database) -> None:
    _add(world, "mia")
    with world.uow() as uow:
        added, existing = camp.add_kols(uow, workspace="acme", slug="spring",
                                        handles=["mia", "leo"], actor="ana", now=NOW)
        assert [c.handle for c in added] == ["leo"] and [c.handle for c in existing] == ["mia"]
        with pytest.raises(Conflict):
            camp.create_campaign(uow, workspace="acme", now=NOW, campaign_in=camp.parse_campaign(
                {"slug": "spring", "name": "x", "brand": "y"}))
        with pytest.raises(InvalidInput, match="budget"):
            camp.parse_campaign({"slug": "s", "name": "x", "brand": "y", "budget": 1.5})
        with pytest.raises(InvalidInput, match="kpi_targets"):
            camp.parse_campaign({"slug": "s", "name": "x", "brand": "y",
                                 "kpi_targets": {"likes_per_dollar": 3}})
        (view,) = camp.list_campaigns(uow, workspace="acme")
        assert view.stages == {"shortlisted": 2}
