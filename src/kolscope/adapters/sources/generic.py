"""The generic import schema: accounts, posts and comments of any platform, CSV or JSONL.

The schema is documented in ``docs/import-schema.md``; the models below are its definition, and
their field names are what error messages name. A JSONL line says its kind in ``"type"`` (or the
kind is inferred: ``comment_id`` means a comment, ``post_id`` a post, otherwise an account); a CSV
file holds one kind, inferred from its header the same way or given explicitly.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from kolscope.adapters.sources._files import (
    FileSource,
    checked_rows,
    jsonl_values,
    open_binary,
    strip_compression,
    table_format,
)
from kolscope.app.imports import Item
from kolscope.core.money import Money, check_amount
from kolscope.core.platforms import Platform, PostFormat, parse_platform, parse_post_format
from kolscope.core.records import (
    AccountRecord,
    CommentRecord,
    Count,
    FollowerRecord,
    PostRecord,
    Record,
    Rejected,
    SourceLocation,
    StandaloneComment,
    normalise_handle,
)
from kolscope.errors import InvalidInput, SourceError

Kind = Literal["account", "post", "comment", "follower"]
_TRUE = {"true", "1", "yes", "y", "t", "是", "真"}
_FALSE = {"false", "0", "no", "n", "f", "否", "假"}


def _blank_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _bool(value: Any) -> Any:
    value = _blank_none(value)
    if isinstance(value, str):
        key = value.strip().casefold()
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
        raise ValueError(f"not a yes/no value: {value!r}")
    return value


def _count(value: Any) -> Any:
    value = _blank_none(value)
    if isinstance(value, bool):  # pydantic would read true as 1
        raise ValueError(f"not a count: {value!r}")
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("_", "")
        multiplier = 1
        # Chinese exports write large counts with 万 (10^4) and 亿 (10^8); others with k/m.
        for suffix, factor in (("万", 10_000), ("亿", 100_000_000), ("k", 1_000),
                               ("m", 1_000_000)):
            if text.lower().endswith(suffix):
                text, multiplier = text[: -len(suffix)], factor
                break
        try:  # exact: a float would turn 9007199254740993 into ...992
            number = Decimal(text) * multiplier
        except ArithmeticError:
            raise ValueError(f"not a count: {value!r}") from None
        if not number.is_finite():
            raise ValueError(f"not a count: {value!r}")
        return int(number.to_integral_value(ROUND_HALF_EVEN))
    return value


def _time(value: Any) -> Any:
    # Pydantic parses the rest: ISO 8601 text, or a Unix time in seconds or milliseconds (a number
    # or digits), and refuses one out of range as a validation error.
    value = _blank_none(value)
    return value.strip() if isinstance(value, str) else value


def _text(value: Any) -> Any:
    return "" if value is None else value  # a JSON null caption or comment text is no text


def _list(value: Any) -> Any:
    value = _blank_none(value)
    if value is None:
        return []
    if isinstance(value, str):
        return [v for v in re.split(r"[\s,;|]+", value) if v]
    return value


Bool = Annotated[bool | None, BeforeValidator(_bool)]
# The bound applies to the number only: on ``int | None`` it would be checked against None too,
# and a JSON null would raise TypeError instead of reading as unknown.
CountField = Annotated[Count | None, BeforeValidator(_count)]
Time = Annotated[datetime | None, BeforeValidator(_time)]
Handles = Annotated[list[str], BeforeValidator(_list)]
Text = Annotated[str | None, BeforeValidator(_blank_none)]
FreeText = Annotated[str, BeforeValidator(_text)]
PlatformField = Annotated[Platform, BeforeValidator(
    lambda v: parse_platform(v) if isinstance(v, str) else v)]
FormatField = Annotated[PostFormat, BeforeValidator(
    lambda v: parse_post_format(v) if isinstance(v, str) else v)]


class FieldError(ValueError):
    """A value that a record refused, named by its field in this schema."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field


# Record fields named differently in this schema, so that a refusal names the column as written.
_SCHEMA_NAMES = {
    "platform_post_id": "post_id", "platform_comment_id": "comment_id", "author_handle": "author",
    "author_platform_id": "author_id", "replies_count": "replies", "posts_count": "posts",
    "is_verified": "verified", "is_private": "private", "creator_key": "creator",
    "has_profile_pic": "profile_pic", "account_handle": "handle",
    "is_paid_partnership": "paid_partnership", "sponsor_handles": "sponsors",
    "tagged_handles": "tagged", "amount": "rate", "currency": "rate_currency"}


def _refused(exc: ValidationError) -> FieldError:
    err = exc.errors()[0]
    loc = [str(p) for p in err["loc"]]
    if loc:
        loc[0] = _SCHEMA_NAMES.get(loc[0], loc[0])
    return FieldError(".".join(loc), err["msg"].removeprefix("Value error, "))


