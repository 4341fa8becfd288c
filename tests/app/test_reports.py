"""The campaign report of the sample workspace from stored data, and every KPI of it recomputed
by hand from the rows, queried directly."""

from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import text

from kolscope.adapters.db.database import Database
from kolscope.adapters.models import fake_account_model
from kolscope.adapters.nlp.sentiment import ShippedSentimentModels
from kolscope.adapters.sources.synthetic import SyntheticWorld
from kolscope.app.imports import run_import, start_import
from kolscope.app.reports import (
    campaign_comparison,
    campaign_report,
    kol_leaderboard,
    kol_performance,
)
from kolscope.app.sample_campaign import SLUG, seed_sample_campaign
from kolscope.app.vetting_reports import vet_workspace
from kolscope.app.workspaces import ensure_workspace, require_workspace
from kolscope.core.matching.forecast import (
    DEFAULT_REACH_SHARE,
    IMAGE_IMPRESSIONS_PER_ENGAGEMENT,
    VIDEO_IMPRESSIONS_PER_ENGAGEMENT,
)
from kolscope.core.vetting.sentiment import SENTIMENT_METHOD_VERSION
from kolscope.errors import InvalidInput, NotFound
from kolscope.jobs.imports import import_options
from kolscope.settings import Settings
from tests.conftest import FIXED_NOW, fixed_clock

CENT = Decimal("0.01")
VIDEO = {"video", "short_video", "live_stream"}


def sample_world(db: Database, settings: Settings, *, accounts: int = 40) -> str:
    """The demo's sample workspace: a synthetic world, the sample campaign with results, vetted
    (so comments carry sentiment)."""
    with db.uow() as uow:
        ensure_workspace(uow, slug="sample", clock=fixed_clock, is_synthetic=True,
                         name="Sample workspace (synthetic data)")
        uow.commit()
    world = SyntheticWorld(accounts=accounts, seed=7, posts_per_account=10.0)
    with db.uow() as uow:
        job = start_import(uow, workspace="sample", source=world, clock=fixed_clock)
        uow.commit()
    run_import(db.uow, workspace="sample", job_id=job, source=world,
               options=import_options(settings), clock=fixed_clock)
    with db.uow() as uow:
        assert seed_sample_campaign(uow, workspace="sample", now=FIXED_NOW)
        uow.commit()
    vet_workspace(db.uow, workspace="sample", model=fake_account_model(),
                  sentiment=ShippedSentimentModels(), clock=fixed_clock)
    return "sample"


def _rows(db: Database, sql: str, **params: Any) -> list[Any]:
    with db.engine.connect() as conn:
        return list(conn.execute(text(sql), params))


def _by_hand(db: Database) -> dict[str, Any]:
    """Every KPI of the sample campaign from the stored rows, with the documented formulas."""
    (campaign_id,) = _rows(db, "SELECT id FROM campaigns WHERE slug = :s", s=SLUG)[0]
    posts = _rows(db, """
        SELECT d.id, d.post_id, a.followers, p.format, p.views, p.shares, p.saves
        FROM deliverables d JOIN collaborations k ON k.id = d.collaboration_id
        JOIN accounts a ON a.id = k.account_id JOIN posts p ON p.id = d.post_id
        WHERE k.campaign_id = :c AND d.status = 'published'""", c=campaign_id)
    likes = comments = views = shares = saves = impressions = reach = 0
    rate_eng = followers = 0
    for _, post_id, kol_followers, fmt, post_views, post_shares, post_saves in posts:
        snap = _rows(db, """SELECT likes, comments, views FROM metric_snapshots
                            WHERE post_id = :p ORDER BY captured_at DESC, id DESC LIMIT 1""",
                     p=post_id)[0]
        n_likes, n_comments = snap[0] or 0, snap[1] or 0
        n_views = snap[2] if snap[2] is not None else post_views
        likes, comments = likes + n_likes, comments + n_comments
        shares, saves = shares + (post_shares or 0), saves + (post_saves or 0)
        if kol_followers:
            rate_eng, followers = rate_eng + n_likes + n_comments, followers + kol_followers
        if n_views is not None:
            views += n_views
            shown = n_views
        else:
            per = (VIDEO_IMPRESSIONS_PER_ENGAGEMENT if fmt in VIDEO
                   else IMAGE_IMPRESSIONS_PER_ENGAGEMENT).median
            shown = round((n_likes + n_comments) * per)
        impressions += shown
        reach += round(shown * DEFAULT_REACH_SHARE.median)
    clicks, unique = _rows(db, """
        SELECT SUM(CASE WHEN c.bot IS NULL THEN 1 ELSE 0 END),
               SUM(CASE WHEN c.bot IS NULL AND c.is_unique THEN 1 ELSE 0 END)
        FROM tracking_clicks c JOIN tracking_links l ON l.id = c.link_id
        WHERE l.campaign_id = :c""", c=campaign_id)[0]
    orders = _rows(db, "SELECT revenue, refunded FROM conversions WHERE source = 'sample'")
    revenue = sum((Decimal(str(r)) - Decimal(str(f)) for r, f in orders), Decimal(0))
    entries = _rows(db, """SELECT e.collaboration_id, e.kind, e.amount FROM ledger_entries e
                           JOIN collaborations k ON k.id = e.collaboration_id
                           WHERE k.campaign_id = :c""", c=campaign_id)
    due: dict[int, Decimal] = defaultdict(Decimal)
    fee_booked = set()
    for collab, kind, amount in entries:
        if kind != "payment":
            due[collab] += Decimal(str(amount))
        fee_booked |= {collab} if kind == "fee" else set()
    spend = sum(due.values(), Decimal(0))
    for collab, stage, terms in _rows(db, "SELECT id, stage, terms FROM collaborations "
                                          "WHERE campaign_id = :c", c=campaign_id):
        if terms and terms != "null" and collab not in fee_booked and stage not in (
                "prospect", "shortlisted", "contacted", "negotiating", "declined", "cancelled"):
            spend += Decimal(str(json.loads(terms)["fee"]))
    labels = [label for (label,) in _rows(db, f"""
        SELECT s.label FROM comment_sentiments s JOIN comments c ON c.id = s.comment_id
        WHERE s.method_version = :m AND c.post_id IN
              ({", ".join(str(p[1]) for p in posts)})""", m=SENTIMENT_METHOD_VERSION)]
    engagements = likes + comments
    emv = sum(((Decimal(rate) * n).quantize(CENT) for rate, n in (
        ("0.02", views), ("0.08", likes), ("0.50", comments), ("0.50", shares),
        ("0.30", saves), ("0.80", clicks))), Decimal("0.00"))
    n = len(orders)
    return {
        "engagements": engagements, "engagement_rate": rate_eng / followers,
        "impressions": impressions, "reach": reach, "views": views, "clicks": clicks,
        "unique_clicks": unique, "ctr": clicks / impressions, "orders": n,
        "conversion_rate": n / unique, "revenue": revenue, "spend": spend,
        "cpm": spend * 1000 / impressions, "cpe": spend / engagements, "cpc": spend / clicks,
        "cpa": spend / n, "roas": revenue / spend,
        "roi": (float(revenue) - float(spend)) / float(spend),
        **{f"sentiment_{x}": labels.count(x) / len(labels)
           for x in ("positive", "neutral", "negative")},
        "emv": emv}


