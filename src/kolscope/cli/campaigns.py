"""`kolscope campaign` and `kolscope collab`: campaigns, the pipeline, terms, contracts,
deliverable review, the ledger and relationships."""

from __future__ import annotations

import csv
import getpass
import hashlib
import json
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from kolscope.adapters.documents import render_contract_html, render_contract_pdf
from kolscope.app import campaigns as camp
from kolscope.app import deliverables as dl
from kolscope.app import payments as pay
from kolscope.app.accounts import resolve_account
from kolscope.app.campaign_views import CampaignStatus
from kolscope.app.planning import campaign_from_plan
from kolscope.app.relationships import add_note, relationship
from kolscope.cli.context import handled, state, utc_now
from kolscope.cli.output import console, print_json, table
from kolscope.core.campaigns.pipeline import allowed_moves, parse_stage
from kolscope.core.matching.brief import ContentFormat
from kolscope.core.money import amount_from_text
from kolscope.core.platforms import parse_platform
from kolscope.errors import InvalidInput, SourceError

campaign_app = typer.Typer(help="Campaigns: create, add KOLs, see the board.",
                           no_args_is_help=True)
collab_app = typer.Typer(help="Collaborations: move through the pipeline, agree terms, review "
                              "deliverables, pay.", no_args_is_help=True)

