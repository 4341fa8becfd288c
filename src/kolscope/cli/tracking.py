"""Tracking: `tracking settings`, `links`, `promo`, `orders`, `live` and `attribution`."""

from __future__ import annotations

import json
from datetime import UTC, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer

from kolscope.adapters.documents.qr import qr_svg
from kolscope.app import attribution as attr
from kolscope.app import commerce
from kolscope.app import tracking as tr
from kolscope.cli.campaigns import By, Json, actor
from kolscope.cli.context import handled, state, utc_now
from kolscope.cli.output import console, err_console, fmt, print_json, table
from kolscope.core.tracking._table import decode_export
from kolscope.errors import InvalidInput, SourceError

settings_app = typer.Typer(help="Tracking settings: UTM template, promo format, shop webhook.",
                           no_args_is_help=True)
links_app = typer.Typer(help="Short links with UTM per KOL and deliverable.",
                        no_args_is_help=True)
promo_app = typer.Typer(help="Promo codes per KOL, and redemptions from a shop's export.",
                        no_args_is_help=True)
orders_app = typer.Typer(help="Orders and refunds: record events, list what is stored.",
                         no_args_is_help=True)
live_app = typer.Typer(help="Live-commerce sessions from Douyin, Taobao Live, TikTok Shop.",
                       no_args_is_help=True)
attribution_app = typer.Typer(help="Who brought which orders; performance pay into the ledger.",
                              no_args_is_help=True)

Kols = Annotated[list[str] | None, typer.Option(
    "--kol", help="A KOL's handle (repeat for several; default: every KOL with agreed terms).")]
Model = Annotated[str, typer.Option(help="last_click or first_touch (a promo code wins first).")]
Window = Annotated[int, typer.Option(help="Days after a click an order still counts.")]
Tz = Annotated[str | None, typer.Option(
    "--tz", help="Time zone of times written without one: +08:00 or Asia/Shanghai.")]