def _within(prefix: str, exc: FieldError) -> FieldError:
    return FieldError(f"{prefix}.{exc.field}", str(exc))


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class GenericAccount(_Row):
    type: Literal["account"] = "account"
    platform: PlatformField
    handle: str
    platform_user_id: Text = None
    display_name: Text = None
    bio: Text = None
    url: Text = None
    followers: CountField = None
    following: CountField = None
    posts: CountField = None
    verified: Bool = None
    private: Bool = None
    profile_pic: Bool = Field(default=None, description="whether the profile has a picture")
    external_url: Text = Field(default=None, description="the link in the profile")
    category: Text = None
    niche: Text = None
    language: Text = None
    country: Text = None
    creator: Text = Field(default=None, description="a key shared by one creator's accounts")
    rate: Text = Field(default=None, description="quoted fee per post, a decimal amount")
    rate_currency: Text = None

    def to_record(self) -> AccountRecord:
        if self.rate is not None and self.rate_currency is None:
            raise FieldError("rate_currency", "rate_currency is required with rate")
        try:
            rate = (Money(amount=self.rate, currency=self.rate_currency)
                    if self.rate is not None else None)
            if rate is not None:
                try:
                    check_amount(rate.amount)
                except ValueError as exc:
                    raise FieldError("rate", str(exc)) from None
            return AccountRecord(
                platform=self.platform, handle=self.handle,
                platform_user_id=self.platform_user_id, display_name=self.display_name,
                bio=self.bio, url=self.url, followers=self.followers, following=self.following,
                posts_count=self.posts, is_verified=self.verified, is_private=self.private,
                has_profile_pic=self.profile_pic, external_url=self.external_url,
                category=self.category, niche=self.niche, language=self.language,
                country=self.country, creator_key=self.creator, rate=rate)
        except ValidationError as exc:
            raise _refused(exc) from None


class GenericComment(_Row):
    type: Literal["comment"] = "comment"
    platform: PlatformField | None = None
    post_id: Text = None
    comment_id: str
    author: str
    author_id: Text = None
    text: FreeText = ""
    created_at: Time = None
    likes: CountField = None
    replies: CountField = None

    def to_comment(self) -> CommentRecord:
        try:
            return CommentRecord(platform_comment_id=self.comment_id, author_handle=self.author,
                                 author_platform_id=self.author_id, text=self.text,
                                 created_at=self.created_at, likes=self.likes,
                                 replies_count=self.replies)
        except ValidationError as exc:
            raise _refused(exc) from None

    def to_record(self) -> StandaloneComment:
        if self.platform is None or self.post_id is None:
            raise FieldError("platform" if self.platform is None else "post_id",
                             "a comment on its own line needs platform and post_id")
        comment = self.to_comment()
        try:
            return StandaloneComment(platform=self.platform, platform_post_id=self.post_id,
                                     comment=comment)
        except ValidationError as exc:
            raise _refused(exc) from None


class GenericPost(_Row):
    type: Literal["post"] = "post"
    platform: PlatformField
    post_id: str
    handle: str
    format: FormatField
    posted_at: Time = None
    url: Text = None
    caption: FreeText = ""
    image_description: Text = None
    location: Text = None
    likes: CountField = None
    comments_count: CountField = None
    views: CountField = None
    shares: CountField = None
    saves: CountField = None
    paid_partnership: Bool = None
    sponsors: Handles = Field(default_factory=list)
    tagged: Handles = Field(default_factory=list)
    comments: Annotated[list[GenericComment], BeforeValidator(lambda v: [] if v is None else v)
                        ] = Field(default_factory=list)
    author: GenericAccount | None = Field(
        default=None, description="the author's account details, when the post carries them; "
                                  "platform and handle default to the post's")

    @model_validator(mode="before")
    @classmethod
    def _author_defaults(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("author"), dict):
            author = {"platform": data.get("platform"), "handle": data.get("handle"),
                      **data["author"]}
            data = {**data, "author": author}
        return data

    def to_record(self) -> PostRecord:
        author = self._author()
        comments = []
        for i, comment in enumerate(self.comments):
            try:
                comments.append(comment.to_comment())
            except FieldError as exc:
                raise _within(f"comments.{i}", exc) from None
        try:
            return PostRecord(
                platform=self.platform, platform_post_id=self.post_id, author=author,
                format=self.format, posted_at=self.posted_at, url=self.url,
                caption=self.caption, image_description=self.image_description,
                location=self.location, likes=self.likes, comments_count=self.comments_count,
                views=self.views, shares=self.shares, saves=self.saves,
                is_paid_partnership=bool(self.paid_partnership),
                sponsor_handles=tuple(self.sponsors), tagged_handles=tuple(self.tagged),
                comments=tuple(comments))
        except ValidationError as exc:
            raise _refused(exc) from None

    def _author(self) -> AccountRecord:
        if self.author is not None:
            try:
                author = self.author.to_record()
            except FieldError as exc:
                raise _within("author", exc) from None
            if (author.platform, author.handle) != (self.platform, normalise_handle(self.handle)):
                raise FieldError("author.handle", "the author's platform and handle must be the "
                                                  "post's own")
            return author
        try:
            return AccountRecord(platform=self.platform, handle=self.handle)
        except ValidationError as exc:
            raise _refused(exc) from None


