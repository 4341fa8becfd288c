"""The search form: percentages become fractions, blanks are ignored, mistakes become messages."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from kolscope.app.models import AccountSort
from kolscope.core.discovery.tiers import Tier
from kolscope.core.platforms import Platform
from kolscope.web.forms import FORM, parse_search


def test_a_full_form_becomes_a_query() -> None:
    form = parse_search({"text": " serum ", "platform": "instagram", "tier": "micro",
                         "min_followers": "1000", "max_followers": "50000",
                         "min_engagement_rate": "2.5", "max_engagement_rate": "10%",
                         "sort": "followers", "limit": "50", "offset": "100"})
    assert form.errors == {}
    q = form.query
    assert q is not None
    assert (q.text, q.platform, q.tier, q.sort) == ("serum", Platform.INSTAGRAM, Tier.MICRO,
                                                    AccountSort.FOLLOWERS)
    assert (q.min_followers, q.max_followers, q.limit, q.offset) == (1000, 50000, 50, 100)
    assert q.min_engagement_rate == pytest.approx(0.025)
    assert q.max_engagement_rate == pytest.approx(0.1)


def test_blank_and_unknown_fields_are_ignored() -> None:
    form = parse_search({"platform": "", "min_followers": "  ", "page": "7", "text": ""})
    assert form.values == {} and form.errors == {} and not form.filtered
    assert form.query is not None and form.query.platform is None


def test_links_keep_the_filters_and_move_the_page() -> None:
    form = parse_search({"niche": "beauty", "min_engagement_rate": "3", "offset": "20"})
    assert form.filtered and not parse_search({"sort": "reach", "offset": "20"}).filtered
    assert parse_qs(form.link(40).removeprefix("?")) == {
        "niche": ["beauty"], "min_engagement_rate": ["3"], "offset": ["40"]}


@pytest.mark.parametrize(("params", "field", "message"), [
    ({"min_followers": "many"}, "min_followers", "Enter a whole number"),
    ({"max_followers": "-5"}, "max_followers", "Must be at least 0"),
    ({"min_engagement_rate": "lots"}, "min_engagement_rate", "Enter a percentage"),
    ({"min_engagement_rate": "nan"}, "min_engagement_rate", "Enter a percentage"),
    ({"max_engagement_rate": "-1"}, "max_engagement_rate", "Must be at least 0%"),
    ({"platform": "myspace"}, "platform", "Choose one of: 'instagram'"),
    ({"limit": "5000"}, "limit", "Must be at most 1,000"),
    ({"min_followers": "900", "max_followers": "10"}, "min_followers",
     "Min followers is larger than max followers"),
    ({"min_engagement_rate": "9", "max_engagement_rate": "1"}, "min_engagement_rate",
     "Min engagement rate (%) is larger than max engagement rate (%)"),
])
def test_mistakes_become_messages_beside_their_field(params: dict[str, str], field: str,
                                                      message: str) -> None:
    form = parse_search(params)
    assert form.query is None
    assert form.errors[field].startswith(message)
    assert FORM not in form.errors
    assert form.values == params  # shown again as typed
