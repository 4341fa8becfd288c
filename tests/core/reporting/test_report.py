"""The campaign report from plain rows, with numbers checked by hand."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from kolscope.core.reporting.compare import compare, leaderboard
from kolscope.core.reporting.facts import (
    CampaignFacts,
    CommentFacts,
    EntryFacts,
    KolFacts,
    LinkFacts,
    OrderFacts,
    PostFacts,
    RowRef,
    SalesFacts,
)
from kolscope.core.reporting.report import ReportInput, build_report
from kolscope.core.reporting.totals import impressions_per_engagement

AT = datetime(2026, 2, 1, 12, tzinfo=UTC)


def world(*, sales: bool = True) -> ReportInput:
    """mia: 1,000 engagements on 10,000 followers, fee 300 booked, 6 orders worth 600; leo:
    200 engagements and 4,000 views on 5,000 followers, fee 200 agreed, 1 order worth 50."""
    return ReportInput(
        campaign=CampaignFacts(slug="glow", name="Glow", brand="Acme", goal="conversion",
                               status="active", currency="EUR", budget=Decimal(1000),
                               starts_on=None, ends_on=None,
                               kpi_targets={"engagement_rate": 0.05, "cpe": 0.5,
                                            "conversions": 10}),
        kols=[KolFacts(1, 11, "mia", "instagram", 10_000, "completed", Decimal(300), "EUR"),
              KolFacts(2, 12, "leo", "tiktok", 5_000, "published", Decimal(200), "EUR"),
              KolFacts(3, 13, "zoe", "instagram", 8_000, "shortlisted")],
        posts=[PostFacts(21, 1, "instagram", "image", "https://i.test/p/1", 31, AT, likes=900,
                         comments=100, shares=5),
               PostFacts(22, 2, "tiktok", "short_video", None, 32, AT, likes=190, comments=10,
                         views=4_000)],
        links=[LinkFacts(41, "mia1", 1, 21, 200, 150), LinkFacts(42, "leo1", 2, 22, 100, 80)],
        entries=[EntryFacts(51, 1, "fee", Decimal(300), "EUR"),
                 EntryFacts(52, 1, "payment", Decimal(100), "EUR")],
        comments=[CommentFacts(60 + i, 31, AT, f"fan{i}", "so good", label, 0.9)
                  for i, label in enumerate(["positive"] * 5 + ["negative"])],
        sales=[SalesFacts(1, 6, Decimal(600), tuple(f"o{i}" for i in range(6))),
               SalesFacts(2, 1, Decimal(50), ("o6",))] if sales else None,
        orders=[OrderFacts(f"o{i}", 1 if i < 6 else 2, Decimal(100 if i < 6 else 50),
                           "click_id") for i in range(7)] if sales else [],
        currency="EUR")


def test_campaign_kpis_by_hand() -> None:
    report = build_report(world(), generated_at=AT)
    k = {x.key: x for x in report.kpis}
    assert k["engagements"].value == 1_200
    assert k["engagement_rate"].value == 1_200 / 15_000
    assert k["engagement_rate"].target_met is True
    estimated = round(1_000 * impressions_per_engagement("image"))
    assert estimated == 17_889 and k["impressions"].value == estimated + 4_000
    assert k["impressions"].estimated and k["reach"].estimated
    assert k["views"].value == 4_000 and k["clicks"].value == 300
    assert k["spend"].value == Decimal(500)  # 300 booked + 200 agreed, the payment is not spend
    assert k["cpe"].value == Decimal(500) / 1_200 and k["cpe"].target_met is True
    assert k["orders"].value == 7 and k["orders"].target_met is False
    assert k["conversion_rate"].value == 7 / 230
    assert k["roas"].value == Decimal("1.3") and k["roi"].value == pytest.approx(0.3)
    assert k["sentiment_negative"].value == 1 / 6
    # emv-1: views 4,000 × 0.02 + likes 1,090 × 0.08 + comments 110 × 0.50 + shares 5 × 0.50
    # + clicks 300 × 0.80
    assert k["emv"].value == Decimal("80.00") + Decimal("87.20") + Decimal("55.00") + \
        Decimal("2.50") + Decimal("240.00")
    assert k["spend"].sources == [RowRef(table="ledger_entries", ids=(51, 52)),
                                  RowRef(table="collaborations", ids=(2,))]
    assert k["orders"].sources[0].ids == tuple(f"o{i}" for i in range(7))


def test_tables_and_rehire_rule() -> None:
    report = build_report(world(), generated_at=AT)
    mia, leo, zoe = report.kols
    assert mia.cpe == Decimal("0.3") and mia.roi == 1.0 and mia.negative_share == 1 / 6
    assert leo.cpe == Decimal(1) and leo.roi == -0.75
    assert zoe.posts == 0 and zoe.cpe is None
    assert [(x.handle, x.verdict) for x in report.rehire] == [
        ("mia", "rehire"), ("leo", "pass"), ("zoe", "not rated")]
    data = world()
    sour = ReportInput(**{**data.__dict__, "comments": [
        CommentFacts(70 + i, 31, AT, "x", "meh", label, 0.9)
        for i, label in enumerate(["positive"] * 3 + ["negative"])]})
    (first, *_) = build_report(sour, generated_at=AT).rehire
    assert first.handle == "leo" or first.verdict == "pass"
    assert any("25% of its comments are negative" in r
               for x in build_report(sour, generated_at=AT).rehire for r in x.reasons)
    assert "at or under the campaign median 0.65" in report.rehire[0].reasons[0]
    assert "lost money" in report.rehire[1].reasons[1]
    assert [p.platform for p in report.platforms] == ["instagram", "tiktok"]
    assert report.platforms[0].engagements == 1_000 and report.platforms[0].kols == 2
    assert [c.deliverable_id for c in report.best_content] == [21, 22]
    assert report.sentiment[0].positive == 5 and len(report.sample_comments) == 4
    assert report.spend[0].paid == Decimal(100) and report.spend[1].committed == Decimal(200)
    assert {t.table for t in report.evidence} >= {"deliverables", "tracking_links",
                                                  "conversions", "ledger_entries"}


def test_without_conversion_data_revenue_is_unknown_not_zero() -> None:
    report = build_report(world(sales=False), generated_at=AT)
    assert not report.conversion_data
    for key in ("orders", "revenue", "roi", "roas", "cpa", "conversion_rate"):
        assert report.kpi(key).value is None, key
    assert "No conversion data" in report.summary[-1]
    assert report.rehire[0].verdict == "rehire"  # cost alone: mia's CPE is under the median


def test_compare_and_leaderboard_use_the_same_definitions() -> None:
    one = build_report(world(), generated_at=AT)
    view = compare([one, one])
    assert view.keys[0] == "engagements" and view.kpis[1][0].value == 1_200
    board = leaderboard([world(), world()], by="engagements", generated_at=AT)
    assert board.rows[0].kol.handle == "mia" and board.rows[0].kol.engagements == 2_000
    assert board.rows[0].campaigns == ["glow", "glow"]
    cheapest = leaderboard([world()], by="cpe", generated_at=AT)
    assert [r.kol.handle for r in cheapest.rows] == ["mia", "leo", "zoe"]
