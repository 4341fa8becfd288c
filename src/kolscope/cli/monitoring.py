"""Watch running campaigns: `campaign watch` and `collab snapshot` (registered in ``main``)."""

from __future__ import annotations

from typing import Annotated

import typer

from kolscope.app.monitoring import SnapshotIn, record_snapshot, watch_campaign
from kolscope.app.validation import parse_model
from kolscope.cli.campaigns import Json
from kolscope.cli.context import handled, state, utc_now
from kolscope.cli.output import console, print_json, table


@handled
def watch(slug: str, as_json: Json = False) -> None:
    """Every published post of a campaign: latest counts against the forecast, sentiment and
    alerts (behind its forecast, comments turning negative)."""
    with state.uow() as uow:
        view = watch_campaign(uow, workspace=state.ws, slug=slug, now=utc_now())
    if as_json:
        print_json(view)
        return

    def share(x: float | None) -> str:
        return "—" if x is None else f"{x:.0%}"

    table(f"{slug}: {len(view.posts)} published post(s) watched, method {view.method_version}",
          ["deliverable", "KOL", "engagements", "forecast (low–high)", "low by now",
           "negative", "usual", "alerts"],
          [(str(p.deliverable_id), f"@{p.handle}",
            "—" if p.engagements is None else f"{p.engagements:,}",
            "—" if p.forecast is None else f"{p.forecast.low:,.0f}–{p.forecast.high:,.0f}",
            "—" if p.expected_low_now is None else f"{p.expected_low_now:,.0f}",
            share(p.negative_share), share(p.usual_negative_share),
            str(len(p.alerts))) for p in view.posts])
    for p in view.posts:
        for a in p.alerts:
            console.print(f"deliverable {p.deliverable_id} @{p.handle}: {a.kind}: {a.reason}")
    if view.unlinked:
        console.print(f"{view.unlinked} published deliverable(s) have no imported post yet: "
                      "import the post, or `collab publish` its URL again after importing")


@handled
def snapshot(deliverable_id: int,
             at: Annotated[str | None, typer.Option(
                 help="When the counts were seen, ISO 8601 with a zone (default: now).")] = None,
             likes: Annotated[int | None, typer.Option(min=0)] = None,
             comments: Annotated[int | None, typer.Option(min=0)] = None,
             views: Annotated[int | None, typer.Option(min=0)] = None) -> None:
    """Record a published post's counts by hand (as seen on the platform)."""
    now = utc_now()
    data = {"at": at or now.isoformat(), "likes": likes, "comments": comments, "views": views}
    with state.uow() as uow:
        record_snapshot(uow, workspace=state.ws, deliverable_id=deliverable_id,
                        snapshot=parse_model(SnapshotIn, data), now=now)
        uow.commit()
    console.print(f"counts of deliverable {deliverable_id} recorded at {data['at']}")

