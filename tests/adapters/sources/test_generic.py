"""The generic importer: accounts, posts and comments of any platform, as CSV or JSONL."""

from __future__ import annotations

import gzip
import json
import lzma
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from kolscope.adapters.sources.generic import GenericSource, infer_kind
from kolscope.app.imports import Item
from kolscope.core.money import Money
from kolscope.core.platforms import Platform, PostFormat
from kolscope.core.records import (
    AccountRecord,
    CommentRecord,
    PostRecord,
    Rejected,
    SourceLocation,
    StandaloneComment,
)
from kolscope.errors import InvalidInput, SourceError

MAY_1_0800_UTC = datetime(2024, 5, 1, 8, tzinfo=UTC)  # Unix time 1714550400


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def jsonl(path: Path, *rows: dict[str, Any]) -> Path:
    return write(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))


def read_all(path: Path, **options: Any) -> list[Item]:
    return list(GenericSource(path, **options).read())


def kept(items: list[Item]) -> list[Any]:
    return [i[1] for i in items if not isinstance(i, Rejected)]


def only(items: list[Item]) -> Any:
    (item,) = items
    assert not isinstance(item, Rejected), item
    return item[1]


def rejected(items: list[Item]) -> Rejected:
    (item,) = items
    assert isinstance(item, Rejected), item
    return item


# --- CSV: one kind per file, inferred from the header ----------------------------------------


def test_infer_kind() -> None:
    assert infer_kind({"platform", "handle", "followers"}) == "account"
    assert infer_kind({"platform", "post_id", "handle", "format"}) == "post"
    assert infer_kind({"platform", "post_id", "comment_id", "author"}) == "comment"


def test_csv_accounts_with_chinese_platforms_counts_and_booleans(tmp_path: Path) -> None:
    path = write(tmp_path / "accounts.csv",
                 "platform,handle,display_name,followers,following,posts,verified,private,"
                 "category,language,country,creator,rate,rate_currency,url,bio,platform_user_id\n"
                 "微博,@美妆小王,小王,1.2万,300,3k,是,否,美妆,zh,cn,wang,5000.50,cny,"
                 "https://weibo.com/u/1,护肤达人,1001\n"
                 "RED,Lily_Red,Lily,12000,,,否,,beauty,,,,,,,,\n")
    items = read_all(path)
    assert [i[0] for i in items if not isinstance(i, Rejected)] == [
        SourceLocation(file=str(path), line=2), SourceLocation(file=str(path), line=3)]
    wang, lily = kept(items)
    assert wang == AccountRecord(
        platform=Platform.WEIBO, handle="美妆小王", display_name="小王",
        followers=12_000,          # 1.2 x 10,000
        following=300,
        posts_count=3_000,         # 3 x 1,000
        is_verified=True, is_private=False, category="美妆", language="zh", country="CN",
        creator_key="wang", rate=Money(amount="5000.50", currency="CNY"),
        url="https://weibo.com/u/1", bio="护肤达人", platform_user_id="1001")
    assert wang.rate is not None and wang.rate.amount == Decimal("5000.50")
    # blank cells are unknown, not zero or false
    assert lily == AccountRecord(platform=Platform.XIAOHONGSHU, handle="lily_red",
                                 display_name="Lily", followers=12_000, is_verified=False,
                                 category="beauty")


def test_csv_posts(tmp_path: Path) -> None:
    path = write(tmp_path / "posts.csv",
                 "platform,post_id,handle,format,posted_at,caption,likes,comments_count,views,"
                 "shares,saves,paid_partnership,sponsors,tagged,location,url\n"
                 "xiaohongshu,n1,lily_red,image,2024-05-01T16:00:00+08:00,"
                 "新品试用 #广告# 真的很好用,3k,1.5k,2.5万,12,34,否,,@brand_a,上海,"
                 "https://xhs.example/n1\n"
                 "douyin,d1,小王,short video,1714550400,,\"1,000\",0,,,,yes,"
                 "\"brand_a; brand_b\",,,\n")
    first, second = kept(read_all(path))
    assert first == PostRecord(
        platform=Platform.XIAOHONGSHU, platform_post_id="n1",
        author=AccountRecord(platform=Platform.XIAOHONGSHU, handle="lily_red"),
        format=PostFormat.IMAGE, posted_at=MAY_1_0800_UTC,  # 16:00 at UTC+8
        caption="新品试用 #广告# 真的很好用", likes=3_000, comments_count=1_500, views=25_000,
        shares=12, saves=34, is_paid_partnership=False, tagged_handles=("brand_a",),
        location="上海", url="https://xhs.example/n1")
    assert second.platform is Platform.DOUYIN
    assert second.format is PostFormat.SHORT_VIDEO
    assert second.posted_at == MAY_1_0800_UTC  # the Unix time 1714550400
    assert second.caption == ""
    assert second.is_paid_partnership is True
    assert second.sponsor_handles == ("brand_a", "brand_b")


