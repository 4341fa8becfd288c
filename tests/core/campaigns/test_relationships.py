"""The rehire suggestion drawn from a KOL's past collaborations."""

from __future__ import annotations

import pytest

from kolscope.core.campaigns.relationships import REHIRE_VERSION, PastCollaboration, rehire

P = PastCollaboration


def test_empty_history_is_unknown() -> None:
    result = rehire([])
    assert result.suggestion == "unknown"
    assert (result.completed, result.on_time_share, result.mean_rating) == (0, None, None)
    assert result.reasons == ("0 of 0 collaboration(s) completed", "no finished work yet")
    assert result.version == REHIRE_VERSION == "rehire-1"


def test_nothing_finished_or_delivered_is_unknown() -> None:
    result = rehire([P("spring", "contracted", 2, 0, 0, None)])
    assert result.suggestion == "unknown"
    assert result.reasons == ("0 of 1 collaboration(s) completed", "no finished work yet")


def test_good_history_is_rehire() -> None:
    result = rehire([P("spring", "paid", 3, 3, 0, 5), P("summer", "completed", 2, 2, 0, 4),
                     P("autumn", "negotiating", 0, 0, 0, None)])
    assert result.suggestion == "rehire"
    assert result.completed == 2
    assert result.on_time_share == 1.0
    assert result.mean_rating == 4.5
    assert result.reasons == ("2 of 3 collaboration(s) completed",
                              "5 of 5 deliverable(s) on time",
                              "mean rating 4.5 of 5 from 2 rating(s)")


def test_low_rating_is_avoid() -> None:
    result = rehire([P("spring", "paid", 2, 2, 0, 2), P("summer", "paid", 1, 1, 0, 2)])
    assert result.suggestion == "avoid"
    assert result.mean_rating == 2.0
    assert result.reasons == ("2 of 2 collaboration(s) completed",
                              "3 of 3 deliverable(s) on time",
                              "mean rating 2.0 of 5 from 2 rating(s)")


def test_late_deliveries_are_avoid() -> None:
    result = rehire([P("spring", "completed", 4, 1, 3, None)])
    assert result.suggestion == "avoid"
    assert result.on_time_share == 0.25
    assert result.mean_rating is None
    assert result.reasons == ("1 of 1 collaboration(s) completed",
                              "1 of 4 deliverable(s) on time")


def test_mixed_history_is_consider() -> None:
    result = rehire([P("spring", "paid", 3, 3, 0, 4), P("summer", "paid", 2, 0, 2, 3)])
    # on time 3 of 5 = 0.6 (between 0.5 and 0.8); mean rating 3.5 (between 2.5 and 4)
    assert result.suggestion == "consider"
    assert result.on_time_share == pytest.approx(0.6)
    assert result.mean_rating == 3.5
    assert result.reasons == ("2 of 2 collaboration(s) completed",
                              "3 of 5 deliverable(s) on time",
                              "mean rating 3.5 of 5 from 2 rating(s)")


@pytest.mark.parametrize(("history", "suggestion"), [
    ([P("a", "paid", 5, 4, 1, 4)], "rehire"),          # share 0.8 and rating 4: both enough
    ([P("a", "paid", 5, 4, 1, 3)], "consider"),        # rating 3 < 4
    ([P("a", "paid", 5, 3, 2, 5)], "consider"),        # share 0.6 < 0.8
    ([P("a", "paid", 4, 2, 2, 5)], "consider"),        # share 0.5 is not < 0.5
    ([P("a", "paid", 1, 1, 0, 3), P("b", "paid", 1, 1, 0, 2)], "consider"),  # mean 2.5
    ([P("a", "paid", 1, 1, 0, 2), P("b", "paid", 1, 1, 0, 2)], "avoid"),
    ([P("a", "paid", 0, 0, 0, None)], "rehire"),       # completed, nothing against
    ([P("a", "published", 2, 2, 0, 5)], "consider"),   # on time but nothing completed
    ([P("a", "cancelled", 2, 0, 2, None)], "avoid"),   # all late, even though unfinished
])
def test_thresholds(history: list[PastCollaboration], suggestion: str) -> None:
    assert rehire(history).suggestion == suggestion


def test_unrated_history_has_no_rating_reason() -> None:
    result = rehire([P("a", "completed", 2, 2, 0, None)])
    assert result.suggestion == "rehire"
    assert result.reasons == ("1 of 1 collaboration(s) completed",
                              "2 of 2 deliverable(s) on time")


def test_mean_rating_reason_is_rounded_to_one_decimal() -> None:
    result = rehire([P("a", "paid", 1, 1, 0, 3), P("b", "paid", 1, 1, 0, 3),
                     P("c", "paid", 1, 1, 0, 4)])
    # mean (3 + 3 + 4) / 3 = 3.333...: below 4, so consider
    assert result.suggestion == "consider"
    assert result.mean_rating == pytest.approx(10 / 3)
    assert result.reasons[-1] == "mean rating 3.3 of 5 from 3 rating(s)"


def test_a_poor_rating_on_unfinished_work_still_says_avoid() -> None:
    cancelled = PastCollaboration("c1", "cancelled", deliverables=0, on_time=0, late=0, rating=1)
    assert rehire([cancelled]).suggestion == "avoid"
