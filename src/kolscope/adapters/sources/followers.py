"""A sample of one KOL's followers, in the file format `kolscope vet accounts` reads.

Each row is a follower's profile (``username, followers, following, posts, has_profile_pic,
is_private``; optional ``biography``, ``external_url``, ``full_name``, ``observed_at``). Imported,
every follower becomes an account with that profile and an audience edge to the KOL, so that
vetting can score the sample with the fake-account model. Re-importing the same sample changes
nothing; a later sample adds its new followers and re-dates the ones seen again.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kolscope.adapters.sources.vet_accounts import AccountFileSource, Bad, parse_row
from kolscope.app.imports import Item
from kolscope.core.platforms import Platform, parse_platform
from kolscope.core.records import (
    AccountRecord,
    FollowerRecord,
    Rejected,
    SourceLocation,
    normalise_handle,
)
from kolscope.errors import InvalidInput


def _text(row: Mapping[str, Any], field: str) -> str | None:
    """A text cell: None when the column is absent, "" when present and blank (known empty)."""
    if field not in row:
        return None
    value = row[field]
    if value is not None and not isinstance(value, str):
        raise Bad(field, "not text")
    return (value or "").strip()


def _observed(row: Mapping[str, Any]) -> datetime | None:
    value = row.get("observed_at")
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        when = datetime.fromisoformat(str(value).strip())
    except ValueError:
        raise Bad("observed_at", f"not an ISO 8601 time: {value!r}") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


class FollowerFileSource:
    """Followers of the account ``of`` on ``platform``, from CSV, TSV or JSONL."""

    kind = "followers"

    def __init__(self, path: Path, *, of: str | None = None,
                 platform: str | Platform = Platform.INSTAGRAM) -> None:
        if not of:
            raise InvalidInput("say whose followers these are (--of HANDLE)", field="of")
        try:
            self.account = normalise_handle(of)
        except ValueError as exc:
            raise InvalidInput(str(exc), field="of") from None
        try:
            self.platform = parse_platform(platform) if isinstance(platform, str) else platform
        except ValueError as exc:
            raise InvalidInput(str(exc), field="platform") from None
        self._file = AccountFileSource(path)
        self.label = self._file.label

    def size(self) -> int | None:
        return self._file.size()

    def position(self) -> int:
        return self._file.position()

    def read(self) -> Iterator[Item]:
        for item in self._file.rows():
            if isinstance(item, Rejected):
                yield item
            else:
                yield self._record(*item)

    def _record(self, where: SourceLocation, data: Any) -> Item:
        if not isinstance(data, dict):
            return Rejected(location=where, reason="expected an object of named fields")
        try:
            profile = parse_row(data).profile
            follower = AccountRecord(
                platform=self.platform, handle=profile.username, followers=profile.followers,
                following=profile.following, posts_count=profile.posts,
                has_profile_pic=profile.has_profile_pic, is_private=profile.is_private,
                bio=_text(data, "biography"), external_url=_text(data, "external_url"),
                display_name=_text(data, "full_name") or None)
            record = FollowerRecord(platform=self.platform, account_handle=self.account,
                                    follower=follower, observed_at=_observed(data))
        except Bad as exc:
            return Rejected(location=where, field=exc.field, reason=str(exc))
        except ValidationError as exc:
            error = exc.errors()[0]
            return Rejected(location=where, field=".".join(str(p) for p in error["loc"]),
                            reason=error["msg"])
        return where, record