def test_csv_comments(tmp_path: Path) -> None:
    path = write(tmp_path / "comments.csv",
                 "platform,post_id,comment_id,author,author_id,text,created_at,likes,replies\n"
                 "weibo,w1,k1,@粉丝一号,88,求链接！,2024-05-01 08:00:00,1.1万,2\n")
    assert only(read_all(path)) == StandaloneComment(
        platform=Platform.WEIBO, platform_post_id="w1",
        comment=CommentRecord(platform_comment_id="k1", author_handle="粉丝一号",
                              author_platform_id="88", text="求链接！",
                              created_at=MAY_1_0800_UTC, likes=11_000, replies_count=2))


def test_csv_with_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffplatform,handle\r\ninstagram,mia\r\n".encode())
    assert only(read_all(path)).handle == "mia"


def test_record_type_option_overrides_inference(tmp_path: Path) -> None:
    path = write(tmp_path / "c.csv", "platform,post_id,comment_id,author\nweibo,w1,k1,fan\n")
    assert isinstance(only(read_all(path, record_type="comment")), StandaloneComment)
    with pytest.raises(InvalidInput) as info:
        GenericSource(path, record_type="story")  # type: ignore[arg-type]
    assert info.value.field == "type"


def test_tsv(tmp_path: Path) -> None:
    path = write(tmp_path / "accounts.tsv", "platform\thandle\tfollowers\nx\tjack\t1,234\n")
    record = only(read_all(path))
    assert (record.platform, record.handle, record.followers) == (Platform.X, "jack", 1_234)


def test_csv_gz(tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv.gz"
    path.write_bytes(gzip.compress("platform,handle,followers\n抖音,小王,3k\n".encode()))
    record = only(read_all(path))
    assert (record.platform, record.handle, record.followers) == (Platform.DOUYIN, "小王", 3_000)


def test_jsonl_xz(tmp_path: Path) -> None:
    path = tmp_path / "accounts.jsonl.xz"
    path.write_bytes(lzma.compress(b'{"platform": "bilibili", "handle": "up"}\n'))
    assert only(read_all(path)).platform is Platform.BILIBILI


def test_unknown_column_fails_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", "platform,handle,folowers\ninstagram,mia,10\n")
    with pytest.raises(SourceError, match=r":1: unknown column\(s\) folowers for account rows")\
            as info:
        read_all(path)
    assert info.value.context == {"file": str(path), "line": 1}


def test_column_of_another_kind_is_unknown(tmp_path: Path) -> None:
    # "likes" belongs to posts and comments, not to accounts
    path = write(tmp_path / "a.csv", "platform,handle,likes\ninstagram,mia,10\n")
    with pytest.raises(SourceError, match="likes"):
        read_all(path)


def test_header_only_file_yields_nothing(tmp_path: Path) -> None:
    assert read_all(write(tmp_path / "a.csv", "platform,handle\n")) == []


def test_more_cells_than_columns_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv",
                 "platform,handle,followers\ninstagram,mia,10,extra\ninstagram,tom,20\n")
    items = read_all(path)
    bad = items[0]
    assert isinstance(bad, Rejected)
    assert bad.location == SourceLocation(file=str(path), line=2)
    assert bad.reason == "more cells than header columns"
    assert [r.handle for r in kept(items)] == ["tom"]


