"""Imports: upload a file, then follow its job's progress and rejected lines."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, UploadFile

from kolscope.api.deps import RuntimeDep, UowDep, WorkspaceDep
from kolscope.app.imports import get_import, list_imports
from kolscope.app.models import ImportJobView

router = APIRouter(prefix="/imports", tags=["imports"])


@router.post("", response_model=ImportJobView, status_code=202)
def upload(rt: RuntimeDep, uow: UowDep, workspace: WorkspaceDep,
           kind: Annotated[str, Form(description="instagram, influencers, generic or "
                                                 "followers")],
           file: Annotated[UploadFile, File()],
           of: Annotated[str | None, Form(description="followers: whose followers they are "
                                                      "(handle)")] = None,
           platform: Annotated[str | None, Form(description="followers and influencers: the "
                                                            "accounts' platform")] = None
           ) -> ImportJobView:
    """Queue an import of the uploaded file; poll the returned job for progress."""
    options = {k: v for k, v in {"of": of, "platform": platform}.items() if v is not None}
    job_id = rt.runner.submit(workspace=workspace, kind=kind, filename=file.filename or "upload",
                              upload=file.file, **options)
    return get_import(uow, workspace=workspace, job_id=job_id)


@router.get("", response_model=list[ImportJobView])
def jobs(uow: UowDep, workspace: WorkspaceDep,
         limit: Annotated[int, Query(ge=1, le=500)] = 50) -> list[ImportJobView]:
    """The workspace's latest import jobs, newest first."""
    return list_imports(uow, workspace=workspace, limit=limit)


@router.get("/{job_id}", response_model=ImportJobView)
def job(job_id: int, uow: UowDep, workspace: WorkspaceDep,
        rejects: Annotated[int, Query(ge=0, le=10_000)] = 100) -> ImportJobView:
    """One import job: status, progress, counts and its first rejected lines."""
    return get_import(uow, workspace=workspace, job_id=job_id, rejects_limit=rejects)
