"""Instagram posts in the shape instaloader saves: GraphQL media nodes.

Reads a ``.jsonl`` / ``.jsonl.gz`` file with one node per line, or a folder of instaloader's
per-post ``.json`` / ``.json.xz`` files (``{"node": {...}, "instaloader": {...}}``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError

from kolscope.adapters.sources._files import FileSource, open_binary, strip_compression
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

_FORMATS = {"GraphImage": PostFormat.IMAGE, "GraphSidecar": PostFormat.CAROUSEL,
            "GraphVideo": PostFormat.VIDEO}
_PER_POST_SUFFIXES = (".json", ".json.xz")


class FieldError(ValueError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field


def _get(node: Any, path: str, default: Any = None) -> Any:
    value = node
    for part in path.split("."):
        if not isinstance(value, dict):
            return default
        value = value.get(part)
        if value is None:
            return default
    return value


def _edges(node: dict[str, Any], path: str) -> list[dict[str, Any]]:
    edges = _get(node, f"{path}.edges", [])
    if not isinstance(edges, list):
        raise FieldError(f"{path}.edges", "must be a list")
    # A node that is not an object reads as an empty one, so the caller names what is missing.
    return [n if isinstance(n := e.get("node"), dict) else {} for e in edges if isinstance(e, dict)]


def _time(value: Any, field: str) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FieldError(field, f"must be a Unix timestamp, got {value!r}")
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        raise FieldError(field, f"Unix timestamp out of range: {value!r}") from None


def _comments(node: dict[str, Any]) -> Iterator[CommentRecord]:
    for i, c in enumerate(_edges(node, "edge_media_to_parent_comment")):
        yield _comment(c, f"edge_media_to_parent_comment.edges[{i}]")
        for j, reply in enumerate(_edges(c, "edge_threaded_comments")):
            yield _comment(reply, f"edge_media_to_parent_comment.edges[{i}]"
                                  f".edge_threaded_comments.edges[{j}]")


def _comment(c: dict[str, Any], where: str) -> CommentRecord:
    if not c.get("id"):
        raise FieldError(f"{where}.node.id", "a comment has no id")
    if not _get(c, "owner.username"):
        raise FieldError(f"{where}.node.owner.username", "a comment has no author")
    return CommentRecord(
        platform_comment_id=str(c["id"]), author_handle=c["owner"]["username"],
        author_platform_id=str(c["owner"]["id"]) if c["owner"].get("id") else None,
        text=c.get("text") or "", created_at=_time(c.get("created_at"), f"{where}.created_at"),
        likes=_get(c, "edge_liked_by.count"), replies_count=_get(c, "edge_threaded_comments.count"))


def node_to_post(node: Any) -> PostRecord:
    """Map one GraphQL media node to a post record; FieldError names a missing field."""
    if not isinstance(node, dict):
        raise FieldError("(line)", "expected a JSON object")
    if "node" in node and isinstance(node["node"], dict):
        node = node["node"]  # instaloader's per-post file wraps the node
    if not node.get("id"):
        raise FieldError("id", "the post has no id")
    if isinstance(node["id"], bool) or not isinstance(node["id"], str | int):
        raise FieldError("id", f"a post id is text or a number, got {node['id']!r}")
    owner = node.get("owner")
    if not isinstance(owner, dict) or not owner.get("username"):
        raise FieldError("owner.username", "the post has no owner username")
    typename = node.get("__typename", "GraphImage")
    post_format = _FORMATS.get(typename) if isinstance(typename, str) else None
    if post_format is None:
        raise FieldError("__typename", f"unknown media type {typename!r}")
    if node.get("product_type") == "clips":
        post_format = PostFormat.SHORT_VIDEO
    captions = _edges(node, "edge_media_to_caption")
    sponsors = [s for e in _edges(node, "edge_media_to_sponsor_user")
                if (s := _get(e, "sponsor.username"))]
    shortcode = node.get("shortcode")
    return PostRecord(
        platform=Platform.INSTAGRAM, platform_post_id=str(node["id"]),
        author=AccountRecord(
            platform=Platform.INSTAGRAM, handle=owner["username"],
            platform_user_id=str(owner["id"]) if owner.get("id") else None,
            display_name=owner.get("full_name") or None, is_verified=owner.get("is_verified"),
            is_private=owner.get("is_private")),
        format=post_format,
        posted_at=_time(node.get("taken_at_timestamp"), "taken_at_timestamp"),
        url=f"https://www.instagram.com/p/{shortcode}/" if shortcode else None,
        caption=(captions[0].get("text") or "") if captions else "",
        image_description=node.get("accessibility_caption"),
        location=_get(node, "location.name"),
        likes=_get(node, "edge_media_preview_like.count", _get(node, "edge_liked_by.count")),
        comments_count=_get(node, "edge_media_to_parent_comment.count",
                            _get(node, "edge_media_to_comment.count")),
        views=node.get("video_view_count"),
        is_paid_partnership=bool(node.get("is_paid_partnership")) or bool(sponsors),
        sponsor_handles=tuple(sponsors),
        tagged_handles=tuple(u for e in _edges(node, "edge_media_to_tagged_user")
                             if (u := _get(e, "user.username"))),
        comments=tuple(_comments(node)),
    )


def profile_to_account(node: dict[str, Any]) -> AccountRecord:
    """Map instaloader's profile node (``node_type: Profile``) to an account record."""
    if not node.get("username"):
        raise FieldError("node.username", "the profile has no username")
    return AccountRecord(
        platform=Platform.INSTAGRAM, handle=node["username"],
        platform_user_id=str(node["id"]) if node.get("id") else None,
        display_name=node.get("full_name") or None, bio=node.get("biography") or None,
        url=node.get("external_url"), external_url=node.get("external_url") or None,
        followers=_get(node, "edge_followed_by.count"),
        following=_get(node, "edge_follow.count"),
        posts_count=_get(node, "edge_owner_to_timeline_media.count"),
        is_verified=node.get("is_verified"), is_private=node.get("is_private"),
        category=node.get("category_name") or node.get("business_category_name"))


