"""`kolscope outreach`: templates, senders, sequences, drafting for approval, sending within
caps, the do-not-contact list, DM tasks and replies."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kolscope.adapters.mail import parse_eml
from kolscope.app import outreach as out
from kolscope.app.campaign_views import MessageStatus
from kolscope.app.ports import InboundMail
from kolscope.cli.campaigns import By, Json, actor
from kolscope.cli.context import handled, state, utc_now
from kolscope.cli.output import console, print_json, table
from kolscope.errors import InvalidInput, SourceError
from kolscope.jobs.runtime import mail_sender

app = typer.Typer(help="Outreach: personal, approved, capped, and it stops on a reply.",
                  no_args_is_help=True)
template_app = typer.Typer(help="Message templates with merge fields.", no_args_is_help=True)
sender_app = typer.Typer(help="Sending addresses and their daily caps.", no_args_is_help=True)
app.add_typer(template_app, name="template")
app.add_typer(sender_app, name="sender")


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"{path}: cannot read: {exc}", file=str(path)) from None


@template_app.command("put")
@handled
def template_put(name: str, subject: Annotated[str, typer.Option()],
                 body: Annotated[Path, typer.Option(help="A text file with the body.")]) -> None:
    """Store a template; unknown merge fields or stray braces are refused."""
    with state.uow() as uow:
        view = out.put_template(uow, workspace=state.ws, name=name, subject=subject,
                                body=_read(body), now=utc_now())
        uow.commit()
    console.print(f"template {view.name} stored (fields: {', '.join(view.fields) or 'none'})")


@template_app.command("list")
@handled
def template_list(as_json: Json = False) -> None:
    """The workspace's templates and the merge fields each uses."""
    with state.uow() as uow:
        views = out.templates(uow, workspace=state.ws)
    if as_json:
        print_json(views)
        return
    table("templates", ["name", "subject", "fields"],
          [(v.name, v.subject, ", ".join(v.fields)) for v in views])


@sender_app.command("put")
@handled
def sender_put(address: str, name: Annotated[str, typer.Option(help="Display name.")],
               cap: Annotated[int, typer.Option(help="Messages per 24 hours.")] = 50) -> None:
    """Store a sending address and its daily cap."""
    with state.uow() as uow:
        view = out.put_sender(uow, workspace=state.ws, address=address, display_name=name,
                              daily_cap=cap)
        uow.commit()
    console.print(f"sender {view.address} ({view.display_name}), {view.daily_cap} a day")


def _steps(step: list[str]) -> list[tuple[str, int]]:
    steps = []
    for i, item in enumerate(step, start=1):
        template, _, delay = item.partition(":")
        try:
            steps.append((template, int(delay or 0)))
        except ValueError:
            raise InvalidInput(f"--step {i}: write TEMPLATE:DAYS, got {item!r}",
                               field="steps") from None
    return steps


@app.command("sequence")
@handled
def sequence(slug: str, name: str,
             step: Annotated[list[str], typer.Option(
                 help="TEMPLATE:DAYS, in order; the first is TEMPLATE:0.")],
             channel: Annotated[str, typer.Option(help="email or dm.")] = "email",
             sender: Annotated[str | None, typer.Option(help="Sender address (email).")]
             = None) -> None:
    """Store a campaign's sequence: a first message and its follow-ups."""
    with state.uow() as uow:
        view = out.put_sequence(uow, workspace=state.ws, slug=slug, name=name, channel=channel,
                                sender=sender, steps=_steps(step))
        uow.commit()
    console.print(f"sequence {view.name}: " + " → ".join(f"{t} (+{d}d)" for t, d in view.steps))


@app.command("draft")
@handled
def draft(slug: str, sequence: Annotated[str, typer.Option()] = "main",
          as_json: Json = False) -> None:
    """Write each KOL's next due message for approval and show the preview."""
    with state.uow() as uow:
        drafted, skipped = out.draft_messages(uow, workspace=state.ws, slug=slug,
                                              sequence=sequence, now=utc_now())
        uow.commit()
    if as_json:
        print_json({"drafted": drafted, "skipped": skipped})
        return
    for m in drafted:
        console.print(f"[bold]message {m.id}[/] to {m.recipient} (step {m.step}, {m.channel})\n"
                      f"Subject: {m.subject}\n\n{m.body}\n", highlight=False)
    for reason in skipped:
        console.print(f"skipped {reason}", highlight=False)
    console.print(f"{len(drafted)} message(s) waiting for approval: "
                  "`kolscope outreach approve ID...`")


@app.command("list")
@handled
def list_(campaign: Annotated[str | None, typer.Option()] = None,
          status: Annotated[str | None, typer.Option(
              help="pending, approved, sent, failed or cancelled.")] = None,
          as_json: Json = False) -> None:
    """Outreach messages, optionally of one campaign or status."""
    try:
        wanted = MessageStatus(status) if status else None
    except ValueError:
        raise InvalidInput(f"status must be one of {', '.join(MessageStatus)}",
                           field="status") from None
    with state.uow() as uow:
        views = out.messages(uow, workspace=state.ws, slug=campaign, status=wanted)
    if as_json:
        print_json(views)
        return
    table("outreach", ["id", "campaign", "to", "step", "channel", "status", "subject"],
          [(str(m.id), m.campaign, m.recipient, str(m.step), m.channel, m.status.value,
            m.subject) for m in views])


