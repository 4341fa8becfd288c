"""`kolscope rates`: the cost model's rate cards and per-KOL cost estimates."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kolscope.app.accounts import resolve_account
from kolscope.app.rates import estimate, parse_rates, put_rates, rate_card
from kolscope.cli.campaigns import Json, parse_format, read_rows
from kolscope.cli.context import handled, state, utc_now
from kolscope.cli.output import console, print_json, table
from kolscope.core.platforms import parse_platform

app = typer.Typer(help="Rate cards and cost estimates.", no_args_is_help=True)


@app.command("list")
@handled
def list_(own: Annotated[bool, typer.Option("--own", help="Only the workspace's rates.")]
          = False, currency: Annotated[str | None, typer.Option()] = None,
          platform: Annotated[str | None, typer.Option()] = None, as_json: Json = False) -> None:
    """The rate card in force: the workspace's rows, then the default card's."""
    with state.uow() as uow:
        rates = rate_card(uow, workspace=state.ws, include_default=not own)
    if currency:
        rates = [r for r in rates if r.currency == currency.upper()]
    if platform:
        rates = [r for r in rates if r.platform == parse_platform(platform)]
    if as_json:
        print_json(rates)
        return
    table("rates per deliverable", ["platform", "tier", "format", "low", "typical", "high"],
          [(r.platform.value, r.tier.value, r.format.value, f"{r.low} {r.currency}",
            f"{r.typical}", f"{r.high}") for r in rates])


@app.command("put")
@handled
def put(file: Annotated[Path, typer.Argument(
            help="CSV or JSON rows: platform, tier, format, currency, low, typical, high.")]
        ) -> None:
    """Add or replace rows of the workspace's rate card."""
    rates = parse_rates(read_rows(file), where=str(file))
    with state.uow() as uow:
        count = put_rates(uow, workspace=state.ws, rates=rates, now=utc_now())
        uow.commit()
    console.print(f"stored {count} rate(s)")


@app.command("estimate")
@handled
def estimate_(handle: str, fmt: Annotated[str, typer.Option(
                  "--format", help="short_video, live_stream, post, article, webinar, podcast.")]
              = "post", currency: Annotated[str, typer.Option()] = "USD",
              platform: Annotated[str | None, typer.Option()] = None,
              as_json: Json = False) -> None:
    """What one deliverable by a KOL is likely to cost, and where the figure comes from."""
    content = parse_format(fmt)
    with state.uow() as uow:
        account = resolve_account(uow, workspace=state.ws, handle=handle,
                                  platform=parse_platform(platform) if platform else None)
        cost = estimate(uow, workspace=state.ws, account_id=account, fmt=content,
                        currency=currency)
    if as_json:
        print_json(cost)
    else:
        console.print(f"{cost.amount} {cost.currency} (range {cost.low}–{cost.high}) from "
                      f"{cost.source.replace('_', ' ')}: {cost.note}")
