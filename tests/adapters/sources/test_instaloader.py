"""The instaloader importer: JSONL of GraphQL nodes, or a folder of per-post files."""

from __future__ import annotations

import gzip
import json
import lzma
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from kolscope.adapters.sources.instaloader import InstaloaderSource
from kolscope.app.imports import Item
from kolscope.core.platforms import Platform, PostFormat
from kolscope.core.records import (
    AccountRecord,
    CommentRecord,
    PostRecord,
    Rejected,
    SourceLocation,
)
from kolscope.errors import SourceError
from tests.conftest import FIXTURES

POSTS = FIXTURES / "instaloader_posts.jsonl"


def fixture_nodes() -> list[dict[str, Any]]:
    return [json.loads(line) for line in POSTS.read_text(encoding="utf-8").splitlines()]


def read_all(path: Path) -> list[Item]:
    return list(InstaloaderSource(path).read())


def records(items: Sequence[Item]) -> list[Any]:
    assert not [i for i in items if isinstance(i, Rejected)], items
    return [i[1] for i in items if not isinstance(i, Rejected)]


def rejects(items: Sequence[Item]) -> list[Rejected]:
    return [i for i in items if isinstance(i, Rejected)]


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def read_one(tmp_path: Path, node: dict[str, Any]) -> PostRecord:
    (post,) = records(read_all(write_lines(tmp_path / "one.jsonl", [json.dumps(node)])))
    assert isinstance(post, PostRecord)
    return post


