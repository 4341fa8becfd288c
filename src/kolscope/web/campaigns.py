"""Campaign pages: the list, the pipeline board (kanban), a collaboration's page with its terms,
contract, deliverable review, ledger and replies, and outreach approval and sending."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kolscope.adapters.documents import render_contract_html, render_contract_pdf
from kolscope.app import campaigns as camp
from kolscope.app import deliverables as dl
from kolscope.app import outreach as out
from kolscope.app import payments as pay
from kolscope.app.campaign_views import MessageStatus
from kolscope.app.monitoring import watch_campaign
from kolscope.app.ports import InboundMail
from kolscope.app.relationships import add_note, relationship
from kolscope.core.campaigns.ledger import PAYMENT_METHODS
from kolscope.core.campaigns.pipeline import BOARD_ORDER, allowed_moves, parse_stage
from kolscope.core.money import amount_from_text
from kolscope.errors import Conflict, InvalidInput, NotFound
from kolscope.web.pages import open_uow, render, runtime_of, workspace_context

router = APIRouter(include_in_schema=False)
TERMS_EXAMPLE = json.dumps({
    "fee": "800", "currency": "USD", "payment_due_days": 14,
    "deliverables": [{"platform": "instagram", "format": "reel", "count": 1,
                      "due": "2026-03-01", "disclosures": ["#ad"]}],
    "performance": {"per_click": "0.05", "cap": "200"}}, indent=2)
Refused = (InvalidInput, Conflict)


def _to(request: Request, name: str, **params: Any) -> RedirectResponse:
    return RedirectResponse(str(request.url_for(name, **params).path), status_code=303)


def _act(request: Request, action: Callable[[], None], done: Callable[[], Response],
         again: Callable[[str], Response]) -> Response:
    """Run a form's action and redirect; a refused action re-renders the page with why."""
    try:
        action()
    except Refused as exc:
        return again(exc.message)
    return done()


# campaigns


@router.get("/w/{slug}/campaigns", name="web_campaigns", response_class=HTMLResponse)
def campaigns(request: Request, slug: str, message: str | None = None) -> HTMLResponse:
    with open_uow(request) as uow:
        context = workspace_context(uow, slug)
        views = camp.list_campaigns(uow, workspace=slug)
        templates = out.templates(uow, workspace=slug)
        senders = out.senders(uow, workspace=slug)
        suppressed = out.suppressions(uow, workspace=slug)
    return render(request, "campaigns.html", {
        **context, "section": "campaigns", "campaigns": views, "templates": templates,
        "senders": senders, "suppressed": suppressed, "message": message},
        400 if message else 200)


@router.post("/w/{slug}/outreach/templates", name="web_template", response_model=None)
def template(request: Request, slug: str, name: Annotated[str, Form()],
             subject: Annotated[str, Form()], body: Annotated[str, Form()]) -> Response:
    rt = runtime_of(request)

    def action() -> None:
        with open_uow(request) as uow:
            out.put_template(uow, workspace=slug, name=name, subject=subject, body=body,
                             now=rt.clock())
            uow.commit()

    return _act(request, action, lambda: _to(request, "web_campaigns", slug=slug),
                lambda m: campaigns(request, slug, m))


@router.post("/w/{slug}/outreach/suppressions", name="web_suppress", response_model=None)
def suppress(request: Request, slug: str, value: Annotated[str, Form()],
             reason: Annotated[str, Form()] = "") -> Response:
    rt = runtime_of(request)

    def action() -> None:
        with open_uow(request) as uow:
            out.suppress(uow, workspace=slug, value=value, reason=reason, actor="web",
                         now=rt.clock())
            uow.commit()

    return _act(request, action, lambda: _to(request, "web_campaigns", slug=slug),
                lambda m: campaigns(request, slug, m))


@router.post("/w/{slug}/campaigns", name="web_campaign_create", response_model=None)
def create(request: Request, slug: str, cslug: Annotated[str, Form(alias="slug")],
           name: Annotated[str, Form()], brand: Annotated[str, Form()],
           goal: Annotated[str, Form()] = "awareness", budget: Annotated[str, Form()] = "",
           currency: Annotated[str, Form()] = "", offer: Annotated[str, Form()] = "",
           audience_gain: Annotated[str, Form()] = "", starts_on: Annotated[str, Form()] = "",
           ends_on: Annotated[str, Form()] = "") -> Response:
    rt = runtime_of(request)
    data = {"slug": cslug, "name": name, "brand": brand, "goal": goal, "offer": offer,
            "audience_gain": audience_gain, "budget": budget or None,
            "currency": currency or None, "starts_on": starts_on or None,
            "ends_on": ends_on or None}

    def action() -> None:
        with open_uow(request) as uow:
            camp.create_campaign(uow, workspace=slug, campaign_in=camp.parse_campaign(data),
                                 now=rt.clock())
            uow.commit()

    return _act(request, action, lambda: _to(request, "web_board", slug=slug, cslug=cslug),
                lambda m: campaigns(request, slug, m))


