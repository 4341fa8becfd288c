"""Match scores: goal weights, unknown criteria, exclusions and hand-checked points."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kolscope.core.matching.brief import Brief, Goal
from kolscope.core.matching.match import (
    CRITERIA,
    WEIGHTS,
    Candidate,
    efficiency_percentiles,
    score_matches,
)

BRIEF = Brief.model_validate({"goal": "conversion", "product": "Serum", "budget": "1000",
                              "currency": "USD", "platforms": ["instagram"],
                              "formats": ["post"], "audience": {"languages": ["en"]}})


def full(**extra: object) -> Candidate:
    base: dict[str, object] = {
        "account_id": 1, "handle": "mia", "platform": "instagram", "relevance": 1.0,
        "authority_percentile": 100.0, "language": "en", "vetting_risk": 0.0,
        "verdict": "pass", "sponsored_share": 0.1, "formats": ("image", "carousel"),
        "expected_engagements": 500.0, "cost": Decimal(100), "rehire": "rehire"}
    return Candidate(**{**base, **extra})  # type: ignore[arg-type]


def test_weights_add_up_to_one_for_every_goal() -> None:
    for goal in Goal:
        assert sum(WEIGHTS[goal]) == pytest.approx(1.0)
        assert len(WEIGHTS[goal]) == len(CRITERIA)


def test_a_perfect_candidate_scores_100_with_full_coverage() -> None:
    m = score_matches([full(), full(account_id=2)], BRIEF)[0]  # equal cost efficiency: top
    assert m.score == 100.0 and m.coverage == 1.0 and m.excluded is None
    assert sum(c.contribution for c in m.criteria) == pytest.approx(100.0)


def test_unknown_criteria_lower_coverage_not_the_score_of_the_rest() -> None:
    m = score_matches([full(authority_percentile=None, rehire=None), full(account_id=2)],
                      BRIEF)[0]
    assert m.coverage == pytest.approx(1 - 0.10 - 0.05)  # conversion weights
    assert m.score == 100.0
    authority = next(c for c in m.criteria if c.key == "authority")
    assert authority.value is None and authority.reason == "no authority score yet"


def test_hand_checked_points() -> None:
    # off-language (audience 1/2), 40 % sponsored (saturation 0.5), half the posts in format
    c = full(language="zh", sponsored_share=0.4, formats=("image", "short_video"))
    m = next(x for x in score_matches([c, full(account_id=2)], BRIEF) if x.account_id == 1)
    points = {x.key: x.contribution for x in m.criteria}
    assert points["audience_fit"] == pytest.approx(15 * 0.5)
    assert points["saturation"] == pytest.approx(10 * 0.5)
    assert points["format_fit"] == pytest.approx(5 * 0.5)
    assert m.score == pytest.approx(100 - 7.5 - 5 - 2.5)


def test_exclusions_sort_last_with_their_reason() -> None:
    ok = full(account_id=2, handle="ok", relevance=0.2)
    red = full(account_id=3, handle="red", red_lines=("casino",))
    rival = full(account_id=4, handle="rival", competitors=("rivalco",))
    failed = full(account_id=5, handle="bots", verdict="fail", vetting_risk=60.0)
    ranked = score_matches([red, rival, failed, ok], BRIEF)
    assert [m.handle for m in ranked] == ["ok", "red", "rival", "bots"]
    assert ranked[1].excluded == "red line in recent posts: casino"
    assert ranked[2].excluded is not None and "rivalco" in ranked[2].excluded
    assert ranked[3].excluded == "failed vetting"


def test_cost_efficiency_is_a_percentile_among_candidates() -> None:
    cands = [full(account_id=i, expected_engagements=e, cost=Decimal(100))
             for i, e in enumerate((100.0, 300.0, 200.0), start=1)]
    assert efficiency_percentiles(cands) == [0.0, 1.0, 0.5]
    assert efficiency_percentiles([full(cost=None)]) == [None]


def test_goal_changes_the_order() -> None:
    expert = full(account_id=1, handle="expert", authority_percentile=99.0,
                  expected_engagements=100.0)
    cheap = full(account_id=2, handle="cheap", authority_percentile=10.0,
                 expected_engagements=900.0)
    education = BRIEF.model_copy(update={"goal": Goal.EDUCATION})
    awareness = BRIEF.model_copy(update={"goal": Goal.AWARENESS})
    assert score_matches([cheap, expert], education)[0].handle == "expert"
    assert score_matches([cheap, expert], awareness)[0].handle == "cheap"
