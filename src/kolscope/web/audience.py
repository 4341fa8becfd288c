"""The audience research page: define an audience, see what it over-engages with."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from kolscope.app.audience import AudienceReport, research_audience
from kolscope.errors import InvalidInput, NotFound
from kolscope.web.pages import open_uow, render, workspace_context

router = APIRouter(include_in_schema=False)


def _split(value: str) -> list[str]:
    return [v for v in value.replace(",", " ").split() if v]


@router.get("/w/{slug}/audience", name="web_audience", response_class=HTMLResponse)
def audience(request: Request, slug: str, seeds: str = "", words: str = "") -> HTMLResponse:
    """Accounts and terms an audience engages with more than everyone else, by lift."""
    report: AudienceReport | None = None
    message: str | None = None
    with open_uow(request) as uow:
        context = workspace_context(uow, slug)
        if seeds.strip() or words.strip():
            try:
                report = research_audience(uow, workspace=slug, seeds=_split(seeds),
                                           words=_split(words))
            except (InvalidInput, NotFound) as exc:
                message = exc.message
    return render(request, "audience.html", {
        **context, "section": "audience", "seeds": seeds, "words": words, "report": report,
        "message": message}, status=400 if message else 200)
