"""The InstaFake dataset (Akyon & Kalfaoglu, 2019) as fake-account model columns and labels.

``fake-v1.0`` holds two JSON arrays, ``fakeAccountData.json`` (200 accounts) and
``realAccountData.json`` (994), each account with ``userFollowerCount``, ``userFollowingCount``,
``userMediaCount``, ``userBiographyLength``, ``userHasProfilPic``, ``userIsPrivate``,
``usernameLength``, ``usernameDigitCount`` and ``isFake``. It gives username length and digit
count rather than usernames, and no links. Licence: CC BY-NC 4.0; read it where it lies, never
copy it into the repository.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import orjson
from numpy.typing import NDArray

from kolscope.core.vetting.account_features import AccountColumns
from kolscope.errors import SourceError

FAKE_V1 = Path("fake-accounts") / "instafake" / "fake-v1.0"
FILES = ("fakeAccountData.json", "realAccountData.json")


def has_instafake(datasets: Path) -> bool:
    """Whether the shared datasets folder ``datasets`` holds InstaFake ``fake-v1.0``."""
    return all((datasets / FAKE_V1 / name).is_file() for name in FILES)


def load_instafake(datasets: Path) -> tuple[AccountColumns, NDArray[np.int64]]:
    """InstaFake's accounts as model columns (fakes first) and their labels (1 = fake)."""
    rows: list[dict[str, Any]] = []
    for name in FILES:
        path = datasets / FAKE_V1 / name
        try:
            rows += orjson.loads(path.read_bytes())
        except (OSError, orjson.JSONDecodeError) as exc:
            raise SourceError(f"{path}: cannot read InstaFake: {exc}", file=str(path)) from None

    def col(key: str) -> NDArray[np.float64]:
        try:
            return np.array([r[key] for r in rows], dtype=np.float64)
        except (KeyError, TypeError, ValueError) as exc:
            raise SourceError(f"InstaFake rows lack a numeric {key!r}: {exc}",
                              file=str(datasets / FAKE_V1)) from None

    columns = AccountColumns(
        followers=col("userFollowerCount"), following=col("userFollowingCount"),
        posts=col("userMediaCount"), has_profile_pic=col("userHasProfilPic"),
        is_private=col("userIsPrivate"), bio_length=col("userBiographyLength"),
        username_length=col("usernameLength"), username_digits=col("usernameDigitCount"),
        has_external_url=np.full(len(rows), np.nan))
    return columns, col("isFake").astype(np.int64)
