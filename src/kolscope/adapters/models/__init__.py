"""Fitted model parameters: the ones shipped in the package, and parameter files users write.

Reading a package file or a user's file is I/O, so it lives here rather than in ``core`` (which
only turns a parameters dict into a model, :meth:`FakeAccountModel.from_params`) or ``app``
(whose use cases take the model as an argument and so run on any model a test builds).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import orjson

from kolscope.core.vetting.fake_accounts import FakeAccountModel
from kolscope.errors import InvalidInput, SourceError

SHIPPED_FAKE_ACCOUNT_PARAMS = "fake_account_params.json"


def _parse(data: bytes, where: str) -> dict[str, Any]:
    try:
        params = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise InvalidInput(f"{where}: not a JSON parameters file: {exc}", field="model",
                           file=where) from None
    if not isinstance(params, dict):
        raise InvalidInput(f"{where}: expected a JSON object of parameters", field="model",
                           file=where)
    return params


@lru_cache(maxsize=1)
def shipped_fake_account_params() -> dict[str, Any]:
    """The parameters ``benchmarks/fit_fake_accounts.py`` fitted on InstaFake (CC BY-NC 4.0)."""
    data = resources.files(__package__).joinpath(SHIPPED_FAKE_ACCOUNT_PARAMS).read_bytes()
    return _parse(data, SHIPPED_FAKE_ACCOUNT_PARAMS)


def fake_account_model(path: Path | None = None) -> FakeAccountModel:
    """The model in the parameters file ``path``, or the shipped one when ``path`` is None."""
    if path is None:
        return FakeAccountModel.from_params(shipped_fake_account_params())
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read the model file: {exc.strerror}",
                          file=str(path)) from None
    return FakeAccountModel.from_params(_parse(data, str(path)))


def write_params(path: Path, params: dict[str, Any]) -> None:
    """Write fitted parameters as indented JSON (what :func:`fake_account_model` reads)."""
    try:
        Path(path).write_bytes(orjson.dumps(params, option=orjson.OPT_INDENT_2) + b"\n")
    except OSError as exc:
        raise SourceError(f"{path}: cannot write the model file: {exc.strerror}",
                          file=str(path)) from None
