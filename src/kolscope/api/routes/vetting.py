"""Vetting: run it, read and override reports, list flags, manage keyword sets, score texts."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from kolscope.api.deps import RuntimeDep, UowDep, WorkspaceDep
from kolscope.app.keyword_sets import (
    delete_keyword_set,
    keyword_sets,
    list_flags,
    parse_keyword_set,
    put_keyword_set,
)
from kolscope.app.models import FlagView, Page, VettingView
from kolscope.app.sentiment import analyse_texts
from kolscope.app.vetting_reports import (
    Brief,
    OverrideIn,
    VetRun,
    get_report,
    override_verdict,
    vet_account,
    vet_workspace,
)
from kolscope.core.vetting.brand_safety import KeywordSet
from kolscope.core.vetting.sentiment import Sentiment

router = APIRouter(tags=["vetting"])
FLAG_FIELDS = ("id", "handle", "platform", "post_id", "post_url", "posted_at", "kind",
               "category", "set_name", "term", "matches", "snippet")


class BriefIn(BaseModel):
    """Campaign context for vetting: competitors whose recent sponsorships conflict."""

    competitors: list[str] = Field(default_factory=list, max_length=200)
    window_days: int = Field(default=180, ge=1, le=3650)

    def brief(self) -> Brief:
        return Brief(competitors=tuple(self.competitors), window_days=self.window_days)


@router.post("/vetting/run", response_model=VetRun)
def run(rt: RuntimeDep, workspace: WorkspaceDep, body: BriefIn | None = None) -> VetRun:
    """Vet every KOL of the workspace and store the reports (each chunk is committed)."""
    return vet_workspace(rt.db.uow, workspace=workspace, model=rt.fake_model,
                         sentiment=rt.sentiment, clock=rt.clock,
                         brief=(body or BriefIn()).brief())


@router.get("/accounts/{account_id}/vetting", response_model=VettingView)
def report(account_id: int, uow: UowDep, workspace: WorkspaceDep) -> VettingView:
    """The account's stored vetting report: every signal, the verdict and any override."""
    return get_report(uow, workspace=workspace, account_id=account_id)


@router.post("/accounts/{account_id}/vetting", response_model=VettingView)
def vet(account_id: int, rt: RuntimeDep, uow: UowDep, workspace: WorkspaceDep,
        body: BriefIn | None = None) -> VettingView:
    """Vet the account now (with the brief's competitors, if given) and store the report."""
    view = vet_account(uow, workspace=workspace, account_id=account_id, model=rt.fake_model,
                       sentiment=rt.sentiment, now=rt.clock(),
                       brief=(body or BriefIn()).brief())
    uow.commit()
    return view


@router.put("/accounts/{account_id}/vetting/override", response_model=VettingView)
def override(account_id: int, body: OverrideIn, rt: RuntimeDep, uow: UowDep,
             workspace: WorkspaceDep) -> VettingView:
    """Set the verdict by hand with a reason (``verdict`` null withdraws the last override)."""
    view = override_verdict(uow, workspace=workspace, account_id=account_id,
                            verdict=body.verdict, reason=body.reason, author=body.author,
                            now=rt.clock())
    uow.commit()
    return view


@router.get("/vetting/flags", response_model=Page[FlagView],
            responses={200: {"content": {"text/csv": {}}}})
def flags(uow: UowDep, workspace: WorkspaceDep,
          account_id: Annotated[int | None, Query()] = None,
          kind: Annotated[str | None, Query(description="safety, value, red_line or "
                                                        "competitor")] = None,
          category: Annotated[str | None, Query()] = None,
          limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
          offset: Annotated[int, Query(ge=0)] = 0,
          format: Annotated[Literal["json", "csv"], Query()] = "json",
          ) -> Page[FlagView] | Response:
    """Stored per-post flags, filterable; ``format=csv`` exports them."""
    page = list_flags(uow, workspace=workspace, account_id=account_id, kind=kind,
                      category=category, limit=limit, offset=offset)
    if format == "json":
        return page
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FLAG_FIELDS)
    for f in page.items:
        writer.writerow(["" if getattr(f, c) is None else getattr(f, c) for c in FLAG_FIELDS])
    return Response(out.getvalue(), media_type="text/csv",
                    headers={"content-disposition": "attachment; filename=flags.csv"})


@router.get("/vetting/keyword-sets", response_model=list[KeywordSet])
def sets(uow: UowDep, workspace: WorkspaceDep,
         builtin: Annotated[bool, Query()] = True) -> list[KeywordSet]:
    """The keyword sets in force: built-in ones (unless ``builtin=false``), then the
    workspace's own."""
    return keyword_sets(uow, workspace=workspace, builtin=builtin)


class KeywordSetIn(BaseModel):
    kind: str
    category: str
    terms: list[str]
    exceptions: list[str] = Field(default_factory=list)
    language: str | None = None


@router.put("/vetting/keyword-sets/{name}", response_model=KeywordSet)
def put_set(name: str, body: KeywordSetIn, rt: RuntimeDep, uow: UowDep,
            workspace: WorkspaceDep, response: Response) -> KeywordSet:
    """Create or replace one of the workspace's keyword sets (201 when new)."""
    keyword_set = parse_keyword_set({"name": name, **body.model_dump()})
    replaced = put_keyword_set(uow, workspace=workspace, keyword_set=keyword_set,
                               now=rt.clock())
    uow.commit()
    response.status_code = 200 if replaced else 201
    return keyword_set


@router.delete("/vetting/keyword-sets/{name}", status_code=204)
def delete_set(name: str, uow: UowDep, workspace: WorkspaceDep) -> Response:
    """Remove one of the workspace's keyword sets."""
    delete_keyword_set(uow, workspace=workspace, name=name)
    uow.commit()
    return Response(status_code=204)


class TextsIn(BaseModel):
    texts: list[str] = Field(max_length=10_000)


@router.post("/text/sentiment", response_model=list[Sentiment])
def sentiment(body: TextsIn, rt: RuntimeDep, workspace: WorkspaceDep) -> list[Sentiment]:
    """Sentiment of each text: label (negative, neutral, positive), score in [-1, 1] and
    language, in order."""
    return analyse_texts(rt.sentiment, texts=body.texts)
