"""Plans for a brief on a world whose audiences overlap by design: reach chosen on half of the
engagers and checked on the other half; influence checked by fresh simulations."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from kolscope.adapters.db.database import Database
from kolscope.adapters.search import FileIndexStore
from kolscope.app.accounts import resolve_account
from kolscope.app.briefs import parse_brief, put_brief
from kolscope.app.planning import MIN_ENGAGERS, plan_brief, stored_plan
from kolscope.errors import InvalidInput
from kolscope.settings import Settings
from tests.conftest import FIXED_NOW, do_import

#: twin_a and twin_b share every engager; solo's engagers are its own; thin has too few.
FANS = {"twin_a": [f"fan{i}" for i in range(40)], "twin_b": [f"fan{i}" for i in range(40)],
        "solo": [f"solo{i}" for i in range(40)], "thin": ["x1", "x2"]}


def _world(path: Path) -> Path:
    rows: list[dict[str, object]] = []
    for handle, fans in FANS.items():
        rows.append({"type": "account", "platform": "instagram", "handle": handle,
                     "display_name": handle, "followers": 20_000, "following": 300,
                     "posts": 40, "niche": "beauty", "bio": "skincare and beauty"})
        for i in range(4):
            rows.append({"type": "post", "platform": "instagram", "post_id": f"{handle}{i}",
                         "handle": handle, "format": "image", "likes": 800,
                         "comments_count": len(fans), "caption": f"skincare beauty {i}",
                         "posted_at": f"2025-12-{10 + i:02d}T08:00:00Z",
                         "comments": [{"comment_id": f"{handle}{i}-{f}", "author": f,
                                       "text": "love it"} for f in fans]})
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def world(db: Database, settings: Settings, workspace: str, tmp_path: Path) -> Database:
    assert do_import(db, settings, "generic", _world(tmp_path / "w.jsonl")).rejected == 0
    with db.uow() as uow:
        put_brief(uow, workspace="acme", slug="glow", actor="ana", now=FIXED_NOW,
                  brief=parse_brief({"goal": "awareness", "product": "serum",
                                     "niche": "beauty", "keywords": ["skincare"],
                                     "budget": "100000", "currency": "USD"}))
        uow.commit()
    return db


def _plan(db: Database, settings: Settings, **kwargs: object):  # type: ignore[no-untyped-def]
    with db.uow() as uow:
        return plan_brief(uow, FileIndexStore(settings.data_dir / "search"), workspace="acme",
                          slug="glow", now=FIXED_NOW, **kwargs)  # type: ignore[arg-type]


def test_reach_counts_shared_engagers_once_and_checks_exactly(world: Database,
                                                                settings: Settings) -> None:
    assert len(FANS["thin"]) < MIN_ENGAGERS
    view = _plan(world, settings)
    p = view.plan
    picks = {k.handle: k for k in p.picks}
    # the budget buys all four, but the second twin adds nothing: its engagers are the first's
    assert {"solo", "thin"} <= set(picks) and len({"twin_a", "twin_b"} & set(picks)) == 1
    assert "3 of 4 candidates' overlaps measured" in p.estimate
    assert "engager samples" in picks["solo"].reason
    assert "modelled from counts" in picks["thin"].reason
    assert p.check is not None and p.check.method == "the other half of the engagers"
    # the other half sees the same overlaps: the check agrees with the claim
    assert p.check.value == pytest.approx(p.value, rel=0.02)
    assert "2 of 3 picks' overlaps counted afresh" in p.check.note
    assert p.value == pytest.approx(sum(k.gain for k in p.picks))  # gains explain the total


def test_influence_plan_is_checked_by_fresh_simulations(world: Database,
                                                         settings: Settings) -> None:
    view = _plan(world, settings, objective="influence", budget=Decimal(5000))
    p = view.plan
    assert p.objective == "influence" and p.picks and p.spent <= Decimal(5000)
    assert "RR sets sized for" in p.estimate
    assert p.check is not None and p.check.runs == 2000 and p.check.stderr is not None
    # an author reaches their commenters with certainty (each commenter engages one or two
    # authors), so spreads are large and the estimate sits within a few standard errors
    assert p.check.value >= len(p.picks)
    assert abs(p.check.value - p.value) <= 4 * p.check.stderr + 0.05 * p.value


def test_saved_plans_keep_their_check_and_objectives_are_validated(
        world: Database, settings: Settings) -> None:
    with world.uow() as uow:
        made = plan_brief(uow, FileIndexStore(settings.data_dir / "search"), workspace="acme",
                          slug="glow", now=FIXED_NOW, save=True)
        uow.commit()
    assert made.id is not None
    with world.uow() as uow:
        again = stored_plan(uow, workspace="acme", plan_id=made.id)
    assert again.plan == made.plan
    with pytest.raises(InvalidInput, match="objective must be one of"):
        _plan(world, settings, objective="vibes")


def test_excluded_accounts_are_never_picked(world: Database, settings: Settings) -> None:
    with world.uow() as uow:
        solo = resolve_account(uow, workspace="acme", handle="solo")
    p = _plan(world, settings, exclude=[solo]).plan
    assert "solo" not in {k.handle for k in p.picks} and p.picks
    assert "1 matched account(s) excluded as asked" in p.skipped
