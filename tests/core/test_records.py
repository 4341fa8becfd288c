"""Records handed from sources to the ingest: handles, times, counts and codes are normalised."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from kolscope.core.platforms import Platform, PostFormat
from kolscope.core.records import (
    AccountRecord,
    CommentRecord,
    PostRecord,
    Rejected,
    SourceLocation,
    StandaloneComment,
    normalise_handle,
    to_utc,
)


def account(**values: object) -> AccountRecord:
    return AccountRecord.model_validate({"platform": "instagram", "handle": "mia", **values})


@pytest.mark.parametrize(("raw", "expected"), [
    ("@Name ", "name"),
    ("  @GlowWithMia", "glowwithmia"),
    ("@@double", "double"),
    ("Straße", "strasse"),  # case-folded, not just lower-cased
    ("小红书达人", "小红书达人"),
])
def test_handle_normalisation(raw: str, expected: str) -> None:
    assert normalise_handle(raw) == expected


@pytest.mark.parametrize("raw", ["", "   ", "@", " @ "])
def test_empty_handle_is_rejected(raw: str) -> None:
    with pytest.raises(ValueError, match="handle is empty"):
        normalise_handle(raw)


def test_overlong_handle_is_rejected() -> None:
    assert normalise_handle("a" * 200) == "a" * 200
    with pytest.raises(ValueError, match="longer than 200"):
        normalise_handle("a" * 201)


def test_account_record_normalises_its_handle() -> None:
    record = account(handle="@Name ")
    assert record.handle == "name"
    assert record.platform is Platform.INSTAGRAM


def test_account_record_with_empty_handle_is_refused() -> None:
    with pytest.raises(ValidationError, match="handle is empty"):
        account(handle="@")


@pytest.mark.parametrize("field", ["followers", "following", "posts_count"])
def test_negative_account_counts_are_refused(field: str) -> None:
    with pytest.raises(ValidationError) as info:
        account(**{field: -1})
    assert info.value.errors()[0]["loc"] == (field,)


def test_zero_counts_are_allowed_and_unknown_stays_none() -> None:
    record = account(followers=0)
    assert record.followers == 0
    assert record.following is None


@pytest.mark.parametrize(("raw", "expected"), [("us", "US"), ("CN", "CN"), (" de ", "DE"),
                                               ("", None), (None, None)])
def test_country_code_is_upper_cased(raw: str | None, expected: str | None) -> None:
    assert account(country=raw).country == expected


@pytest.mark.parametrize("raw", ["USA", "U", "1A", "中国", "ÄÖ"])
def test_country_must_be_two_letters(raw: str) -> None:
    with pytest.raises(ValidationError, match="ISO 3166"):
        account(country=raw)


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(ValidationError):
        account(folowers=10)


def test_unknown_platform_is_refused() -> None:
    with pytest.raises(ValidationError):
        AccountRecord.model_validate({"platform": "myspace", "handle": "mia"})


def test_naive_times_are_taken_as_utc() -> None:
    comment = CommentRecord(platform_comment_id="c1", author_handle="fan",
                            created_at=datetime(2024, 5, 1, 8, 30))
    assert comment.created_at == datetime(2024, 5, 1, 8, 30, tzinfo=UTC)
    assert comment.created_at is not None and comment.created_at.tzinfo is UTC


def test_aware_times_are_converted_to_utc() -> None:
    beijing = timezone(timedelta(hours=8))
    comment = CommentRecord(platform_comment_id="c1", author_handle="fan",
                            created_at=datetime(2024, 5, 1, 16, 30, tzinfo=beijing))
    # 16:30 in UTC+8 is 08:30 UTC
    assert comment.created_at == datetime(2024, 5, 1, 8, 30, tzinfo=UTC)
    assert comment.created_at is not None and comment.created_at.tzinfo is UTC


def test_comment_needs_an_id_and_normalises_its_author() -> None:
    assert CommentRecord(platform_comment_id="c1", author_handle="@Fan_One").author_handle \
        == "fan_one"
    with pytest.raises(ValidationError):
        CommentRecord(platform_comment_id="", author_handle="fan")


def test_negative_comment_likes_are_refused() -> None:
    with pytest.raises(ValidationError):
        CommentRecord(platform_comment_id="c1", author_handle="fan", likes=-3)


def test_post_record_normalises_handles_and_time() -> None:
    post = PostRecord(
        platform=Platform.INSTAGRAM, platform_post_id="1001", author=account(),
        format=PostFormat.IMAGE, posted_at=datetime(2019, 1, 1), caption="  hello  ",
        sponsor_handles=("@LumiereSkin",), tagged_handles=("@LumiereSkin", "@Fan"))
    assert post.posted_at == datetime(2019, 1, 1, tzinfo=UTC)
    assert post.sponsor_handles == ("lumiereskin",)
    assert post.tagged_handles == ("lumiereskin", "fan")
    assert post.caption == "hello"
    assert post.is_paid_partnership is False
    assert post.comments == ()


@pytest.mark.parametrize("field", ["likes", "comments_count", "views", "shares", "saves"])
def test_negative_post_counts_are_refused(field: str) -> None:
    with pytest.raises(ValidationError):
        PostRecord.model_validate({"platform": "instagram", "platform_post_id": "1",
                                   "author": account(), "format": "image", field: -1})


def test_post_needs_an_id() -> None:
    with pytest.raises(ValidationError):
        PostRecord(platform=Platform.INSTAGRAM, platform_post_id="", author=account(),
                   format=PostFormat.IMAGE)


def test_standalone_comment_names_its_post() -> None:
    record = StandaloneComment(platform=Platform.WEIBO, platform_post_id="P1",
                               comment=CommentRecord(platform_comment_id="c1",
                                                     author_handle="粉丝"))
    assert record.platform is Platform.WEIBO
    assert record.comment.author_handle == "粉丝"


def test_records_are_immutable() -> None:
    record = account()
    with pytest.raises(ValidationError):
        record.followers = 5  # type: ignore[misc]


def test_source_location_and_rejected_read_as_file_line_field_reason() -> None:
    where = SourceLocation(file="posts.jsonl", line=7)
    assert str(where) == "posts.jsonl:7"
    assert str(SourceLocation(file="post.json")) == "post.json"
    assert str(Rejected(location=where, field="likes", reason="not a count")) \
        == "posts.jsonl:7: likes: not a count"
    assert str(Rejected(location=where, reason="invalid JSON")) == "posts.jsonl:7: invalid JSON"


def test_to_utc_reads_naive_as_utc_and_refuses_what_leaves_the_calendar() -> None:
    assert to_utc(datetime(2026, 1, 1, 9)) == datetime(2026, 1, 1, 9, tzinfo=UTC)
    eight = timezone(timedelta(hours=8))
    assert to_utc(datetime(2026, 1, 1, 9, tzinfo=eight)) == datetime(2026, 1, 1, 1, tzinfo=UTC)
    for edge in (datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5))),
                 datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5)))):
        with pytest.raises(ValueError, match="outside the years 1 to 9999"):
            to_utc(edge)
