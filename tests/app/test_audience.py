"""Audience research on a world built so that the answer is known."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kolscope.adapters.db.database import Database
from kolscope.app.audience import research_audience
from kolscope.errors import InvalidInput, NotFound
from kolscope.settings import Settings
from tests.conftest import do_import


def post(post_id: str, handle: str, commenters: list[str], text: str = "nice") -> str:
    return json.dumps({"type": "post", "platform": "instagram", "post_id": post_id,
                       "handle": handle, "format": "image", "comments": [
                           {"comment_id": f"{post_id}-{c}", "author": c, "text": text}
                           for c in commenters]})


@pytest.fixture
def world(db: Database, settings: Settings, workspace: str, tmp_path: Path) -> Database:
    fans = [f"fan{i}" for i in range(10)]
    others = [f"other{i}" for i in range(30)]
    lines = [
        post("p1", "derm", fans, "need a good #retinol"),  # the audience: derm's commenters
        post("p2", "skinlab", fans[:6] + others[:2]),  # most of them also follow skinlab
        post("p3", "bigbrand", fans[:3] + others),  # everyone follows bigbrand
        post("p4", "gamer", others[:10], "gg #retinol"),
    ]
    path = tmp_path / "world.jsonl"
    path.write_text("\n".join(lines) + "\n")
    assert do_import(db, settings, "generic", path).rejected == 0
    return db


def test_seeded_audience_over_indexes_on_the_niche_account(world: Database) -> None:
    with world.uow() as uow:
        report = research_audience(uow, workspace="acme", seeds=["derm"], words=[])
    assert (report.audience_size, report.population_size) == (10, 40)
    # skinlab: 6 of 10 fans vs 8 of 40 people: lift (0.6 / 0.2) = 3; bigbrand: 0.3 / 0.825
    assert [a.handle for a in report.accounts] == ["skinlab", "bigbrand"]
    assert report.accounts[0].lift == pytest.approx(3.0)
    assert report.accounts[1].lift < 1
    assert "derm" not in [a.handle for a in report.accounts]
    # the fans alone write "need" and "good" (lift 10/10 / 10/40 = 4); the gamers write
    # #retinol too (lift 10/10 / 20/40 = 2); "nice" everyone writes (6/10 / 36/40 = 2/3)
    lifts = {t.item: t.lift for t in report.terms}
    assert lifts == pytest.approx({"need": 4.0, "good": 4.0, "#retinol": 2.0, "nice": 2 / 3})


def test_an_audience_by_words_leaves_those_words_out(world: Database) -> None:
    with world.uow() as uow:
        report = research_audience(uow, workspace="acme", seeds=[], words=["#retinol"])
    assert report.audience_size == 20  # the fans and the ten gamers' followers
    assert all("retinol" not in t.item for t in report.terms)


def test_bad_definitions_are_refused(world: Database) -> None:
    with world.uow() as uow:
        with pytest.raises(InvalidInput):
            research_audience(uow, workspace="acme", seeds=[], words=[])
        with pytest.raises(NotFound):
            research_audience(uow, workspace="acme", seeds=["nobody"], words=[])
        with pytest.raises(InvalidInput):
            research_audience(uow, workspace="acme", seeds=[], words=["zzzz"])