def test_fewer_cells_than_columns_leave_the_rest_unknown(tmp_path: Path) -> None:
    record = only(read_all(write(tmp_path / "a.csv", "platform,handle,followers\nweibo,a\n")))
    assert record.followers is None


def test_invalid_row_names_file_line_and_schema_field(tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv",
                 "platform,handle,followers\n"
                 "instagram,mia,10\n"
                 "instagram,tom,lots\n"
                 "instagram,ann,-5\n"
                 "instagram,joe,30\n")
    items = read_all(path)
    bad = [(r.location.line, r.field) for r in items if isinstance(r, Rejected)]
    assert bad == [(3, "followers"), (4, "followers")]
    assert all(isinstance(r, Rejected) and r.location.file == str(path)
               for r in items if isinstance(r, Rejected))
    assert [r.handle for r in kept(items)] == ["mia", "joe"]


# --- JSONL: kinds mixed in one file ----------------------------------------------------------


def test_jsonl_mixes_accounts_posts_and_comments(tmp_path: Path) -> None:
    path = jsonl(
        tmp_path / "mixed.jsonl",
        {"type": "account", "platform": "微博", "handle": "美妆小王", "followers": "1.2万"},
        {"type": "post", "platform": "小红书", "post_id": "n1", "handle": "lily_red",
         "format": "image", "posted_at": "2024-05-01T16:00:00+08:00",
         "caption": "新品试用 #广告# 真的很好用", "likes": "3k", "comments_count": 2,
         "paid_partnership": "否", "sponsors": "brand_a, brand_b", "tagged": ["@Brand_A"],
         "comments": [{"comment_id": "k1", "author": "粉丝一号", "text": "求链接",
                       "created_at": 1714550400, "likes": 3}],
         "author": {"platform": "xhs", "handle": "lily_red", "followers": "2.5万",
                    "niche": "美妆"}},
        {"type": "comment", "platform": "weibo", "post_id": "w1", "comment_id": "k2",
         "author": "fan", "created_at": "1714550400000"},
    )
    items = read_all(path)
    assert [i[0].line for i in items if not isinstance(i, Rejected)] == [1, 2, 3]
    account, post, comment = kept(items)
    assert account == AccountRecord(platform=Platform.WEIBO, handle="美妆小王", followers=12_000)
    assert post == PostRecord(
        platform=Platform.XIAOHONGSHU, platform_post_id="n1",
        author=AccountRecord(platform=Platform.XIAOHONGSHU, handle="lily_red",
                             followers=25_000, niche="美妆"),
        format=PostFormat.IMAGE, posted_at=MAY_1_0800_UTC, caption="新品试用 #广告# 真的很好用",
        likes=3_000, comments_count=2, is_paid_partnership=False,
        sponsor_handles=("brand_a", "brand_b"), tagged_handles=("brand_a",),
        comments=(CommentRecord(platform_comment_id="k1", author_handle="粉丝一号",
                                text="求链接", created_at=MAY_1_0800_UTC, likes=3),))
    # a Unix time in milliseconds reads as well as one in seconds
    assert comment == StandaloneComment(
        platform=Platform.WEIBO, platform_post_id="w1",
        comment=CommentRecord(platform_comment_id="k2", author_handle="fan",
                              created_at=MAY_1_0800_UTC))


def test_jsonl_kind_is_inferred_without_type(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "k.jsonl",
                 {"platform": "x", "handle": "jack"},
                 {"platform": "x", "post_id": "t1", "handle": "jack", "format": "reel"},
                 {"platform": "x", "post_id": "t1", "comment_id": "c1", "author": "jill"})
    assert [type(r) for r in kept(read_all(path))] == [AccountRecord, PostRecord,
                                                       StandaloneComment]


