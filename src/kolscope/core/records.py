"""What a source hands to the ingest: plain, validated records of accounts, posts and comments.

A field left ``None`` means "this source does not know", so an upsert keeps what is stored rather
than erasing it. Counts are non-negative integers; times are timezone-aware UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

from kolscope.core.money import Money
from kolscope.core.platforms import Platform, PostFormat

# The largest integer SQLite and PostgreSQL's bigint hold; a count past it is refused.
MAX_COUNT = 2**63 - 1
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]


def normalise_handle(value: str) -> str:
    """The comparable form of a handle: no leading ``@``, no surrounding space, case-folded."""
    handle = value.strip().lstrip("@").strip().casefold()
    if not handle:
        raise ValueError("handle is empty")
    if len(handle) > 200:
        raise ValueError("handle is longer than 200 characters")
    return handle


def to_utc(value: datetime) -> datetime:
    """``value`` in UTC (naive means UTC already); ValueError where UTC leaves the calendar
    (``9999-12-31T23:59:59-05:00``)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError(f"{value.isoformat()} is outside the years 1 to 9999 in UTC") from None


def _utc(value: datetime | None) -> datetime | None:
    return None if value is None else to_utc(value)


def one_line(value: str) -> str:
    """A name typed on one line: trimmed, not empty, no control characters (a NUL or an
    escape would reach every page and file it is shown in)."""
    text = value.strip()
    if not text:
        raise ValueError("must not be empty or only spaces")
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise ValueError("control characters such as line breaks are not allowed")
    return text


def plan_date(value: date) -> date:
    """A campaign's or brief's date: within 1970 to 2200, so that date arithmetic around it
    (windows, weeks, reports) stays inside the calendar."""
    if not 1970 <= value.year <= 2200:
        raise ValueError(f"{value.isoformat()} is outside the years 1970 to 2200")
    return value


Handle = Annotated[str, AfterValidator(normalise_handle)]
Line = Annotated[str, AfterValidator(one_line)]
PlanDate = Annotated[date, AfterValidator(plan_date)]
UtcTime = Annotated[datetime | None, AfterValidator(_utc)]


class SourceLocation(BaseModel):
    """Where a record came from: a file and, for line-based files, the 1-based line."""

    model_config = ConfigDict(frozen=True)

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class AccountRecord(_Record):
    """An account on one platform, as much of it as the source knows."""

    platform: Platform
    handle: Handle
    platform_user_id: str | None = None
    display_name: str | None = None
    bio: str | None = None
    url: str | None = None
    followers: Count | None = None
    following: Count | None = None
    posts_count: Count | None = None
    is_verified: bool | None = None
    is_private: bool | None = None
    has_profile_pic: bool | None = None
    external_url: str | None = Field(default=None, description="the link in the profile")
    category: str | None = Field(default=None, description="the source's own category label")
    niche: str | None = None
    language: str | None = None
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2 code")
    creator_key: str | None = Field(
        default=None, description="groups several accounts into one creator (a person or entity)"
    )
    rate: Money | None = Field(default=None, description="the account's quoted fee per post")

    @field_validator("country")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        code = value.upper()
        if len(code) != 2 or not (code.isascii() and code.isalpha()):
            raise ValueError(f"country must be a two-letter ISO 3166 code, got {value!r}")
        return code


class CommentRecord(_Record):
    """A comment on a post; its author is another account on the same platform."""

    platform_comment_id: str = Field(min_length=1)
    author_handle: Handle
    author_platform_id: str | None = None
    text: str = ""
    created_at: UtcTime = None
    likes: Count | None = None
    replies_count: Count | None = None


class PostRecord(_Record):
    """A post with its author, counts and the interactions the source carries with it."""

    platform: Platform
    platform_post_id: str = Field(min_length=1)
    author: AccountRecord
    format: PostFormat
    posted_at: UtcTime = None
    url: str | None = None
    caption: str = ""
    image_description: str | None = None
    location: str | None = None
    likes: Count | None = None
    comments_count: Count | None = None
    views: Count | None = None
    shares: Count | None = None
    saves: Count | None = None
    is_paid_partnership: bool = False
    sponsor_handles: tuple[Handle, ...] = ()
    tagged_handles: tuple[Handle, ...] = ()
    comments: tuple[CommentRecord, ...] = ()


class StandaloneComment(_Record):
    """A comment that arrives on its own line, naming the post it belongs to."""

    platform: Platform
    platform_post_id: str = Field(min_length=1)
    comment: CommentRecord


class FollowerRecord(_Record):
    """An account seen following a creator's account: one member of its audience sample."""

    platform: Platform
    account_handle: Handle = Field(description="the account followed")
    follower: AccountRecord
    observed_at: UtcTime = None

    @field_validator("follower")
    @classmethod
    def _same_platform(cls, value: AccountRecord, info: ValidationInfo) -> AccountRecord:
        platform = info.data.get("platform")
        if platform is not None and value.platform != platform:
            raise ValueError("a follower is on the platform of the account it follows")
        return value


class Rejected(BaseModel):
    """A line a source could not read, with where and why; the import goes on without it."""

    model_config = ConfigDict(frozen=True)

    location: SourceLocation
    reason: str
    field: str | None = None

    def __str__(self) -> str:
        where = f"{self.location}"
        return f"{where}: {self.field}: {self.reason}" if self.field else f"{where}: {self.reason}"


Record = AccountRecord | PostRecord | StandaloneComment | FollowerRecord
