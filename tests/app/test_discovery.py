"""Authority on a small graph whose answer is known: the creator others endorse comes first."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from kolscope.adapters.db.database import Database
from kolscope.adapters.db.tables import AuthorityScore
from kolscope.adapters.engines import get_engine
from kolscope.app.accounts import get_profile, resolve_account
from kolscope.app.discovery import compute_authority
from kolscope.app.models import AccountQuery, AccountSort, AuthorityView
from kolscope.settings import Settings
from tests.conftest import do_import, fixed_clock, search

WORLD = [
    '{"type": "account", "platform": "instagram", "handle": "derm", "niche": "beauty", '
    '"bio": "Board-certified dermatologist"}',
    '{"type": "account", "platform": "instagram", "handle": "anna", "niche": "beauty"}',
    '{"type": "account", "platform": "instagram", "handle": "bea", "niche": "beauty"}',
    '{"type": "account", "platform": "instagram", "handle": "tom", "niche": "travel"}',
    # anna and bea (creators) comment on derm's post; a fan comments on anna's
    '{"type": "post", "platform": "instagram", "post_id": "p1", "handle": "derm", '
    '"format": "image", "posted_at": "2024-05-01T10:00:00Z", "comments": ['
    '{"comment_id": "c1", "author": "anna", "text": "so useful"}, '
    '{"comment_id": "c2", "author": "bea", "text": "thank you doctor"}]}',
    '{"type": "post", "platform": "instagram", "post_id": "p2", "handle": "anna", '
    '"format": "image", "posted_at": "2024-05-02T10:00:00Z", "comments": ['
    '{"comment_id": "c3", "author": "fan1", "text": "cute"}]}',
    # tom's post names derm
    '{"type": "post", "platform": "instagram", "post_id": "p3", "handle": "tom", '
    '"format": "image", "posted_at": "2024-05-03T10:00:00Z", "caption": "ask @derm"}',
]


@pytest.fixture
def scored(db: Database, settings: Settings, workspace: str, tmp_path: Path) -> Database:
    path = tmp_path / "world.jsonl"
    path.write_text("\n".join(WORLD) + "\n")
    assert do_import(db, settings, "generic", path).rejected == 0
    summary = compute_authority(db.uow, workspace="acme", engine=get_engine("local"),
                                clock=fixed_clock)
    # 3 comments (one by a fan) and one mention; the fan is a node but not a creator
    assert (summary.interactions, summary.nodes, summary.creators_scored) == (4, 5, 4)
    assert summary.niches == 2
    return db


def authority_of(db: Database, handle: str) -> AuthorityView:
    with db.uow() as uow:
        account_id = resolve_account(uow, workspace="acme", handle=handle)
        authority = get_profile(uow, workspace="acme", account_id=account_id).authority
    assert authority is not None
    return authority


def test_the_endorsed_expert_has_the_most_authority(scored: Database) -> None:
    derm = authority_of(scored, "derm")
    assert (derm.in_edges, derm.peer_endorsers) == (3, 3)
    assert derm.pagerank_percentile == 100.0 and derm.niche_percentile == 100.0
    assert derm.method_version == "authority-1" and derm.engine == "local"
    anna = authority_of(scored, "anna")
    assert (anna.in_edges, anna.peer_endorsers) == (1, 0)
    assert anna.pagerank < derm.pagerank
    # in its niche (instagram|travel) tom is alone: a rank among no peers is not given
    assert authority_of(scored, "tom").niche_percentile is None


def test_search_sorts_and_filters_by_authority(scored: Database, settings: Settings) -> None:
    ranked = search(scored, settings, AccountQuery(sort=AccountSort.AUTHORITY))
    top = search(scored, settings, AccountQuery(min_authority_percentile=100))
    assert ranked.items[0].handle == "derm"
    assert ranked.items[0].authority_percentile == 100.0
    assert [a.handle for a in top.items] == ["derm"]


def test_a_new_run_replaces_the_last(scored: Database) -> None:
    compute_authority(scored.uow, workspace="acme", engine=get_engine("local"),
                      clock=fixed_clock)
    with scored.engine.connect() as c:
        assert c.scalar(select(func.count()).select_from(AuthorityScore)) == 4