@pytest.mark.parametrize(("value", "expected"), [
    (1714550400, MAY_1_0800_UTC),
    (1714550400.5, MAY_1_0800_UTC + timedelta(seconds=0.5)),
    (1714550400000, MAY_1_0800_UTC),
    ("1714550400", MAY_1_0800_UTC),
    ("2024-05-01T08:00:00Z", MAY_1_0800_UTC),
    ("2024-05-01T08:00:00", MAY_1_0800_UTC),        # no offset: taken as UTC
    ("2024-05-01 16:00:00+08:00", MAY_1_0800_UTC),
    ("2024-05-01", datetime(2024, 5, 1, tzinfo=UTC)),
    (" 2024-05-01T08:00:00Z ", MAY_1_0800_UTC),
])
def test_times(tmp_path: Path, value: Any, expected: datetime) -> None:
    path = jsonl(tmp_path / "t.jsonl", {"platform": "x", "post_id": "t1", "handle": "jack",
                                        "format": "image", "posted_at": value})
    posted = only(read_all(path)).posted_at
    assert posted == expected
    assert posted.tzinfo == UTC


def test_aware_time_keeps_its_instant(tmp_path: Path) -> None:
    beijing = timezone(timedelta(hours=8))
    path = jsonl(tmp_path / "t.jsonl", {"platform": "x", "post_id": "t1", "handle": "jack",
                                        "format": "image",
                                        "posted_at": "2024-05-01T00:30:00+08:00"})
    assert only(read_all(path)).posted_at == datetime(2024, 5, 1, 0, 30, tzinfo=beijing)


@pytest.mark.parametrize("value", ["yesterday", "2024/05/01", 1e20, True])
def test_bad_time_is_rejected(tmp_path: Path, value: Any) -> None:
    path = jsonl(tmp_path / "t.jsonl", {"platform": "x", "post_id": "t1", "handle": "jack",
                                        "format": "image", "posted_at": value})
    assert rejected(read_all(path)).field == "posted_at"


@pytest.mark.parametrize(("value", "expected"), [
    ("1.2万", 12_000),      # 1.2 x 10^4
    ("3亿", 300_000_000),   # 3 x 10^8
    ("3k", 3_000),
    ("3K", 3_000),
    ("1.5m", 1_500_000),
    ("12,345", 12_345),
    ("1_000", 1_000),
    (" 42 ", 42),
    (42, 42),
    ("", None),
])
def test_counts(tmp_path: Path, value: Any, expected: int | None) -> None:
    path = jsonl(tmp_path / "c.jsonl", {"platform": "weibo", "handle": "a", "followers": value})
    assert only(read_all(path)).followers == expected


@pytest.mark.parametrize("value", ["lots", "-5", "inf", "nan", "1e400", True, 12.5])
def test_bad_counts_are_rejected(tmp_path: Path, value: Any) -> None:
    path = jsonl(tmp_path / "c.jsonl", {"platform": "weibo", "handle": "a", "followers": value})
    bad = rejected(read_all(path))
    assert bad.field == "followers"
    assert bad.location == SourceLocation(file=str(path), line=1)


@pytest.mark.parametrize(("value", "expected"), [
    ("是", True), ("否", False), ("真", True), ("假", False), ("yes", True), ("No", False),
    ("Y", True), ("n", False), ("true", True), ("FALSE", False), ("1", True), ("0", False),
    (True, True), (False, False), ("", None),
])
def test_booleans(tmp_path: Path, value: Any, expected: bool | None) -> None:
    path = jsonl(tmp_path / "b.jsonl", {"platform": "weibo", "handle": "a", "verified": value})
    assert only(read_all(path)).is_verified is expected


def test_json_null_is_unknown(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "n.jsonl",
                 {"platform": "x", "handle": "a", "followers": None, "verified": None,
                  "bio": None},
                 {"platform": "x", "post_id": "t1", "handle": "a", "format": "image",
                  "caption": None, "likes": None, "posted_at": None, "sponsors": None,
                  "comments": None},
                 {"platform": "x", "post_id": "t1", "comment_id": "k1", "author": "b",
                  "text": None, "likes": None})
    account, post, comment = kept(read_all(path))
    assert (account.followers, account.is_verified, account.bio) == (None, None, None)
    assert (post.caption, post.likes, post.posted_at, post.sponsor_handles, post.comments) == (
        "", None, None, (), ())
    assert (comment.comment.text, comment.comment.likes) == ("", None)


def test_bad_boolean_is_rejected(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "b.jsonl", {"platform": "weibo", "handle": "a", "verified": "maybe"})
    bad = rejected(read_all(path))
    assert bad.field == "verified"
    assert bad.reason == "not a yes/no value: 'maybe'"


