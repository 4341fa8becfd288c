"""The collaboration pipeline: the transitions table, stage names and refused moves."""

from __future__ import annotations

import itertools

import pytest

from kolscope.core.campaigns.pipeline import (
    ACTIVE,
    BOARD_ORDER,
    NEEDS_TERMS,
    TRANSITIONS,
    Stage,
    allowed_moves,
    check_move,
    parse_stage,
)
from kolscope.errors import InvalidInput, InvalidTransition

ALLOWED = [(a, b) for a, targets in TRANSITIONS.items() for b in targets]
DISALLOWED = [(a, b) for a, b in itertools.product(Stage, Stage) if b not in TRANSITIONS[a]]

HAPPY_PATH = [Stage.PROSPECT, Stage.SHORTLISTED, Stage.CONTACTED, Stage.NEGOTIATING,
              Stage.AGREED, Stage.CONTRACTED, Stage.CONTENT_REVIEW, Stage.PUBLISHED,
              Stage.COMPLETED, Stage.PAID]


def test_table_covers_every_stage() -> None:
    assert set(TRANSITIONS) == set(Stage)
    assert len(TRANSITIONS) == 12
    assert len(ALLOWED) == 23  # 3+4+3+3+3+2+2+1+1+0+1+0
    assert len(ALLOWED) + len(DISALLOWED) == 12 * 12


def test_no_stage_moves_to_itself() -> None:
    assert all(stage not in targets for stage, targets in TRANSITIONS.items())


@pytest.mark.parametrize(("current", "target"), ALLOWED, ids=lambda s: s.value)
def test_every_allowed_move_passes(current: Stage, target: Stage) -> None:
    assert check_move(current, target) is None
    assert target in allowed_moves(current)


@pytest.mark.parametrize(("current", "target"), [
    (Stage.PROSPECT, Stage.PAID),
    (Stage.PROSPECT, Stage.CONTACTED),
    (Stage.CONTACTED, Stage.AGREED),
    (Stage.NEGOTIATING, Stage.CONTRACTED),
    (Stage.CONTRACTED, Stage.PUBLISHED),
    (Stage.PUBLISHED, Stage.CANCELLED),
    (Stage.COMPLETED, Stage.CANCELLED),
    (Stage.DECLINED, Stage.CONTACTED),
    (Stage.CONTENT_REVIEW, Stage.CONTRACTED),
])
def test_disallowed_move_names_the_allowed_ones(current: Stage, target: Stage) -> None:
    with pytest.raises(InvalidTransition) as info:
        check_move(current, target)
    allowed = ", ".join(s.value for s in TRANSITIONS[current])
    assert info.value.message == (f"cannot move from {current.value} to {target.value}; "
                                  f"allowed from {current.value}: {allowed}")
    assert info.value.field == "stage"
    assert info.value.context["current"] == current.value
    assert info.value.context["target"] == target.value


def test_disallowed_message_example() -> None:
    with pytest.raises(InvalidTransition,
                       match=r"^cannot move from contacted to paid; allowed from contacted: "
                             r"negotiating, declined, cancelled$"):
        check_move(Stage.CONTACTED, Stage.PAID)


def test_every_disallowed_move_raises() -> None:
    refused = 0
    for current, target in DISALLOWED:
        with pytest.raises(InvalidTransition):
            check_move(current, target)
        refused += 1
    assert refused == 144 - 23


def test_invalid_transition_is_invalid_input() -> None:
    assert issubclass(InvalidTransition, InvalidInput)


@pytest.mark.parametrize("final", [Stage.PAID, Stage.CANCELLED])
def test_final_stages_allow_nothing(final: Stage) -> None:
    assert allowed_moves(final) == ()
    for target in Stage:
        with pytest.raises(InvalidTransition, match=r"allowed from \w+: none \(it is final\)$"):
            check_move(final, target)


def test_declined_reopens_to_shortlisted_only() -> None:
    assert allowed_moves(Stage.DECLINED) == (Stage.SHORTLISTED,)


def test_happy_path_is_a_chain_of_allowed_moves() -> None:
    for current, target in itertools.pairwise(HAPPY_PATH):
        check_move(current, target)
    assert HAPPY_PATH[-1] is Stage.PAID
    assert len(HAPPY_PATH) == 10


@pytest.mark.parametrize(("text", "stage"), [
    ("content review", Stage.CONTENT_REVIEW),
    ("content-review", Stage.CONTENT_REVIEW),
    ("content_review", Stage.CONTENT_REVIEW),
    ("  Content Review ", Stage.CONTENT_REVIEW),
    ("PAID", Stage.PAID),
    ("prospect", Stage.PROSPECT),
])
def test_parse_stage(text: str, stage: Stage) -> None:
    assert parse_stage(text) is stage


@pytest.mark.parametrize("text", ["bogus", "", "content  review", "review"])
def test_parse_stage_refuses_unknown(text: str) -> None:
    with pytest.raises(InvalidTransition, match="unknown stage") as info:
        parse_stage(text)
    assert info.value.field == "stage"
    assert "prospect, shortlisted, contacted" in info.value.message


def test_parse_stage_names_the_value() -> None:
    with pytest.raises(InvalidTransition, match=r"^unknown stage 'bogus'; stages are prospect, "):
        parse_stage("bogus")


def test_board_order_ends_with_dropped_stages() -> None:
    assert BOARD_ORDER[0] is Stage.PROSPECT
    assert BOARD_ORDER[-2:] == (Stage.DECLINED, Stage.CANCELLED)
    assert list(BOARD_ORDER[:10]) == HAPPY_PATH


def test_stage_sets() -> None:
    assert frozenset({Stage.AGREED, Stage.CONTRACTED}) == NEEDS_TERMS
    assert len(ACTIVE) == 6
    assert Stage.PROSPECT not in ACTIVE and Stage.PAID not in ACTIVE
    assert Stage.CONTENT_REVIEW in ACTIVE