def read_text(path: Path) -> str:
    """An export's text (UTF-8 or GBK), the file named in any error."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read: {exc.strerror}", file=str(path)) from None
    return decode_export(raw, str(path))


def parse_tz(text: str | None) -> tzinfo | None:
    if text is None:
        return None
    written = text.strip()
    if written.upper() in ("UTC", "Z"):
        return UTC
    if written[:1] in "+-" and len(written) == 6 and written[3] == ":":
        try:
            hours, minutes = int(written[1:3]), int(written[4:6])
        except ValueError:
            pass
        else:
            if hours > 23 or minutes > 59:
                raise InvalidInput(f"time zone offset {text!r} is out of range: from -23:59 to "
                                   "+23:59", field="tz")
            sign = -1 if written[0] == "-" else 1
            return timezone(sign * timedelta(hours=hours, minutes=minutes))
    try:
        return ZoneInfo(written)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"unknown time zone {text!r}: give +08:00 or a name such as "
                           "Asia/Shanghai", field="tz") from None


def _model(value: str) -> Literal["last_click", "first_touch"]:
    if value == "last_click":
        return "last_click"
    if value == "first_touch":
        return "first_touch"
    raise InvalidInput("model must be last_click or first_touch", field="model")


def _report_import(result: commerce.ImportResult, what: str) -> None:
    for error in result.errors:
        err_console.print(f"rejected: {error}", highlight=False, soft_wrap=True)
    console.print(f"{what}: {result.created} new, {result.updated} updated, "
                  f"{result.unchanged} unchanged, {len(result.errors)} rejected")
    if result.errors:
        raise typer.Exit(1)


# --- settings -------------------------------------------------------------------------------


@settings_app.command("show")
@handled
def show_settings(as_json: Json = False) -> None:
    """The UTM template, promo format, webhook address and snippet site key."""
    with state.uow() as uow:
        view = tr.tracking_settings(uow, workspace=state.ws)
        uow.commit()
    _print_settings(view, as_json)


def _print_settings(view: Any, as_json: bool) -> None:
    if as_json:
        print_json(view)
        return
    base = state.settings.public_url.rstrip("/")
    table("UTM template", ["parameter", "value"],
          [(f"utm_{k}", v) for k, v in view.utm.items()])
    table("promo format", ["field", "value"], [(k, str(v)) for k, v in view.promo.items()])
    console.print(f"Shopify webhook: {base}/hooks/{state.ws}/shopify "
                  f"(secret {'set' if view.has_webhook_secret else 'not set'})")
    console.print(f"snippet: {base}/t/snippet.js, site key {view.site_key}")


@settings_app.command("set")
@handled
def set_settings(
        utm_source: Annotated[str | None, typer.Option()] = None,
        utm_medium: Annotated[str | None, typer.Option()] = None,
        utm_campaign: Annotated[str | None, typer.Option()] = None,
        utm_content: Annotated[str | None, typer.Option()] = None,
        utm_term: Annotated[str | None, typer.Option()] = None,
        promo_prefix: Annotated[str | None, typer.Option()] = None,
        promo_length: Annotated[int | None, typer.Option()] = None,
        promo_separator: Annotated[str | None, typer.Option()] = None,
        webhook_secret: Annotated[str | None, typer.Option(
            help="The shop's webhook signing secret (Shopify: Settings > Notifications).")
        ] = None,
        clear_webhook_secret: Annotated[bool, typer.Option()] = False,
        new_site_key: Annotated[bool, typer.Option(
            help="Issue a new snippet site key (the old one stops working).")] = False,
        as_json: Json = False) -> None:
    """Change tracking settings; UTM values may use {platform} {campaign} {deliverable}
    {handle} {kol} {workspace}."""
    utm = {k: v for k, v in {"source": utm_source, "medium": utm_medium,
                             "campaign": utm_campaign, "content": utm_content,
                             "term": utm_term}.items() if v is not None}
    promo = {k: v for k, v in {"prefix": promo_prefix, "length": promo_length,
                               "separator": promo_separator}.items() if v is not None}
    with state.uow() as uow:
        view = tr.update_tracking_settings(uow, workspace=state.ws, now=utc_now(), utm=utm,
                                           promo=promo, webhook_secret=webhook_secret,
                                           clear_secret=clear_webhook_secret,
                                           new_site_key=new_site_key)
        uow.commit()
    _print_settings(view, as_json)


# --- links ----------------------------------------------------------------------------------


def _print_links(rows: list[tr.LinkRow], as_json: bool, title: str) -> None:
    base = state.settings.short_link_base
    if as_json:
        print_json([{"code": r.link.code, "short_url": tr.short_url(base, r.link.code),
                     "handle": r.handle, "deliverable": r.deliverable, "url": r.link.url,
                     "enabled": r.link.enabled, "clicks": r.clicks.total,
                     "unique_clicks": r.clicks.unique, "bots": r.clicks.bots} for r in rows])
        return
    table(title, ["short link", "KOL", "deliverable", "clicks", "unique", "bots", "on",
                  "destination"],
          [(tr.short_url(base, r.link.code), f"@{r.handle}" if r.handle else "—",
            r.deliverable or "—", fmt(r.clicks.total), fmt(r.clicks.unique),
            fmt(r.clicks.bots), fmt(r.link.enabled), r.link.url) for r in rows])


@links_app.command("create")
@handled
def create_links(campaign: str,
                 to: Annotated[str, typer.Option("--to", help="Destination URL.")],
                 kol: Kols = None,
                 code: Annotated[str | None, typer.Option(
                     help="A chosen code, for one link.")] = None,
                 per_collaboration: Annotated[bool, typer.Option(
                     help="One link per KOL instead of one per deliverable.")] = False,
                 as_json: Json = False) -> None:
    """Links for a campaign's KOLs; ones already made are kept (safe to run again)."""
    with state.uow() as uow:
        made = tr.create_links(uow, workspace=state.ws, slug=campaign, destination=to,
                               now=utc_now(), handles=kol or [], code=code,
                               per_deliverable=not per_collaboration)
        uow.commit()
        codes = {link.code for link in made}
        rows = [r for r in tr.campaign_links(uow, workspace=state.ws, slug=campaign)
                if r.link.code in codes]
    _print_links(rows, as_json, f"{campaign}: {len(rows)} link(s)")


@links_app.command("list")
@handled
def list_links(campaign: str, as_json: Json = False) -> None:
    """A campaign's links with their clicks (people; bots counted apart)."""
    with state.uow() as uow:
        rows = tr.campaign_links(uow, workspace=state.ws, slug=campaign)
    _print_links(rows, as_json, f"{campaign}: {len(rows)} link(s)")


