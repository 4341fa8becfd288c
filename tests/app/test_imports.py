"""The import use case on a real SQLite database: idempotence, rejects, metrics, provenance."""

from __future__ import annotations

import gzip
import json
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kolscope.adapters.db.database import Database
from kolscope.adapters.db.tables import Comment, Mention, MetricSnapshot, Post, Sponsorship
from kolscope.adapters.sources import open_source
from kolscope.app.accounts import get_profile, resolve_account, workspace_counts
from kolscope.app.imports import Item, get_import, run_import, start_import
from kolscope.app.models import JobStatus
from kolscope.core.platforms import Platform
from kolscope.jobs.imports import import_options
from kolscope.settings import Settings
from tests.conftest import FIXTURES, do_import, fixed_clock


def counts(db: Database) -> dict[str, int]:
    with db.uow() as uow:
        return workspace_counts(uow, workspace="acme")


def table_count(db: Database, model: type) -> int:
    with db.engine.connect() as c:
        return c.scalar(select(func.count()).select_from(model)) or 0


def test_import_stores_posts_comments_tags_and_sponsors(db: Database, settings: Settings,
                                                        workspace: str) -> None:
    job = do_import(db, settings, "instagram", FIXTURES / "instaloader_posts.jsonl")
    assert job.status is JobStatus.SUCCEEDED
    assert job.counts["records"] == 3 and job.counts["posts_new"] == 3
    # c1, c2, its reply c2r1 and c3
    assert job.counts["comments_new"] == 4
    assert counts(db) == {"creators": 2, "accounts": 5, "creator_accounts": 2, "posts": 3,
                          "comments": 4}
    # one tag of lumiereskin plus the caption's @lumiereskin mention
    assert table_count(db, Mention) == 2
    # paid partnership with lumiereskin, and the #ad disclosure tag
    assert table_count(db, Sponsorship) == 2


def test_reimport_changes_nothing(db: Database, settings: Settings, workspace: str) -> None:
    do_import(db, settings, "instagram", FIXTURES / "instaloader_posts.jsonl")
    before = (counts(db), table_count(db, MetricSnapshot), table_count(db, Mention))
    again = do_import(db, settings, "instagram", FIXTURES / "instaloader_posts.jsonl")
    assert again.counts["posts_new"] == 0 and again.counts["posts_unchanged"] == 3
    assert again.counts["comments_new"] == 0 and again.counts["comments_unchanged"] == 4
    assert again.counts["mentions"] == again.counts["sponsorships"] == 0
    assert (counts(db), table_count(db, MetricSnapshot), table_count(db, Mention)) == before


def test_changed_post_is_updated_and_snapshotted(db: Database, settings: Settings,
                                                 workspace: str, tmp_path: Path) -> None:
    do_import(db, settings, "instagram", FIXTURES / "instaloader_posts.jsonl")
    lines = (FIXTURES / "instaloader_posts.jsonl").read_text().splitlines()
    node = json.loads(lines[0])
    node["edge_media_preview_like"]["count"] = 250
    changed = tmp_path / "changed.jsonl"
    changed.write_text(json.dumps(node) + "\n")
    job = do_import(db, settings, "instagram", changed)
    assert job.counts["posts_updated"] == 1
    with db.engine.connect() as c:
        likes = c.scalar(select(Post.likes).where(Post.platform_post_id == "1001"))
        snaps = c.scalars(select(MetricSnapshot.likes).join(Post, Post.id == MetricSnapshot.post_id)
                          .where(Post.platform_post_id == "1001")
                          .order_by(MetricSnapshot.id)).all()
    assert likes == 250
    assert snaps == [180, 250]


def test_malformed_line_is_reported_and_the_rest_stored(db: Database, settings: Settings,
                                                        workspace: str, tmp_path: Path) -> None:
    lines = (FIXTURES / "instaloader_posts.jsonl").read_text().splitlines()
    broken = tmp_path / "broken.jsonl.gz"
    with gzip.open(broken, "wt") as f:
        f.write(lines[0] + "\n" + '{"id": "9", "owner": {"id": "1"}}\n' + "{not json\n"
                + lines[1] + "\n" + lines[2] + "\n")
    job = do_import(db, settings, "instagram", broken)
    assert job.status is JobStatus.SUCCEEDED
    assert job.counts["posts_new"] == 3 and job.rejected == 2
    assert [(r.file, r.line, r.field) for r in job.rejects] == [
        (str(broken), 2, "owner.username"), (str(broken), 3, None)]
    assert "invalid JSON" in job.rejects[1].reason
    assert counts(db)["posts"] == 3


def test_comment_for_unknown_post_is_rejected(db: Database, settings: Settings,
                                              workspace: str, tmp_path: Path) -> None:
    path = tmp_path / "comments.csv"
    path.write_text("platform,post_id,comment_id,author,text\n"
                    "instagram,1001,x1,someone,nice\n")
    job = do_import(db, settings, "generic", path)
    assert job.rejected == 1
    assert job.rejects[0].line == 2 and job.rejects[0].field == "post_id"
    do_import(db, settings, "instagram", FIXTURES / "instaloader_posts.jsonl")
    job = do_import(db, settings, "generic", path)
    assert job.rejected == 0 and job.counts["comments_new"] == 1


