"""Accounts to vet from CSV and JSONL: parsed values and bad rows named by line and field."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from kolscope.adapters.sources.vet_accounts import AccountFileSource, parse_row
from kolscope.app.vetting import AccountRow
from kolscope.core.records import Rejected
from kolscope.errors import InvalidInput, SourceError

HEADER = "username,followers,following,posts,has_profile_pic,is_private"


def read(path: Path) -> list[Any]:
    return list(AccountFileSource(path).read())


def test_csv_rows_become_profiles(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(f"{HEADER},biography,external_url,label,note\n"
                    "anna_1990,\"1,250\",300,12,yes,FALSE,Chef in Rome,,fake,x\n"
                    "bob,0,0,0,0,1,,https://bob.example,real,\n", encoding="utf-8")
    (where, anna), (_, bob) = read(path)
    assert str(where) == f"{path}:2"
    p = anna.profile
    assert (p.username, p.followers, p.following, p.posts) == ("anna_1990", 1250, 300, 12)
    assert p.has_profile_pic and not p.is_private and p.bio_length == 12
    assert (p.username_length, p.username_digits) == (9, 4)
    assert p.has_external_url is False and anna.is_fake is True
    assert bob.profile.bio_length == 0 and bob.profile.has_external_url is True
    assert bob.is_fake is False


def test_jsonl_rows_absent_optional_fields_are_unknown(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl.gz"
    rows = [{"username": "c", "followers": 5, "following": 7, "posts": 1,
             "has_profile_pic": True, "is_private": 0, "bio_length": 30, "biography": "ignored"},
            {"username": "d", "followers": 5, "following": 7, "posts": 1,
             "has_profile_pic": False, "is_private": "no", "username_length": 11,
             "username_digits": 2, "is_fake": 1}]
    path.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in rows).encode()))
    (_, c), (_, d) = read(path)
    assert c.profile.bio_length == 30 and c.profile.has_external_url is None
    assert c.is_fake is None
    assert d.profile.bio_length is None and d.profile.name_length == 11
    assert d.profile.name_digits == 2 and d.is_fake is True


@pytest.mark.parametrize(("change", "field", "reason"), [
    ({"followers": "many"}, "followers", "not a count"),
    ({"followers": -3}, "followers", "not a whole number"),
    ({"posts": 2.5}, "posts", "not a whole number"),
    ({"following": None}, "following", "required"),
    ({"has_profile_pic": "maybe"}, "has_profile_pic", "not a yes/no value"),
    ({"is_private": True, "username": " "}, "username", "required"),
    ({"label": "bot?"}, "label", "not a yes/no value"),
    ({"biography": 12}, "biography", "not text"),
])
def test_bad_values_name_their_field(change: dict[str, Any], field: str, reason: str) -> None:
    row = {"username": "e", "followers": 1, "following": 1, "posts": 1,
           "has_profile_pic": 1, "is_private": 0, **change}
    with pytest.raises(ValueError, match=reason) as caught:
        parse_row(row)
    assert caught.value.field == field  # type: ignore[attr-defined]


def test_bad_rows_are_rejected_with_file_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"username": "ok", "followers": 1, "following": 2, "posts": 3, '
                    '"has_profile_pic": 1, "is_private": 0}\n\n'
                    '{"username": "bad", "followers": "lots"}\n'
                    "not json\n[1, 2]\n", encoding="utf-8")
    items = read(path)
    assert isinstance(items[0], tuple) and isinstance(items[0][1], AccountRow)
    bad = items[1:]
    assert all(isinstance(r, Rejected) for r in bad)
    assert str(bad[0]) == f"{path}:3: followers: not a count: 'lots'"
    assert str(bad[1]).startswith(f"{path}:4: invalid JSON")
    assert str(bad[2]) == f"{path}:5: expected an object of named fields"


def test_csv_missing_column_and_extra_cells(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("username,followers\nx,1\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"a.csv:1: missing column\(s\) following, posts"):
        read(path)
    path.write_text(f"{HEADER}\nx,1,2,3,1,0,surplus\n", encoding="utf-8")
    (rejected,) = read(path)
    assert str(rejected) == f"{path}:2: more cells than header columns"


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        AccountFileSource(tmp_path / "missing.csv")
    (tmp_path / "a.xlsx").write_text("x", encoding="utf-8")
    with pytest.raises(SourceError, match="unknown file type"):
        AccountFileSource(tmp_path / "a.xlsx")
