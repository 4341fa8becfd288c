"""Vetting use cases: score accounts for fakeness, and fit the model on a workspace's own labels.

Both read accounts from an :class:`AccountFile` (``adapters/sources/vet_accounts.py`` reads CSV
and JSONL) and take the model as an argument: loading the shipped parameters or a parameters file
is the caller's I/O (``adapters/models``). A file with bad rows is refused as a whole, naming
every bad row's file, line and field, unless ``skip_invalid`` is set: a score per input row is
the contract, and a silently shorter output would misalign with its input.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from kolscope.core.records import Rejected, SourceLocation
from kolscope.core.vetting.account_features import AccountColumns, AccountProfile
from kolscope.core.vetting.fake_accounts import (
    FAKE_ACCOUNT_METHOD_VERSION,
    Explanation,
    FakeAccountModel,
    roc_auc,
)
from kolscope.errors import InvalidInput

SHOWN_REJECTS = 10
# Fewer labelled accounts of either kind than this and the weights would fit their quirks.
MIN_PER_CLASS = 10


@dataclass(frozen=True)
class AccountRow:
    """One account read from a file, with its label (True = fake) where the file gives one."""

    profile: AccountProfile
    is_fake: bool | None = None


AccountItem = tuple[SourceLocation, AccountRow] | Rejected


class AccountFile(Protocol):
    """A file of accounts: each row read, or rejected with its line and field."""

    label: str

    def read(self) -> Iterator[AccountItem]: ...


@dataclass(frozen=True)
class VettedAccount:
    username: str
    location: SourceLocation
    explanation: Explanation

    @property
    def fake_probability(self) -> float:
        return self.explanation.fake_probability

    @property
    def label(self) -> str:
        return self.explanation.label


@dataclass(frozen=True)
class VetReport:
    accounts: list[VettedAccount]
    skipped: list[Rejected]
    method_version: str
    threshold: float


@dataclass(frozen=True)
class FitReport:
    model: FakeAccountModel
    accounts: int
    fakes: int
    training_auc: float
    skipped: list[Rejected]


def _read(source: AccountFile, *, skip_invalid: bool
          ) -> tuple[list[tuple[SourceLocation, AccountRow]], list[Rejected]]:
    rows: list[tuple[SourceLocation, AccountRow]] = []
    bad: list[Rejected] = []
    for item in source.read():
        if isinstance(item, Rejected):
            bad.append(item)
        else:
            rows.append(item)
    if bad and not skip_invalid:
        shown = "\n".join(f"  {r}" for r in bad[:SHOWN_REJECTS])
        more = f"\n  ... and {len(bad) - SHOWN_REJECTS} more" if len(bad) > SHOWN_REJECTS else ""
        first = bad[0]
        raise InvalidInput(f"{len(bad)} bad row(s) in {source.label}; nothing scored "
                           f"(fix them, or skip them with --skip-invalid):\n{shown}{more}",
                           field=first.field, file=first.location.file, line=first.location.line)
    return rows, bad


def vet_accounts(source: AccountFile, *, model: FakeAccountModel,
                 skip_invalid: bool = False) -> VetReport:
    """Each account's probability of being fake, its label and the reasons, in input order."""
    rows, skipped = _read(source, skip_invalid=skip_invalid)
    columns = AccountColumns.from_profiles([row.profile for _, row in rows])
    explained = model.explain(columns) if rows else []
    accounts = [VettedAccount(username=row.profile.username, location=where, explanation=e)
                for (where, row), e in zip(rows, explained, strict=True)]
    return VetReport(accounts=accounts, skipped=skipped,
                     method_version=FAKE_ACCOUNT_METHOD_VERSION, threshold=model.threshold)


def fit_fake_account_model(source: AccountFile, *, l2: float = 1.0, threshold: float = 0.5,
                           skip_invalid: bool = False) -> FitReport:
    """A fake-account model fitted on labelled accounts (a ``label`` or ``is_fake`` column)."""
    rows, skipped = _read(source, skip_invalid=skip_invalid)
    unlabelled = [where for where, row in rows if row.is_fake is None]
    if unlabelled:
        raise InvalidInput(f"{unlabelled[0]}: label: every row needs a label (fake/real) to fit "
                           f"on; {len(unlabelled)} have none", field="label",
                           file=unlabelled[0].file, line=unlabelled[0].line)
    labels = np.array([bool(row.is_fake) for _, row in rows], dtype=np.int64)
    fakes = int(labels.sum())
    if min(fakes, len(labels) - fakes) < MIN_PER_CLASS:
        raise InvalidInput(f"need at least {MIN_PER_CLASS} fake and {MIN_PER_CLASS} real "
                           f"accounts to fit on; got {fakes} fake and {len(labels) - fakes} "
                           "real", field="label")
    columns = AccountColumns.from_profiles([row.profile for _, row in rows])
    model = FakeAccountModel(l2=l2, threshold=threshold).fit(columns, labels)
    auc = roc_auc(labels, model.predict_proba(columns)[:, 1])
    return FitReport(model=model, accounts=len(labels), fakes=fakes, training_auc=auc,
                     skipped=skipped)