class GenericFollower(_Row):
    """An account seen following ``handle``: one member of its audience sample (JSONL only)."""

    type: Literal["follower"] = "follower"
    platform: PlatformField
    handle: str
    follower: GenericAccount
    observed_at: Time = None

    @model_validator(mode="before")
    @classmethod
    def _follower_platform(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("follower"), dict):
            data = {**data, "follower": {"platform": data.get("platform"), **data["follower"]}}
        return data

    def to_record(self) -> FollowerRecord:
        try:
            follower = self.follower.to_record()
        except FieldError as exc:
            raise _within("follower", exc) from None
        try:
            return FollowerRecord(platform=self.platform, account_handle=self.handle,
                                  follower=follower, observed_at=self.observed_at)
        except ValidationError as exc:
            raise _refused(exc) from None


MODELS: dict[str, type[GenericAccount | GenericPost | GenericComment | GenericFollower]] = {
    "account": GenericAccount, "post": GenericPost, "comment": GenericComment,
    "follower": GenericFollower}


def infer_kind(fields: set[str]) -> Kind:
    """The kind of a row from its field names."""
    if "follower" in fields:
        return "follower"
    if "comment_id" in fields:
        return "comment"
    if "post_id" in fields:
        return "post"
    return "account"


def to_item(data: Any, kind: str | None, location: SourceLocation) -> Item:
    """Validate one row of the generic schema and turn it into a record."""
    if not isinstance(data, dict):
        return Rejected(location=location, reason="expected an object of named fields")
    kind = data.get("type") or kind or infer_kind(set(data))
    model = MODELS.get(str(kind))
    if model is None:
        return Rejected(location=location, field="type",
                        reason=f"unknown type {kind!r}; expected account, post, comment or "
                               "follower")
    try:
        record: Record = model.model_validate({**data, "type": kind}).to_record()
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or None
        return Rejected(location=location, field=field, reason=err["msg"].removeprefix(
            "Value error, "))
    except FieldError as exc:
        return Rejected(location=location, field=exc.field or None, reason=str(exc))
    except ValueError as exc:
        return Rejected(location=location, reason=str(exc))
    return location, record


class GenericSource(FileSource):
    """Accounts, posts and comments in the generic schema, from ``.csv``/``.jsonl`` (or .gz/.xz)."""

    kind = "generic"

    def __init__(self, path: Path, *, record_type: Kind | None = None) -> None:
        super().__init__(path)
        self._format = table_format(self.path)
        if record_type is not None and record_type not in MODELS:
            raise InvalidInput(f"unknown record type {record_type!r}; expected account, post "
                               "or comment", field="type")
        self.record_kind = record_type

    def read(self) -> Iterator[Item]:
        with open_binary(self.path) as (stream, counter):
            if self._format == "jsonl":
                for value in jsonl_values(stream, self.label):
                    self._done = counter.count
                    yield value if isinstance(value, Rejected) else to_item(
                        value[1], self.record_kind, value[0])
            else:
                yield from self._csv(stream, counter)
            self._done = counter.count

    def _csv(self, stream: Any, counter: Any) -> Iterator[Item]:
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        delimiter = "\t" if strip_compression(self.path.name).lower().endswith(".tsv") else ","
        # strict: a quote left open is an error, not a cell that swallows the rest of the file
        reader = csv.DictReader(text, delimiter=delimiter, strict=True)
        try:
            fields = [f.strip() for f in reader.fieldnames or []]
        except csv.Error as exc:
            raise SourceError(f"{self.path}:1: unreadable header: {exc}", file=self.label,
                              line=1) from None
        if not fields:
            raise SourceError(f"{self.path}:1: no header row", file=self.label, line=1)
        repeated = sorted({f for f in fields if fields.count(f) > 1})
        if repeated:
            raise SourceError(f"{self.path}:1: column(s) {', '.join(repeated)} appear more "
                              "than once", file=self.label, line=1)
        kind = self.record_kind or infer_kind(set(fields))
        known = set(MODELS[kind].model_fields)
        unknown = [f for f in fields if f not in known]
        if unknown:
            raise SourceError(f"{self.path}:1: unknown column(s) {', '.join(unknown)} for "
                              f"{kind} rows; see docs/import-schema.md", file=self.label, line=1)
        reader.fieldnames = fields
        for row in checked_rows(reader, self.path, self.label):
            self._done = counter.count
            where = SourceLocation(file=self.label, line=reader.line_num)
            if None in row:
                yield Rejected(location=where, reason="more cells than header columns")
                continue
            values = {k: v for k, v in row.items() if v is not None and v != ""}
            yield to_item(values, kind, where)
