"""The influencer-list importer: Username, Category, #Followers, #Followees, #Posts."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from kolscope.adapters.sources.influencer_list import InfluencerListSource
from kolscope.app.imports import Item
from kolscope.core.platforms import Platform
from kolscope.core.records import AccountRecord, Rejected, SourceLocation
from kolscope.errors import InvalidInput, SourceError
from tests.conftest import FIXTURES

LIST = FIXTURES / "influencers.tsv"
HEADER = "Username\tCategory\t#Followers\t#Followees\t#Posts\n"


def read_all(path: Path, **options: object) -> list[Item]:
    return list(InfluencerListSource(path, **options).read())  # type: ignore[arg-type]


def accounts(items: list[Item]) -> list[tuple[int | None, AccountRecord]]:
    out = []
    for item in items:
        assert not isinstance(item, Rejected), item
        location, record = item
        assert isinstance(record, AccountRecord)
        out.append((location.line, record))
    return out


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_fixture_rows_become_accounts_and_the_ruler_is_skipped() -> None:
    rows = accounts(read_all(LIST))
    # line 1 is the header and line 2 the ruler of "="
    assert rows == [
        (3, AccountRecord(platform=Platform.INSTAGRAM, handle="glowwithmia", category="beauty",
                          followers=2_000, following=300, posts_count=120)),
        (4, AccountRecord(platform=Platform.INSTAGRAM, handle="techwithtom", category="fasion",
                          followers=40_000, following=120, posts_count=800)),
        (5, AccountRecord(platform=Platform.INSTAGRAM, handle="makeupbynvs", category="by",
                          followers=1_432, following=1_089, posts_count=363)),
    ]


def test_garbled_categories_are_kept_as_given() -> None:
    # the niche is mapped by the ingest; the record carries the source's own label
    rows = accounts(read_all(LIST))
    assert [r.category for _, r in rows] == ["beauty", "fasion", "by"]
    assert all(r.niche is None for _, r in rows)


def test_locations_name_the_file() -> None:
    items = read_all(LIST)
    assert items[0][0] == SourceLocation(file=str(LIST), line=3)  # type: ignore[index]


def test_bad_number_is_rejected_with_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path / "list.tsv", HEADER + "=====\n"
                 "good_one\tfood\t1500\t10\t5\n"
                 "bad_one\tfood\t1.5k\t10\t5\n"
                 "good_two\ttravel\t2,500\t10\t5\n")
    items = read_all(path)
    (rejected,) = [i for i in items if isinstance(i, Rejected)]
    assert rejected.location == SourceLocation(file=str(path), line=4)
    assert rejected.field == "#followers"
    assert "1.5k" in rejected.reason
    kept = [(line, r.handle, r.followers) for line, r in
            accounts([i for i in items if not isinstance(i, Rejected)])]
    # thousands separators are read: "2,500" is 2500
    assert kept == [(3, "good_one", 1_500), (5, "good_two", 2_500)]


@pytest.mark.parametrize(("row", "field"), [
    ("a\tfood\t10\t-3\t5\n", "#followees"),
    ("a\tfood\t10\t3\tmany\n", "#posts"),
    ("a\tfood\t1²\t3\t5\n", "#followers"),   # a digit that is not a decimal digit
])
def test_each_number_column_is_checked(tmp_path: Path, row: str, field: str) -> None:
    (rejected,) = read_all(write(tmp_path / "list.tsv", HEADER + row))
    assert isinstance(rejected, Rejected)
    assert rejected.field == field
    assert rejected.location.line == 2


def test_blank_numbers_are_unknown(tmp_path: Path) -> None:
    ((_, record),) = accounts(read_all(write(tmp_path / "l.tsv", HEADER + "a\t\t\t\t\n")))
    assert (record.category, record.followers, record.following, record.posts_count) == (
        None, None, None, None)


def test_short_row_is_rejected(tmp_path: Path) -> None:
    (rejected,) = read_all(write(tmp_path / "list.tsv", HEADER + "a\tfood\t10\n"))
    assert isinstance(rejected, Rejected)
    assert rejected.reason == "expected 5 columns, found 3"


def test_extra_columns_are_ignored_and_short_rows_rejected(tmp_path: Path) -> None:
    path = write(tmp_path / "list.tsv", "Rank\t" + HEADER
                 + "1\tmia\tbeauty\t10\t1\t2\n"
                 + "2\ttom\tfood\t10\t1\n")
    good, bad = read_all(path)
    ((_, mia),) = accounts([good])
    assert (mia.handle, mia.followers, mia.posts_count) == ("mia", 10, 2)
    assert isinstance(bad, Rejected)
    # #Posts is the sixth column, and the row has five cells
    assert bad.reason == "expected 6 columns, found 5"
    assert bad.location.line == 3


def test_empty_handle_is_rejected(tmp_path: Path) -> None:
    (rejected,) = read_all(write(tmp_path / "list.tsv", HEADER + "@\tfood\t10\t1\t1\n"))
    assert isinstance(rejected, Rejected)
    assert rejected.field == "handle"


def test_blank_lines_are_skipped(tmp_path: Path) -> None:
    rows = accounts(read_all(write(tmp_path / "l.tsv", HEADER + "\n\t\t\t\t\na\tfood\t1\t1\t1\n")))
    assert [(line, r.handle) for line, r in rows] == [(4, "a")]


def test_missing_column_names_line_1(tmp_path: Path) -> None:
    path = write(tmp_path / "list.tsv", "Username\tCategory\t#Followers\t#Posts\na\tb\t1\t2\n")
    with pytest.raises(SourceError, match=r":1: missing column\(s\) #followees") as info:
        read_all(path)
    assert info.value.context == {"file": str(path), "line": 1}


def test_csv_variant_with_commas_in_any_column_order(tmp_path: Path) -> None:
    path = write(tmp_path / "list.csv",
                 "category,username,#posts,#followees,#followers\n"
                 'beauty,glowwithmia,120,300,"2,000"\n'
                 "美妆,小红书达人,50,10,12000\n")
    rows = accounts(read_all(path, platform="小红书"))
    assert [(r.platform, r.handle, r.category, r.followers, r.following, r.posts_count)
            for _, r in rows] == [
        (Platform.XIAOHONGSHU, "glowwithmia", "beauty", 2_000, 300, 120),
        (Platform.XIAOHONGSHU, "小红书达人", "美妆", 12_000, 10, 50),
    ]


def test_platform_option() -> None:
    rows = accounts(read_all(LIST, platform=Platform.TIKTOK))
    assert {r.platform for _, r in rows} == {Platform.TIKTOK}


def test_unknown_platform_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="unknown platform") as info:
        InfluencerListSource(LIST, platform="myspace")
    assert info.value.field == "platform"


def test_gzipped_list(tmp_path: Path) -> None:
    path = tmp_path / "list.tsv.gz"
    path.write_bytes(gzip.compress(LIST.read_bytes()))
    assert [r for _, r in accounts(read_all(path))] == [r for _, r in accounts(read_all(LIST))]


def test_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        InfluencerListSource(tmp_path / "none.tsv")
    with pytest.raises(SourceError, match="empty"):
        InfluencerListSource(write(tmp_path / "empty.tsv", ""))


def test_position_ends_at_size() -> None:
    source = InfluencerListSource(LIST)
    assert source.position() == 0
    list(source.read())
    assert source.position() == source.size() == LIST.stat().st_size
    assert source.kind == "influencers"


def test_a_row_with_more_cells_than_the_header_is_rejected_but_empty_ones_pass(
        tmp_path: Path) -> None:
    path = write(tmp_path / "list.tsv", HEADER + "shifted\tfood\t10\t3\t5\textra\n"
                                                 "trailing\tfood\t10\t3\t5\t\n")
    items = read_all(path)
    (rejected,) = [i for i in items if isinstance(i, Rejected)]
    assert rejected.location.line == 2 and "more than the header's 5 columns" in rejected.reason
    assert [r.handle for _, r in accounts([i for i in items if not isinstance(i, Rejected)])] \
        == ["trailing"]
