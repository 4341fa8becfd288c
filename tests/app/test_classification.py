"""Niche prediction and KOL typing on a small world whose answers are known."""

from __future__ import annotations

from pathlib import Path

import pytest

from kolscope.adapters.db.database import Database
from kolscope.adapters.engines import get_engine
from kolscope.app.accounts import flag_virtual, get_profile, resolve_account
from kolscope.app.classification import breakdown, classify_workspace
from kolscope.app.discovery import compute_authority
from kolscope.app.models import AccountQuery, ClassificationView
from kolscope.errors import NotFound
from kolscope.settings import Settings
from tests.conftest import do_import, fixed_clock, search

WORLD = [
    '{"type": "account", "platform": "instagram", "handle": "derm", "niche": "beauty", '
    '"followers": 40000, "bio": "Board-certified dermatologist"}',
    '{"type": "account", "platform": "instagram", "handle": "anna", "niche": "beauty", '
    '"followers": 120000}',
    '{"type": "account", "platform": "instagram", "handle": "bea", "niche": "beauty"}',
    '{"type": "account", "platform": "xiaohongshu", "handle": "小美", "followers": 3000}',
    '{"type": "post", "platform": "instagram", "post_id": "p1", "handle": "derm", '
    '"format": "image", "caption": "sunscreen every day", "comments": ['
    '{"comment_id": "c1", "author": "anna", "text": "so useful"}, '
    '{"comment_id": "c2", "author": "bea", "text": "thank you doctor"}]}',
    '{"type": "post", "platform": "xiaohongshu", "post_id": "x1", "handle": "小美", '
    '"format": "image", "caption": "这款口红和面霜真的很好用，回购了"}',
]


@pytest.fixture
def classified(db: Database, settings: Settings, workspace: str, tmp_path: Path) -> Database:
    path = tmp_path / "world.jsonl"
    path.write_text("\n".join(WORLD) + "\n")
    assert do_import(db, settings, "generic", path).rejected == 0
    compute_authority(db.uow, workspace="acme", engine=get_engine("local"), clock=fixed_clock)
    summary = classify_workspace(db.uow, workspace="acme", clock=fixed_clock)
    assert summary.accounts == 4
    assert summary.trained_on == 0  # too few labelled accounts: the lexicon alone decides
    return db


def classification(db: Database, handle: str) -> ClassificationView:
    with db.uow() as uow:
        account_id = resolve_account(uow, workspace="acme", handle=handle)
        found = get_profile(uow, workspace="acme", account_id=account_id).classification
    assert found is not None
    return found


def test_the_credentialed_endorsed_account_is_an_expert(classified: Database) -> None:
    derm = classification(classified, "derm")
    assert derm.kol_type == "expert"
    assert "dermatologist" in derm.credentials
    signals = {r["signal"] for r in derm.kol_type_reasons}
    assert {"peer_endorsers", "authority_percentile", "followers"} <= signals
    assert derm.kol_type_method == "kol-type-1" and derm.niche_method == "niche-1"


def test_a_chinese_account_without_a_label_gets_a_niche_with_evidence(
        classified: Database, settings: Settings) -> None:
    xiaomei = classification(classified, "小美")
    assert xiaomei.niche == "beauty" and xiaomei.niche_confidence is not None
    assert {e["term"] for e in xiaomei.niche_evidence} & {"口红", "面霜"}
    found = search(classified, settings, AccountQuery(niche="beauty"))
    # the predicted niche fills the gap the source left, so search finds it
    assert "小美" in [a.handle for a in found.items]


def test_search_filters_by_type_and_breakdown_counts(classified: Database,
                                                     settings: Settings) -> None:
    experts = search(classified, settings, AccountQuery(kol_type="expert"))
    with classified.uow() as uow:
        rows = breakdown(uow, workspace="acme")
    assert [a.handle for a in experts.items] == ["derm"]
    assert sum(r.accounts for r in rows) == 4
    assert any(r.kol_type == "expert" and r.niche == "beauty" for r in rows)


def test_a_creator_is_flagged_virtual_by_hand_and_keeps_its_type(classified: Database) -> None:
    before = classification(classified, "anna")
    with classified.uow() as uow:
        anna = resolve_account(uow, workspace="acme", handle="anna")
        version = uow.workspaces.get("acme").data_version  # type: ignore[union-attr]
        flag_virtual(uow, workspace="acme", account_id=anna, is_virtual=True)
        uow.commit()
    after = classification(classified, "anna")
    assert after.is_virtual and after.kol_type == before.kol_type
    flag = next(r for r in after.kol_type_reasons if r["signal"] == "is_virtual")
    assert flag["met"] is True and "flagged by hand" in flag["note"]
    with classified.uow() as uow:
        assert uow.workspaces.get("acme").data_version > version  # type: ignore[union-attr]
        flag_virtual(uow, workspace="acme", account_id=anna, is_virtual=False)
        uow.commit()
    assert not classification(classified, "anna").is_virtual
    # a new classification run keeps the hand-set flag: it reads it from the creator
    with classified.uow() as uow:
        flag_virtual(uow, workspace="acme", account_id=anna, is_virtual=True)
        uow.commit()
    classify_workspace(classified.uow, workspace="acme", clock=fixed_clock)
    assert classification(classified, "anna").is_virtual
    with classified.uow() as uow, pytest.raises(NotFound):
        flag_virtual(uow, workspace="acme", account_id=10**9, is_virtual=True)