@router.get("/w/{slug}/campaigns/{cslug}", name="web_board", response_class=HTMLResponse)
def board(request: Request, slug: str, cslug: str, message: str | None = None
          ) -> HTMLResponse:
    with open_uow(request) as uow:
        context = workspace_context(uow, slug)
        campaign = camp.require_campaign(uow, workspace=slug, slug=cslug)
        columns = camp.board(uow, workspace=slug, slug=cslug)
        pending = out.messages(uow, workspace=slug, slug=cslug, status=MessageStatus.PENDING)
        approved = out.messages(uow, workspace=slug, slug=cslug, status=MessageStatus.APPROVED)
        sequences = out.sequences(uow, workspace=slug, slug=cslug)
    return render(request, "campaign_board.html", {
        **context, "section": "campaigns", "campaign": campaign,
        "columns": [(s, columns[s]) for s in BOARD_ORDER], "moves": allowed_moves,
        "pending": pending, "approved": approved, "sequences": sequences,
        "message": message}, 400 if message else 200)


@router.get("/w/{slug}/campaigns/{cslug}/watch", name="web_watch", response_class=HTMLResponse)
def watch(request: Request, slug: str, cslug: str) -> HTMLResponse:
    """The live view: each published post against its forecast, its sentiment, its alerts."""
    rt = runtime_of(request)
    with open_uow(request) as uow:
        context = workspace_context(uow, slug)
        view = watch_campaign(uow, workspace=slug, slug=cslug, now=rt.clock())
    return render(request, "campaign_watch.html", {**context, "section": "campaigns",
                                                   "view": view})


@router.post("/w/{slug}/campaigns/{cslug}/kols", name="web_add_kols", response_model=None)
def add_kols(request: Request, slug: str, cslug: str, handles: Annotated[str, Form()]
             ) -> Response:
    rt = runtime_of(request)

    def action() -> None:
        with open_uow(request) as uow:
            try:
                camp.add_kols(uow, workspace=slug, slug=cslug, actor="web", now=rt.clock(),
                              handles=[h for h in handles.replace(",", " ").split() if h])
            except NotFound as exc:
                raise InvalidInput(exc.message, field="handles") from None
            uow.commit()

    return _act(request, action, lambda: _to(request, "web_board", slug=slug, cslug=cslug),
                lambda m: board(request, slug, cslug, m))


@router.post("/w/{slug}/collaborations/{cid:int}/move", name="web_move", response_model=None)
def move(request: Request, slug: str, cid: int, to: Annotated[str, Form()],
         back: Annotated[str, Form()] = "collab") -> Response:
    rt = runtime_of(request)
    with open_uow(request) as uow:
        collab = camp.require_collaboration(uow, workspace=slug, collab_id=cid)

    def action() -> None:
        with open_uow(request) as uow:
            camp.move(uow, workspace=slug, collab_id=cid, to=parse_stage(to), actor="web",
                      now=rt.clock())
            uow.commit()

    if back == "board":
        return _act(request, action,
                    lambda: _to(request, "web_board", slug=slug, cslug=collab.campaign),
                    lambda m: board(request, slug, collab.campaign, m))
    return _act(request, action, lambda: _to(request, "web_collab", slug=slug, cid=cid),
                lambda m: collaboration(request, slug, cid, m))


# outreach


@router.post("/w/{slug}/campaigns/{cslug}/outreach/draft", name="web_outreach_draft",
             response_model=None)
def outreach_draft(request: Request, slug: str, cslug: str,
                   sequence: Annotated[str, Form()]) -> Response:
    rt = runtime_of(request)

    def action() -> None:
        with open_uow(request) as uow:
            out.draft_messages(uow, workspace=slug, slug=cslug, sequence=sequence,
                               now=rt.clock())
            uow.commit()

    return _act(request, action, lambda: _to(request, "web_board", slug=slug, cslug=cslug),
                lambda m: board(request, slug, cslug, m))


@router.post("/w/{slug}/campaigns/{cslug}/outreach/approve", name="web_outreach_approve",
             response_model=None)