@pytest.fixture
def sample(db: Database, settings: Settings) -> str:
    return sample_world(db, settings)


def test_every_kpi_matches_a_recomputation_from_the_stored_rows(db: Database,
                                                                sample: str) -> None:
    with db.uow() as uow:
        report = campaign_report(uow, workspace=sample, slug=SLUG, now=FIXED_NOW)
    expected = _by_hand(db)
    got = {k.key: k.value for k in report.kpis}
    assert set(got) == set(expected)
    for key, value in expected.items():
        assert got[key] == value, key
    assert report.conversion_data and report.kpi("orders").target == 400
    assert report.kpi("engagement_rate").target_met is (expected["engagement_rate"] >= 0.03)


def test_the_report_has_every_section_and_numbers_trace_to_rows(db: Database,
                                                                sample: str) -> None:
    with db.uow() as uow:
        report = campaign_report(uow, workspace=sample, slug=SLUG, now=FIXED_NOW)
    assert sum(k.posts for k in report.kols) == 5 and report.platforms
    assert report.best_content and report.sentiment and report.sample_comments
    assert [x.rank for x in report.rehire] == list(range(1, 9))
    assert {x.verdict for x in report.rehire} >= {"rehire", "not rated"}
    assert all(x.reasons for x in report.rehire)
    evidence = {t.table: {row[0] for row in t.rows} for t in report.evidence}
    for kpi in report.kpis:
        for ref in kpi.sources:
            assert set(ref.ids) <= evidence[ref.table], (kpi.key, ref.table)
    assert {r.table for r in report.kpi("spend").sources} == {"ledger_entries",
                                                              "collaborations"}
    assert len(report.kpi("orders").sources[0].ids) == report.kpi("orders").value


def test_comparison_and_leaderboard(db: Database, sample: str) -> None:
    with db.uow() as uow:
        with pytest.raises(InvalidInput, match="two different"):
            campaign_comparison(uow, workspace=sample, slugs=[SLUG], now=FIXED_NOW)
        board = kol_leaderboard(uow, workspace=sample, by="cpe", now=FIXED_NOW)
        with pytest.raises(InvalidInput, match="rank by"):
            kol_leaderboard(uow, workspace=sample, by="vibes", now=FIXED_NOW)
    costs = [float(r.kol.cpe) for r in board.rows if r.kol.cpe is not None]
    assert costs == sorted(costs) and len(costs) == 5
    assert board.rows[-1].kol.cpe is None and board.rows[0].campaigns == [SLUG]


def test_a_kols_results_across_campaigns_are_its_report_lines(db: Database,
                                                              sample: str) -> None:
    with db.uow() as uow:
        report = campaign_report(uow, workspace=sample, slug=SLUG, now=FIXED_NOW)
        line = next(k for k in report.kols if k.posts)
        (mine,) = kol_performance(uow, workspace=sample, account_id=line.account_id,
                                  now=FIXED_NOW)
        ws_id = require_workspace(uow, sample).id
        outsider = next(a for a in range(1, 5000) if a not in {k.account_id for k in report.kols}
                        and uow.accounts.summaries(ws_id, [a]))
        assert kol_performance(uow, workspace=sample, account_id=outsider,
                               now=FIXED_NOW) == []
        with pytest.raises(NotFound, match="not found"):
            kol_performance(uow, workspace=sample, account_id=10**12, now=FIXED_NOW)
    assert mine.campaign == SLUG and mine.line == line