By = Annotated[str | None, typer.Option("--by", help="Who acts (default: your user name).")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def actor(by: str | None) -> str:
    return by or getpass.getuser() or "cli"


def read_document(path: Path) -> Any:
    """A TOML, YAML or JSON file as data (by its suffix), with the file named in any error."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read: {exc.strerror}", file=str(path)) from None
    suffix = path.suffix.lower()
    kind = {".json": "JSON", ".yaml": "YAML", ".yml": "YAML"}.get(suffix, "TOML")
    try:
        if kind == "JSON":
            return json.loads(raw)
        if kind == "YAML":
            return yaml.safe_load(raw.decode("utf-8"))
        return tomllib.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InvalidInput(f"{path}: not valid {kind}: {exc}", field="file",
                           file=str(path)) from None


def parse_format(value: str) -> ContentFormat:
    """A brief format named on the command line."""
    try:
        return ContentFormat(value)
    except ValueError:
        raise InvalidInput(f"format must be one of {', '.join(ContentFormat)}",
                           field="format") from None


def _amount(value: str, field: str) -> Decimal:
    return amount_from_text(value, field)


# campaigns


@campaign_app.command("create")
@handled
def create(file: Annotated[Path | None, typer.Option(help="A TOML or JSON campaign file.")] = None,
           slug: Annotated[str | None, typer.Option()] = None,
           name: Annotated[str | None, typer.Option()] = None,
           brand: Annotated[str | None, typer.Option()] = None,
           goal: Annotated[str | None, typer.Option(
               help="awareness, education, conversion, launch or seeding.")] = None,
           budget: Annotated[str | None, typer.Option()] = None,
           currency: Annotated[str | None, typer.Option()] = None,
           offer: Annotated[str | None, typer.Option(help="What you offer KOLs.")] = None,
           audience_gain: Annotated[str | None, typer.Option(
               help="What their audience gains.")] = None,
           brief: Annotated[str | None, typer.Option(
               help="The brief it follows (its current version is kept).")] = None,
           from_plan: Annotated[int | None, typer.Option(
               "--from-plan", help="A saved plan: its brief, and its picks shortlisted.")]
           = None, by: By = None, as_json: Json = False) -> None:
    """Create a campaign from a file or options (options override the file), or from a plan."""
    data: dict[str, Any] = dict(read_document(file)) if file else {}
    given = {"slug": slug, "name": name, "brand": brand, "goal": goal, "budget": budget,
             "currency": currency, "offer": offer, "audience_gain": audience_gain,
             "brief": brief}
    data |= {k: v for k, v in given.items() if v is not None}
    campaign_in = camp.parse_campaign(data, where=str(file) if file else None)
    with state.uow() as uow:
        if from_plan is not None:
            view, added = campaign_from_plan(uow, workspace=state.ws, plan_id=from_plan,
                                             campaign_in=campaign_in, actor=actor(by),
                                             now=utc_now())
        else:
            view, added = camp.create_campaign(uow, workspace=state.ws,
                                               campaign_in=campaign_in, now=utc_now()), []
        uow.commit()
    if as_json:
        print_json(view)
    else:
        console.print(f"campaign {view.slug} created ({view.goal.value}, {view.status.value})"
                      + (f" with {len(added)} KOL(s) shortlisted from plan {from_plan}"
                         if from_plan is not None else ""))


@campaign_app.command("list")
@handled
def list_(as_json: Json = False) -> None:
    """Every campaign with its collaborations per stage."""
    with state.uow() as uow:
        views = camp.list_campaigns(uow, workspace=state.ws)
    if as_json:
        print_json(views)
        return
    table("campaigns", ["slug", "name", "brand", "goal", "status", "budget", "committed",
                        "collaborations"],
          [(v.slug, v.name, v.brand, v.goal.value, v.status.value,
            f"{v.budget} {v.currency}" if v.budget is not None else "",
            f"{v.committed}", ", ".join(f"{k} {n}" for k, n in v.stages.items()))
           for v in views])


@campaign_app.command("status")
@handled
def status(slug: str, value: Annotated[str, typer.Argument(
               help="draft, active, completed or cancelled.")]) -> None:
    """Set a campaign's status."""
    try:
        new = CampaignStatus(value)
    except ValueError:
        raise InvalidInput(f"status must be one of {', '.join(CampaignStatus)}",
                           field="status") from None
    with state.uow() as uow:
        camp.set_campaign_status(uow, workspace=state.ws, slug=slug, status=new, now=utc_now())
        uow.commit()
    console.print(f"campaign {slug} is {new.value}")


@campaign_app.command("add")
@handled
def add(slug: str, handles: Annotated[list[str] | None, typer.Argument(
            help="KOL handles.")] = None,
        from_file: Annotated[Path | None, typer.Option(
            "--from", help="A shortlist: CSV or JSON with handle (and platform, why_you) "
                           "columns, as `kolscope kols export` writes.")] = None,
        platform: Annotated[str | None, typer.Option()] = None,
        stage: Annotated[str, typer.Option(help="prospect or shortlisted.")] = "shortlisted",
        why_you: Annotated[str | None, typer.Option(
            help="Why the brand fits them (default: from their profile).")] = None,
        by: By = None, as_json: Json = False) -> None:
    """Add KOLs to a campaign, by handle or from a shortlist file; adding twice is harmless."""
    with state.uow() as uow:
        if from_file is not None:
            added, existing = camp.add_shortlist(uow, workspace=state.ws, slug=slug,
                                                 rows=read_rows(from_file), where=str(from_file),
                                                 actor=actor(by), now=utc_now(),
                                                 first=1 if _is_json(from_file) else 2)
        else:
            added, existing = camp.add_kols(
                uow, workspace=state.ws, slug=slug, handles=handles or [],
                platform=parse_platform(platform) if platform else None,
                stage=parse_stage(stage), why_you=why_you, actor=actor(by), now=utc_now())
        uow.commit()
    if as_json:
        print_json({"added": added, "existing": existing})
        return
    for c in added:
        console.print(f"added @{c.handle} as collaboration {c.id} ({c.stage.value})")
    for c in existing:
        console.print(f"@{c.handle} is already collaboration {c.id} ({c.stage.value})")


def _is_json(path: Path) -> bool:
    return path.suffix.lower() == ".json"


def read_rows(path: Path) -> list[dict[str, object]]:
    """Rows of a CSV file (with a header) or a JSON array of objects."""
    if _is_json(path):
        data = read_document(path)
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise InvalidInput(f"{path}: expected a JSON array of objects", field="file")
        return data
    try:
        with path.open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise SourceError(f"{path}: cannot read the CSV: {exc}", file=str(path)) from None


@campaign_app.command("board")
@handled
def board(slug: str, as_json: Json = False) -> None:
    """The pipeline: every stage in order with its collaborations."""
    with state.uow() as uow:
        columns = camp.board(uow, workspace=state.ws, slug=slug)
    if as_json:
        print_json({stage.value: items for stage, items in columns.items()})
        return
    table(f"{slug} pipeline", ["stage", "collaborations"],
          [(stage.value, ", ".join(f"{c.id} @{c.handle}" for c in items))
           for stage, items in columns.items()])


@campaign_app.command("ledger")
@handled
def campaign_ledger(slug: str, out: Annotated[Path | None, typer.Option(
                        help="Write the CSV here (default: print it).")] = None) -> None:
    """Export every ledger line of a campaign as CSV."""
    with state.uow() as uow:
        text = pay.ledger_csv(uow, workspace=state.ws, slug=slug)
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        console.print(f"wrote {text.count(chr(10)) - 1} ledger line(s) to {out}")


# collaborations


@collab_app.command("show")
@handled
def show(collab_id: int, as_json: Json = False) -> None:
    """A collaboration: stage, allowed moves, terms, deliverables, ledger and events."""
    with state.uow() as uow:
        c = camp.require_collaboration(uow, workspace=state.ws, collab_id=collab_id)
        items = dl.deliverables(uow, workspace=state.ws, collab_id=collab_id)
        book = pay.ledger(uow, workspace=state.ws, collab_id=collab_id)
        log = camp.events(uow, workspace=state.ws, collab_id=collab_id)
    if as_json:
        print_json({"collaboration": c, "deliverables": items, "ledger": book, "events": log})
        return
    moves = ", ".join(s.value for s in allowed_moves(c.stage)) or "none"
    console.print(f"collaboration {c.id}: @{c.handle} on {c.platform} in {c.campaign}, "
                  f"{c.stage.value} (next: {moves})")
    table("deliverables", ["id", "platform", "format", "due", "status", "drafts"],
          [(str(d.id), d.platform, d.format, str(d.due_on or ""), d.status, str(len(d.drafts)))
           for d in items])
    console.print(f"ledger: due {book.due}, paid {book.paid}, outstanding {book.outstanding} "
                  f"{book.currency or ''}")
    table("events", ["at", "by", "what"],
          [(e.at.isoformat(timespec="minutes"), e.actor,
            f"{e.from_stage or ''} → {e.to_stage}" if e.kind == "stage" else e.note)
           for e in log])


@collab_app.command("move")
@handled
def move(collab_id: int, to: Annotated[str, typer.Argument(help="The stage to move to.")],
         note: Annotated[str, typer.Option()] = "", by: By = None) -> None:
    """Move a collaboration along the pipeline (invalid moves are refused)."""
    with state.uow() as uow:
        c = camp.move(uow, workspace=state.ws, collab_id=collab_id, to=parse_stage(to),
                      actor=actor(by), note=note, now=utc_now())
        uow.commit()
    console.print(f"collaboration {c.id} is {c.stage.value}")


@collab_app.command("terms")
@handled
def terms(collab_id: int, file: Annotated[Path, typer.Argument(
              help="Terms as TOML or JSON (see docs/user-guide.md).")], by: By = None) -> None:
    """Agree (or revise) a collaboration's terms from a file."""
    parsed = camp.parse_terms(read_document(file), where=str(file))
    with state.uow() as uow:
        c = camp.set_terms(uow, workspace=state.ws, collab_id=collab_id, terms=parsed,
                           actor=actor(by), now=utc_now())
        uow.commit()
    console.print(f"terms revision {c.terms_revision} stored for collaboration {c.id}: "
                  f"{parsed.fee} {parsed.currency}, {parsed.deliverable_count} deliverable(s)")


@collab_app.command("contract")
@handled
def contract(collab_id: int, out: Annotated[Path, typer.Option(
                 help="Where to write: .pdf or .html.")]) -> None:
    """Generate the contract for signing from the collaboration's terms."""
    with state.uow() as uow:
        doc = camp.contract(uow, workspace=state.ws, collab_id=collab_id,
                            issued_on=utc_now().date())
    if out.suffix.lower() == ".pdf":
        out.write_bytes(render_contract_pdf(doc))
    elif out.suffix.lower() in (".html", ".htm"):
        out.write_text(render_contract_html(doc), encoding="utf-8")
    else:
        raise InvalidInput("--out must end in .pdf or .html", field="out")
    console.print(f"wrote contract {doc.reference} to {out}")


@collab_app.command("contact")
@handled
def contact(handle: str, email: Annotated[str, typer.Argument(help="'' clears it.")],
            platform: Annotated[str | None, typer.Option()] = None) -> None:
    """Set the email address outreach writes to for a KOL."""
    with state.uow() as uow:
        account = resolve_account(uow, workspace=state.ws, handle=handle,
                                  platform=parse_platform(platform) if platform else None)
        camp.set_contact(uow, workspace=state.ws, account_id=account, email=email or None)
        uow.commit()
    console.print(f"@{handle.lstrip('@')}: contact {email or 'cleared'}")


@collab_app.command("draft")
@handled
def draft(deliverable_id: int,
          caption: Annotated[str, typer.Option(help="The post's caption.")],
          url: Annotated[str | None, typer.Option(help="A link to the draft.")] = None,
          file: Annotated[Path | None, typer.Option(help="The draft as a file.")] = None,
          paid_partnership: Annotated[bool, typer.Option(
              help="The platform's paid-partnership label is on.")] = False,
          by: By = None, as_json: Json = False) -> None:
    """Submit a draft for a deliverable; the disclosure check runs at once."""
    sha = name = None
    if file is not None:
        try:
            sha, name = hashlib.sha256(file.read_bytes()).hexdigest(), file.name
        except OSError as exc:
            raise SourceError(f"{file}: cannot read: {exc.strerror}", file=str(file)) from None
    with state.uow() as uow:
        d = dl.submit_draft(uow, workspace=state.ws, deliverable_id=deliverable_id,
                            caption=caption, paid_partnership=paid_partnership, url=url,
                            file_name=name, file_sha256=sha, actor=actor(by), now=utc_now())
        uow.commit()
    if as_json:
        print_json(d)
    else:
        mark = "passed" if d.check["passed"] else "FAILED"
        console.print(f"draft {d.id} (v{d.version}) submitted; disclosure check {mark}: "
                      f"{d.check['summary']}")


@collab_app.command("review")
@handled
def review(draft_id: int, decision: Annotated[str, typer.Argument(
               help="approve or request_changes.")],
           comment: Annotated[str, typer.Option()] = "", by: By = None) -> None:
    """Approve a draft (its disclosure check must pass) or request changes."""
    with state.uow() as uow:
        d = dl.review_draft(uow, workspace=state.ws, draft_id=draft_id,
                            decision=decision.replace("-", "_"), comment=comment,
                            actor=actor(by), now=utc_now())
        uow.commit()
    console.print(f"draft {d.id}: {d.status.replace('_', ' ')}")


@collab_app.command("publish")
@handled
def publish(deliverable_id: int, url: Annotated[str, typer.Argument(
                help="The live post's URL.")], by: By = None) -> None:
    """Link the published post to an approved deliverable."""
    with state.uow() as uow:
        d = dl.link_published(uow, workspace=state.ws, deliverable_id=deliverable_id, url=url,
                              actor=actor(by), now=utc_now())
        uow.commit()
    linked = f" (post {d.post_id})" if d.post_id else ""
    console.print(f"deliverable {d.id} published at {url}{linked}")


@collab_app.command("ledger")
@handled
def ledger(collab_id: int, as_json: Json = False) -> None:
    """What is due, what was paid, and every ledger line."""
    with state.uow() as uow:
        book = pay.ledger(uow, workspace=state.ws, collab_id=collab_id)
    if as_json:
        print_json(book)
        return
    table(f"ledger of collaboration {collab_id}", ["id", "kind", "amount", "due on", "method",
                                                    "reference", "note"],
          [(str(e.id), e.kind, f"{e.amount} {e.currency}", str(e.due_on or ""), e.method or "",
            e.reference or "", e.note) for e in book.entries])
    console.print(f"due {book.due}, paid {book.paid}, outstanding {book.outstanding}")


@collab_app.command("pay")
@handled
def pay_(collab_id: int, amount: str,
         method: Annotated[str, typer.Option(help="bank_transfer, paypal, card, alipay, "
                                                  "wechat_pay, cash or other.")],
         reference: Annotated[str | None, typer.Option()] = None, by: By = None) -> None:
    """Record a payment made outside kolscope."""
    with state.uow() as uow:
        book = pay.record_payment(uow, workspace=state.ws, collab_id=collab_id,
                                  amount=_amount(amount, "amount"), method=method,
                                  reference=reference, actor=actor(by), now=utc_now())
        uow.commit()
    console.print(f"recorded; outstanding {book.outstanding} {book.currency}")


@collab_app.command("performance")
@handled
def performance(collab_id: int, clicks: Annotated[int, typer.Option(min=0)] = 0,
                conversions: Annotated[int, typer.Option(min=0)] = 0,
                revenue: Annotated[str, typer.Option()] = "0", by: By = None) -> None:
    """Bring performance-linked pay up to date with the totals so far."""
    with state.uow() as uow:
        book = pay.accrue_performance(uow, workspace=state.ws, collab_id=collab_id,
                                      clicks=clicks, conversions=conversions,
                                      revenue=_amount(revenue, "revenue"), actor=actor(by),
                                      now=utc_now())
        uow.commit()
    console.print(f"due {book.due}, outstanding {book.outstanding} {book.currency}")


@collab_app.command("rate")
@handled
def rate(collab_id: int, rating: Annotated[int, typer.Argument(min=1, max=5)],
         by: By = None) -> None:
    """Rate a collaboration 1 to 5, for the KOL's history."""
    with state.uow() as uow:
        camp.rate(uow, workspace=state.ws, collab_id=collab_id, rating=rating, actor=actor(by),
                  now=utc_now())
        uow.commit()
    console.print(f"collaboration {collab_id} rated {rating} of 5")


@collab_app.command("history")
@handled
def history(handle: str, platform: Annotated[str | None, typer.Option()] = None,
            note: Annotated[str | None, typer.Option(help="Add a note first.")] = None,
            by: By = None, as_json: Json = False) -> None:
    """A KOL's history across campaigns, notes and a rehire suggestion."""
    with state.uow() as uow:
        account = resolve_account(uow, workspace=state.ws, handle=handle,
                                  platform=parse_platform(platform) if platform else None)
        if note:
            add_note(uow, workspace=state.ws, account_id=account, body=note, actor=actor(by),
                     now=utc_now())
            uow.commit()
        rel = relationship(uow, workspace=state.ws, account_id=account)
    if as_json:
        print_json(rel)
        return
    table(f"@{rel.handle} across campaigns", ["campaign", "stage", "delivered", "on time",
                                              "late", "rating", "fee", "engagements"],
          [(h.campaign, h.stage, f"{h.published}/{h.deliverables}", str(h.on_time),
            str(h.late), str(h.rating or ""), f"{h.fee or ''} {h.currency or ''}",
            f"{h.engagements:,}") for h in rel.history])
    for n in rel.notes:
        console.print(f"note by {n.author}, {n.at.date()}: {n.body}")
    console.print(f"suggestion: {rel.suggestion} ({'; '.join(rel.reasons)})")

