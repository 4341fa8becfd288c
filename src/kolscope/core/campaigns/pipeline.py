"""The collaboration pipeline as one transitions table.

A collaboration (one KOL account in one campaign) moves from prospect to paid. Each stage lists
the stages it may move to; anything else is refused with the allowed moves named. ``declined``
can be reopened to ``shortlisted`` (a KOL who said "not now" may say yes next quarter);
``cancelled`` and ``paid`` are final.
"""

from __future__ import annotations

from enum import StrEnum

from kolscope.errors import InvalidTransition


class Stage(StrEnum):
    PROSPECT = "prospect"
    SHORTLISTED = "shortlisted"
    CONTACTED = "contacted"
    NEGOTIATING = "negotiating"
    AGREED = "agreed"
    CONTRACTED = "contracted"
    CONTENT_REVIEW = "content_review"
    PUBLISHED = "published"
    COMPLETED = "completed"
    PAID = "paid"
    DECLINED = "declined"
    CANCELLED = "cancelled"


_S = Stage
TRANSITIONS: dict[Stage, tuple[Stage, ...]] = {
    _S.PROSPECT: (_S.SHORTLISTED, _S.DECLINED, _S.CANCELLED),
    _S.SHORTLISTED: (_S.CONTACTED, _S.PROSPECT, _S.DECLINED, _S.CANCELLED),
    _S.CONTACTED: (_S.NEGOTIATING, _S.DECLINED, _S.CANCELLED),
    _S.NEGOTIATING: (_S.AGREED, _S.DECLINED, _S.CANCELLED),
    _S.AGREED: (_S.CONTRACTED, _S.NEGOTIATING, _S.CANCELLED),
    _S.CONTRACTED: (_S.CONTENT_REVIEW, _S.CANCELLED),
    _S.CONTENT_REVIEW: (_S.PUBLISHED, _S.CANCELLED),
    _S.PUBLISHED: (_S.COMPLETED,),
    _S.COMPLETED: (_S.PAID,),
    _S.PAID: (),
    _S.DECLINED: (_S.SHORTLISTED,),
    _S.CANCELLED: (),
}

# The board's columns, left to right; declined and cancelled sit at the end.
BOARD_ORDER: tuple[Stage, ...] = tuple(Stage)

# Stages that need stored terms before a collaboration may enter them.
NEEDS_TERMS: frozenset[Stage] = frozenset({_S.AGREED, _S.CONTRACTED})
# Stages counted as active work (not yet started, finished or dropped are the rest).
ACTIVE: frozenset[Stage] = frozenset({_S.CONTACTED, _S.NEGOTIATING, _S.AGREED, _S.CONTRACTED,
                                      _S.CONTENT_REVIEW, _S.PUBLISHED})
# Stages from agreed terms onwards: the fee is committed, links and codes are made in bulk.
COMMITTED: frozenset[Stage] = frozenset({_S.AGREED, _S.CONTRACTED, _S.CONTENT_REVIEW,
                                         _S.PUBLISHED, _S.COMPLETED, _S.PAID})


def parse_stage(value: str) -> Stage:
    """The stage named by ``value`` (spaces and hyphens count as underscores)."""
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return Stage(key)
    except ValueError:
        raise InvalidTransition(f"unknown stage {value!r}; stages are "
                                f"{', '.join(s.value for s in Stage)}", field="stage") from None


def allowed_moves(current: Stage) -> tuple[Stage, ...]:
    """The stages ``current`` may move to."""
    return TRANSITIONS[current]


def check_move(current: Stage, target: Stage) -> None:
    """Raise :class:`InvalidTransition` unless the table allows ``current`` → ``target``."""
    if target in TRANSITIONS[current]:
        return
    allowed = ", ".join(s.value for s in TRANSITIONS[current]) or "none (it is final)"
    raise InvalidTransition(f"cannot move from {current.value} to {target.value}; "
                            f"allowed from {current.value}: {allowed}", field="stage",
                            current=current.value, target=target.value)
