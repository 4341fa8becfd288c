"""`kolscope brief`: campaign briefs from TOML or JSON files, versioned."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer

from kolscope.app.accounts import resolve_account
from kolscope.app.briefs import brief_versions, get_brief, list_briefs, parse_brief, put_brief
from kolscope.app.forecasts import forecast_for_brief
from kolscope.app.matching import match_brief
from kolscope.app.planning import plan_brief
from kolscope.cli.campaigns import By, Json, actor, parse_format, read_document
from kolscope.cli.context import handled, state, utc_now
from kolscope.cli.output import console, print_json, table
from kolscope.core.money import amount_from_text
from kolscope.core.platforms import parse_platform

app = typer.Typer(help="Campaign briefs: goal, audience, platforms, budget, tier mix.",
                  no_args_is_help=True)


@app.command("put")
@handled
def put(slug: str, file: Annotated[Path, typer.Argument(help="The brief as TOML or JSON.")],
        by: By = None, as_json: Json = False) -> None:
    """Store a brief; a changed brief becomes its next version, an unchanged one is kept."""
    brief = parse_brief(read_document(file), where=str(file))
    with state.uow() as uow:
        view, changed = put_brief(uow, workspace=state.ws, slug=slug, brief=brief,
                                  actor=actor(by), now=utc_now())
        uow.commit()
    if as_json:
        print_json({"brief": view, "changed": changed})
    elif changed:
        console.print(f"brief {view.slug} version {view.version} stored")
    else:
        console.print(f"brief {view.slug} is unchanged (version {view.version})")


@app.command("show")
@handled
def show(slug: str, version: Annotated[int | None, typer.Option(min=1)] = None,
         as_json: Json = False) -> None:
    """A brief's latest version (or --version N)."""
    with state.uow() as uow:
        view = get_brief(uow, workspace=state.ws, slug=slug, version=version)
    if as_json:
        print_json(view)
        return
    b = view.brief
    rows = [("goal", b.goal.value), ("product", b.product), ("niche", b.niche or "any"),
            ("keywords", ", ".join(b.keywords)), ("budget", f"{b.budget} {b.currency}"),
            ("platforms", ", ".join(p.value for p in b.platforms) or "any"),
            ("formats", ", ".join(f.value for f in b.formats) or "any"),
            ("markets", ", ".join(b.audience.markets) or "any"),
            ("languages", ", ".join(b.audience.languages) or "any"),
            ("tier mix", ", ".join(f"{t.value} {s:.0%}" for t, s in b.tier_mix.items())),
            ("competitors", ", ".join(b.competitors)), ("values", ", ".join(b.values)),
            ("red lines", ", ".join(b.red_lines)),
            ("performance pay", "allowed" if b.performance_pay else "no")]
    table(f"brief {view.slug} v{view.version} by {view.created_by}", ["field", "value"], rows)


@app.command("list")
@handled
def list_(as_json: Json = False) -> None:
    """Every brief's latest version."""
    with state.uow() as uow:
        views = list_briefs(uow, workspace=state.ws)
    if as_json:
        print_json(views)
        return
    table("briefs", ["slug", "version", "goal", "product", "budget", "updated"],
          [(v.slug, str(v.version), v.brief.goal.value, v.brief.product,
            f"{v.brief.budget} {v.brief.currency}", v.created_at.date().isoformat())
           for v in views])


@app.command("versions")
@handled
def versions(slug: str, as_json: Json = False) -> None:
    """Every stored version of a brief."""
    with state.uow() as uow:
        views = brief_versions(uow, workspace=state.ws, slug=slug)
    if as_json:
        print_json(views)
        return
    table(f"versions of {slug}", ["version", "by", "at", "budget"],
          [(str(v.version), v.created_by, v.created_at.isoformat(timespec="minutes"),
            f"{v.brief.budget} {v.brief.currency}") for v in views])


@app.command("match")
@handled
def match(slug: str, version: Annotated[int | None, typer.Option(min=1)] = None,
          limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
          why: Annotated[bool, typer.Option("--why", help="Show every criterion.")] = False,
          as_json: Json = False) -> None:
    """The KOLs that best fit a brief, with per-criterion reasons and weights set by its goal."""
    with state.uow() as uow:
        run = match_brief(uow, state.indexes(), workspace=state.ws, slug=slug, version=version,
                          limit=limit, now=utc_now())
    if as_json:
        print_json(run)
        return
    table(f"matches for {run.brief} v{run.brief_version} ({run.candidates} candidates)",
          ["handle", "platform", "score", "coverage", "top reasons / excluded"],
          [(m.handle, m.platform, f"{m.score:.1f}", f"{m.coverage:.0%}",
            m.excluded or "; ".join(c.reason for c in sorted(
                m.criteria, key=lambda c: -c.contribution)[:2])) for m in run.matches])
    if why:
        for m in run.matches:
            table(f"@{m.handle}: {m.score:.1f}", ["criterion", "value", "weight", "points",
                                                  "reason"],
                  [(c.key, "—" if c.value is None else f"{c.value:.2f}", f"{c.weight:.2f}",
                    f"{c.contribution:.1f}", c.reason) for c in m.criteria])