def test_rate_with_currency_is_money(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "r.jsonl", {"platform": "x", "handle": "a", "rate": "1499.99",
                                        "rate_currency": "eur"})
    assert only(read_all(path)).rate == Money(amount=Decimal("1499.99"), currency="EUR")


@pytest.mark.parametrize(("row", "field"), [
    ({"rate": "100"}, "rate_currency"),
    ({"rate": "abc", "rate_currency": "usd"}, "rate"),
    ({"rate": "100", "rate_currency": "dollars"}, "rate_currency"),
])
def test_bad_rate_is_rejected_naming_the_schema_field(tmp_path: Path, row: dict[str, str],
                                                      field: str) -> None:
    path = jsonl(tmp_path / "r.jsonl", {"platform": "x", "handle": "a", **row})
    assert rejected(read_all(path)).field == field


def test_rate_without_currency_says_so(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "r.jsonl", {"platform": "x", "handle": "a", "rate": "100"})
    assert rejected(read_all(path)).reason == "rate_currency is required with rate"


@pytest.mark.parametrize(("row", "field"), [
    ({"platform": "myspace", "handle": "a"}, "platform"),
    ({"platform": "x"}, "handle"),
    ({"platform": "x", "handle": "@"}, "handle"),
    ({"platform": "x", "handle": "a", "country": "USA"}, "country"),
    ({"platform": "x", "handle": "a", "follower": 3}, "follower"),
    ({"platform": "x", "post_id": "t1", "handle": "a", "format": "hologram"}, "format"),
    ({"platform": "x", "post_id": "t1", "handle": "a"}, "format"),
    ({"platform": "x", "post_id": "", "handle": "a", "format": "image"}, "post_id"),
    ({"platform": "x", "post_id": "t1", "handle": "a", "format": "image",
      "sponsors": ["@"]}, "sponsors.0"),
    ({"platform": "x", "post_id": "t1", "handle": "a", "format": "image",
      "comments": [{"comment_id": "k1", "author": "@"}]}, "comments.0.author"),
    ({"platform": "x", "post_id": "t1", "handle": "a", "format": "image",
      "comments": [{"comment_id": "k1", "author": "b", "likes": "-1"}]}, "comments.0.likes"),
    ({"platform": "x", "post_id": "t1", "handle": "a", "format": "image",
      "author": {"platform": "x", "handle": "a", "country": "USA"}}, "author.country"),
    ({"platform": "x", "post_id": "t1", "handle": "a", "format": "image",
      "author": {"platform": "x", "handle": "a", "rate": "5"}}, "author.rate_currency"),
    ({"platform": "x", "post_id": "t1", "comment_id": "", "author": "b"}, "comment_id"),
    ({"platform": "x", "post_id": "t1", "comment_id": "k1", "author": " @ "}, "author"),
    ({"platform": "x", "comment_id": "k1", "author": "b"}, "post_id"),
    ({"post_id": "t1", "comment_id": "k1", "author": "b"}, "platform"),
])
def test_rejections_name_the_field_as_the_schema_spells_it(
        tmp_path: Path, row: dict[str, Any], field: str) -> None:
    path = jsonl(tmp_path / "bad.jsonl", row)
    bad = rejected(read_all(path))
    assert bad.field == field
    assert bad.location == SourceLocation(file=str(path), line=1)


def test_unknown_type_is_rejected(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "t.jsonl", {"type": "story", "platform": "weibo", "handle": "a"},
                 {"type": "account", "platform": "weibo", "handle": "b"})
    items = read_all(path)
    bad = items[0]
    assert isinstance(bad, Rejected)
    assert bad.field == "type"
    assert "story" in bad.reason
    assert [r.handle for r in kept(items)] == ["b"]