def outreach_approve(request: Request, slug: str, cslug: str,
                     message_id: Annotated[int, Form()]) -> Response:
    rt = runtime_of(request)

    def action() -> None:
        with open_uow(request) as uow:
            camp.require_campaign(uow, workspace=slug, slug=cslug)  # 404 before acting
            out.approve(uow, workspace=slug, message_ids=[message_id], actor="web",
                        now=rt.clock())
            uow.commit()

    return _act(request, action, lambda: _to(request, "web_board", slug=slug, cslug=cslug),
                lambda m: board(request, slug, cslug, m))


@router.post("/w/{slug}/campaigns/{cslug}/outreach/send", name="web_outreach_send",
             response_model=None)
def outreach_send(request: Request, slug: str, cslug: str) -> Response:
    rt = runtime_of(request)

    def action() -> None:
        with open_uow(request) as uow:
            camp.require_campaign(uow, workspace=slug, slug=cslug)  # 404 before sending
            out.send_approved(uow, rt.mail, workspace=slug, actor="web", now=rt.clock(),
                              mail_domain=rt.settings.mail_domain)
            uow.commit()

    return _act(request, action, lambda: _to(request, "web_board", slug=slug, cslug=cslug),
                lambda m: board(request, slug, cslug, m))


@router.get("/w/{slug}/campaigns/{cslug}/ledger.csv", name="web_ledger_csv",
            response_model=None)
def ledger_csv(request: Request, slug: str, cslug: str) -> Response:
    with open_uow(request) as uow:
        text = pay.ledger_csv(uow, workspace=slug, slug=cslug)
    return Response(text, media_type="text/csv", headers={
        "content-disposition": f"attachment; filename={cslug}-ledger.csv"})


@router.post("/w/{slug}/outreach/messages/{mid:int}/done", name="web_dm_done",
             response_model=None)
def dm_done(request: Request, slug: str, mid: int, cslug: Annotated[str, Form()]) -> Response:
    rt = runtime_of(request)

    def action() -> None:
        with open_uow(request) as uow:
            out.complete_dm(uow, workspace=slug, message_id=mid, actor="web", now=rt.clock())
            uow.commit()

    return _act(request, action, lambda: _to(request, "web_board", slug=slug, cslug=cslug),
                lambda m: board(request, slug, cslug, m))


# one collaboration


@router.get("/w/{slug}/collaborations/{cid:int}", name="web_collab",
            response_class=HTMLResponse)
def collaboration(request: Request, slug: str, cid: int, message: str | None = None
                  ) -> HTMLResponse:
    with open_uow(request) as uow:
        context = workspace_context(uow, slug)
        collab = camp.require_collaboration(uow, workspace=slug, collab_id=cid)
        items = dl.deliverables(uow, workspace=slug, collab_id=cid)
        book = pay.ledger(uow, workspace=slug, collab_id=cid)
        log = camp.events(uow, workspace=slug, collab_id=cid)
        replies = out.replies(uow, workspace=slug, collab_id=cid)
        history = relationship(uow, workspace=slug, account_id=collab.account_id)
    return render(request, "campaign_collab.html", {
        "relationship": history,
        **context, "section": "campaigns", "collab": collab, "deliverables": items,
        "ledger": book, "events": log, "replies": replies, "moves": allowed_moves(collab.stage),
        "terms_text": json.dumps(collab.terms, indent=2) if collab.terms else TERMS_EXAMPLE,
        "methods": PAYMENT_METHODS, "message": message}, 400 if message else 200)


def _collab_action(request: Request, slug: str, cid: int, action: Callable[[], None]
                   ) -> Response:
    return _act(request, action, lambda: _to(request, "web_collab", slug=slug, cid=cid),
                lambda m: collaboration(request, slug, cid, m))


@router.post("/w/{slug}/collaborations/{cid:int}/terms", name="web_terms", response_model=None)
def terms(request: Request, slug: str, cid: int, terms: Annotated[str, Form()]) -> Response:
    rt = runtime_of(request)

    def action() -> None:
        try:
            data = json.loads(terms)
        except (ValueError, RecursionError) as exc:  # nested past Python's stack: not terms
            raise InvalidInput(f"terms: not valid JSON: {str(exc)[:200]}",
                               field="terms") from None
        parsed = camp.parse_terms(data, where="terms")
        with open_uow(request) as uow:
            camp.set_terms(uow, workspace=slug, collab_id=cid, terms=parsed, actor="web",
                           now=rt.clock())
            uow.commit()

    return _collab_action(request, slug, cid, action)


@router.get("/w/{slug}/collaborations/{cid:int}/contract.{kind}", name="web_contract",
            response_model=None)
