"""Accounts to vet, from CSV or JSONL: the columns any platform's profile export has.

Required: ``username, followers, following, posts, has_profile_pic, is_private``. Optional:
``biography`` (its length is used) or ``bio_length``, ``external_url``, ``full_name``,
``username_length`` and ``username_digits`` (for exports that give only those), and a label,
``label`` or ``is_fake`` (``fake``/``real`` or yes/no), for fitting. Other columns are ignored,
so a file with extra fields (an id, the true label) can be scored as it is. Each bad row becomes a
:class:`~kolscope.core.records.Rejected` naming its file, line and field.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from kolscope.adapters.sources._files import (
    FileSource,
    checked_rows,
    jsonl_values,
    open_binary,
    strip_compression,
    table_format,
)
from kolscope.app.vetting import AccountItem, AccountRow
from kolscope.core.records import MAX_COUNT, Rejected, SourceLocation
from kolscope.core.vetting.account_features import AccountProfile
from kolscope.errors import InvalidInput

REQUIRED = ("username", "followers", "following", "posts", "has_profile_pic", "is_private")
LABEL_COLUMNS = ("label", "is_fake")
_TRUE = {"true", "1", "1.0", "yes", "y", "t"}
_FALSE = {"false", "0", "0.0", "no", "n", "f"}
_FAKE = {"fake", *_TRUE}
_REAL = {"real", *_FALSE}


class Bad(ValueError):
    """A bad value in a named field of an accounts file."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _count(field: str, value: Any) -> int:
    if isinstance(value, bool) or _blank(value):
        raise Bad(field, "a count is required" if _blank(value) else f"not a count: {value!r}")
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("_", "")
        try:
            value = float(text) if "." in text or "e" in text.lower() else int(text)
        except ValueError:
            raise Bad(field, f"not a count: {value!r}") from None
    if (not isinstance(value, int | float) or not math.isfinite(value) or value < 0
            or value != int(value)):
        raise Bad(field, f"not a whole number >= 0: {value!r}")
    if value > MAX_COUNT:
        raise Bad(field, f"more than {MAX_COUNT:,}: {value!r}")
    return int(value)


def _flag(field: str, value: Any, true: set[str] = _TRUE, false: set[str] = _FALSE) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    key = value.strip().casefold() if isinstance(value, str) else None
    if key in true:
        return True
    if key in false:
        return False
    raise Bad(field, "a yes/no value is required" if _blank(value)
               else f"not a yes/no value: {value!r}")


def _optional_count(row: Mapping[str, Any], field: str) -> int | None:
    return None if _blank(row.get(field)) else _count(field, row[field])


def _bio_length(row: Mapping[str, Any]) -> int | None:
    if not _blank(row.get("bio_length")):
        return _count("bio_length", row["bio_length"])
    if "biography" not in row:
        return None
    bio = row["biography"]
    if bio is not None and not isinstance(bio, str):
        raise Bad("biography", "not text")
    return len(bio or "")


def _external_url(row: Mapping[str, Any]) -> bool | None:
    if "external_url" not in row:
        return None
    url = row["external_url"]
    if url is not None and not isinstance(url, str):
        raise Bad("external_url", "not text")
    return not _blank(url)


def _label(row: Mapping[str, Any]) -> bool | None:
    for field in LABEL_COLUMNS:
        if not _blank(row.get(field)):
            return _flag(field, row[field], _FAKE, _REAL)
    return None


def parse_row(row: Mapping[str, Any]) -> AccountRow:
    """One account from a row of named values; raises a ValueError naming the field."""
    username = row.get("username")
    if not isinstance(username, str) or not username.strip():
        raise Bad("username", "a username is required")
    followers, following, posts = (_count(f, row.get(f)) for f in ("followers", "following",
                                                                    "posts"))
    pic, private = (_flag(f, row.get(f)) for f in ("has_profile_pic", "is_private"))
    name = username.strip()
    length = _optional_count(row, "username_length")
    digits = _optional_count(row, "username_digits")
    # Every value is checked above, so the profile is built without validating it again: it
    # halves the cost of reading a large file.
    profile = AccountProfile.model_construct(
        username=name, followers=followers, following=following, posts=posts,
        has_profile_pic=pic, is_private=private, bio_length=_bio_length(row),
        has_external_url=_external_url(row),
        username_length=len(name) if length is None else length,
        username_digits=sum(c.isdigit() for c in name) if digits is None else digits)
    return AccountRow(profile=profile, is_fake=_label(row))


def _item(data: Any, where: SourceLocation) -> AccountItem:
    if not isinstance(data, dict):
        return Rejected(location=where, reason="expected an object of named fields")
    try:
        return where, parse_row(data)
    except Bad as exc:
        return Rejected(location=where, field=exc.field, reason=str(exc))


class AccountFileSource(FileSource):
    """Accounts to vet from ``.csv``, ``.tsv`` or ``.jsonl`` (optionally ``.gz``/``.xz``)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._format = table_format(self.path)

    def read(self) -> Iterator[AccountItem]:
        for item in self.rows():
            yield item if isinstance(item, Rejected) else _item(item[1], item[0])

    def rows(self) -> Iterator[tuple[SourceLocation, Any] | Rejected]:
        """Each row's named values, as read (CSV cells or a JSON value), with its location."""
        with open_binary(self.path) as (stream, _):
            if self._format == "csv":
                yield from self._csv(stream)
                return
            yield from jsonl_values(stream, self.label)

    def _csv(self, stream: Any) -> Iterator[tuple[SourceLocation, Any] | Rejected]:
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        tsv = strip_compression(self.path.name).lower().endswith(".tsv")
        reader = csv.DictReader(text, delimiter="\t" if tsv else ",", strict=True)
        fields = [f.strip() for f in reader.fieldnames or []]
        missing = [f for f in REQUIRED if f not in fields]
        if missing:
            raise InvalidInput(f"{self.label}:1: missing column(s) {', '.join(missing)}; "
                               f"required: {', '.join(REQUIRED)}", field=missing[0],
                               file=self.label, line=1)
        reader.fieldnames = fields
        for row in checked_rows(reader, self.path, self.label):
            where = SourceLocation(file=self.label, line=reader.line_num)
            if None in row:
                yield Rejected(location=where, reason="more cells than header columns")
                continue
            yield where, row