@app.command("approve")
@handled
def approve(ids: Annotated[list[int], typer.Argument(help="Message ids.")],
            by: By = None) -> None:
    """Approve pending messages; nothing is sent without approval."""
    with state.uow() as uow:
        views = out.approve(uow, workspace=state.ws, message_ids=ids, actor=actor(by),
                            now=utc_now())
        uow.commit()
    console.print(f"approved {len(views)} message(s); send with `kolscope outreach send`")


@app.command("cancel")
@handled
def cancel(message_id: int) -> None:
    """Cancel a pending or approved message."""
    with state.uow() as uow:
        out.cancel(uow, workspace=state.ws, message_id=message_id)
        uow.commit()
    console.print(f"message {message_id} cancelled")


@app.command("send")
@handled
def send(by: By = None, as_json: Json = False) -> None:
    """Send approved email within each sender's daily cap; list DM tasks."""
    settings = state.settings
    with state.uow() as uow:
        report = out.send_approved(uow, mail_sender(settings), workspace=state.ws,
                                   actor=actor(by), now=utc_now(),
                                   mail_domain=settings.mail_domain)
        uow.commit()
    if as_json:
        print_json(report)
        return
    where = (f"SMTP {settings.smtp_host}:{settings.smtp_port}"
             if settings.mail_transport == "smtp" else f"{settings.data_dir / 'outbox'}")
    console.print(f"sent {len(report.sent)} via {where}; deferred by the cap "
                  f"{len(report.deferred)}; suppressed {len(report.suppressed)}; failed "
                  f"{len(report.failed)}; DM tasks to do by hand {len(report.dm_tasks)}")


@app.command("done")
@handled
def done(message_id: int, by: By = None) -> None:
    """Mark an approved DM task as sent by hand."""
    with state.uow() as uow:
        out.complete_dm(uow, workspace=state.ws, message_id=message_id, actor=actor(by),
                        now=utc_now())
        uow.commit()
    console.print(f"DM {message_id} recorded as sent")


@app.command("reply")
@handled
def reply(eml: Annotated[Path | None, typer.Option(help="The reply as an .eml file.")] = None,
          sender: Annotated[str | None, typer.Option("--from", help="Who replied.")] = None,
          text: Annotated[str, typer.Option()] = "",
          collab: Annotated[int | None, typer.Option(
              help="The collaboration, when the reply cannot be matched.")] = None,
          by: By = None) -> None:
    """Record a reply (from an .eml file, or typed in); it stops the sequence."""
    if eml is not None:
        try:
            inbound = parse_eml(eml.read_bytes(), where=str(eml))
        except OSError as exc:
            raise SourceError(f"{eml}: cannot read: {exc.strerror}", file=str(eml)) from None
        source = "eml"
    elif sender:
        inbound, source = InboundMail(from_address=sender.strip().lower(), subject="",
                                      text=text), "manual"
    else:
        raise InvalidInput("give --eml FILE or --from ADDRESS", field="eml")
    with state.uow() as uow:
        view = out.record_reply(uow, workspace=state.ws, inbound=inbound, source=source,
                                actor=actor(by), now=utc_now(), collab_id=collab)
        uow.commit()
    if view is None:
        console.print("this reply was recorded before; nothing changed")
    else:
        console.print(f"reply {view.id} recorded on collaboration {view.collaboration_id}; "
                      "its follow-ups are stopped")


@app.command("suppress")
@handled
def suppress(value: Annotated[str, typer.Argument(help="email or platform:handle.")],
             reason: Annotated[str, typer.Option()] = "", remove: Annotated[bool, typer.Option(
                 "--remove", help="Take it off the list.")] = False, by: By = None) -> None:
    """Add to (or remove from) the do-not-contact list."""
    with state.uow() as uow:
        if remove:
            out.unsuppress(uow, workspace=state.ws, value=value)
            key = value
        else:
            key = out.suppress(uow, workspace=state.ws, value=value, reason=reason,
                               actor=actor(by), now=utc_now())
        uow.commit()
    console.print(f"{key} {'removed from' if remove else 'added to'} the do-not-contact list")


@app.command("suppressions")
@handled
def suppressions(as_json: Json = False) -> None:
    """The do-not-contact list."""
    with state.uow() as uow:
        rows = out.suppressions(uow, workspace=state.ws)
    if as_json:
        print_json(rows)
        return
    table("do not contact", ["value", "reason", "added by", "added at"],
          [(str(r["value"]), str(r["reason"]), str(r["added_by"]), str(r["added_at"]))
           for r in rows])
