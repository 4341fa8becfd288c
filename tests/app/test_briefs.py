"""Briefs on a real SQLite database: versions, no-op re-puts, campaigns that follow a brief."""

from __future__ import annotations

import pytest

from kolscope.adapters.db.database import Database
from kolscope.app import campaigns as camp
from kolscope.app.briefs import brief_versions, get_brief, list_briefs, parse_brief, put_brief
from kolscope.errors import InvalidInput, NotFound
from tests.conftest import FIXED_NOW

DOC = {"goal": "awareness", "product": "Sunscreen", "niche": "beauty", "budget": "8000",
       "currency": "EUR", "platforms": ["instagram", "xiaohongshu"]}


def test_versions_and_unchanged_puts(db: Database, workspace: str) -> None:
    with db.uow() as uow:
        first, changed = put_brief(uow, workspace="acme", slug="sun", brief=parse_brief(DOC),
                                   actor="ana", now=FIXED_NOW)
        assert changed and first.version == 1
        again, changed = put_brief(uow, workspace="acme", slug="sun", brief=parse_brief(DOC),
                                   actor="ana", now=FIXED_NOW)
        assert not changed and again.version == 1
        second, changed = put_brief(uow, workspace="acme", slug="sun", actor="bo", now=FIXED_NOW,
                                    brief=parse_brief({**DOC, "budget": "9000"}))
        assert changed and second.version == 2
        uow.commit()
    with db.uow() as uow:
        assert str(get_brief(uow, workspace="acme", slug="sun").brief.budget) == "9000"
        assert str(get_brief(uow, workspace="acme", slug="sun", version=1).brief.budget) == "8000"
        assert [v.version for v in brief_versions(uow, workspace="acme", slug="sun")] == [1, 2]
        assert [(v.slug, v.version) for v in list_briefs(uow, workspace="acme")] == [("sun", 2)]
        campaign = camp.create_campaign(uow, workspace="acme", now=FIXED_NOW,
                                        campaign_in=camp.parse_campaign(
                                            {"slug": "summer", "name": "Summer", "brand": "Acme",
                                             "brief": "sun"}))
        assert (campaign.brief, campaign.brief_version) == ("sun", 2)
        with pytest.raises(NotFound, match="no brief 'moon'"):
            camp.create_campaign(uow, workspace="acme", now=FIXED_NOW,
                                 campaign_in=camp.parse_campaign(
                                     {"slug": "x", "name": "X", "brand": "Acme", "brief": "moon"}))
        with pytest.raises(NotFound, match="version 7"):
            get_brief(uow, workspace="acme", slug="sun", version=7)


def test_bad_briefs_are_refused_with_the_field(db: Database, workspace: str) -> None:
    with pytest.raises(InvalidInput, match=r"brief\.toml: tier_mix: shares must add up to 1"):
        parse_brief({**DOC, "tier_mix": {"micro": 0.5}}, where="brief.toml")
    with pytest.raises(InvalidInput, match="budget"):
        parse_brief({**DOC, "budget": 10.5})
    with db.uow() as uow, pytest.raises(InvalidInput, match="slug"):
        put_brief(uow, workspace="acme", slug="Not A Slug", brief=parse_brief(DOC), actor="a",
                  now=FIXED_NOW)
