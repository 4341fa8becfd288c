"""Import jobs and their rejected lines."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kolscope.adapters.db.repositories._sql import table
from kolscope.adapters.db.tables import ImportJob, ImportReject
from kolscope.app.models import ImportJobView, JobStatus, RejectView
from kolscope.core.records import Rejected


def _view(job: ImportJob, rejects: list[RejectView]) -> ImportJobView:
    return ImportJobView(id=job.id, kind=job.kind, source_file=job.source_file,
                         status=JobStatus(job.status), created_at=job.created_at,
                         started_at=job.started_at, finished_at=job.finished_at,
                         bytes_total=job.bytes_total, bytes_done=job.bytes_done,
                         counts=dict(job.counts or {}), rejected=job.rejected, error=job.error,
                         rejects=rejects)


class SqlImportJobRepository:
    def __init__(self, session: Session) -> None:
        self.s = session

    def create(self, workspace_id: int, *, kind: str, source_file: str, bytes_total: int | None,
               now: datetime) -> int:
        job = ImportJob(workspace_id=workspace_id, kind=kind, source_file=source_file,
                        status=JobStatus.QUEUED.value, created_at=now, bytes_total=bytes_total,
                        bytes_done=0, counts={}, rejected=0)
        self.s.add(job)
        self.s.flush()
        return job.id

    def update(self, job_id: int, *, status: JobStatus | None = None,
               bytes_done: int | None = None, counts: Mapping[str, int] | None = None,
               rejected: int | None = None, error: str | None = None,
               started_at: datetime | None = None, finished_at: datetime | None = None) -> None:
        values: dict[str, Any] = {
            "status": status.value if status else None, "bytes_done": bytes_done,
            "counts": dict(counts) if counts is not None else None, "rejected": rejected,
            "error": error, "started_at": started_at, "finished_at": finished_at}
        values = {k: v for k, v in values.items() if v is not None}
        if values:
            self.s.execute(update(ImportJob).where(ImportJob.id == job_id).values(**values))

    def add_rejects(self, job_id: int, rejects: Sequence[Rejected]) -> None:
        if rejects:
            self.s.execute(table(ImportReject).insert(), [
                {"job_id": job_id, "file": r.location.file, "line": r.location.line,
                 "field": r.field, "reason": r.reason} for r in rejects])

    def get(self, workspace_id: int, job_id: int, *, rejects_limit: int) -> ImportJobView | None:
        job = self.s.scalar(select(ImportJob).where(ImportJob.id == job_id,
                                                    ImportJob.workspace_id == workspace_id))
        if job is None:
            return None
        rejects = [RejectView(file=r.file, line=r.line, field=r.field, reason=r.reason)
                   for r in self.s.scalars(select(ImportReject).where(
                       ImportReject.job_id == job_id).order_by(ImportReject.id)
                       .limit(rejects_limit))]
        return _view(job, rejects)

    def list(self, workspace_id: int, limit: int) -> list[ImportJobView]:
        jobs = self.s.scalars(select(ImportJob).where(ImportJob.workspace_id == workspace_id)
                              .order_by(ImportJob.id.desc()).limit(limit))
        return [_view(j, []) for j in jobs]