def test_bad_json_lines_are_rejected_and_the_rest_kept(tmp_path: Path) -> None:
    path = write(tmp_path / "j.jsonl",
                 '{"platform": "x", "handle": "a"}\n'
                 "{broken\n"
                 "\n"
                 '["a", "list"]\n'
                 '{"platform": "x", "handle": "b"}\n')
    items = read_all(path)
    bad = [(r.location.line, r.reason.split(":")[0]) for r in items if isinstance(r, Rejected)]
    assert bad == [(2, "invalid JSON"), (4, "expected an object of named fields")]
    assert [i[0].line for i in items if not isinstance(i, Rejected)] == [1, 5]
    assert [r.handle for r in kept(items)] == ["a", "b"]


# --- files that cannot be read at all --------------------------------------------------------


def test_missing_empty_folder_and_unknown_file_type(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        GenericSource(tmp_path / "none.csv")
    with pytest.raises(SourceError, match="empty"):
        GenericSource(write(tmp_path / "empty.csv", ""))
    with pytest.raises(SourceError, match="got a folder"):
        GenericSource(tmp_path)
    with pytest.raises(SourceError, match="unknown file type"):
        GenericSource(write(tmp_path / "accounts.xlsx", "x"))


def test_csv_that_is_not_utf8_fails_the_file(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("platform,handle,display_name\ninstagram,jose,José\n".encode("latin-1"))
    with pytest.raises(SourceError, match="not UTF-8"):
        read_all(path)


def test_truncated_gz_fails_the_file(tmp_path: Path) -> None:
    rows = "".join(f'{{"platform": "x", "handle": "user{i}", "followers": {i * 7}}}\n'
                   for i in range(2_000))
    packed = gzip.compress(rows.encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(packed[: len(packed) // 2])
    with pytest.raises(SourceError, match="corrupt or truncated"):
        read_all(path)


@pytest.mark.parametrize("name", ["accounts.csv", "accounts.csv.gz"])
def test_position_ends_at_size(tmp_path: Path, name: str) -> None:
    text = "platform,handle,followers\n" + "".join(f"weibo,u{i},{i}\n" for i in range(500))
    path = tmp_path / name
    path.write_bytes(gzip.compress(text.encode()) if name.endswith(".gz") else text.encode())
    source = GenericSource(path)
    assert source.position() == 0
    assert len(list(source.read())) == 500
    assert source.position() == source.size() == path.stat().st_size
    assert source.kind == "generic"


@pytest.mark.parametrize(("text", "line", "reason"), [
    ('platform,handle,bio\ninstagram,u1,"open quote\ninstagram,u2,ok\n', 2, "end of data"),
    ("platform,handle,bio\ninstagram,u1,ok\ninstagram,u2," + "x" * 200_000 + "\n", 3,
     "field limit"),
    ("platform,handle,platform\ninstagram,u1,tiktok\n", 1, "more than once"),
])
def test_a_csv_it_cannot_read_as_written_is_refused_at_its_line(tmp_path: Path, text: str,
                                                                 line: int, reason: str) -> None:
    path = write(tmp_path / "bad.csv", text)
    with pytest.raises(SourceError, match=reason) as info:
        read_all(path)
    assert info.value.context["line"] == line


@pytest.mark.parametrize(("cells", "field"), [
    ("instagram,huge," + "9" * 23 + ",,", "followers"), ("instagram,neg,1,-5,USD", "rate"),
    ("instagram,big,1,1e400,USD", "rate"), ("instagram,tiny,1,0.00001,USD", "rate"),
])
def test_counts_past_64_bits_and_rates_out_of_range_reject_their_row(tmp_path: Path,
                                                                      cells: str,
                                                                      field: str) -> None:
    path = write(tmp_path / "a.csv", "platform,handle,followers,rate,rate_currency\n"
                                     f"{cells}\ninstagram,fine,10,100.50,USD\n")
    items = read_all(path)
    assert [(r.location.line, r.field) for r in items if isinstance(r, Rejected)] == [(2, field)]
    assert [r.handle for r in kept(items)] == ["fine"]


def test_counts_are_read_exactly_up_to_the_largest_the_database_holds(tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", "platform,handle,followers\ninstagram,a,9007199254740993\n"
                                     "instagram,b,9223372036854775807\ninstagram,c,1.5万\n")
    assert [r.followers for r in kept(read_all(path))] == [9_007_199_254_740_993,
                                                            9_223_372_036_854_775_807, 15_000]
