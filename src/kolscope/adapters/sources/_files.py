"""Opening input files: plain, gzip or xz, counting on-disk (compressed) bytes for progress."""

from __future__ import annotations

import csv
import gzip
import io
import lzma
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Literal

import orjson

from kolscope.core.records import Rejected, SourceLocation
from kolscope.errors import SourceError

COMPRESSED = (".gz", ".xz")


class ByteCounter(io.RawIOBase):
    """Wraps a binary file and counts the bytes read from disk."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.count += n
        return n


def require_path(path: Path) -> Path:
    """``path`` if it exists and is not an empty file; else a SourceError saying so."""
    if not path.exists():
        raise SourceError(f"{path}: no such file or folder", file=str(path))
    if path.is_file() and path.stat().st_size == 0:
        raise SourceError(f"{path}: the file is empty", file=str(path))
    return path


def strip_compression(name: str) -> str:
    """``posts.jsonl.gz`` -> ``posts.jsonl``."""
    lower = name.lower()
    for suffix in COMPRESSED:
        if lower.endswith(suffix):
            return name[: -len(suffix)]
    return name


@contextmanager
def open_binary(path: Path) -> Iterator[tuple[IO[bytes], ByteCounter]]:
    """Open ``path``, decompressing ``.gz``/``.xz``; yield the stream and its disk-byte counter."""
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise SourceError(f"{path}: cannot open: {exc.strerror}", file=str(path)) from None
    with raw:
        counter = ByteCounter(raw)
        stream: IO[bytes] = io.BufferedReader(counter, buffer_size=1 << 16)
        lower = path.name.lower()
        if lower.endswith(".gz"):
            stream = gzip.GzipFile(fileobj=stream)  # type: ignore[assignment]
        elif lower.endswith(".xz"):
            stream = lzma.LZMAFile(stream)  # noqa: SIM115 - closed with ``raw``
        try:
            yield stream, counter
        except (EOFError, lzma.LZMAError, gzip.BadGzipFile, zlib.error) as exc:
            raise SourceError(f"{path}: the file is corrupt or truncated: {exc}",
                              file=str(path)) from None
        except UnicodeDecodeError as exc:
            raise SourceError(f"{path}: the file is not UTF-8 text: {exc}",
                              file=str(path)) from None


class FileSource:
    """What every file importer shares: its path, its label and progress in disk bytes."""

    def __init__(self, path: Path) -> None:
        self.path = require_path(path)
        self.label = str(path)
        self._done = 0

    def size(self) -> int | None:
        return self.path.stat().st_size

    def position(self) -> int:
        return self._done


def table_format(path: Path) -> Literal["jsonl", "csv"]:
    """Whether ``path`` is JSON Lines or CSV/TSV, by its name (a compression suffix aside)."""
    if path.is_dir():
        raise SourceError(f"{path}: expected a .csv or .jsonl file, got a folder", file=str(path))
    base = strip_compression(path.name).lower()
    if base.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if base.endswith((".csv", ".tsv")):
        return "csv"
    raise SourceError(f"{path}: unknown file type; use .csv, .tsv or .jsonl "
                      "(optionally .gz or .xz)", file=str(path))


def jsonl_values(stream: IO[bytes], label: str
                 ) -> Iterator[tuple[SourceLocation, Any] | Rejected]:
    """Each non-blank line of a JSON Lines stream, parsed, with its location; a line that is not
    JSON is rejected with its line number."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        where = SourceLocation(file=label, line=number)
        try:
            yield where, orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            yield Rejected(location=where, reason=f"invalid JSON: {exc}")


def checked_rows(reader: Any, path: Path, label: str, *, offset: int = 0) -> Iterator[Any]:
    """The rows of a ``csv`` reader made with ``strict=True``. A quote left open or a cell past
    csv's size limit is a :class:`SourceError` at the line where that row starts (``offset``:
    lines read before the reader began); nothing from it on is read."""
    rows, read = iter(reader), reader.line_num
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            line = read + 1 + offset
            raise SourceError(f"{path}:{line}: {exc} in the row starting here; nothing from it "
                              "on was read", file=label, line=line) from None
        read = reader.line_num
        yield row
