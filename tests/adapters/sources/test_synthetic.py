"""The synthetic world: deterministic, streamed, realistic enough, and importable as is."""

from __future__ import annotations

import gzip
import re
import statistics
import tracemalloc
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest

from kolscope.adapters.db.database import Database
from kolscope.adapters.sources.generic import GenericSource
from kolscope.adapters.sources.synthetic import (
    DEFAULT_NOW,
    GENERATOR_VERSION,
    SyntheticWorld,
    follower_quantile,
    write_generic_jsonl,
)
from kolscope.app.accounts import workspace_counts
from kolscope.app.imports import ImportOptions, run_import, start_import
from kolscope.app.models import JobStatus
from kolscope.core.discovery.tiers import Tier
from kolscope.core.platforms import CHINESE_PLATFORMS, Platform, PostFormat
from kolscope.core.records import AccountRecord, FollowerRecord, PostRecord, Rejected
from kolscope.core.text import detect_language, mentions
from kolscope.core.vetting.sponsorship import disclosure_tags
from kolscope.errors import InvalidInput
from tests.conftest import fixed_clock

CJK = re.compile(r"[\u4e00-\u9fff]")
PLATFORMS = set(Platform) - {Platform.FORUM, Platform.OTHER}


@pytest.fixture(scope="module")
def world() -> SyntheticWorld:
    return SyntheticWorld(accounts=400, seed=7)


@pytest.fixture(scope="module")
def rows(world: SyntheticWorld) -> list[dict[str, Any]]:
    return list(world.rows())


def posts_of(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in rows if r["type"] == "post"]


def test_same_seed_same_records_and_another_seed_differs() -> None:
    first = list(SyntheticWorld(accounts=40, seed=3).read())
    assert first == list(SyntheticWorld(accounts=40, seed=3).read())
    assert first != list(SyntheticWorld(accounts=40, seed=4).read())


def test_an_account_depends_on_seed_and_index_only(world: SyntheticWorld) -> None:
    bigger = SyntheticWorld(accounts=4_000, seed=7)
    assert all(world.account(i) == bigger.account(i) for i in range(0, 400, 7))
    with pytest.raises(InvalidInput):
        world.account(400)


def test_stream_is_an_account_then_its_posts_then_followers(world: SyntheticWorld) -> None:
    small = SyntheticWorld(accounts=5, seed=7)
    assert small.kind == "synthetic" and small.label == "synthetic:seed=7,accounts=5"
    assert small.size() == 5 and small.position() == 0
    author = None
    kinds = []
    for n, item in enumerate(small.read(), start=1):
        assert not isinstance(item, Rejected)
        location, record = item
        assert location.file == small.label and location.line == n
        if isinstance(record, AccountRecord):
            author = record.handle
        elif isinstance(record, FollowerRecord):
            assert record.account_handle == author and record.follower.followers is not None
        else:
            assert isinstance(record, PostRecord) and record.author.handle == author
        kinds.append(type(record).__name__[0])
    # each account's record, then its posts, then its followers
    assert "".join(kinds).replace("P", "").replace("F", "") == "AAAAA"
    assert all("FP" not in part for part in "".join(kinds).split("A"))
    assert small.position() == 5


def test_follower_samples_are_mostly_bots_for_buyers() -> None:
    world = SyntheticWorld(accounts=400, seed=7)
    fakes: dict[bool, list[float]] = {True: [], False: []}
    for row in world.rows():
        if row["type"] != "follower":
            continue
        index = int(row["handle"].rsplit(".", 1)[1], 36)
        bot = row["follower"]["following"] >= 1_000 and row["follower"]["posts"] < 3
        fakes[world.has_bought_followers(index)].append(float(bot))
    assert fakes[True] and fakes[False]
    assert sum(fakes[True]) / len(fakes[True]) > 0.6 > 0.1 > sum(fakes[False]) / len(fakes[False])


def test_every_platform_tier_and_kind_is_present(world: SyntheticWorld) -> None:
    accounts = [world.account(i) for i in range(400)]
    assert {a.platform for a in accounts} == PLATFORMS
    assert {a.tier for a in accounts} == set(Tier)
    kinds = Counter(a.kind for a in accounts)
    assert kinds["koc"] >= 20 and kinds["expert"] >= 10 and kinds["influencer"] >= 200
    by_creator = Counter(a.creator_key for a in accounts)
    assert max(by_creator.values()) == 3 and min(by_creator.values()) == 1
    for a in accounts:
        if a.kind == "expert":
            assert a.credential and a.credential in a.bio
        if a.kind == "koc":
            assert a.tier is Tier.NANO and a.rate is None
    credentials = {a.credential for a in accounts if a.credential}
    assert any(CJK.search(c) for c in credentials) and any(c.isascii() for c in credentials)


