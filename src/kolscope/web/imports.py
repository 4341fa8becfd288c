"""Import pages: upload a file, then watch its job run and see the lines it rejected."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from kolscope.app.imports import get_import, list_imports
from kolscope.app.models import JobStatus
from kolscope.app.workspaces import require_workspace
from kolscope.errors import InvalidInput, SourceError
from kolscope.web.pages import open_uow, render, runtime_of, workspace_context

router = APIRouter(include_in_schema=False)

KINDS = {
    "instagram": "Instagram posts saved by instaloader (.jsonl, .jsonl.gz)",
    "influencers": "Influencer list (tab-separated: Username, Category, #Followers, ...)",
    "generic": "Generic accounts, posts or comments (CSV or JSONL, any platform)",
}
COUNT_LABELS = {
    "records": "Records read", "accounts_new": "New accounts", "accounts_known": "Known accounts",
    "posts_new": "New posts", "posts_updated": "Updated posts",
    "posts_unchanged": "Unchanged posts", "comments_new": "New comments",
    "comments_updated": "Updated comments", "comments_unchanged": "Unchanged comments",
    "mentions": "Mentions linked", "sponsorships": "Sponsorships linked",
    "profiles_scored": "Profiles scored",
}
REJECTS_SHOWN = 200
ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


@router.get("/w/{slug}/imports", name="web_imports", response_class=HTMLResponse)
def imports(request: Request, slug: str) -> HTMLResponse:
    """The workspace's import jobs, newest first, under the upload form."""
    return _imports_page(request, slug)


@router.post("/w/{slug}/imports", name="web_upload")
async def upload(request: Request, slug: str) -> Response:
    """Queue the uploaded file's import and go to its job; a bad upload explains itself."""
    form = await request.form()
    kind = str(form.get("kind") or "")
    try:
        job_id = await run_in_threadpool(_submit, request, slug, kind, form.get("file"))
    except (InvalidInput, SourceError) as exc:
        return await run_in_threadpool(_imports_page, request, slug, exc.message, kind, 400)
    finally:
        await form.close()
    target = request.url_for("web_import_job", slug=slug, job_id=job_id).path
    return RedirectResponse(target, status_code=303)


@router.get("/w/{slug}/imports/{job_id:int}", name="web_import_job",
            response_class=HTMLResponse)
def import_job(request: Request, slug: str, job_id: int) -> HTMLResponse:
    """One job: status, progress, counts and rejected lines; polls while it runs."""
    with open_uow(request) as uow:
        context = workspace_context(uow, slug)
        job = get_import(uow, workspace=slug, job_id=job_id, rejects_limit=REJECTS_SHOWN)
    context |= {"job": job, "active": job.status in ACTIVE, "count_labels": COUNT_LABELS}
    return render(request, "import_job.html", context)


@router.get("/w/{slug}/imports/{job_id:int}/status", name="web_import_status")
def import_status(request: Request, slug: str, job_id: int) -> JSONResponse:
    """What the job page polls: status, progress from 0 to 1 (or null), counts, rejects."""
    with open_uow(request) as uow:
        job = get_import(uow, workspace=slug, job_id=job_id, rejects_limit=0)
    return JSONResponse({"status": job.status.value, "progress": job.progress,
                         "counts": job.counts, "rejected": job.rejected},
                        headers={"Cache-Control": "no-store"})


def _submit(request: Request, slug: str, kind: str, file: UploadFile | str | None) -> int:
    with open_uow(request) as uow:
        require_workspace(uow, slug)  # before saving anything under the data folder
    if not kind:
        raise InvalidInput("choose what kind of file this is", field="kind")
    if not isinstance(file, UploadFile) or not file.filename:
        raise InvalidInput("choose a file to upload", field="file")
    return runtime_of(request).runner.submit(workspace=slug, kind=kind, filename=file.filename,
                                 upload=file.file)


def _imports_page(request: Request, slug: str, error: str | None = None, kind: str = "",
                  status: int = 200) -> HTMLResponse:
    with open_uow(request) as uow:
        context: dict[str, Any] = workspace_context(uow, slug)
        context["jobs"] = list_imports(uow, workspace=slug)
    context |= {"kinds": KINDS, "error": error, "chosen_kind": kind}
    return render(request, "imports.html", context, status)
