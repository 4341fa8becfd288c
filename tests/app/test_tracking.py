"""Tracking set-up on a real SQLite database: settings, links in bulk, promo codes."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from kolscope.adapters.db.database import Database
from kolscope.app import tracking as tr
from kolscope.errors import Conflict, InvalidInput, NotFound
from kolscope.settings import Settings
from tests.app.tracking_world import SHOP, clicks_on, tracked_campaign
from tests.conftest import FIXED_NOW


def test_settings_start_from_defaults_and_change_field_by_field(db: Database,
                                                                workspace: str) -> None:
    with db.uow() as uow:
        first = tr.tracking_settings(uow, workspace="acme")
        assert first.utm["medium"] == "influencer" and not first.has_webhook_secret
        assert first.site_key.startswith("ks_")
        changed = tr.update_tracking_settings(uow, workspace="acme", now=FIXED_NOW,
                                              utm={"medium": "kol"}, promo={"prefix": "acme"},
                                              webhook_secret="s" * 32)
        assert changed.utm["medium"] == "kol" and changed.utm["source"] == "{platform}"
        assert changed.promo["prefix"] == "ACME" and changed.has_webhook_secret
        assert changed.site_key == first.site_key
        with pytest.raises(InvalidInput, match="unknown placeholder"):
            tr.update_tracking_settings(uow, workspace="acme", now=FIXED_NOW,
                                        utm={"term": "{nope}"})
        with pytest.raises(InvalidInput, match="16 characters"):
            tr.update_tracking_settings(uow, workspace="acme", now=FIXED_NOW,
                                        webhook_secret="short")
        rotated = tr.update_tracking_settings(uow, workspace="acme", now=FIXED_NOW,
                                              new_site_key=True)
        assert rotated.site_key != first.site_key and rotated.has_webhook_secret
        uow.commit()


def test_links_in_bulk_one_per_deliverable_and_idempotent(db: Database, settings: Settings,
                                                          workspace: str, tmp_path: Path) -> None:
    ids = tracked_campaign(db, settings, tmp_path)
    with db.uow() as uow:
        links = tr.create_links(uow, workspace="acme", slug="spring", destination=SHOP,
                                now=FIXED_NOW)
        uow.commit()
    # mia has two deliverables, leo one; zoe is only shortlisted and gets none.
    assert [link.collaboration_id for link in links] == [ids["mia"], ids["mia"], ids["leo"]]
    assert len({link.code for link in links}) == 3
    query = dict(parse_qsl(urlsplit(links[1].url).query))
    assert query == {"ref": "kol", "utm_source": "instagram", "utm_medium": "influencer",
                     "utm_campaign": "spring", "utm_content": "instagram-image-2",
                     "utm_term": "mia"}
    with db.uow() as uow:
        again = tr.create_links(uow, workspace="acme", slug="spring", destination=SHOP,
                                now=FIXED_NOW + timedelta(hours=1))
        zoe = tr.create_links(uow, workspace="acme", slug="spring", handles=["@zoe"],
                              destination=SHOP, code="zoe-spring", now=FIXED_NOW)
        uow.commit()
    assert [link.code for link in again] == [link.code for link in links]
    assert [link.code for link in zoe] == ["zoe-spring"] and zoe[0].deliverable_id is None
    with db.uow() as uow:
        rows = tr.campaign_links(uow, workspace="acme", slug="spring")
    assert [(r.handle, r.deliverable) for r in rows] == [
        ("mia", "instagram-image-1"), ("mia", "instagram-image-2"),
        ("leo", "instagram-short_video-1"), ("zoe", None)]


def test_link_refusals_store_nothing(db: Database, settings: Settings, workspace: str,
                                     tmp_path: Path) -> None:
    tracked_campaign(db, settings, tmp_path)
    with db.uow() as uow:
        with pytest.raises(InvalidInput, match="must start with http"):
            tr.create_links(uow, workspace="acme", slug="spring",
                            destination="javascript:alert(1)", now=FIXED_NOW)
        with pytest.raises(InvalidInput, match="one link"):
            tr.create_links(uow, workspace="acme", slug="spring", destination=SHOP,
                            code="mine", now=FIXED_NOW)
        with pytest.raises(NotFound, match="not in campaign"):
            tr.create_links(uow, workspace="acme", slug="spring", handles=["bob"],
                            destination=SHOP, now=FIXED_NOW)
        with pytest.raises(InvalidInput, match="reserved"):
            tr.create_links(uow, workspace="acme", slug="spring", handles=["zoe"],
                            destination=SHOP, code="api", now=FIXED_NOW)
        tr.create_links(uow, workspace="acme", slug="spring", handles=["leo"], destination=SHOP,
                        code="taken", per_deliverable=False, now=FIXED_NOW)
        with pytest.raises(Conflict, match="taken"):
            tr.create_links(uow, workspace="acme", slug="spring", handles=["zoe"],
                            destination=SHOP, code="taken", now=FIXED_NOW)
        uow.commit()
    with db.uow() as uow:
        assert [r.link.code for r in tr.campaign_links(uow, workspace="acme", slug="spring")] \
            == ["taken"]


def test_a_disabled_link_keeps_its_clicks(db: Database, settings: Settings, workspace: str,
                                          tmp_path: Path) -> None:
    tracked_campaign(db, settings, tmp_path)
    with db.uow() as uow:
        (link,) = tr.create_links(uow, workspace="acme", slug="spring", handles=["leo"],
                                  destination=SHOP, now=FIXED_NOW)
        uow.commit()
    clicks_on(db, link.id, link.code, ["v1", "v2", "v1"])
    with db.uow() as uow:
        off = tr.set_link_enabled(uow, workspace="acme", code=link.code, enabled=False,
                                  now=FIXED_NOW)
        (row,) = tr.campaign_links(uow, workspace="acme", slug="spring")
        with pytest.raises(NotFound):
            tr.set_link_enabled(uow, workspace="acme", code="nope", enabled=False,
                                now=FIXED_NOW)
    assert not off.enabled and row.clicks.total == 3
    assert tr.short_url("https://go.acme.test/", "Ab3") == "https://go.acme.test/Ab3"


def test_promo_codes_from_handles_unique_and_idempotent(db: Database, settings: Settings,
                                                        workspace: str, tmp_path: Path) -> None:
    tracked_campaign(db, settings, tmp_path)
    with db.uow() as uow:
        tr.update_tracking_settings(uow, workspace="acme", now=FIXED_NOW,
                                    promo={"prefix": "", "separator": ""})
        codes = tr.create_promo_codes(uow, workspace="acme", slug="spring", now=FIXED_NOW,
                                      suffix="15")
        again = tr.create_promo_codes(uow, workspace="acme", slug="spring", now=FIXED_NOW)
        mine = tr.create_promo_codes(uow, workspace="acme", slug="spring", handles=["zoe"],
                                     code="zoe-glow", now=FIXED_NOW)
        with pytest.raises(InvalidInput, match="one KOL"):
            tr.create_promo_codes(uow, workspace="acme", slug="spring", code="x" * 5,
                                  now=FIXED_NOW)
        uow.commit()
    assert [(r.handle, r.promo.code) for r in codes] == [("mia", "MIA15"), ("leo", "LEO15")]
    assert [r.promo.code for r in again] == ["MIA15", "LEO15"]
    assert [(r.handle, r.promo.code, r.promo.key) for r in mine] == [
        ("zoe", "ZOE-GLOW", "Z0EG10W")]
    with db.uow() as uow:
        assert len(tr.campaign_promo_codes(uow, workspace="acme", slug="spring")) == 3