def utc(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


# --- the JSONL fixture, field by field ------------------------------------------------------


def test_lines_are_located_by_file_and_line() -> None:
    items = read_all(POSTS)
    assert [i[0] for i in items if not isinstance(i, Rejected)] == [
        SourceLocation(file=str(POSTS), line=n) for n in (1, 2, 3)]


def test_sponsored_image_post() -> None:
    post = records(read_all(POSTS))[0]
    assert isinstance(post, PostRecord)
    assert post.platform is Platform.INSTAGRAM
    assert post.platform_post_id == "1001"
    assert post.format is PostFormat.IMAGE
    assert post.author == AccountRecord(
        platform=Platform.INSTAGRAM, handle="glowwithmia", platform_user_id="501",
        display_name="Mia Chen", is_verified=False, is_private=False)
    assert post.posted_at == utc(2019, 1, 1)  # 1546300800
    assert post.url == "https://www.instagram.com/p/AAA1/"
    assert post.caption == "My night routine with @lumiereskin serum #ad #skincare"
    assert post.image_description == "Image may contain: 1 person, closeup"
    assert post.location == "Paris, France"
    assert post.likes == 180
    assert post.comments_count == 3
    assert post.views is None
    assert post.tagged_handles == ("lumiereskin",)
    # a sponsor user is Instagram's paid-partnership label
    assert post.sponsor_handles == ("lumiereskin",)
    assert post.is_paid_partnership is True


def test_comments_include_threaded_replies_after_their_parent() -> None:
    post = records(read_all(POSTS))[0]
    assert post.comments == (
        CommentRecord(platform_comment_id="c1", author_handle="fan_one", author_platform_id="901",
                      text="Love this! 😍", created_at=utc(2019, 1, 1, 1), likes=2,
                      replies_count=0),
        CommentRecord(platform_comment_id="c2", author_handle="fan_two", author_platform_id="902",
                      text="Which serum is it?", created_at=utc(2019, 1, 1, 2), likes=0,
                      replies_count=1),
        CommentRecord(platform_comment_id="c2r1", author_handle="glowwithmia",
                      author_platform_id="501", text="@fan_two the vitamin C one",
                      created_at=utc(2019, 1, 1, 3), likes=1, replies_count=None),
    )


def test_carousel_post_without_location_or_sponsor() -> None:
    post = records(read_all(POSTS))[1]
    assert post.platform_post_id == "1002"
    assert post.format is PostFormat.CAROUSEL
    assert post.posted_at == utc(2019, 1, 8)  # 1546905600
    assert post.caption == "Sunday brunch in the city"
    assert (post.likes, post.comments_count) == (95, 1)
    assert post.location is None
    assert post.image_description is None
    assert post.is_paid_partnership is False
    assert post.sponsor_handles == () and post.tagged_handles == ()
    assert [c.platform_comment_id for c in post.comments] == ["c3"]


def test_video_post_with_views_and_chinese_caption() -> None:
    post = records(read_all(POSTS))[2]
    assert post.platform_post_id == "2001"
    assert post.format is PostFormat.VIDEO
    assert post.posted_at == utc(2019, 1, 15)  # 1547510400
    assert post.views == 12_000
    assert (post.likes, post.comments_count) == (600, 0)
    assert post.comments == ()
    assert post.caption == "这款耳机的降噪效果真的很好 #数码#"
    assert post.author.handle == "techwithtom"
    assert post.author.is_verified is True


# --- other shapes of a node -----------------------------------------------------------------


def test_reel_is_a_short_video(tmp_path: Path) -> None:
    node = fixture_nodes()[2] | {"product_type": "clips"}
    assert read_one(tmp_path, node).format is PostFormat.SHORT_VIDEO


def test_node_without_typename_is_an_image(tmp_path: Path) -> None:
    node = fixture_nodes()[1]
    del node["__typename"]
    assert read_one(tmp_path, node).format is PostFormat.IMAGE


def test_older_count_fields_are_read_too(tmp_path: Path) -> None:
    node = fixture_nodes()[1]
    del node["edge_media_preview_like"], node["edge_media_to_parent_comment"]
    node["edge_liked_by"] = {"count": 7}
    node["edge_media_to_comment"] = {"count": 4}
    post = read_one(tmp_path, node)
    assert (post.likes, post.comments_count) == (7, 4)
    assert post.comments == ()


def test_paid_partnership_flag_without_sponsor_users(tmp_path: Path) -> None:
    post = read_one(tmp_path, fixture_nodes()[1] | {"is_paid_partnership": True})
    assert post.is_paid_partnership is True
    assert post.sponsor_handles == ()


def test_node_without_shortcode_or_caption(tmp_path: Path) -> None:
    node = {"id": "9", "owner": {"username": "Someone"}}
    post = read_one(tmp_path, node)
    assert post.url is None
    assert post.caption == ""
    assert post.posted_at is None
    assert post.author.handle == "someone"
    assert post.author.platform_user_id is None


def test_jsonl_gz_gives_the_same_records(tmp_path: Path) -> None:
    packed = tmp_path / "posts.jsonl.gz"
    packed.write_bytes(gzip.compress(POSTS.read_bytes()))
    items = read_all(packed)
    assert records(items) == records(read_all(POSTS))
    assert items[0][0] == SourceLocation(file=str(packed), line=1)  # type: ignore[index]


def test_blank_lines_are_skipped_but_counted(tmp_path: Path) -> None:
    lines = POSTS.read_text(encoding="utf-8").splitlines()
    path = write_lines(tmp_path / "gaps.jsonl", [lines[0], "", "   ", lines[2]])
    items = read_all(path)
    assert [i[0].line for i in items if not isinstance(i, Rejected)] == [1, 4]


# --- a folder of instaloader's per-post files -----------------------------------------------


def wrap(node: dict[str, Any], node_type: str) -> bytes:
    return json.dumps({"node": node, "instaloader": {"node_type": node_type,
                                                     "version": "4.10"}}).encode()


PROFILE = {"username": "GlowWithMia", "id": "501", "full_name": "Mia Chen",
           "biography": "Skincare diaries ✨ Paris", "external_url": "https://mia.example",
           "is_verified": False, "is_private": False, "category_name": "Beauty",
           "edge_followed_by": {"count": 2_000}, "edge_follow": {"count": 300},
           "edge_owner_to_timeline_media": {"count": 120}}


@pytest.fixture
def post_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "glowwithmia"
    folder.mkdir()
    nodes = fixture_nodes()
    (folder / "2019-01-01_00-00-00_UTC.json").write_bytes(wrap(nodes[0], "Post"))
    (folder / "2019-01-08_00-00-00_UTC.json.xz").write_bytes(lzma.compress(wrap(nodes[1], "Post")))
    (folder / "glowwithmia_501.json").write_bytes(wrap(PROFILE, "Profile"))
    (folder / "2019-01-01_00-00-00_UTC_comments.json").write_text(
        json.dumps([{"id": "c1", "text": "Love this!"}]))
    (folder / "2019-01-01_00-00-00_UTC.jpg").write_bytes(b"\xff\xd8\xff")
    return folder


def test_folder_reads_posts_and_the_profile(post_folder: Path) -> None:
    items = read_all(post_folder)
    located = {Path(i[0].file).name: i[1] for i in items if not isinstance(i, Rejected)}
    assert not rejects(items)
    # the comments file and the picture are not read
    assert sorted(located) == ["2019-01-01_00-00-00_UTC.json", "2019-01-08_00-00-00_UTC.json.xz",
                               "glowwithmia_501.json"]
    nodes = records(read_all(POSTS))
    assert located["2019-01-01_00-00-00_UTC.json"] == nodes[0]
    assert located["2019-01-08_00-00-00_UTC.json.xz"] == nodes[1]
    assert all(i[0].line is None for i in items if not isinstance(i, Rejected))


def test_profile_file_becomes_an_account(post_folder: Path) -> None:
    (profile,) = [i[1] for i in read_all(post_folder)
                  if not isinstance(i, Rejected) and isinstance(i[1], AccountRecord)]
    assert profile == AccountRecord(
        platform=Platform.INSTAGRAM, handle="glowwithmia", platform_user_id="501",
        display_name="Mia Chen", bio="Skincare diaries ✨ Paris", url="https://mia.example",
        external_url="https://mia.example", followers=2_000, following=300, posts_count=120,
        is_verified=False, is_private=False,
        category="Beauty")


def test_profile_without_username_is_rejected(tmp_path: Path) -> None:
    folder = tmp_path / "profiles"
    folder.mkdir()
    (folder / "p.json").write_bytes(wrap({"id": "501"}, "Profile"))
    (folder / "q.json").write_text(json.dumps({"node": ["not", "an", "object"],
                                               "instaloader": {"node_type": "Profile"}}))
    found = rejects(read_all(folder))
    assert [(Path(r.location.file).name, r.field) for r in found] == [
        ("p.json", "node.username"), ("q.json", "node.username")]


def test_bad_per_post_file_is_rejected_by_file(tmp_path: Path) -> None:
    folder = tmp_path / "posts"
    folder.mkdir()
    (folder / "a.json").write_text("{broken")
    (folder / "b.json").write_bytes(wrap(fixture_nodes()[0], "Post"))
    items = read_all(folder)
    (bad,) = rejects(items)
    assert bad.location == SourceLocation(file=str(folder / "a.json"))
    assert bad.reason.startswith("invalid JSON")
    assert [r.platform_post_id for r in records(
        [i for i in items if not isinstance(i, Rejected)])] == ["1001"]


def test_folder_position_ends_at_size(post_folder: Path) -> None:
    source = InstaloaderSource(post_folder)
    # the JSON and xz files count, the comments file and the picture do not
    expected = sum(p.stat().st_size for p in post_folder.iterdir()
                   if p.name.endswith((".json", ".json.xz")) and "_comments" not in p.name)
    assert source.size() == expected
    assert source.position() == 0
    list(source.read())
    assert source.position() == source.size()


# --- malformed lines --------------------------------------------------------------------------


def test_each_malformed_line_is_rejected_with_file_line_and_field(tmp_path: Path) -> None:
    good = POSTS.read_text(encoding="utf-8").splitlines()
    node = fixture_nodes()[1]
    no_owner = dict(node, owner={"id": "501"})
    unknown_type = dict(node, __typename="GraphHologram")
    word_time = dict(node, taken_at_timestamp="yesterday")
    path = write_lines(tmp_path / "mixed.jsonl", [
        good[0],
        "{not json",
        json.dumps(no_owner),
        json.dumps(unknown_type),
        json.dumps(word_time),
        good[2],
    ])
    items = read_all(path)
    found = [(r.location.file, r.location.line, r.field) for r in rejects(items)]
    assert found == [(str(path), 2, None), (str(path), 3, "owner.username"),
                     (str(path), 4, "__typename"), (str(path), 5, "taken_at_timestamp")]
    reasons = [r.reason for r in rejects(items)]
    assert reasons[0].startswith("invalid JSON")
    assert "GraphHologram" in reasons[2]
    assert "yesterday" in reasons[3]
    # the good lines still come through
    good_items = [i for i in items if not isinstance(i, Rejected)]
    assert [i[0].line for i in good_items] == [1, 6]
    assert [r.platform_post_id for r in records(good_items)] == ["1001", "2001"]


@pytest.mark.parametrize(("change", "field"), [
    ({"id": None}, "id"),
    ({"taken_at_timestamp": True}, "taken_at_timestamp"),
    ({"taken_at_timestamp": 1e20}, "taken_at_timestamp"),    # past the year 9999
    ({"taken_at_timestamp": -1e15}, "taken_at_timestamp"),   # before the year 1
    ({"edge_media_preview_like": {"count": -5}}, "likes"),
    ({"edge_media_to_tagged_user": {"edges": "lumiereskin"}}, "edge_media_to_tagged_user.edges"),
    ({"edge_media_to_parent_comment": {"count": 1, "edges": [{"node": {"text": "hi"}}]}},
     "edge_media_to_parent_comment.edges[0].node.id"),
    ({"edge_media_to_parent_comment": {"count": 1, "edges": [{"node": "hi"}]}},
     "edge_media_to_parent_comment.edges[0].node.id"),
    ({"edge_media_to_parent_comment": {"count": 1, "edges": [{"node": {"id": "c9"}}]}},
     "edge_media_to_parent_comment.edges[0].node.owner.username"),
    ({"edge_media_to_parent_comment": {"count": 1, "edges": [
        {"node": {"id": "c9", "owner": {"username": "fan"}, "created_at": "noon"}}]}},
     "edge_media_to_parent_comment.edges[0].created_at"),
])
def test_bad_field_is_named(tmp_path: Path, change: dict[str, Any], field: str) -> None:
    node = fixture_nodes()[1] | change
    path = write_lines(tmp_path / "bad.jsonl", [json.dumps(node)])
    (rejected,) = read_all(path)
    assert isinstance(rejected, Rejected)
    assert rejected.location == SourceLocation(file=str(path), line=1)
    assert rejected.field == field


def test_line_that_is_not_an_object_is_rejected(tmp_path: Path) -> None:
    (rejected,) = read_all(write_lines(tmp_path / "list.jsonl", ["[1, 2, 3]"]))
    assert isinstance(rejected, Rejected)
    assert rejected.reason == "expected a JSON object"


# --- files that cannot be read at all ---------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        InstaloaderSource(tmp_path / "nothing.jsonl")


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    with pytest.raises(SourceError, match="empty"):
        InstaloaderSource(empty)


def test_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"no instaloader \.json"):
        InstaloaderSource(tmp_path)


