"""Respectful outreach: personal messages from templates, approved by a person, capped per sender
per day, never to a suppressed address or handle, with follow-ups that stop on a reply.

Nothing is sent on drafting. ``draft_messages`` writes the next due message of each collaboration
(step 1 for those not yet contacted, a follow-up when its delay has passed without a reply) as
``pending``; a person approves; ``send_approved`` sends what is approved, checking the cap and
the suppression list again at send time. Manual DM tasks (platforms without an API) follow the
same path and are marked done by hand. Replies, from the inbound-mail webhook, an .eml file or
typed in, cancel every open message of the collaboration and move it to negotiating.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime, timedelta

from kolscope.app.campaign_views import (
    CampaignView,
    CollaborationView,
    MessageStatus,
    MessageView,
    ReplyView,
    SenderView,
    SendReport,
    SequenceView,
    TemplateView,
)
from kolscope.app.campaigns import (
    advance_if,
    require_campaign,
    require_collaboration,
)
from kolscope.app.ports import InboundMail, MailSender, OutgoingMail, UnitOfWork
from kolscope.app.validation import limit_text
from kolscope.app.workspaces import require_workspace
from kolscope.core.campaigns.outreach import (
    Step,
    Template,
    check_cap,
    check_display_name,
    next_step,
    normalize_address,
    parse_steps,
    parse_template,
    render,
)
from kolscope.core.campaigns.pipeline import Stage
from kolscope.core.platforms import parse_platform
from kolscope.errors import Conflict, InvalidInput, NotFound

CHANNELS = ("email", "dm")
# Collaborations that outreach may (still) write to.
REACHABLE = frozenset({Stage.SHORTLISTED, Stage.CONTACTED})
MAX_CAP = 500


def put_template(uow: UnitOfWork, *, workspace: str, name: str, subject: str, body: str,
                 now: datetime) -> TemplateView:
    """Store a template after checking every merge field; replaces one of the same name."""
    ws = require_workspace(uow, workspace)
    template = parse_template(name, subject, body)
    uow.outreach.put_template(ws.id, template, now)
    return require_template(uow, workspace=workspace, name=name)


def require_template(uow: UnitOfWork, *, workspace: str, name: str) -> TemplateView:
    ws = require_workspace(uow, workspace)
    found = uow.outreach.template(ws.id, name)
    if found is None:
        known = ", ".join(t.name for t in uow.outreach.templates(ws.id)) or "none yet"
        raise NotFound(f"no template {name!r} (known: {known})", template=name)
    return found


def templates(uow: UnitOfWork, *, workspace: str) -> list[TemplateView]:
    return uow.outreach.templates(require_workspace(uow, workspace).id)


def put_sender(uow: UnitOfWork, *, workspace: str, address: str, display_name: str,
               daily_cap: int) -> SenderView:
    """Store a sending address and its daily cap (1 to 500 messages a day)."""
    if not 1 <= daily_cap <= MAX_CAP:
        raise InvalidInput(f"daily_cap must be 1 to {MAX_CAP}", field="daily_cap")
    name = check_display_name(display_name)
    ws = require_workspace(uow, workspace)
    return uow.outreach.put_sender(ws.id, normalize_address(address), name, daily_cap)


def senders(uow: UnitOfWork, *, workspace: str) -> list[SenderView]:
    return uow.outreach.senders(require_workspace(uow, workspace).id)


def put_sequence(uow: UnitOfWork, *, workspace: str, slug: str, name: str, channel: str,
                 sender: str | None, steps: Sequence[tuple[str, int]]) -> SequenceView:
    """A campaign's sequence: the first message and its follow-ups, each a template and a delay."""
    if channel not in CHANNELS:
        raise InvalidInput(f"channel must be one of {', '.join(CHANNELS)}", field="channel")
    ws = require_workspace(uow, workspace)
    campaign = require_campaign(uow, workspace=workspace, slug=slug)
    parsed = parse_steps(steps)
    for step in parsed:
        require_template(uow, workspace=workspace, name=step.template)
    sender_id = None
    if channel == "email":
        if not sender:
            raise InvalidInput("an email sequence needs a sender address", field="sender")
        found = uow.outreach.sender(ws.id, normalize_address(sender, "sender"))
        if found is None:
            raise NotFound(f"no sender {sender!r}; add it with `kolscope outreach sender put`",
                           sender=sender)
        sender_id = found.id
    if not name.strip() or len(name) > 60:
        raise InvalidInput("a sequence name is 1 to 60 characters", field="name")
    return uow.outreach.put_sequence(campaign.id, name.strip(), channel, sender_id,
                                     [(s.template, s.delay_days) for s in parsed])