@links_app.command("disable")
@handled
def disable_link(code: str) -> None:
    """Stop a link: the redirect answers 404 for it within a second; its clicks stay."""
    with state.uow() as uow:
        tr.set_link_enabled(uow, workspace=state.ws, code=code, enabled=False, now=utc_now())
        uow.commit()
    console.print(f"link {code} is off")


@links_app.command("enable")
@handled
def enable_link(code: str) -> None:
    """Serve a disabled link again."""
    with state.uow() as uow:
        tr.set_link_enabled(uow, workspace=state.ws, code=code, enabled=True, now=utc_now())
        uow.commit()
    console.print(f"link {code} is on")


@links_app.command("qr")
@handled
def link_qr(code: str, out: Annotated[Path | None, typer.Option(
        help="SVG file to write (default: standard output).")] = None) -> None:
    """A link's QR code as SVG."""
    with state.uow() as uow:
        link = tr.require_link(uow, workspace=state.ws, code=code)
    svg = qr_svg(tr.short_url(state.settings.short_link_base, link.code))
    if out is None:
        typer.echo(svg)
        return
    out.write_text(svg, encoding="utf-8")
    console.print(f"wrote the QR code of {code} to {out}")


# --- promo codes ----------------------------------------------------------------------------


def _print_codes(rows: list[tr.PromoRow], as_json: bool, title: str) -> None:
    if as_json:
        print_json([{"code": r.promo.code, "key": r.promo.key, "handle": r.handle}
                    for r in rows])
        return
    table(title, ["code", "KOL", "matched as"],
          [(r.promo.code, f"@{r.handle}", r.promo.key) for r in rows])


@promo_app.command("create")
@handled
def create_codes(campaign: str, kol: Kols = None,
                 code: Annotated[str | None, typer.Option(help="A chosen code, for one KOL.")
                                 ] = None,
                 suffix: Annotated[str, typer.Option(help="Added to each handle: 15 for "
                                                          "ANNA15.")] = "",
                 as_json: Json = False) -> None:
    """A promo code per KOL, from its handle; KOLs with a code keep it."""
    with state.uow() as uow:
        rows = tr.create_promo_codes(uow, workspace=state.ws, slug=campaign, now=utc_now(),
                                     handles=kol or [], code=code, suffix=suffix)
        uow.commit()
    _print_codes(rows, as_json, f"{campaign}: {len(rows)} code(s)")


@promo_app.command("list")
@handled
def list_codes(campaign: str, as_json: Json = False) -> None:
    """A campaign's promo codes."""
    with state.uow() as uow:
        rows = tr.campaign_promo_codes(uow, workspace=state.ws, slug=campaign)
    _print_codes(rows, as_json, f"{campaign}: {len(rows)} code(s)")


@promo_app.command("import")
@handled
def import_redemptions(file: Path,
                       currency: Annotated[str | None, typer.Option(
                           help="The shop's currency, where the export has no column.")
                       ] = None, tz: Tz = None) -> None:
    """Orders with promo codes from a Shopify, WooCommerce or generic CSV export (safe to run
    again: orders are kept by order id)."""
    text = read_text(file)
    with state.uow() as uow:
        result = commerce.import_redemptions(uow, workspace=state.ws, text=text,
                                             source_name=str(file), now=utc_now(),
                                             currency=currency, tz=parse_tz(tz) or UTC)
        uow.commit()
    _report_import(result, f"{file}: {result.stored} order(s)")


# --- orders ---------------------------------------------------------------------------------


@orders_app.command("add")
@handled
def add_orders(file: Path) -> None:
    """Order and refund events from a JSON file (one event, a list, or JSON Lines), as the
    generic webhook takes them."""
    text = read_text(file)
    events: list[tuple[int, Any]] = []
    try:
        data = json.loads(text)
        events = list(enumerate(data if isinstance(data, list) else [data], start=1))
    except ValueError:
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    events.append((number, json.loads(line)))
                except ValueError as exc:
                    raise InvalidInput(f"{file}:{number}: not JSON: {exc}", field="file",
                                       file=str(file), line=number) from None
    if not events:
        raise InvalidInput(f"{file}: no events in the file (an empty list or only blank lines)",
                           field="file", file=str(file))
    counts: dict[str, int] = {}
    with state.uow() as uow:
        for number, event in events:
            try:
                stored = commerce.record_event(uow, workspace=state.ws, data=event,
                                               now=utc_now())
            except InvalidInput as exc:
                raise InvalidInput(f"{file}: event {number}: {exc.message}; nothing was stored",
                                   field=exc.field, file=str(file), line=number) from None
            counts[stored] = counts.get(stored, 0) + 1
        uow.commit()
    console.print(f"{file}: {len(events)} event(s): " + ", ".join(
        f"{n} {kind}" for kind, n in sorted(counts.items())))


