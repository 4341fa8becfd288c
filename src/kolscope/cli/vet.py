"""`kolscope vet`: is an account fake? Scores with reasons, and fitting on your own labels."""

from __future__ import annotations

import csv
import io
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer

from kolscope.adapters.models import fake_account_model, write_params
from kolscope.adapters.sources.vet_accounts import AccountFileSource
from kolscope.app.vetting import VetReport, fit_fake_account_model, vet_accounts
from kolscope.cli.context import handled
from kolscope.cli.output import console, err_console, table
from kolscope.core.records import Rejected
from kolscope.errors import InvalidInput, SourceError

app = typer.Typer(help="Vet accounts: fake-account scores with their reasons.",
                  no_args_is_help=True)
COLUMNS = ("username", "fake_probability", "label", "reasons")


class Format(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


ModelOption = Annotated[Path | None, typer.Option(
    "--model", help="A parameters file from `kolscope vet fit` (default: the shipped model, "
                    "fitted on InstaFake).")]
SkipOption = Annotated[bool, typer.Option(
    "--skip-invalid", help="Skip bad rows (listed on stderr) instead of refusing the file.")]


def _rows(report: VetReport) -> list[dict[str, Any]]:
    return [{"username": a.username, "fake_probability": round(a.fake_probability, 4),
             "label": a.label, "reasons": a.explanation} for a in report.accounts]


def render_csv(report: VetReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in _rows(report):
        writer.writerow([row["username"], f"{row['fake_probability']:.4f}", row["label"],
                         row["reasons"].summary()])
    return out.getvalue()


def render_json(report: VetReport) -> str:
    rows = []
    for row in _rows(report):
        explanation = row["reasons"]
        reasons = [{"feature": c.feature,
                    "value": None if c.value is None else round(c.value, 4),
                    "description": c.text, "contribution": round(c.contribution, 4)}
                   for c in explanation.ranked()]
        reasons.append({"feature": "baseline", "value": None,
                        "description": "log-odds of an average training account",
                        "contribution": round(explanation.baseline, 4)})
        rows.append({**row, "reasons": reasons})
    return orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode() + "\n"


def _skipped(rejected: list[Rejected]) -> None:
    for r in rejected:
        err_console.print(f"skipped {r}", highlight=False, soft_wrap=True)


def _format(fmt: Format | None, output: Path | None) -> Format:
    if fmt is not None:
        if fmt is Format.TABLE and output is not None:
            raise InvalidInput("--output writes csv or json; add --format csv or --format json",
                               field="format")
        return fmt
    if output is None:
        return Format.TABLE
    return Format.JSON if output.suffix.lower() in (".json", ".jsonl") else Format.CSV


@app.command()
@handled
def accounts(file: Annotated[Path, typer.Argument(help="CSV or JSONL of accounts.")],
             fmt: Annotated[Format | None, typer.Option(
                 "--format", help="table (default on screen), csv or json (default for "
                                  "--output by its suffix).")] = None,
             model: ModelOption = None,
             output: Annotated[Path | None, typer.Option(
                 "--output", "-o", help="Write csv/json to this file instead of stdout.")]
             = None,
             skip_invalid: SkipOption = False) -> None:
    """Score each account's probability of being fake, with a label and its reasons.

    Columns: username, followers, following, posts, has_profile_pic, is_private; optional
    biography or bio_length, external_url, full_name. One output row per input account.
    """
    kind = _format(fmt, output)
    report = vet_accounts(AccountFileSource(file), model=fake_account_model(model),
                          skip_invalid=skip_invalid)
    _skipped(report.skipped)
    if kind is Format.TABLE:
        _table(report)
        return
    text = render_csv(report) if kind is Format.CSV else render_json(report)
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise SourceError(f"{output}: cannot write: {exc.strerror}", file=str(output)) from None
    err_console.print(f"wrote {len(report.accounts):,} accounts to {output}", highlight=False)


def _table(report: VetReport) -> None:
    fakes = sum(a.label == "fake" for a in report.accounts)
    table(f"fake-account scores ({report.method_version}; fake at p >= {report.threshold:g})",
          ["username", "fake probability", "label", "strongest reasons (log-odds)"],
          [(a.username, f"{a.fake_probability:.3f}", a.label, a.explanation.summary())
           for a in report.accounts])
    console.print(f"{len(report.accounts):,} accounts, {fakes:,} labelled fake")


@app.command()
@handled
def fit(file: Annotated[Path, typer.Argument(
            help="CSV or JSONL of accounts with a label (fake/real) or is_fake column.")],
        out: Annotated[Path, typer.Option("--out", help="Parameters file to write.")],
        l2: Annotated[float, typer.Option(min=0.0, help="L2 penalty on the weights.")] = 1.0,
        threshold: Annotated[float, typer.Option(
            min=0.0, max=1.0, help="Probability at which an account is labelled fake.")] = 0.5,
        skip_invalid: SkipOption = False) -> None:
    """Fit the fake-account model on your own labelled accounts; use it with --model."""
    report = fit_fake_account_model(AccountFileSource(file), l2=l2, threshold=threshold,
                                    skip_invalid=skip_invalid)
    _skipped(report.skipped)
    write_params(out, {**report.model.to_params(),
                       "training_data": {"name": str(file), "rows": report.accounts}})
    console.print(f"fitted on {report.accounts:,} accounts ({report.fakes:,} fake); training "
                  f"AUC {report.training_auc:.3f} (in-sample, optimistic); wrote {out}. "
                  f"Use it: kolscope vet accounts FILE --model {out}", highlight=False)
