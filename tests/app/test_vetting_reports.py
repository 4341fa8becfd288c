"""Vetting reports end to end on a real SQLite database: a workspace imported from generic JSONL
(posts, comments and follower samples), vetted, flagged, overridden and vetted again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from kolscope.adapters.db.database import Database
from kolscope.adapters.models import fake_account_model
from kolscope.adapters.nlp.sentiment import FakeSentimentModels
from kolscope.app.accounts import resolve_account
from kolscope.app.keyword_sets import list_flags, parse_keyword_set, put_keyword_set
from kolscope.app.models import AccountQuery
from kolscope.app.vetting_reports import (
    Brief,
    get_report,
    override_verdict,
    vet_account,
    vet_workspace,
)
from kolscope.errors import InvalidInput, NotFound
from kolscope.settings import Settings
from tests.conftest import FIXED_NOW, do_import, fixed_clock, search


def _post(handle: str, i: int, caption: str, **extra: Any) -> dict[str, Any]:
    comments = [{"comment_id": f"{handle}{i}-{k}", "author": f"fan{k}_{handle}",
                 "text": f"good post number {i}, question {k} about the jacket",
                 "created_at": f"2025-12-{10 + i:02d}T10:00:00Z"} for k in range(5)]
    return {"type": "post", "platform": "instagram", "post_id": f"{handle}-{i}",
            "handle": handle, "format": "image", "posted_at": f"2025-12-{10 + i:02d}T08:00:00Z",
            "caption": caption, "likes": 400 + 10 * i, "comments_count": 20,
            "comments": comments, **extra}


def _follower(of: str, name: str, *, bot: bool) -> dict[str, Any]:
    profile = ({"followers": 3, "following": 4200, "posts": 0, "profile_pic": False,
                "private": False, "bio": ""} if bot else
               {"followers": 420, "following": 380, "posts": 95, "profile_pic": True,
                "private": True, "bio": "books and trips"})
    return {"type": "follower", "platform": "instagram", "handle": of,
            "follower": {"handle": name, **profile}, "observed_at": "2025-12-20T00:00:00Z"}


def world(path: Path) -> Path:
    rows: list[dict[str, Any]] = []
    for handle in ("mia", "leo"):
        rows.append({"type": "account", "platform": "instagram", "handle": handle,
                     "followers": 12_000, "following": 300, "posts": 200})
        captions = ["Morning run and a new jacket", "Coffee with friends",
                    "Weekend at the online casino, what a night",
                    "Obsessed with @glowco serum, use code MIA15 for 15% off",
                    "Trail shoes test #ad @runco", "Sunset walk"]
        rows += [_post(handle, i, c) for i, c in enumerate(captions)]
    rows += [_follower("mia", f"user{100 + i}", bot=i < 16) for i in range(25)]
    rows += [_follower("leo", f"reader{i}", bot=False) for i in range(25)]
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    return path


@pytest.fixture
def vetted(db: Database, settings: Settings, workspace: str, tmp_path: Path) -> Database:
    job = do_import(db, settings, "generic", world(tmp_path / "world.jsonl"))
    assert job.status == "succeeded" and job.counts["followers"] == 50, job
    return db


def _id(db: Database, handle: str) -> int:
    with db.uow() as uow:
        return resolve_account(uow, workspace="acme", handle=handle)


def test_vet_workspace_stores_reports_flags_and_sentiment(vetted: Database) -> None:
    sentiment = FakeSentimentModels()
    run = vet_workspace(vetted.uow, workspace="acme", model=fake_account_model(),
                        sentiment=sentiment, clock=fixed_clock)
    assert run.accounts == 2 and run.comments_scored == 60
    assert run.posts_flagged == 2 and sum(run.verdicts.values()) == 2
    with vetted.uow() as uow:
        mia = get_report(uow, workspace="acme", account_id=_id(vetted, "mia"))
        leo = get_report(uow, workspace="acme", account_id=_id(vetted, "leo"))
    lines = {line.signal.key: line for line in mia.report.lines}
    audience = lines["audience_fake_share"].signal
    assert audience.status == "fail" and audience.value == pytest.approx(16 / 25)
    assert audience.sample_size == 25 and mia.details.audience.sampled >= 25
    assert mia.verdict == "fail" and "(blocking)" in mia.report.reasons[0]
    assert lines["undisclosed_sponsorship"].signal.value == pytest.approx(1 / 6)
    assert lines["brand_safety"].signal.status in ("warn", "fail")
    assert {f.category for f in mia.flags} == {"gambling"} and mia.flags_total == 1
    assert leo.details.audience.flagged == 0 and leo.verdict != "fail"
    assert mia.details.sentiment.comments == 30  # every comment read says "good"
    assert mia.details.sentiment.counts["positive"] == 30
    # Each signal says what it read and how old the data is.
    assert all(line.signal.data_as_of is not None for line in mia.report.lines
               if line.signal.status != "unknown" and line.signal.group != "values")
    # A second run scores no comment again and keeps one flag per term.
    again = vet_workspace(vetted.uow, workspace="acme", model=fake_account_model(),
                          sentiment=sentiment, clock=fixed_clock)
    assert again.comments_scored == 0 and again.flags == run.flags
    with vetted.uow() as uow:
        assert list_flags(uow, workspace="acme").total == run.flags


def test_workspace_sets_and_competitors(vetted: Database) -> None:
    with vetted.uow() as uow:
        put_keyword_set(uow, workspace="acme", now=FIXED_NOW, keyword_set=parse_keyword_set(
            {"name": "no-coffee", "kind": "red_line", "category": "caffeine",
             "terms": ["coffee"]}))
        uow.commit()
    with vetted.uow() as uow:
        view = vet_account(uow, workspace="acme", account_id=_id(vetted, "leo"),
                           model=fake_account_model(), sentiment=FakeSentimentModels(),
                           now=FIXED_NOW, brief=Brief(competitors=("@runco",), window_days=90))
        uow.commit()
    lines = {line.signal.key: line.signal for line in view.report.lines}
    assert lines["red_lines"].status == "fail" and view.verdict == "fail"
    assert lines["exclusivity"].status == "fail"
    assert view.details.conflicts[0].brand == "runco"
    with vetted.uow() as uow:
        red = list_flags(uow, workspace="acme", kind="red_line")
    assert [f.term for f in red.items] == ["coffee"] and red.items[0].handle == "leo"


def test_override_keeps_the_computed_verdict(vetted: Database) -> None:
    mia = _id(vetted, "mia")
    with vetted.uow() as uow, pytest.raises(NotFound):
        override_verdict(uow, workspace="acme", account_id=mia, verdict="pass",
                         reason="x", author="dana", now=FIXED_NOW)
    vet_workspace(vetted.uow, workspace="acme", model=fake_account_model(),
                  sentiment=FakeSentimentModels(), clock=fixed_clock)
    with vetted.uow() as uow:
        with pytest.raises(InvalidInput):
            override_verdict(uow, workspace="acme", account_id=mia, verdict="pass",
                             reason="  ", author="dana", now=FIXED_NOW)
        view = override_verdict(uow, workspace="acme", account_id=mia, verdict="pass",
                                reason="bots purged, checked by hand", author="dana",
                                now=FIXED_NOW)
        uow.commit()
    assert view.verdict == "pass" and view.report.verdict == "fail"
    # Re-vetting recomputes the report but keeps the person's verdict.
    vet_workspace(vetted.uow, workspace="acme", model=fake_account_model(),
                  sentiment=FakeSentimentModels(), clock=fixed_clock)
    with vetted.uow() as uow:
        view = get_report(uow, workspace="acme", account_id=mia)
        assert view.verdict == "pass" and view.report.override is not None
        withdrawn = override_verdict(uow, workspace="acme", account_id=mia, verdict=None,
                                     reason="new campaign", author="dana", now=FIXED_NOW)
    assert withdrawn.verdict == "fail"


def test_reimporting_followers_changes_nothing(vetted: Database, settings: Settings,
                                               tmp_path: Path) -> None:
    path = tmp_path / "mia.csv"
    path.write_text("username,followers,following,posts,has_profile_pic,is_private\n"
                    "user100,3,4200,0,no,no\nnewfan,300,200,40,yes,no\n")
    first = do_import(vetted, settings, "followers", path, of="mia")
    assert first.counts["followers"] == 2 and first.status == "succeeded"
    again = do_import(vetted, settings, "followers", path, of="mia")
    assert again.counts["accounts_new"] == 0
    with vetted.uow() as uow:
        members = uow.vetting.audience([_id(vetted, "mia")], [], 1_000)[_id(vetted, "mia")]
    assert len(members) == 26 and sum(m.handle == "newfan" for m in members) == 1


def test_bad_follower_rows_name_line_and_field(vetted: Database, settings: Settings,
                                               tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("username,followers,following,posts,has_profile_pic,is_private\n"
                    "ok1,3,4,0,no,no\nbad1,lots,4,0,no,no\n")
    job = do_import(vetted, settings, "followers", path, of="mia")
    assert job.counts["followers"] == 1 and job.rejected == 1
    assert job.rejects[0].line == 3 and job.rejects[0].field == "followers"
    with pytest.raises(InvalidInput):
        do_import(vetted, settings, "followers", path)  # whose followers?


def test_unvetted_account_is_not_found(vetted: Database) -> None:
    with vetted.uow() as uow, pytest.raises(NotFound):
        get_report(uow, workspace="acme", account_id=_id(vetted, "leo"))


def test_search_filters_on_verdicts_and_flags(vetted: Database, settings: Settings) -> None:
    def handles(**filters: Any) -> list[str]:
        page = search(vetted, settings, AccountQuery(**filters))
        return sorted(a.handle for a in page.items)

    assert handles(verdict="fail") == []  # nothing is vetted yet
    vet_workspace(vetted.uow, workspace="acme", model=fake_account_model(),
                  sentiment=FakeSentimentModels(), clock=fixed_clock)
    assert handles(verdict="fail") == ["mia"]
    assert handles(exclude_flags=["gambling"]) == []  # both posted about a casino
    assert handles(exclude_flags="alcohol, politics") == ["leo", "mia"]
    assert handles(exclude_flags=["any"]) == []
    with vetted.uow() as uow:
        override_verdict(uow, workspace="acme", account_id=_id(vetted, "mia"), verdict="pass",
                         reason="bots were a giveaway; cleaned since", author="ana",
                         now=FIXED_NOW)
        uow.commit()
    assert "mia" in handles(verdict="pass") and handles(verdict="fail") == []
    with vetted.uow() as uow:
        override_verdict(uow, workspace="acme", account_id=_id(vetted, "mia"), verdict=None,
                         reason="withdrawn", author="ana", now=FIXED_NOW)
        uow.commit()
    assert handles(verdict="fail") == ["mia"]  # the computed verdict stands again
