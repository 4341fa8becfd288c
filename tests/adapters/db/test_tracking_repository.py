"""Tracked links and clicks on SQLite and on the real PostgreSQL server: the same behaviour."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from kolscope.adapters.db.database import Database
from kolscope.app.clicks import link_clicks, links_version, record_clicks, redirect_targets
from kolscope.app.tracking_views import ClickCounts, ClickRow, LinkIn
from kolscope.app.workspaces import create_workspace
from kolscope.errors import Conflict
from tests.conftest import FIXED_NOW, fixed_clock


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest) -> Database:
    database: Database = request.getfixturevalue("db" if request.param == "sqlite" else "pg_db")
    with database.uow() as uow:
        create_workspace(uow, slug="acme", name="Acme", clock=fixed_clock)
        create_workspace(uow, slug="rival", name="Rival", clock=fixed_clock)
        uow.commit()
    return database


def ws_id(db: Database, slug: str) -> int:
    with db.uow() as uow:
        ws = uow.workspaces.get(slug)
        assert ws is not None
        return ws.id


def link(code: str, **extra: object) -> LinkIn:
    url = f"https://shop.example/{code}?utm_source=instagram&utm_medium=influencer"
    return LinkIn(code=code, destination=f"https://shop.example/{code}", url=url,
                  utm={"source": "instagram", "medium": "influencer"}, **extra)  # type: ignore[arg-type]


def click(n: int, link_id: int, ws: int, *, at: datetime = FIXED_NOW, bot: str | None = None,
          unique: bool = True, visitor: str = "v1") -> ClickRow:
    return ClickRow(f"click{n:06d}", link_id, ws, "abc", at, "Mozilla/5.0 Safari", "", "iphash",
                    visitor, "DE", bot, unique)


def test_links_are_upserted_by_code_listed_and_switched(store: Database) -> None:
    acme = ws_id(store, "acme")
    with store.uow() as uow:
        assert uow.tracking.upsert_links(acme, [link("abc"), link("xyz")], FIXED_NOW) == 2
        uow.commit()
    later = FIXED_NOW + timedelta(hours=1)
    with store.uow() as uow:
        edited = LinkIn(code="abc", destination="https://shop.example/new",
                        url="https://shop.example/new?utm_source=tiktok", utm={"source": "tiktok"})
        assert uow.tracking.upsert_links(acme, [edited], later) == 1
        assert uow.tracking.set_enabled(acme, "xyz", False, later) is True
        assert uow.tracking.set_enabled(acme, "nope", False, later) is False
        uow.commit()
    with store.uow() as uow:
        links = uow.tracking.links(acme)
        abc = uow.tracking.link(acme, "abc")
        assert uow.tracking.link(ws_id(store, "rival"), "abc") is None
    assert [(v.code, v.enabled) for v in links] == [("abc", True), ("xyz", False)]
    assert abc is not None and abc.url.endswith("utm_source=tiktok") and abc.utm == {
        "source": "tiktok"}
    assert abc.created_at == FIXED_NOW and abc.updated_at == later


def test_a_code_is_unique_across_workspaces(store: Database) -> None:
    with store.uow() as uow:
        uow.tracking.upsert_links(ws_id(store, "acme"), [link("abc")], FIXED_NOW)
        uow.commit()
    with store.uow() as uow, pytest.raises(Conflict, match="abc"):
        uow.tracking.upsert_links(ws_id(store, "rival"), [link("abc"), link("new")], FIXED_NOW)


def test_the_redirect_reads_changes_since_a_time_and_a_version(store: Database) -> None:
    acme = ws_id(store, "acme")
    with store.uow() as uow:
        assert links_version(uow) == (0, None)
        uow.tracking.upsert_links(acme, [link("abc"), link("xyz")], FIXED_NOW)
        uow.commit()
    later = FIXED_NOW + timedelta(minutes=5)
    with store.uow() as uow:
        before = links_version(uow)
        uow.tracking.set_enabled(acme, "xyz", False, later)
        uow.commit()
    with store.uow() as uow:
        everything = redirect_targets(uow, since=None)
        changed = redirect_targets(uow, since=later)
        after = links_version(uow)
    assert before == (2, FIXED_NOW) and after == (2, later)
    assert [t.code for t in everything] == ["abc", "xyz"]
    assert [(t.code, t.enabled, t.updated_at) for t in changed] == [("xyz", False, later)]


def test_clicks_are_appended_in_bulk_and_counted_per_link(store: Database) -> None:
    acme = ws_id(store, "acme")
    with store.uow() as uow:
        uow.tracking.upsert_links(acme, [link("abc"), link("xyz")], FIXED_NOW)
        abc, xyz = (v.id for v in uow.tracking.links(acme))
        rows = [click(i, abc, acme, unique=i % 2 == 0, visitor=f"v{i % 2}") for i in range(1000)]
        rows += [click(1000 + i, abc, acme, bot="preview:slack", unique=False) for i in range(5)]
        rows += [click(2000, xyz, acme, at=FIXED_NOW + timedelta(days=1))]
        assert record_clicks(uow, clicks=rows) == 1006
        uow.commit()
    with store.uow() as uow:
        counts = uow.tracking.click_counts(acme)
        today = uow.tracking.click_counts(acme, until=FIXED_NOW + timedelta(hours=1))
        only_xyz = uow.tracking.click_counts(acme, link_ids=[xyz])
        by_code = link_clicks(uow, workspace="acme")
        none_for_rival = uow.tracking.click_counts(ws_id(store, "rival"))
    assert counts == {abc: ClickCounts(total=1000, unique=500, bots=5),
                      xyz: ClickCounts(total=1, unique=1, bots=0)}
    assert today == {abc: counts[abc]} and only_xyz == {xyz: counts[xyz]}
    assert by_code == {"abc": counts[abc], "xyz": counts[xyz]}
    assert none_for_rival == {}


def test_a_click_stored_already_is_skipped_so_a_batch_can_be_retried(store: Database) -> None:
    acme = ws_id(store, "acme")
    with store.uow() as uow:
        uow.tracking.upsert_links(acme, [link("abc")], FIXED_NOW)
        abc = uow.tracking.links(acme)[0].id
        uow.tracking.add_clicks([click(1, abc, acme), click(2, abc, acme)])
        uow.commit()
    with store.uow() as uow:
        uow.tracking.add_clicks([click(2, abc, acme), click(3, abc, acme)])
        uow.commit()
    with store.uow() as uow:
        assert [c.click_id for c in uow.tracking.clicks(acme)] == [
            "click000001", "click000002", "click000003"]


def test_clicks_read_back_exactly_as_written(store: Database) -> None:
    """Times in any zone, with and without microseconds, come back as the same UTC instant."""
    acme = ws_id(store, "acme")
    plus_one = timezone(timedelta(hours=1))
    times = [datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC),
             datetime(2026, 3, 1, 12, 0, 0, 5, tzinfo=UTC),
             datetime(2026, 3, 1, 13, 30, 0, 123456, tzinfo=plus_one),
             datetime(2026, 3, 1, 12, 45)]  # naive: taken as UTC, as every time column does
    with store.uow() as uow:
        uow.tracking.upsert_links(acme, [link("abc")], FIXED_NOW)
        abc = uow.tracking.links(acme)[0].id
        rows = [ClickRow(f"c{i}", abc, acme, "abc", at, "ü" * 512, "https://t.co/x" * 10,
                         "0123456789abcdef", "fedcba9876543210", None if i else "DE",
                         "head" if i == 1 else None, i == 0) for i, at in enumerate(times)]
        uow.tracking.add_clicks(rows)
        uow.commit()
    with store.uow() as uow:
        stored = uow.tracking.clicks(acme)
        recent = uow.tracking.clicks(acme, since=datetime(2026, 3, 1, 12, 31, tzinfo=UTC))
    expected = [r._replace(at=r.at.replace(tzinfo=UTC) if r.at.tzinfo is None
                           else r.at.astimezone(UTC)) for r in rows]
    assert stored == expected
    assert [c.click_id for c in recent] == ["c3"]


def test_touches_follow_visitors_within_the_period_in_one_pass(store: Database) -> None:
    """Orders' click ids lead to their visitors' other clicks of the period; more visitors than
    one IN list holds are still one statement; bots and other workspaces stay out."""
    acme, rival = ws_id(store, "acme"), ws_id(store, "rival")
    day = timedelta(days=1)
    visitors = [f"visitor{i:05d}" for i in range(2_500)]
    with store.uow() as uow:
        uow.tracking.upsert_links(acme, [link("abc"), link("xyz")], FIXED_NOW)
        uow.tracking.upsert_links(rival, [link("riv")], FIXED_NOW)
        abc, xyz = (v.id for v in uow.tracking.links(acme))
        riv = uow.tracking.links(rival)[0].id
        rows = [click(i, abc, acme, visitor=v, at=FIXED_NOW + timedelta(minutes=i % 60))
                for i, v in enumerate(visitors)]
        rows += [click(5_000, xyz, acme, visitor=visitors[0], at=FIXED_NOW - 10 * day),  # early
                 click(5_001, xyz, acme, visitor=visitors[0], at=FIXED_NOW + day),
                 click(5_002, xyz, acme, visitor=visitors[1], bot="burst", unique=False),
                 click(5_003, riv, rival, visitor=visitors[1])]
        uow.tracking.add_clicks(rows)
        uow.commit()
    since, until = FIXED_NOW - day, FIXED_NOW + 2 * day
    with store.uow() as uow:
        all_of_them = uow.tracking.visitor_touches(acme, visitors=visitors, since=since,
                                                   until=until)
        first = uow.tracking.touches(acme, click_ids=["click000000", "click005000"],
                                     since=since, until=until)
        unbounded = uow.tracking.visitor_touches(acme, visitors=visitors[:1])
        nobody = uow.tracking.visitor_touches(acme, visitors=[])
        both = uow.tracking.touches(acme, click_ids=["click000000"], visitors=visitors[1:3],
                                    since=since, until=until)
        counts = uow.tracking.click_counts(acme, link_ids=[xyz], since=since)
    assert len(all_of_them) == 2_501 and {t.visitor for t in all_of_them} == set(visitors)
    assert [t.at for t in all_of_them] == sorted(t.at for t in all_of_them)
    # The early click is outside the period, yet found by its id (attribution explains it).
    assert [t.click_id for t in first] == ["click005000", "click000000", "click005001"]
    assert [t.click_id for t in unbounded] == ["click005000", "click000000", "click005001"]
    assert nobody == [] and counts == {xyz: ClickCounts(total=1, unique=1, bots=1)}
    # Given visitors join the click ids' own in the same pass; the bot click stays out.
    assert [t.click_id for t in both] == ["click000000", "click000001", "click000002",
                                          "click005001"]