def sequences(uow: UnitOfWork, *, workspace: str, slug: str) -> list[SequenceView]:
    return uow.outreach.sequences(require_campaign(uow, workspace=workspace, slug=slug).id)


def suppress(uow: UnitOfWork, *, workspace: str, value: str, reason: str, actor: str,
             now: datetime) -> str:
    """Add an email address or ``platform:handle`` to the do-not-contact list; open messages to it
    are cancelled at once."""
    ws = require_workspace(uow, workspace)
    key = suppression_key(value)
    uow.outreach.suppress(ws.id, key, limit_text(reason, "reason", 500), actor, now)
    for status in (MessageStatus.PENDING, MessageStatus.APPROVED):
        for message in uow.outreach.messages(ws.id, None, status.value):
            collab = require_collaboration(uow, workspace=workspace,
                                           collab_id=message.collaboration_id)
            if key in (message.recipient, f"{collab.platform}:{collab.handle.lower()}"):
                uow.outreach.set_status(message.id, MessageStatus.CANCELLED.value,
                                        error="recipient is on the do-not-contact list")
    return key


def unsuppress(uow: UnitOfWork, *, workspace: str, value: str) -> None:
    ws = require_workspace(uow, workspace)
    if not uow.outreach.unsuppress(ws.id, suppression_key(value)):
        raise NotFound(f"{value!r} is not on the do-not-contact list", value=value)


def suppressions(uow: UnitOfWork, *, workspace: str) -> list[dict[str, object]]:
    return uow.outreach.suppressions(require_workspace(uow, workspace).id)


def suppression_key(value: str) -> str:
    """Handles as ``platform:handle`` lower-cased without ``@``; email addresses lower-cased."""
    value = value.strip()
    platform, sep, handle = value.partition(":")
    if sep:
        try:
            known = parse_platform(platform)
        except ValueError:
            raise InvalidInput(f"unknown platform {platform!r} in {value!r}; give an email "
                               "address or platform:handle (instagram:mia)",
                               field="value") from None
        handle = handle.strip().lstrip("@").lower()
        if not handle:
            raise InvalidInput("platform:handle needs a handle", field="value")
        return f"{known.value}:{handle}"
    return normalize_address(value, "value")


def _values(campaign: CampaignView, sender_name: str | None, collab: CollaborationView
            ) -> dict[str, str | None]:
    return {"name": collab.display_name or collab.handle, "handle": collab.handle,
            "platform": collab.platform, "niche": (collab.niche or "").replace("_", " ") or None,
            "why_you": collab.why_you, "offer": campaign.offer,
            "audience_gain": campaign.audience_gain, "brand": campaign.brand,
            "campaign": campaign.name, "sender": sender_name}


def draft_messages(uow: UnitOfWork, *, workspace: str, slug: str, sequence: str,
                   now: datetime) -> tuple[list[MessageView], list[str]]:
    """Write the next due message of every reachable collaboration as pending approval.

    Returns the drafted messages and, per collaboration that was skipped, why.
    """
    ws = require_workspace(uow, workspace)
    campaign = require_campaign(uow, workspace=workspace, slug=slug)
    seq = uow.outreach.sequence(campaign.id, sequence)
    if seq is None:
        raise NotFound(f"no sequence {sequence!r} in campaign {slug}", sequence=sequence)
    steps = tuple(Step(t, d) for t, d in seq.steps)
    sender = uow.outreach.sender(ws.id, seq.sender) if seq.sender else None
    drafted: list[MessageView] = []
    skipped: list[str] = []
    suppressed = uow.outreach.suppressed_set(ws.id)
    for collab in uow.campaigns.collaborations(campaign.id, None):
        if collab.stage not in REACHABLE:
            continue
        who = f"@{collab.handle}"
        history = uow.outreach.messages_of(collab.id, seq.id)
        if any(m.status in (MessageStatus.PENDING, MessageStatus.APPROVED) for m in history):
            continue
        sent = [m.sent_at for m in history if m.status is MessageStatus.SENT and m.sent_at]
        due = next_step(steps, sent=sent, replied=uow.outreach.has_reply(collab.id))
        if due is None:
            continue
        step_no, delay = due
        if sent and now < max(sent) + delay:
            continue
        recipient = _recipient(seq.channel, collab.contact_email, collab.platform, collab.handle)
        if recipient is None:
            skipped.append(f"{who}: no contact email (set one with `kolscope collab contact`)")
            continue
        if recipient in suppressed or f"{collab.platform}:{collab.handle}" in suppressed:
            skipped.append(f"{who}: on the do-not-contact list")
            continue
        view = require_template(uow, workspace=workspace, name=steps[step_no - 1].template)
        template = Template(view.name, view.subject, view.body)
        # a DM goes out from the brand's own account
        values = _values(campaign, sender.display_name if sender else campaign.brand, collab)
        try:
            subject, body = render(template, values, who=who)
        except InvalidInput as exc:
            skipped.append(exc.message)
            continue
        message_id = uow.outreach.add_message(ws.id, collab.id, seq.id, step_no, seq.channel,
                                              sender.id if sender else None, recipient,
                                              subject, body, now)
        drafted.append(require_message(uow, workspace=workspace, message_id=message_id))
    return drafted, skipped


