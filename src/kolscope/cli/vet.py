"""`kolscope vet`: is an account fake? Scores with reasons, and fitting on your own labels."""

from __future__ import annotations

import csv
import io
import sys
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer

from kolscope.adapters.models import fake_account_model, write_params
from kolscope.adapters.sources.vet_accounts import AccountFileSource
from kolscope.app.accounts import resolve_account
from kolscope.app.keyword_sets import list_flags
from kolscope.app.models import VettingView
from kolscope.app.vetting import VetReport, fit_fake_account_model, vet_accounts
from kolscope.app.vetting_reports import (
    Brief,
    get_report,
    override_verdict,
    vet_account,
    vet_workspace,
)
from kolscope.cli import keywords
from kolscope.cli.context import handled, state, utc_now
from kolscope.cli.output import console, err_console, fmt, print_json, table
from kolscope.core.platforms import Platform
from kolscope.core.records import Rejected
from kolscope.core.vetting.report import VERDICTS
from kolscope.errors import InvalidInput, SourceError

app = typer.Typer(help="Vet KOLs: fake accounts, engagement, comments, brand safety, "
                       "sponsorship and sentiment, each with its reasons.", no_args_is_help=True)
app.add_typer(keywords.app, name="keywords")
COLUMNS = ("username", "fake_probability", "label", "reasons")


