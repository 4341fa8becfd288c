"""The in-memory link table follows the database: new, edited, disabled and deleted links."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete

from kolscope.adapters.db.database import Database
from kolscope.adapters.db.tables import TrackingLinkRow
from kolscope.app.tracking_views import LinkIn, RedirectTarget
from kolscope.redirect.links import FULL_RELOAD, LinkTable, target_of
from tests.conftest import FIXED_NOW
from tests.redirect.conftest import CountingUow, put_links


def target(url: str, enabled: bool = True) -> RedirectTarget:
    return RedirectTarget(1, 1, "abc", url, enabled, FIXED_NOW)


def test_the_click_id_goes_into_the_query_before_any_fragment() -> None:
    cases = {"https://a.example/": "https://a.example/?ks_click=ID",
             "https://a.example/p?x=1": "https://a.example/p?x=1&ks_click=ID",
             "https://a.example/p?": "https://a.example/p?ks_click=ID",
             "https://a.example/p?x=1#top": "https://a.example/p?x=1&ks_click=ID#top",
             "https://a.example/商品?q=春": "https://a.example/%E5%95%86%E5%93%81?q=%E6%98%A5"
                                           "&ks_click=ID",
             "https://a.example/a%20b": "https://a.example/a%20b?ks_click=ID",
             # a click id already there goes: a shop reads the first one
             "https://a.example/p?ks_click=old&a=1": "https://a.example/p?a=1&ks_click=ID",
             "https://a.example/p?ks_click=old": "https://a.example/p?ks_click=ID",
             "https://a.example/p?a=1&ks_click=old#f": "https://a.example/p?a=1&ks_click=ID#f",
             "https://a.example/p?ks_clicks=1": "https://a.example/p?ks_clicks=1&ks_click=ID"}
    for url, expected in cases.items():
        made = target_of(target(url))
        assert made is not None and made.head + "ID" + made.tail == expected


def test_disabled_links_and_non_web_urls_are_not_served() -> None:
    assert target_of(target("https://a.example/", enabled=False)) is None
    assert target_of(target("javascript:alert(1)")) is None
    assert target_of(target("ftp://a.example/")) is None


def test_changes_reach_the_table_and_quiet_polls_read_nothing(linked: Database) -> None:
    counting = CountingUow(linked)
    clock = [0.0]
    table = LinkTable(counting, clock=lambda: clock[0])
    assert table.refresh() == 3  # the first refresh reads everything
    assert set(table.by_path) == {"/serum", "/plain"}
    assert table.refresh() == 0  # nothing changed: only the signature was read
    later = FIXED_NOW + timedelta(minutes=1)
    put_links(linked, LinkIn(code="new", destination="https://n.example/",
                             url="https://n.example/"),
              LinkIn(code="plain", destination="https://p.example/", url="https://p.example/",
                     enabled=False),
              LinkIn(code="off", destination="https://o.example/", url="https://o.example/"),
              now=later)
    assert table.refresh() == 3
    assert set(table.by_path) == {"/serum", "/new", "/off"}
    assert table.by_path["/off"].head == "https://o.example/?ks_click="


def test_a_deleted_link_is_noticed_by_its_count(linked: Database) -> None:
    table = LinkTable(linked.uow)
    table.refresh()
    with linked.uow() as uow:
        uow.session.execute(delete(TrackingLinkRow).where(TrackingLinkRow.code == "serum"))
        uow.commit()
    table.refresh()
    assert set(table.by_path) == {"/plain"}


def test_an_edit_stamped_in_the_past_is_caught_by_the_periodic_reload(linked: Database) -> None:
    clock = [0.0]
    table = LinkTable(linked.uow, clock=lambda: clock[0])
    table.refresh()
    put_links(linked, LinkIn(code="serum", destination="https://s.example/",
                             url="https://s.example/"), now=FIXED_NOW - timedelta(days=1))
    table.refresh()  # neither the count nor the newest time moved
    assert table.by_path["/serum"].head.startswith("https://shop.example/")
    clock[0] += FULL_RELOAD
    table.refresh()
    assert table.by_path["/serum"].head == "https://s.example/?ks_click="


def test_polling_runs_in_the_background(linked: Database) -> None:
    table = LinkTable(linked.uow, interval=0.01)
    table.start()
    try:
        put_links(linked, LinkIn(code="late", destination="https://l.example/",
                                 url="https://l.example/"), now=FIXED_NOW + timedelta(hours=1))
        for _ in range(500):
            if "/late" in table.by_path:
                break
            table._stop.wait(0.01)
        assert "/late" in table.by_path
    finally:
        table.close()