def _recipient(channel: str, email: str | None, platform: str, handle: str) -> str | None:
    if channel == "dm":
        return f"{platform}:{handle.lower()}"
    return email


def require_message(uow: UnitOfWork, *, workspace: str, message_id: int) -> MessageView:
    ws = require_workspace(uow, workspace)
    found = uow.outreach.message(ws.id, message_id)
    if found is None:
        raise NotFound(f"no outreach message {message_id}", message_id=message_id)
    return found


def messages(uow: UnitOfWork, *, workspace: str, slug: str | None = None,
             status: MessageStatus | None = None) -> list[MessageView]:
    ws = require_workspace(uow, workspace)
    campaign_id = require_campaign(uow, workspace=workspace, slug=slug).id if slug else None
    return uow.outreach.messages(ws.id, campaign_id, status.value if status else None)


def approve(uow: UnitOfWork, *, workspace: str, message_ids: Sequence[int], actor: str,
            now: datetime) -> list[MessageView]:
    """A person's go-ahead for pending messages; nothing is sent without one."""
    out = []
    for message_id in message_ids:
        message = require_message(uow, workspace=workspace, message_id=message_id)
        if message.status is not MessageStatus.PENDING:
            raise Conflict(f"message {message_id} is {message.status.value}, not pending",
                           message_id=message_id)
        uow.outreach.set_status(message_id, MessageStatus.APPROVED.value, approved_by=actor,
                                at=now)
        out.append(require_message(uow, workspace=workspace, message_id=message_id))
    return out


def cancel(uow: UnitOfWork, *, workspace: str, message_id: int) -> MessageView:
    message = require_message(uow, workspace=workspace, message_id=message_id)
    if message.status not in (MessageStatus.PENDING, MessageStatus.APPROVED):
        raise Conflict(f"message {message_id} is {message.status.value}", message_id=message_id)
    uow.outreach.set_status(message_id, MessageStatus.CANCELLED.value, error="cancelled by hand")
    return require_message(uow, workspace=workspace, message_id=message_id)


def _mail_id(message_id: int, recipient: str, domain: str) -> str:
    token = hashlib.sha256(f"{message_id}:{recipient}".encode()).hexdigest()[:16]
    return f"<kolscope.{message_id}.{token}@{domain}>"


def send_approved(uow: UnitOfWork, mail: MailSender, *, workspace: str, actor: str,
                  now: datetime, mail_domain: str = "kolscope.local") -> SendReport:
    """Send every approved email within each sender's daily cap; skip suppressed recipients.

    The cap counts messages sent in the 24 hours before ``now``; what does not fit waits for the
    next run. DM tasks are listed, not sent: a person does them and marks them done.
    """
    ws = require_workspace(uow, workspace)
    report = SendReport()
    suppressed = uow.outreach.suppressed_set(ws.id)
    caps = {s.id: s.daily_cap for s in uow.outreach.senders(ws.id)}
    sent_today: dict[int, int] = {}
    for message in uow.outreach.messages(ws.id, None, MessageStatus.APPROVED.value):
        collab = require_collaboration(uow, workspace=workspace,
                                       collab_id=message.collaboration_id)
        if (message.recipient in suppressed
                or f"{collab.platform}:{collab.handle.lower()}" in suppressed):
            uow.outreach.set_status(message.id, MessageStatus.CANCELLED.value,
                                    error="recipient is on the do-not-contact list")
            report.suppressed.append(message.id)
            continue
        if message.channel == "dm":
            report.dm_tasks.append(message.id)
            continue
        sender = uow.outreach.sender(ws.id, message.sender or "")
        if sender is None:
            uow.outreach.set_status(message.id, MessageStatus.FAILED.value, error="no sender")
            report.failed.append(message.id)
            continue
        if sender.id not in sent_today:
            sent_today[sender.id] = uow.outreach.sent_count(sender.id, now - timedelta(days=1))
        if check_cap(cap=caps[sender.id], sent_today=sent_today[sender.id], wanted=1) < 1:
            report.deferred.append(message.id)
            continue
        mail_id = _mail_id(message.id, message.recipient, mail_domain)
        try:
            mail.send(OutgoingMail(sender=sender.address, sender_name=sender.display_name,
                                   recipient=message.recipient, subject=message.subject,
                                   body=message.body, message_id=mail_id))
        except OSError as exc:
            uow.outreach.set_status(message.id, MessageStatus.FAILED.value, error=str(exc))
            report.failed.append(message.id)
            continue
        sent_today[sender.id] += 1
        _mark_sent(uow, workspace, message, mail_id, actor, now)
        report.sent.append(message.id)
    return report