@orders_app.command("list")
@handled
def list_orders(as_json: Json = False) -> None:
    """The workspace's stored orders, oldest first."""
    with state.uow() as uow:
        rows = commerce.conversions(uow, workspace=state.ws)
    if as_json:
        print_json(rows)
        return
    table(f"{len(rows)} order(s)", ["order", "at", "source", "revenue", "refunded", "currency",
                                    "promo code", "click"],
          [(r.name or r.order_id, r.at.isoformat(timespec="minutes"), r.source, str(r.revenue),
            str(max(r.refunded, r.refunds)), r.currency, r.promo_code or "—",
            r.click_id or "—") for r in rows])


# --- live sessions --------------------------------------------------------------------------


@live_app.command("import")
@handled
def import_live(campaign: str, kol: str, file: Path,
                platform: Annotated[str | None, typer.Option(
                    help="douyin, taobao_live or tiktok_shop (default: told by the header).")
                ] = None,
                currency: Annotated[str | None, typer.Option()] = None, tz: Tz = None) -> None:
    """A KOL's live-stream sessions from a platform's CSV export (safe to run again)."""
    text = read_text(file)
    with state.uow() as uow:
        result = commerce.import_live_sessions(uow, workspace=state.ws, slug=campaign, handle=kol,
                                               text=text, source_name=str(file), now=utc_now(),
                                               platform=platform, currency=currency,
                                               tz=parse_tz(tz))
        uow.commit()
    _report_import(result, f"{file}: {result.stored} session(s)")


# --- attribution ----------------------------------------------------------------------------


@attribution_app.command("report")
@handled
def attribution_report(campaign: str, model: Model = "last_click", window: Window = 30,
                       as_json: Json = False) -> None:
    """Clicks, orders, revenue, live GMV, spend and ROI per KOL and for the campaign."""
    with state.uow() as uow:
        details = attr.attribution_details(uow, workspace=state.ws, slug=campaign,
                                           model=_model(model), window_days=window)
    if as_json:
        print_json(attr.report_data(details))
        return
    report = details.report
    cur = report.currency or ""
    rows = [(f"@{details.handles.get(cid, cid)}", t) for cid, t in
            report.by_collaboration.items()] + [("campaign", report.campaign)]
    table(f"{campaign}: attribution {report.method_version}, {model}, {window}-day window"
          f"{', ' + cur if cur else ''}",
          ["KOL", "clicks", "unique", "orders", "net revenue", "live GMV", "spend", "conv. rate",
           "ROI"],
          [(who, fmt(t.clicks), fmt(t.unique_clicks), fmt(t.orders), str(t.net_revenue),
            str(t.live_net_gmv), "—" if t.spend is None else str(t.spend),
            fmt(t.conversion_rate, "pct"), fmt(t.roi, "pct")) for who, t in rows])
    console.print(f"unattributed in the period: {report.unattributed.orders} order(s), "
                  f"{report.unattributed.net_revenue} {cur}")


@attribution_app.command("book")
@handled
def book(campaign: str, model: Model = "last_click", window: Window = 30, by: By = None) -> None:
    """Book the performance pay attribution says each KOL earned (only the difference)."""
    with state.uow() as uow:
        booked = attr.book_performance_pay(uow, workspace=state.ws, slug=campaign,
                                           actor=actor(by), now=utc_now(), model=_model(model),
                                           window_days=window)
        uow.commit()
    if not booked:
        console.print(f"{campaign}: no KOL has performance-linked pay")
    for handle, view in booked.items():
        console.print(f"@{handle}: due {view.due} {view.currency}, paid {view.paid}, "
                      f"outstanding {view.outstanding}")