def test_folder_with_only_comment_files(tmp_path: Path) -> None:
    (tmp_path / "2019-01-01_00-00-00_UTC_comments.json").write_text("[]")
    with pytest.raises(SourceError):
        InstaloaderSource(tmp_path)


def test_truncated_gz(tmp_path: Path) -> None:
    packed = gzip.compress(POSTS.read_bytes() * 20)
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(packed[: len(packed) // 2])
    with pytest.raises(SourceError, match="corrupt or truncated") as info:
        read_all(path)
    assert info.value.context["file"] == str(path)


def test_corrupt_deflate_data_in_gz(tmp_path: Path) -> None:
    # a valid gzip header followed by a deflate block of the reserved type 11
    path = tmp_path / "bad.jsonl.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff" + b"\x07" + bytes(8))
    with pytest.raises(SourceError, match="corrupt or truncated"):
        read_all(path)


def test_not_gzip_at_all(tmp_path: Path) -> None:
    path = tmp_path / "plain.jsonl.gz"
    path.write_bytes(POSTS.read_bytes())
    with pytest.raises(SourceError):
        read_all(path)


def test_truncated_xz_in_a_folder(tmp_path: Path) -> None:
    packed = lzma.compress(wrap(fixture_nodes()[0], "Post"))
    (tmp_path / "cut.json.xz").write_bytes(packed[: len(packed) // 2])
    with pytest.raises(SourceError, match="corrupt or truncated"):
        read_all(tmp_path)


# --- progress ----------------------------------------------------------------------------------


@pytest.mark.parametrize("packed", [False, True])
def test_position_ends_at_size(tmp_path: Path, packed: bool) -> None:
    data = POSTS.read_bytes() * 50
    path = tmp_path / ("posts.jsonl.gz" if packed else "posts.jsonl")
    path.write_bytes(gzip.compress(data) if packed else data)
    source = InstaloaderSource(path)
    assert source.size() == path.stat().st_size
    assert source.position() == 0
    seen = []
    for _ in source.read():
        seen.append(source.position())
    assert seen == sorted(seen)
    assert source.position() == source.size()


def test_kind_and_label() -> None:
    source = InstaloaderSource(POSTS)
    assert source.kind == "instagram"
    assert source.label == str(POSTS)