def _mark_sent(uow: UnitOfWork, workspace: str, message: MessageView, mail_id: str | None,
               actor: str, now: datetime) -> None:
    uow.outreach.set_status(message.id, MessageStatus.SENT.value, sent_at=now, mail_id=mail_id)
    uow.campaigns.add_event(message.collaboration_id, "touch", None, None, actor,
                            f"{message.channel} step {message.step} to {message.recipient}: "
                            f"{message.subject}", now)
    advance_if(uow, workspace=workspace, collab_id=message.collaboration_id,
               frm=Stage.SHORTLISTED, to=Stage.CONTACTED, actor=actor,
               note=f"first {message.channel} sent", now=now)


def complete_dm(uow: UnitOfWork, *, workspace: str, message_id: int, actor: str,
                now: datetime) -> MessageView:
    """Mark an approved DM task done: it was sent by hand on the platform."""
    message = require_message(uow, workspace=workspace, message_id=message_id)
    if message.channel != "dm" or message.status is not MessageStatus.APPROVED:
        raise Conflict(f"message {message_id} is not an approved DM task", message_id=message_id)
    _mark_sent(uow, workspace, message, None, actor, now)
    return require_message(uow, workspace=workspace, message_id=message_id)


def record_reply(uow: UnitOfWork, *, workspace: str, inbound: InboundMail, source: str,
                 actor: str, now: datetime, collab_id: int | None = None
                 ) -> ReplyView | None:
    """Store a reply and stop the sequence; None when this reply was recorded before.

    The reply is matched to its message by ``In-Reply-To``/``References``, else to the latest
    collaboration written to from that address, else to ``collab_id`` when given.
    """
    ws = require_workspace(uow, workspace)
    message = None
    for ref in inbound.references:
        message = uow.outreach.message_by_mail_id(ws.id, ref)
        if message is not None:
            break
    target = message.collaboration_id if message else collab_id
    if target is None and inbound.from_address:
        target = uow.outreach.latest_collaboration_for(ws.id, inbound.from_address.lower())
    if target is None:
        raise NotFound(f"cannot match the reply from {inbound.from_address!r} to a "
                       "collaboration; say which with --collab", field="collab")
    require_collaboration(uow, workspace=workspace, collab_id=target)
    external = inbound.message_id or hashlib.sha256(
        f"{inbound.from_address}|{inbound.subject}|{inbound.text}".encode()).hexdigest()
    reply_id = uow.outreach.add_reply(ws.id, target, message.id if message else None,
                                      "email" if "@" in inbound.from_address else "dm",
                                      inbound.from_address, inbound.subject, inbound.text,
                                      source, external, inbound.received_at or now)
    if reply_id is None:
        return None
    uow.outreach.cancel_open(target, "the KOL replied")
    uow.campaigns.add_event(target, "reply", None, None, actor,
                            f"reply from {inbound.from_address}: {inbound.subject}", now)
    advance_if(uow, workspace=workspace, collab_id=target, frm=Stage.CONTACTED,
               to=Stage.NEGOTIATING, actor=actor, note="the KOL replied", now=now)
    return uow.outreach.reply(reply_id)


def replies(uow: UnitOfWork, *, workspace: str, collab_id: int) -> list[ReplyView]:
    require_collaboration(uow, workspace=workspace, collab_id=collab_id)
    return uow.outreach.replies(collab_id)