def test_chinese_platforms_speak_chinese(world: SyntheticWorld, rows: list[dict[str, Any]]) -> None:
    posts = posts_of(rows)
    chinese = [p for p in posts if p["platform"] in CHINESE_PLATFORMS]
    assert chinese and all(detect_language(p["caption"]) == "zh" for p in chinese)
    assert all(CJK.search(c["text"]) or not c["text"].isascii() for p in chinese
               for c in p["comments"])
    western = [p for p in posts if p["platform"] not in CHINESE_PLATFORMS]
    english = sum(detect_language(p["caption"]) == "en" for p in western)
    assert english / len(western) > 0.6
    assert sum(CJK.search(p["caption"]) is not None for p in western) / len(western) < 0.1


def test_formats_fit_their_platform(rows: list[dict[str, Any]]) -> None:
    allowed = {"douyin": {"short_video", "live_stream"}, "tiktok": {"short_video", "live_stream"},
               "youtube": {"video", "short_video", "live_stream"},
               "bilibili": {"video", "live_stream"}, "xiaohongshu": {"image", "carousel",
                                                                      "short_video"},
               "podcast": {"podcast_episode"}, "blog": {"article"}, "wechat": {"article"},
               "linkedin": {"article", "image"}, "weibo": {"image", "short_video"}}
    seen: dict[str, set[str]] = {}
    for post in posts_of(rows):
        seen.setdefault(post["platform"], set()).add(post["format"])
        assert post["format"] in allowed.get(post["platform"], {f.value for f in PostFormat})
        if post["format"] in ("short_video", "video", "podcast_episode"):
            assert post["views"] >= post["likes"]
    assert "live_stream" in seen["douyin"] and seen["xiaohongshu"] >= {"image", "carousel"}


def test_sponsorship_truth_matches_the_captions(world: SyntheticWorld,
                                                rows: list[dict[str, Any]]) -> None:
    posts = {p["post_id"]: p for p in posts_of(rows)}
    truth: Counter[str] = Counter()
    for index in range(400):
        kind = world.account(index).kind
        for t in world.post_truth(index):
            post = posts[t.post_id]
            truth[t.sponsorship] += 1
            disclosed = bool(disclosure_tags(post["caption"])) or post["paid_partnership"]
            assert disclosed == (t.sponsorship == "disclosed")
            if t.sponsorship == "undisclosed":
                assert t.brand is not None and kind != "koc"
            if kind == "koc":
                assert t.sponsorship == "none" and not post["sponsors"]
    assert truth["disclosed"] >= 20 and truth["undisclosed"] >= 3
    chinese_tags = {tag for p in posts.values() if p["platform"] in CHINESE_PLATFORMS
                    for tag in disclosure_tags(p["caption"])}
    assert chinese_tags & {"广告", "合作"}


def engagement(posts: list[dict[str, Any]], followers: int) -> float:
    return statistics.median(float(p["likes"] + p["comments_count"]) / followers for p in posts)


def test_bought_followers_engage_far_less() -> None:
    world = SyntheticWorld(accounts=1_500, seed=11)
    by_handle: dict[str, list[dict[str, Any]]] = {}
    for row in world.rows():
        if row["type"] == "post":
            by_handle.setdefault(row["handle"], []).append(row)
    bought: list[float] = []
    honest: list[float] = []
    for i in range(1_500):
        a = world.account(i)
        if a.followers >= 2_000 and a.kind != "koc":
            rate = engagement(by_handle[a.handle], a.followers)
            (bought if world.has_bought_followers(i) else honest).append(rate)
    assert 0.03 < len(bought) / 1_500 < 0.08
    assert statistics.median(bought) < 0.35 * statistics.median(honest)


def test_interactions_reference_accounts_of_the_world(world: SyntheticWorld,
                                                      rows: list[dict[str, Any]]) -> None:
    kinds: Counter[str] = Counter()
    for post in posts_of(rows):
        handles = ([c["author"] for c in post["comments"]] + post["tagged"] + post["sponsors"]
                   + mentions(post["caption"]))
        for handle in handles:
            actor = world.resolve(post["platform"], handle)
            assert actor is not None, handle
            kinds[actor.kind] += 1
    assert kinds["audience"] > kinds["creator"] > 50 and kinds["brand"] > 50 and kinds["bot"] > 0
    assert world.resolve("instagram", "nobody_here") is None


