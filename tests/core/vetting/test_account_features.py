"""Account features, with hand-checked values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from kolscope.core.vetting.account_features import (
    FEATURE_NAMES,
    AccountColumns,
    AccountProfile,
    feature_matrix,
)
from kolscope.errors import InvalidInput


def profile(**overrides: object) -> AccountProfile:
    values: dict[str, object] = {"username": "anna_1990", "followers": 99, "following": 1999,
                                 "posts": 0, "has_profile_pic": True, "is_private": False}
    return AccountProfile.model_validate({**values, **overrides})


def features(p: AccountProfile) -> dict[str, float]:
    row = feature_matrix(AccountColumns.from_profiles([p]))[0]
    return dict(zip(FEATURE_NAMES, row.tolist(), strict=True))


def test_hand_checked_features() -> None:
    f = features(profile(bio_length=9, has_external_url=True))
    assert f["log_followers"] == pytest.approx(math.log(100))
    assert f["log_following"] == pytest.approx(math.log(2000))
    assert f["log_posts"] == 0.0 and f["no_posts"] == 1.0
    assert f["log_bio_length"] == pytest.approx(math.log(10))
    assert f["has_profile_pic"] == 1.0 and f["is_private"] == 0.0
    assert f["username_length"] == 9 and f["username_digit_share"] == pytest.approx(4 / 9)
    assert f["following_excess"] == pytest.approx(math.log(20))  # 2000 / 100
    assert f["mass_following"] == pytest.approx(math.log(2000 / 1001))
    assert f["has_external_url"] == 1.0


def test_hinges_are_zero_below_their_knees() -> None:
    f = features(profile(followers=500, following=400, posts=12))
    assert f["following_excess"] == 0.0 and f["mass_following"] == 0.0
    assert f["no_posts"] == 0.0 and f["log_posts"] == pytest.approx(math.log(13))


def test_unknown_bio_and_link_are_nan_and_given_username_counts_win() -> None:
    f = features(profile(username="x", username_length=12, username_digits=3))
    assert math.isnan(f["log_bio_length"]) and math.isnan(f["has_external_url"])
    assert f["username_length"] == 12 and f["username_digit_share"] == 0.25


def test_empty_username_has_no_digit_share() -> None:
    assert features(profile(username=""))["username_digit_share"] == 0.0


def test_columns_are_checked() -> None:
    ok = AccountColumns.from_profiles([profile()])
    with pytest.raises(InvalidInput, match="followers"):
        AccountColumns(**{**vars(ok), "followers": np.array([-1.0])})
    with pytest.raises(InvalidInput, match="length"):
        AccountColumns(**{**vars(ok), "posts": np.array([1.0, 2.0])})
    assert len(AccountColumns.from_profiles([])) == 0
