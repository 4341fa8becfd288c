"""Account features for the fake-account model: what any platform's profile export gives.

One account is an :class:`AccountProfile` (counts, flags, username and, where known, the bio
length and whether a link is set). Many accounts are an :class:`AccountColumns` of equal-length
arrays, and :func:`feature_matrix` turns those into the model's features, all at once: scoring a
million accounts is a few numpy passes, never a Python loop per account.

Unknown values (an export without bios, say) are NaN in the matrix; the model scores them as the
average training account, so an unknown signal adds nothing to the log-odds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field

from kolscope.errors import InvalidInput

FloatArray = NDArray[np.float64]

# Following more accounts than this is what follow-for-follow and bought-follower accounts do;
# Instagram caps following at 7,500.
MASS_FOLLOWING = 1_000

FEATURE_NAMES: tuple[str, ...] = (
    "log_followers", "log_following", "log_posts", "no_posts", "log_bio_length",
    "has_profile_pic", "is_private", "username_length", "username_digit_share",
    "following_excess", "mass_following", "has_external_url",
)
"""The model's features, in column order. ``log_x`` is ``log(1 + x)``; ``following_excess`` is
``max(0, log_following - log_followers)``, how far (in log terms) an account follows more than it
is followed; ``mass_following`` is ``max(0, log_following - log(1 + 1000))``."""


class AccountProfile(BaseModel):
    """One account as the fake-account model reads it; ``None`` where the export lacks a value."""

    model_config = ConfigDict(frozen=True)

    username: str
    followers: int = Field(ge=0)
    following: int = Field(ge=0)
    posts: int = Field(ge=0)
    has_profile_pic: bool
    is_private: bool
    bio_length: int | None = Field(default=None, ge=0)
    has_external_url: bool | None = None
    username_length: int | None = Field(default=None, ge=0,
                                        description="default: len(username)")
    username_digits: int | None = Field(default=None, ge=0,
                                        description="default: digits in username")

    @property
    def name_length(self) -> int:
        return len(self.username) if self.username_length is None else self.username_length

    @property
    def name_digits(self) -> int:
        if self.username_digits is not None:
            return self.username_digits
        return sum(c.isdigit() for c in self.username)


@dataclass(frozen=True)
class AccountColumns:
    """Accounts as columns of equal length; NaN marks an unknown bio length or link."""

    followers: FloatArray
    following: FloatArray
    posts: FloatArray
    has_profile_pic: FloatArray
    is_private: FloatArray
    bio_length: FloatArray
    username_length: FloatArray
    username_digits: FloatArray
    has_external_url: FloatArray

    def __post_init__(self) -> None:
        sizes = {len(v) for v in vars(self).values()}
        if len(sizes) > 1:
            raise InvalidInput("account columns differ in length", field="columns")
        for name in ("followers", "following", "posts", "username_length", "username_digits"):
            if np.any(~(getattr(self, name) >= 0)):
                raise InvalidInput(f"{name} must be known and >= 0", field=name)

    def __len__(self) -> int:
        return len(self.followers)

    @classmethod
    def from_profiles(cls, profiles: Sequence[AccountProfile]) -> AccountColumns:
        """Columns of ``profiles``, in order (None becomes NaN)."""
        table = np.array([(p.followers, p.following, p.posts, p.has_profile_pic, p.is_private,
                           p.bio_length, p.name_length, p.name_digits, p.has_external_url)
                          for p in profiles], dtype=np.float64).reshape(len(profiles), 9)
        return cls(*(np.ascontiguousarray(table[:, j]) for j in range(9)))


def feature_matrix(columns: AccountColumns) -> FloatArray:
    """The model's features of every account, shape ``(n, len(FEATURE_NAMES))``.

    Examples
    --------
    >>> cols = AccountColumns.from_profiles([AccountProfile(
    ...     username="anna_1990", followers=99, following=1999, posts=0, has_profile_pic=True,
    ...     is_private=False)])
    >>> dict(zip(FEATURE_NAMES, feature_matrix(cols)[0].round(3).tolist()))["following_excess"]
    2.996
    """
    log_followers = np.log1p(columns.followers)
    log_following = np.log1p(columns.following)
    length = columns.username_length
    share = np.divide(columns.username_digits, length, out=np.zeros(len(length)),
                      where=length > 0)
    return np.column_stack([
        log_followers, log_following, np.log1p(columns.posts),
        (columns.posts == 0).astype(np.float64), np.log1p(columns.bio_length),
        columns.has_profile_pic, columns.is_private, length, share,
        np.maximum(0.0, log_following - log_followers),
        np.maximum(0.0, log_following - math.log1p(MASS_FOLLOWING)),
        columns.has_external_url,
    ])