def _to_record(data: Any) -> PostRecord | AccountRecord:
    if isinstance(data, dict) and _get(data, "instaloader.node_type") == "Profile":
        node = data.get("node")
        return profile_to_account(node if isinstance(node, dict) else {})
    return node_to_post(data)


def parse_node(data: bytes, location: SourceLocation) -> Item:
    """Parse and map one node, or say why it cannot be used."""
    try:
        return location, _to_record(orjson.loads(data))
    except orjson.JSONDecodeError as exc:
        return Rejected(location=location, reason=f"invalid JSON: {exc}")
    except FieldError as exc:
        return Rejected(location=location, field=exc.field, reason=str(exc))
    except ValidationError as exc:
        err = exc.errors()[0]
        return Rejected(location=location, field=".".join(str(p) for p in err["loc"]) or None,
                        reason=err["msg"])


class InstaloaderSource(FileSource):
    """Instagram posts from instaloader JSON (a JSONL file or a folder of per-post files)."""

    kind = "instagram"

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        if self.path.is_dir():
            self._files = sorted(p for p in self.path.rglob("*")
                                 if p.is_file() and p.name.lower().endswith(_PER_POST_SUFFIXES)
                                 and not strip_compression(p.name).endswith("comments.json"))
            if not self._files:
                raise SourceError(f"{path}: no instaloader .json or .json.xz files in this folder",
                                  file=str(path))
        else:
            self._files = [self.path]

    def size(self) -> int | None:
        return sum(p.stat().st_size for p in self._files)

    def read(self) -> Iterator[Item]:
        if self.path.is_dir():
            for file in self._files:
                with open_binary(file) as (stream, _counter):
                    data = stream.read()
                yield parse_node(data, SourceLocation(file=str(file)))
                self._done += file.stat().st_size
            return
        with open_binary(self.path) as (stream, counter):
            for number, line in enumerate(stream, start=1):
                self._done = counter.count
                if line.strip():
                    yield parse_node(line, SourceLocation(file=self.label, line=number))
            self._done = counter.count