def test_profile_metrics_after_import(db: Database, settings: Settings, workspace: str) -> None:
    do_import(db, settings, "influencers", FIXTURES / "influencers.tsv")
    do_import(db, settings, "instagram", FIXTURES / "instaloader_posts.jsonl")
    with db.uow() as uow:
        mia = resolve_account(uow, workspace="acme", handle="@GlowWithMia",
                              platform=Platform.INSTAGRAM)
        profile = get_profile(uow, workspace="acme", account_id=mia)
    m = profile.metrics
    assert m is not None and profile.followers == 2000
    # per-post rates (180 + 3) / 2000 = 0.0915 and (95 + 1) / 2000 = 0.048; median = 0.06975
    assert m.engagement_rate is not None and abs(m.engagement_rate - 0.06975) < 1e-12
    assert m.tier is not None and m.tier.value == "micro"
    assert m.sponsored_share == 0.5 and m.comments_per_post == 2.0
    # two posts 7 days apart: one post per week
    assert m.posts_per_week is not None and abs(m.posts_per_week - 1.0) < 1e-9
    assert profile.niche == "beauty" and profile.language == "en"
    assert profile.source == "instagram" and profile.source_file is not None
    assert [p.platform_post_id for p in profile.recent_posts] == ["1002", "1001"]


def test_garbled_category_keeps_row_and_maps_niche(db: Database, settings: Settings,
                                                   workspace: str) -> None:
    job = do_import(db, settings, "influencers", FIXTURES / "influencers.tsv")
    assert job.counts["records"] == 3 and job.rejected == 0
    with db.uow() as uow:
        tom = get_profile(uow, workspace="acme", account_id=resolve_account(
            uow, workspace="acme", handle="techwithtom"))
        nvs = get_profile(uow, workspace="acme", account_id=resolve_account(
            uow, workspace="acme", handle="makeupbynvs"))
    assert (tom.category, tom.niche) == ("fasion", "fashion")
    assert (nvs.category, nvs.niche) == ("by", None)


def test_comments_are_linked_to_authors(db: Database, settings: Settings, workspace: str) -> None:
    do_import(db, settings, "instagram", FIXTURES / "instaloader_posts.jsonl")
    with db.engine.connect() as c:
        authors = c.scalar(select(func.count(func.distinct(Comment.author_account_id))))
    assert authors == 3  # fan_one, fan_two and the creator replying


def test_folder_of_per_post_files(db: Database, settings: Settings, workspace: str,
                                  tmp_path: Path) -> None:
    folder = tmp_path / "glowwithmia"
    folder.mkdir()
    for i, line in enumerate((FIXTURES / "instaloader_posts.jsonl").read_text().splitlines()):
        (folder / f"2019-01-0{i + 1}_UTC.json").write_text(
            json.dumps({"node": json.loads(line), "instaloader": {"node_type": "Post"}}))
    shutil.copy(FIXTURES / "influencers.tsv", tmp_path / "ignored.tsv")
    job = do_import(db, settings, "instagram", folder)
    assert job.counts["posts_new"] == 3 and job.rejected == 0


def test_money_is_stored_exactly(db: Database, settings: Settings, workspace: str,
                                 tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text("platform,handle,rate,rate_currency\n"
                    "xiaohongshu,小美,12345678.1234,cny\nyoutube,techwithtom,0.1,USD\n")
    assert do_import(db, settings, "generic", path).rejected == 0
    with db.uow() as uow:
        rates = {h: (p.rate_amount, p.rate_currency) for h in ("小美", "techwithtom")
                 for p in [get_profile(uow, workspace="acme", account_id=resolve_account(
                     uow, workspace="acme", handle=h))]}
    assert rates == {"小美": (Decimal("12345678.1234"), "CNY"),
                     "techwithtom": (Decimal("0.1"), "USD")}


def test_posts_keep_their_authors_creator(db: Database, settings: Settings, workspace: str,
                                          tmp_path: Path) -> None:
    path = tmp_path / "world.jsonl"
    path.write_text("\n".join([
        '{"type": "account", "platform": "instagram", "handle": "mia", "creator": "mia-chen"}',
        '{"type": "account", "platform": "xiaohongshu", "handle": "小美", "creator": "mia-chen"}',
        '{"type": "post", "platform": "instagram", "post_id": "1", "handle": "mia", '
        '"format": "image"}',
        '{"type": "post", "platform": "xiaohongshu", "post_id": "2", "handle": "小美", '
        '"format": "carousel", "caption": "新品试用 #护肤"}',
    ]) + "\n")
    settings = settings.model_copy(update={"import_batch_size": 1})  # across batches too
    assert do_import(db, settings, "generic", path).rejected == 0
    assert counts(db)["creators"] == 1
    with db.uow() as uow:
        mia = get_profile(uow, workspace="acme", account_id=resolve_account(
            uow, workspace="acme", handle="mia"))
    assert [(a.platform.value, a.handle) for a in mia.other_accounts] == [("xiaohongshu", "小美")]


def test_an_interrupted_import_is_marked_failed_and_says_so(db: Database, settings: Settings,
                                                           workspace: str,
                                                           tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text("platform,handle\n" + "".join(f"instagram,u{i}\n" for i in range(2_000)))
    source = open_source("generic", path)

    class Interrupted:  # the user's Ctrl-C while the file is being read
        kind, label = source.kind, source.label

        def size(self) -> int | None:
            return source.size()

        def position(self) -> int:
            return source.position()

        def read(self) -> Iterator[Item]:
            for n, item in enumerate(source.read()):
                if n == 1_200:
                    raise KeyboardInterrupt
                yield item

    with db.uow() as uow:
        job_id = start_import(uow, workspace="acme", source=source, clock=fixed_clock)
        uow.commit()
    with pytest.raises(KeyboardInterrupt):
        run_import(db.uow, workspace="acme", job_id=job_id, source=Interrupted(),
                   options=import_options(settings), clock=fixed_clock)
    with db.uow() as uow:
        job = get_import(uow, workspace="acme", job_id=job_id)
    assert job.status == "failed" and job.error is not None and "interrupted" in job.error
    assert job.finished_at is not None
