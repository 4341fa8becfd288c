"""Vetting use cases over an in-memory account file: scores in input order, refits, bad rows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pytest

from kolscope.app.vetting import (
    AccountItem,
    AccountRow,
    fit_fake_account_model,
    vet_accounts,
)
from kolscope.core.records import Rejected, SourceLocation
from kolscope.core.vetting.account_features import AccountProfile
from kolscope.core.vetting.fake_accounts import FAKE_ACCOUNT_METHOD_VERSION, FakeAccountModel
from kolscope.errors import InvalidInput


@dataclass
class FakeFile:
    items: list[AccountItem]
    label: str = "memory.csv"

    def read(self) -> Iterator[AccountItem]:
        yield from self.items


def row(line: int, name: str, followers: int, following: int, posts: int,
        is_fake: bool | None = None) -> AccountItem:
    profile = AccountProfile(username=name, followers=followers, following=following,
                             posts=posts, has_profile_pic=True, is_private=False)
    return SourceLocation(file="memory.csv", line=line), AccountRow(profile, is_fake)


def bad(line: int) -> Rejected:
    return Rejected(location=SourceLocation(file="memory.csv", line=line), field="followers",
                    reason="not a count: 'x'")


def labelled(n: int = 60) -> FakeFile:
    rng = np.random.default_rng(1)
    items = []
    for i in range(n):
        fake = i % 3 == 0
        items.append(row(i + 2, f"user{i}", int(rng.integers(1, 50) if fake else
                                                 rng.integers(200, 2000)),
                         int(rng.integers(1500, 5000) if fake else rng.integers(100, 800)),
                         int(rng.integers(0, 3) if fake else rng.integers(10, 300)), fake))
    return FakeFile(items)


def test_vet_scores_every_account_in_input_order() -> None:
    model = fit_fake_account_model(labelled()).model
    source = FakeFile([row(2, "bot", 5, 4000, 0), row(3, "human", 900, 300, 120)])
    report = vet_accounts(source, model=model)
    assert [a.username for a in report.accounts] == ["bot", "human"]
    assert [a.label for a in report.accounts] == ["fake", "real"]
    assert report.accounts[0].fake_probability > 0.9 > 0.1 > report.accounts[1].fake_probability
    assert report.method_version == FAKE_ACCOUNT_METHOD_VERSION and report.threshold == 0.5
    assert str(report.accounts[1].location) == "memory.csv:3"


def test_bad_rows_refuse_the_file_naming_line_and_field() -> None:
    model = fit_fake_account_model(labelled()).model
    source = FakeFile([row(2, "a", 1, 1, 1), bad(3), bad(4)])
    with pytest.raises(InvalidInput) as caught:
        vet_accounts(source, model=model)
    assert caught.value.field == "followers" and caught.value.context["line"] == 3
    assert "2 bad row(s) in memory.csv" in caught.value.message
    assert "memory.csv:4: followers: not a count: 'x'" in caught.value.message
    report = vet_accounts(source, model=model, skip_invalid=True)
    assert [a.username for a in report.accounts] == ["a"] and len(report.skipped) == 2


def test_empty_file_scores_nothing() -> None:
    model = fit_fake_account_model(labelled()).model
    assert vet_accounts(FakeFile([]), model=model).accounts == []


def test_fit_on_a_workspaces_labels() -> None:
    report = fit_fake_account_model(labelled(), l2=2.0, threshold=0.6)
    assert isinstance(report.model, FakeAccountModel)
    assert (report.model.l2, report.model.threshold) == (2.0, 0.6)
    assert report.accounts == 60 and report.fakes == 20 and report.training_auc > 0.95


def test_fit_needs_labels_and_both_kinds() -> None:
    with pytest.raises(InvalidInput, match=r"memory\.csv:2: label") as caught:
        fit_fake_account_model(FakeFile([row(2, "a", 1, 1, 1)]))
    assert caught.value.field == "label"
    few = FakeFile([row(i, f"u{i}", 1, 1, 1, is_fake=i < 5) for i in range(30)])
    with pytest.raises(InvalidInput, match="at least 10 fake"):
        fit_fake_account_model(few)