class Format(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


ModelOption = Annotated[Path | None, typer.Option(
    "--model", help="A parameters file from `kolscope vet fit` (default: the shipped model, "
                    "fitted on InstaFake).")]
PlatformOption = Annotated[Platform | None, typer.Option(
    help="The account's platform, where the handle exists on several.")]
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
    _write(text, output, f"{len(report.accounts):,} accounts")


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


CompetitorOption = Annotated[list[str] | None, typer.Option(
    "--competitor", help="A competitor's handle or name, for exclusivity conflicts "
                         "(repeatable).")]
WindowOption = Annotated[int, typer.Option(
    "--window-days", min=1, max=3650, help="How far back a competitor's sponsorship conflicts.")]


def _brief(competitor: list[str] | None, window_days: int) -> Brief:
    return Brief(competitors=tuple(competitor or ()), window_days=window_days)


@app.command("run")
@handled
def run_(competitor: CompetitorOption = None, window_days: WindowOption = 180,
         model: ModelOption = None,
         as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Vet every KOL of the workspace: sentiment, flags, every signal and a verdict, stored."""
    from kolscope.adapters.nlp.sentiment import ShippedSentimentModels  # loads on first use

    summary = vet_workspace(state.database().uow, workspace=state.ws,
                            model=fake_account_model(model), sentiment=ShippedSentimentModels(),
                            clock=utc_now, brief=_brief(competitor, window_days))
    if as_json:
        print_json(summary)
        return
    console.print(f"vetted {summary.accounts:,} accounts in {summary.seconds:.1f} s: "
                  f"{summary.comments_scored:,} comments scored, {summary.flags:,} flags on "
                  f"{summary.posts_flagged:,} posts", highlight=False)
    table("verdicts", ["verdict", "accounts"],
          [(v, fmt(summary.verdicts.get(v, 0))) for v in VERDICTS])


@app.command()
@handled
def report(handle: Annotated[str, typer.Argument(help="The KOL's handle.")],
           platform: PlatformOption = None, competitor: CompetitorOption = None,
           window_days: WindowOption = 180, model: ModelOption = None,
           stored: Annotated[bool, typer.Option(
               "--stored", help="Show the stored report instead of vetting now.")] = False,
           as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """A KOL's vetting report: every signal with value, threshold, contribution, sample size
    and data age, the verdict and why; vets the account now unless --stored."""
    with state.uow() as uow:
        account_id = resolve_account(uow, workspace=state.ws, handle=handle, platform=platform)
        if stored:
            view = get_report(uow, workspace=state.ws, account_id=account_id)
        else:
            from kolscope.adapters.nlp.sentiment import ShippedSentimentModels

            view = vet_account(uow, workspace=state.ws, account_id=account_id,
                               model=fake_account_model(model),
                               sentiment=ShippedSentimentModels(), now=utc_now(),
                               brief=_brief(competitor, window_days))
            uow.commit()
    if as_json:
        print_json(view)
        return
    render_report(view, now=utc_now())


def render_report(view: VettingView, *, now: datetime) -> None:
    """The report for people: the verdict and its reasons, then every signal."""
    r = view.report
    console.print(f"[bold]@{view.handle}[/] ({view.platform}): verdict [bold]{view.verdict}[/]"
                  f" · risk {r.risk:.1f} of 100 · {r.coverage:.0%} of the weight measured · "
                  f"{r.method_version}, {r.computed_at:%Y-%m-%d %H:%M} UTC", highlight=False)
    if r.override is not None:
        console.print(f"override by {r.override.author} on {r.override.created_at:%Y-%m-%d}: "
                      f"{r.override.verdict or 'withdrawn'} ({r.override.reason}); computed "
                      f"verdict {r.verdict}", highlight=False)
    for reason in r.reasons:
        console.print(f"  · {reason}", highlight=False, soft_wrap=True)
    table("signals", ["group", "signal", "value", "threshold", "status", "adds", "n", "data age"],
          [(line.signal.group, line.signal.label, line.signal.display, line.signal.threshold,
            line.signal.status, f"{line.contribution:.1f}/{line.weight:g}",
            fmt(line.signal.sample_size), _age(line.signal.data_as_of, now))
           for line in r.lines])
    for line in r.lines:
        if line.signal.note or line.signal.evidence:
            console.print(f"[bold]{line.signal.label}[/]: {line.signal.note}", highlight=False,
                          soft_wrap=True)
            for item in line.signal.evidence:
                console.print(f"    {item}", highlight=False, soft_wrap=True)
    if view.flags_total:
        console.print(f"{view.flags_total:,} post flags; list them with `kolscope vet flags "
                      f"--handle {view.handle}`", highlight=False)


def _age(when: datetime | None, now: datetime) -> str:
    if when is None:
        return "—"
    days = (now - when).total_seconds() / 86_400
    return f"{days:,.0f} d" if days >= 1 else "today"


@app.command()
@handled
def override(handle: Annotated[str, typer.Argument(help="The KOL's handle.")],
             verdict: Annotated[str, typer.Option(
                 help="pass, review or fail; 'none' withdraws the last override.")],
             reason: Annotated[str, typer.Option(help="Why: kept with the verdict.")],
             by: Annotated[str, typer.Option("--by", help="Who decides.")] = "cli",
             platform: PlatformOption = None,
             as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Set a KOL's verdict by hand, with a reason; the computed verdict stays beside it."""
    if verdict not in (*VERDICTS, "none"):
        raise InvalidInput("verdict must be pass, review, fail or none", field="verdict")
    with state.uow() as uow:
        account_id = resolve_account(uow, workspace=state.ws, handle=handle, platform=platform)
        view = override_verdict(uow, workspace=state.ws, account_id=account_id,
                                verdict=None if verdict == "none" else verdict,  # type: ignore[arg-type]
                                reason=reason, author=by, now=utc_now())
        uow.commit()
    if as_json:
        print_json(view)
        return
    console.print(f"@{view.handle}: verdict {view.verdict} (computed {view.report.verdict})",
                  highlight=False)


FLAG_COLUMNS = ("handle", "platform", "post_id", "post_url", "posted_at", "kind", "category",
                "set_name", "term", "matches", "snippet")


@app.command()
@handled
def flags(handle: Annotated[str | None, typer.Option(help="Only this KOL's posts.")] = None,
          platform: PlatformOption = None,
          kind: Annotated[str | None, typer.Option(
              help="safety, value, red_line or competitor.")] = None,
          category: Annotated[str | None, typer.Option(help="e.g. alcohol, gambling.")] = None,
          limit: Annotated[int, typer.Option(min=1, max=10_000)] = 1000,
          fmt_: Annotated[Format | None, typer.Option("--format")] = None,
          output: Annotated[Path | None, typer.Option("--output", "-o")] = None) -> None:
    """Stored per-post flags (brand safety, values, red lines, competitors); export as CSV/JSON."""
    kind_ = _format(fmt_, output)
    with state.uow() as uow:
        account_id = (resolve_account(uow, workspace=state.ws, handle=handle, platform=platform)
                      if handle else None)
        page = list_flags(uow, workspace=state.ws, account_id=account_id, kind=kind,
                          category=category, limit=limit)
    if kind_ is Format.TABLE:
        table(f"flags ({len(page.items):,} of {page.total:,})",
              ["handle", "post", "kind", "category", "term", "snippet"],
              [(f.handle, str(f.post_id), f.kind, f.category, f.term, f.snippet)
               for f in page.items])
        return
    rows = [{c: getattr(f, c) for c in FLAG_COLUMNS} for f in page.items]
    if kind_ is Format.JSON:
        text = orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode() + "\n"
    else:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=FLAG_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: "" if v is None else v for k, v in r.items()} for r in rows)
        text = out.getvalue()
    _write(text, output, f"{len(rows):,} flags")


def _write(text: str, output: Path | None, what: str) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise SourceError(f"{output}: cannot write: {exc.strerror}", file=str(output)) from None
    err_console.print(f"wrote {what} to {output}", highlight=False)