@app.command("forecast")
@handled
def forecast(slug: str, handle: str, platform: Annotated[str | None, typer.Option()] = None,
             fmt: Annotated[str | None, typer.Option(
                 "--format", help="Default: the brief's first format.")] = None,
             as_json: Json = False) -> None:
    """Forecast one deliverable by a KOL for a brief: reach to ROI, each with an interval."""
    content = parse_format(fmt) if fmt else None
    with state.uow() as uow:
        account = resolve_account(uow, workspace=state.ws, handle=handle,
                                  platform=parse_platform(platform) if platform else None)
        view = forecast_for_brief(uow, workspace=state.ws, slug=slug, account_id=account,
                                  fmt=content, now=utc_now())
    if as_json:
        print_json(view)
        return
    f = view.forecast
    rows = [(name, f"{i.point:,.1f}", f"{i.low:,.1f}", f"{i.high:,.1f}") for name, i in (
        ("impressions", f.impressions), ("unique reach", f.unique_reach),
        ("engagements", f.engagements), ("clicks", f.clicks), ("conversions", f.conversions),
        ("revenue", f.revenue), ("ROI", f.roi))]
    table(f"@{view.handle}: one {view.format.value} for {view.brief} at {view.cost.amount} "
          f"{view.cost.currency} ({view.cost.source.replace('_', ' ')}), {f.level:.0%} intervals",
          ["", "forecast", "low", "high"], rows)


@app.command("plan")
@handled
def plan_(slug: str, budget: Annotated[list[str] | None, typer.Option(
              help="What-if budgets, side by side (default: the brief's).")] = None,
          objective: Annotated[str | None, typer.Option(
              help="reach, influence, conversions or engagements (default: from the "
                   "goal).")] = None,
          min_kocs: Annotated[int, typer.Option(min=0)] = 0,
          max_platform_share: Annotated[float | None, typer.Option(min=0.01, max=1)] = None,
          max_kol_share: Annotated[float, typer.Option(min=0.01, max=1)] = 0.5,
          exclude: Annotated[list[str] | None, typer.Option(
              help="A handle never to pick (repeat for more).")] = None,
          save: Annotated[bool, typer.Option(
              "--save", help="Store the plan (for `campaign create --from-plan`).")] = False,
          as_json: Json = False) -> None:
    """Spend a brief's budget on its matched KOLs for the most reach, influence, conversions or
    engagement; every pick with its marginal gain, the claim checked apart from the picking."""
    from kolscope.adapters.engines.influence_kernels import KERNELS  # numba loads on use

    amounts = [_decimal(b) for b in budget] if budget else [None]
    with state.uow() as uow:
        never = [resolve_account(uow, workspace=state.ws, handle=h) for h in exclude or []]
        views = [plan_brief(uow, state.indexes(), workspace=state.ws, slug=slug, budget=b,
                            objective=objective, min_kocs=min_kocs,
                            max_platform_share=max_platform_share,
                            max_kol_share=max_kol_share, exclude=never, save=save,
                            now=utc_now(), kernels=KERNELS)
                 for b in amounts]
        if save:
            uow.commit()
    if as_json:
        print_json(views if budget else views[0])
        return
    for v in views:
        p = v.plan
        saved = f", saved as plan {v.id}" if v.id else ""
        table(f"{v.brief} v{v.brief_version}: {p.objective} {p.value:,.0f} for {p.spent} of "
              f"{p.budget} {v.currency} ({p.rule}, {v.candidates} candidates{saved})",
              ["#", "KOL", "platform", "tier", "cost", "gain", "total"],
              [(str(i), f"@{k.handle}", k.platform, k.tier or "—", f"{k.cost}",
                f"{k.gain:,.1f}", f"{k.total:,.1f}") for i, k in enumerate(p.picks, start=1)])
        console.print(f"estimate: {p.estimate}")
        if p.check is not None:
            spread = f" ± {p.check.stderr:,.1f}" if p.check.stderr is not None else ""
            runs = f", {p.check.runs} runs" if p.check.runs else ""
            console.print(f"checked: {p.check.value:,.0f}{spread} by {p.check.method}{runs}"
                          + (f"; {p.check.note}" if p.check.note else ""))
        for note in p.skipped:
            console.print(note)


def _decimal(text: str) -> Decimal:
    return amount_from_text(text, "budget", positive=True)