def contract(request: Request, slug: str, cid: int, kind: str) -> Response:
    if kind not in ("pdf", "html"):
        raise NotFound("contracts come as .pdf or .html")
    rt = runtime_of(request)
    with open_uow(request) as uow:
        doc = camp.contract(uow, workspace=slug, collab_id=cid, issued_on=rt.clock().date())
    if kind == "pdf":
        return Response(render_contract_pdf(doc), media_type="application/pdf", headers={
            "content-disposition": f"inline; filename={doc.reference}.pdf"})
    return HTMLResponse(render_contract_html(doc))


@router.post("/w/{slug}/deliverables/{did:int}/drafts", name="web_draft", response_model=None)
def draft(request: Request, slug: str, did: int, cid: Annotated[int, Form()],
          caption: Annotated[str, Form()], url: Annotated[str, Form()] = "",
          paid_partnership: Annotated[bool, Form()] = False) -> Response:
    rt = runtime_of(request)

    def action() -> None:
        with open_uow(request) as uow:
            dl.submit_draft(uow, workspace=slug, deliverable_id=did, caption=caption,
                            url=url or None, paid_partnership=paid_partnership, actor="web",
                            now=rt.clock())
            uow.commit()

    return _collab_action(request, slug, cid, action)


@router.post("/w/{slug}/drafts/{draft_id:int}/review", name="web_review", response_model=None)
def review(request: Request, slug: str, draft_id: int, cid: Annotated[int, Form()],
           decision: Annotated[str, Form()], comment: Annotated[str, Form()] = "") -> Response:
    rt = runtime_of(request)

    def action() -> None:
        with open_uow(request) as uow:
            dl.review_draft(uow, workspace=slug, draft_id=draft_id, decision=decision,
                            comment=comment, actor="web", now=rt.clock())
            uow.commit()

    return _collab_action(request, slug, cid, action)


@router.post("/w/{slug}/deliverables/{did:int}/published", name="web_published",
             response_model=None)
def published(request: Request, slug: str, did: int, cid: Annotated[int, Form()],
              url: Annotated[str, Form()]) -> Response:
    rt = runtime_of(request)

    def action() -> None:
        with open_uow(request) as uow:
            dl.link_published(uow, workspace=slug, deliverable_id=did, url=url, actor="web",
                              now=rt.clock())
            uow.commit()

    return _collab_action(request, slug, cid, action)


@router.post("/w/{slug}/collaborations/{cid:int}/payments", name="web_payment",
             response_model=None)
def payment(request: Request, slug: str, cid: int, amount: Annotated[str, Form()],
            method: Annotated[str, Form()], reference: Annotated[str, Form()] = "") -> Response:
    rt = runtime_of(request)

    def action() -> None:
        value = amount_from_text(amount, "amount")
        with open_uow(request) as uow:
            pay.record_payment(uow, workspace=slug, collab_id=cid, amount=value, method=method,
                               reference=reference or None, actor="web", now=rt.clock())
            uow.commit()

    return _collab_action(request, slug, cid, action)


@router.post("/w/{slug}/collaborations/{cid:int}/replies", name="web_reply",
             response_model=None)
def reply(request: Request, slug: str, cid: int,
          sender: Annotated[str, Form(alias="from")] = "",
          text: Annotated[str, Form()] = "") -> Response:
    rt = runtime_of(request)

    def action() -> None:
        if not sender.strip():
            raise InvalidInput("say who replied", field="from")
        with open_uow(request) as uow:
            out.record_reply(uow, workspace=slug, source="manual", actor="web", now=rt.clock(),
                             collab_id=cid, inbound=InboundMail(
                                 from_address=sender.strip().lower(), subject="", text=text))
            uow.commit()

    return _collab_action(request, slug, cid, action)


@router.post("/w/{slug}/collaborations/{cid:int}/rating", name="web_rate", response_model=None)
def rate(request: Request, slug: str, cid: int, rating: Annotated[int, Form()]) -> Response:
    rt = runtime_of(request)

    def action() -> None:
        with open_uow(request) as uow:
            camp.rate(uow, workspace=slug, collab_id=cid, rating=rating, actor="web",
                      now=rt.clock())
            uow.commit()

    return _collab_action(request, slug, cid, action)


@router.post("/w/{slug}/collaborations/{cid:int}/notes", name="web_note", response_model=None)
def note(request: Request, slug: str, cid: int, body: Annotated[str, Form()]) -> Response:
    rt = runtime_of(request)

    def action() -> None:
        with open_uow(request) as uow:
            collab = camp.require_collaboration(uow, workspace=slug, collab_id=cid)
            add_note(uow, workspace=slug, account_id=collab.account_id, body=body, actor="web",
                     now=rt.clock())
            uow.commit()

    return _collab_action(request, slug, cid, action)