def test_peers_cite_their_niche_and_authorities_most() -> None:
    world = SyntheticWorld(accounts=2_000, seed=5)
    cited: Counter[int] = Counter()
    for post in world.rows():
        if post["type"] != "post":
            continue
        author = world.resolve(post["platform"], post["handle"])
        assert author is not None
        for handle in post["tagged"] + mentions(post["caption"]):
            actor = world.resolve(post["platform"], handle)
            if actor is not None and actor.kind == "creator":
                cited[actor.index] += 1
                assert world.account(actor.index).niche == world.account(author.index).niche
    ranked = sorted(range(2_000), key=lambda i: world.account(i).authority)
    low, high = ranked[:1_000], ranked[-200:]
    assert sum(cited[i] for i in high) / 200 > 2.5 * sum(cited[i] for i in low) / 1_000


def test_records_are_valid_and_times_recent(world: SyntheticWorld) -> None:
    earliest = DEFAULT_NOW - timedelta(days=180)
    currencies = set()
    for item in world.read():
        assert not isinstance(item, Rejected), item
        record = item[1]
        if isinstance(record, AccountRecord):
            assert record.country and record.language and record.display_name and record.niche
            assert record.followers is not None and record.creator_key
            currencies |= {record.rate.currency} if record.rate else set()
        elif isinstance(record, FollowerRecord):
            assert record.follower.posts_count is not None and record.observed_at == DEFAULT_NOW
        else:
            assert isinstance(record, PostRecord) and record.posted_at is not None
            assert earliest <= record.posted_at <= DEFAULT_NOW
            assert all(c.created_at and record.posted_at <= c.created_at <= DEFAULT_NOW
                       for c in record.comments)
            assert len(record.comments) <= min(8, record.comments_count or 0)
    assert currencies == {"USD", "CNY"}


def test_followers_follow_the_fitted_quantiles() -> None:
    assert follower_quantile(0.0) == pytest.approx(1_000)
    assert follower_quantile(0.5) == pytest.approx(10**4.21)
    assert follower_quantile(1.0) == pytest.approx(10**7.908)


def peak_bytes(accounts: int) -> int:
    world = SyntheticWorld(accounts=accounts, seed=7, posts_per_account=1, max_comments_per_post=2)
    tracemalloc.start()
    for _ in world.rows():
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def test_streaming_memory_does_not_grow_with_the_world() -> None:
    small, large = peak_bytes(600), peak_bytes(2_400)
    assert large < 1.25 * small, (small, large)


def test_generic_jsonl_round_trip(tmp_path: Path) -> None:
    world = SyntheticWorld(accounts=30, seed=9)
    path = tmp_path / "world.jsonl.gz"
    counts = write_generic_jsonl(world, path)
    with gzip.open(path, "rb") as f:
        lines = [orjson.loads(line) for line in f]
    assert counts["accounts"] == 30 == sum(line["type"] == "account" for line in lines)
    followers = sum(line["type"] == "follower" for line in lines)
    assert counts["followers"] == followers > 0
    assert counts["posts"] == len(lines) - 30 - followers
    assert counts["comments"] == sum(len(line.get("comments", [])) for line in lines)
    assert counts["interactions"] == counts["comments"] + counts["tags"] + counts["mentions"]
    read_back = [item[1] for item in GenericSource(path).read() if not isinstance(item, Rejected)]
    assert read_back == [item[1] for item in world.read() if not isinstance(item, Rejected)]


def test_imports_into_sqlite(db: Database, workspace: str) -> None:
    world = SyntheticWorld(accounts=60, seed=7)
    rows = list(world.rows())
    posts = posts_of(rows)
    with db.uow() as uow:
        job_id = start_import(uow, workspace=workspace, source=world, clock=fixed_clock)
        uow.commit()
    job = run_import(db.uow, workspace=workspace, job_id=job_id, source=world,
                     options=ImportOptions(batch_size=100), clock=fixed_clock)
    assert job.status is JobStatus.SUCCEEDED and job.rejected == 0
    assert job.bytes_total == job.bytes_done == 60 and job.counts["records"] == len(rows)
    assert job.counts["posts_new"] == len(posts)
    assert job.counts["comments_new"] == sum(len(p["comments"]) for p in posts)
    with db.uow() as uow:
        stored = workspace_counts(uow, workspace=workspace)
    assert stored["creator_accounts"] == 60
    assert stored["creators"] == len({r["creator"] for r in rows if r["type"] == "account"})
    assert stored["posts"] == len(posts) and stored["accounts"] > 60
    assert GENERATOR_VERSION.startswith("synthetic-")
