"""Background imports for the API and the web: the upload is saved, a job row is created, and a
worker thread runs it while clients poll the job for progress."""

from __future__ import annotations

import logging
import shutil
import threading
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from kolscope.adapters.db.database import Database
from kolscope.adapters.sources import SOURCES, open_source
from kolscope.app.imports import ImportOptions, run_import, start_import
from kolscope.errors import InvalidInput, KolscopeError
from kolscope.settings import Settings

log = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC)


def import_options(settings: Settings) -> ImportOptions:
    """The import options that ``settings`` ask for."""
    return ImportOptions(batch_size=settings.import_batch_size,
                         max_stored_rejects=settings.max_stored_rejects,
                         thresholds=settings.tier_thresholds, recent_posts=settings.recent_posts)


class ImportRunner:
    """Runs uploaded imports one at a time on a worker thread (SQLite has one writer anyway)."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kolscope-import")
        self._futures: dict[int, Future[object]] = {}
        self._lock = threading.Lock()

    def submit(self, *, workspace: str, kind: str, filename: str, upload: BinaryIO,
               **options: object) -> int:
        """Save ``upload`` under the data folder, queue its import and return the job id;
        ``options`` go to the importer (``of`` and ``platform`` for followers)."""
        if kind not in SOURCES:
            raise InvalidInput(f"unknown import kind {kind!r}; expected one of: "
                               f"{', '.join(SOURCES)}", field="kind")
        safe = Path(filename or "upload").name or "upload"
        folder = self.settings.data_dir / "uploads" / uuid.uuid4().hex
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / safe
        try:
            with path.open("wb") as out:
                if _copy_limited(upload, out, self.settings.max_upload_bytes) == 0:
                    raise InvalidInput("the uploaded file is empty", field="file")
            source = open_source(kind, path, **options)
            source.label = safe  # provenance names the file the user uploaded, not our temp path
            with self.db.uow() as uow:
                job_id = start_import(uow, workspace=workspace, source=source, clock=utc_now)
                uow.commit()
        except KolscopeError as exc:
            shutil.rmtree(folder, ignore_errors=True)  # nothing queued, so nothing to keep
            # Name the file the user uploaded, not the server's copy of it.
            raise type(exc)(exc.message.replace(str(path), safe),
                            **{**exc.context, **({"file": safe} if "file" in exc.context
                                                 else {})}) from None
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        future = self._pool.submit(self._run, workspace, job_id, source)
        with self._lock:
            self._futures[job_id] = future
        return job_id

    def _run(self, workspace: str, job_id: int, source: object) -> object:
        try:
            return run_import(self.db.uow, workspace=workspace, job_id=job_id,
                              source=source,  # type: ignore[arg-type]
                              options=import_options(self.settings), clock=utc_now)
        except Exception:
            log.exception("import job %s failed", job_id)  # the job row carries the reason
            return None

    def wait(self, job_id: int, timeout: float | None = None) -> None:
        """Block until job ``job_id`` (submitted here) ends; for tests and the CLI."""
        with self._lock:
            future = self._futures.get(job_id)
        if future is not None:
            future.result(timeout=timeout)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)


def _copy_limited(src: BinaryIO, dst: BinaryIO, limit: int) -> int:
    copied = 0
    while chunk := src.read(1 << 20):
        copied += len(chunk)
        if copied > limit:
            raise InvalidInput(f"the file is larger than the {limit:,}-byte upload limit",
                               field="file", limit=limit)
        dst.write(chunk)
    return copied
