"""`kolscope kols`: find KOLs, look at one, export a search."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Annotated, Any, TextIO

import orjson
import typer
from pydantic import ValidationError

from kolscope.app.accounts import flag_virtual, get_profile, resolve_account
from kolscope.app.metrics import rescore_workspace
from kolscope.app.models import AccountProfile, AccountQuery, AccountSort, AccountSummary, Page
from kolscope.app.ports import UnitOfWork
from kolscope.app.search import find_lookalikes, iter_search, search_accounts
from kolscope.cli.context import handled, state, utc_now
from kolscope.cli.output import console, fmt, print_json, table
from kolscope.core.discovery.tiers import Tier
from kolscope.core.platforms import Platform, parse_platform
from kolscope.errors import InvalidInput

app = typer.Typer(help="Find and look at KOLs.", no_args_is_help=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def build_query(**values: Any) -> AccountQuery:
    """An AccountQuery from command options; engagement rates are given in percent."""
    for key in ("min_engagement_rate", "max_engagement_rate"):
        if values.get(key) is not None:
            values[key] = values[key] / 100
    if values.get("platform") is not None:
        try:
            values["platform"] = parse_platform(values["platform"])
        except ValueError as exc:
            raise InvalidInput(str(exc), field="platform") from None
    try:
        return AccountQuery(**{k: v for k, v in values.items() if v is not None})
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(map(str, err["loc"])) or None
        raise InvalidInput(f"{field}: {err['msg']}" if field else err["msg"],
                           field=field) from None


Text = Annotated[str | None, typer.Argument(
    help="A free-text brief, matched by keyword and meaning against bio, name and recent posts.")]
PlatformOpt = Annotated[str | None, typer.Option(help="instagram, tiktok, weibo, ...")]
TierOpt = Annotated[Tier | None, typer.Option(help="Audience tier.")]
NicheOpt = Annotated[str | None, typer.Option(help="Niche key, e.g. beauty (see docs).")]
LangOpt = Annotated[str | None, typer.Option(help="ISO 639-1 language, e.g. en, zh.")]
CountryOpt = Annotated[str | None, typer.Option(help="ISO 3166 country, e.g. US, CN.")]
MinF = Annotated[int | None, typer.Option(help="At least this many followers.")]
MaxF = Annotated[int | None, typer.Option(help="At most this many followers.")]
MinER = Annotated[float | None, typer.Option("--min-er", help="Engagement rate at least, in %.")]
MaxER = Annotated[float | None, typer.Option("--max-er", help="Engagement rate at most, in %.")]
SortOpt = Annotated[AccountSort, typer.Option(help="Order of results, largest first.")]
KolTypeOpt = Annotated[str | None, typer.Option(
    "--type", help="KOL type: expert, celebrity, influencer or koc.")]
MinAuth = Annotated[float | None, typer.Option(
    "--min-authority", help="Authority percentile within the platform at least (0-100).")]
ActiveOpt = Annotated[int | None, typer.Option(
    "--active-days", help="Posted within the last N days.")]
WhyOpt = Annotated[bool, typer.Option("--why", help="Say why each account matched.")]
VerdictOpt = Annotated[str | None, typer.Option(
    "--verdict", help="Vetting verdict in force: pass, review or fail.")]
ExcludeOpt = Annotated[list[str] | None, typer.Option(
    "--exclude-flag", help="Leave out KOLs with stored post flags of this category (gambling, "
                           "alcohol, ...); 'any' leaves out every flagged KOL. Repeatable.")]


def summary_rows(items: list[AccountSummary]) -> list[tuple[str, ...]]:
    return [(str(a.id), a.platform.value, a.handle, a.niche or a.predicted_niche or "—",
              a.kol_type or "—",
              a.tier.value if a.tier else "—", fmt(a.followers), fmt(a.engagement_rate, "pct"),
              fmt(a.views_per_post), fmt(a.posts_per_week), fmt(a.last_post_at),
              fmt(a.authority_percentile))
            for a in items]


SUMMARY_COLUMNS = ["id", "platform", "handle", "niche", "type", "tier", "followers", "eng. rate",
                   "views/post", "posts/wk", "last post", "authority pct"]


@app.command()
@handled
def search(text: Text = None, platform: PlatformOpt = None, tier: TierOpt = None,
           niche: NicheOpt = None, language: LangOpt = None, country: CountryOpt = None,
           min_followers: MinF = None, max_followers: MaxF = None,
           min_er: MinER = None, max_er: MaxER = None, min_authority: MinAuth = None,
           kol_type: KolTypeOpt = None, active_days: ActiveOpt = None,
           verdict: VerdictOpt = None, exclude_flag: ExcludeOpt = None,
           sort: SortOpt = AccountSort.RELEVANCE,
           limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
           offset: Annotated[int, typer.Option(min=0)] = 0, why: WhyOpt = False,
           as_json: JsonOpt = False) -> None:
    """Search KOLs for a brief and filters, by relevance, authority, engagement or reach."""
    query = build_query(text=text, platform=platform, tier=tier, niche=niche, language=language,
                        country=country, min_followers=min_followers,
                        max_followers=max_followers, min_engagement_rate=min_er,
                        max_engagement_rate=max_er, min_authority_percentile=min_authority,
                        kol_type=kol_type, active_days=active_days, verdict=verdict,
                        exclude_flags=exclude_flag, sort=sort, limit=limit, offset=offset)
    with state.uow() as uow:
        page = search_accounts(uow, state.indexes(), workspace=state.ws, query=query,
                               now=utc_now())
    render_page(page, why=why, as_json=as_json)


@app.command()
@handled
def lookalikes(account: Annotated[str, typer.Argument(help="Handle or numeric id.")],
               platform: PlatformOpt = None, tier: TierOpt = None, niche: NicheOpt = None,
               language: LangOpt = None, country: CountryOpt = None,
               min_followers: MinF = None, max_followers: MaxF = None,
               kol_type: KolTypeOpt = None, active_days: ActiveOpt = None,
               on: Annotated[str | None, typer.Option(
                   help="The seed's platform, when its handle exists on several.")] = None,
               limit: Annotated[int, typer.Option(min=1, max=200)] = 20, why: WhyOpt = False,
               as_json: JsonOpt = False) -> None:
    """Accounts like a given one: similar content, shared audience, niche and size."""
    query = build_query(platform=platform, tier=tier, niche=niche, language=language,
                        country=country, min_followers=min_followers,
                        max_followers=max_followers, kol_type=kol_type,
                        active_days=active_days, limit=limit)
    with state.uow() as uow:
        account_id = _account_id(uow, account, on)
        page = find_lookalikes(uow, state.indexes(), workspace=state.ws, account_id=account_id,
                               query=query, now=utc_now())
    render_page(page, why=why, as_json=as_json)


def render_page(page: Page[AccountSummary], *, why: bool, as_json: bool) -> None:
    if as_json:
        print_json(page)
        return
    rows = [(*row, fmt(a.score)) for row, a in zip(summary_rows(page.items), page.items,
                                                    strict=True)]
    table(f"{page.total:,} accounts (showing {page.offset + 1 if page.items else 0}-"
          f"{page.offset + len(page.items)})", [*SUMMARY_COLUMNS, "score"], rows)
    if why:
        for a in page.items:
            console.print(f"[bold]{a.handle}[/] on {a.platform.value}, score {fmt(a.score)}",
                          highlight=False)
            console.print("  " + why_text(a).replace("\n", "\n  "), highlight=False)


def why_text(a: AccountSummary) -> str:
    """The reasons of a hit, strongest first, one per line."""
    return "\n".join(f"{r.signal} +{r.contribution:.2f}: {r.detail}"
                     for r in sorted(a.why, key=lambda r: -r.contribution))


def _account_id(uow: UnitOfWork, account: str, platform: str | None) -> int:
    if account.isdigit():
        return int(account)
    return resolve_account(uow, workspace=state.ws, handle=account,
                           platform=Platform(parse_platform(platform)) if platform else None)


@app.command()
@handled
def show(account: Annotated[str, typer.Argument(help="Handle or numeric id.")],
         platform: PlatformOpt = None,
         posts: Annotated[int, typer.Option(min=0, max=100, help="Recent posts to list.")] = 12,
         as_json: JsonOpt = False) -> None:
    """One KOL's profile: metrics, other accounts and recent posts."""
    with state.uow() as uow:
        account_id = _account_id(uow, account, platform)
        profile = get_profile(uow, workspace=state.ws, account_id=account_id,
                              recent_posts=posts)
    if as_json:
        print_json(profile)
    else:
        render_profile(profile)


def render_profile(p: AccountProfile) -> None:
    console.print(f"[bold]{p.handle}[/] on {p.platform.value}"
                  + (f" — {p.display_name}" if p.display_name else "")
                  + (" ✓" if p.is_verified else ""), highlight=False)
    if p.bio:
        console.print(p.bio, highlight=False)
    m = p.metrics
    rows = [("followers", fmt(p.followers)), ("following", fmt(p.following)),
            ("niche", p.niche or p.category or "—"), ("language", p.language or "—"),
            ("country", p.country or "—"), ("stored posts", fmt(p.stored_posts)),
            ("stored comments", fmt(p.stored_comments)),
            ("source", f"{p.source or '—'} {p.source_file or ''}")]
    if m:
        rows += [("tier", m.tier.value if m.tier else "—"),
                 ("engagement rate", fmt(m.engagement_rate, "pct")),
                 ("engagement rate by views", fmt(m.engagement_rate_by_views, "pct")),
                 ("views per post", fmt(m.views_per_post)),
                 ("comments per post", fmt(m.comments_per_post)),
                 ("posts per week", fmt(m.posts_per_week)), ("last post", fmt(m.last_post_at)),
                 ("sponsored share", fmt(m.sponsored_share, "pct")),
                 ("method", f"{m.method_version} over {m.posts_analyzed} posts, "
                            f"computed {fmt(m.computed_at)}")]
    a = p.authority
    if a:
        rows += [("authority percentile (platform)", fmt(a.pagerank_percentile)),
                 ("niche authority percentile", fmt(a.niche_percentile)),
                 ("PageRank", f"{a.pagerank:.3g}"), ("HITS authority / hub",
                                                     f"{a.authority:.3g} / {a.hub:.3g}"),
                 ("k-core", fmt(a.k_core)), ("endorsing accounts", fmt(a.in_edges)),
                 ("endorsing creators (peers)", fmt(a.peer_endorsers)),
                 ("authority method", f"{a.method_version} on {a.engine}, computed "
                                      f"{fmt(a.computed_at)}")]
    c = p.classification
    if c:
        rows += [("KOL type", f"{c.kol_type} ({c.kol_type_method})"),
                 ("credentials", ", ".join(c.credentials) or "—"),
                 ("predicted niche", f"{c.niche or '—'} (confidence "
                                     f"{fmt(c.niche_confidence, 'pct')}, {c.niche_method})"),
                 ("niche evidence", ", ".join(e["term"] for e in c.niche_evidence) or "—")]
    table("profile", ["metric", "value"], rows)
    if c:
        table(f"why {c.kol_type}", ["type", "signal", "value", "threshold", "met", "adds"],
              [(str(r.get("kol_type") or ""), str(r["signal"]), fmt(r["value"]),
                fmt(r.get("threshold")), "yes" if r["met"] else "no",
                f"{r['contribution']:.2f}") for r in c.kol_type_reasons])
    if p.other_accounts:
        table("other accounts", SUMMARY_COLUMNS, summary_rows(p.other_accounts))
    if p.recent_posts:
        table("recent posts", ["date", "format", "likes", "comments", "views", "eng. rate",
                               "sponsored", "caption"],
              [(fmt(x.posted_at), x.format.value, fmt(x.likes), fmt(x.comments_count),
                fmt(x.views), fmt(x.engagement_rate, "pct"), "yes" if x.is_sponsored else "",
                x.caption[:60].replace("\n", " ")) for x in p.recent_posts])


@app.command()
@handled
def virtual(account: Annotated[str, typer.Argument(help="Handle or numeric id.")],
            platform: PlatformOpt = None,
            off: Annotated[bool, typer.Option("--off", help="Clear the flag.")] = False) -> None:
    """Flag a creator by hand as a virtual (computer-generated) influencer, or clear it."""
    with state.uow() as uow:
        account_id = _account_id(uow, account, platform)
        flag_virtual(uow, workspace=state.ws, account_id=account_id, is_virtual=not off)
        uow.commit()
    console.print(f"{account}: {'not ' if off else ''}flagged as a virtual influencer")


@app.command()
@handled
def rescore() -> None:
    """Recompute every KOL's profile metrics (after changing tier or window settings)."""
    settings = state.settings
    scored = rescore_workspace(state.database().uow, workspace=state.ws,
                               thresholds=settings.tier_thresholds,
                               window=settings.recent_posts, clock=utc_now)
    console.print(f"rescored {scored:,} accounts in '{state.ws}'")


@app.command()
@handled
def export(fmt_: Annotated[str, typer.Option("--format", help="csv or json")] = "csv",
           output: Annotated[Path | None, typer.Option(help="File to write (default stdout).")]
           = None, text: Text = None, platform: PlatformOpt = None, tier: TierOpt = None,
           niche: NicheOpt = None, language: LangOpt = None, country: CountryOpt = None,
           min_followers: MinF = None, max_followers: MaxF = None,
           min_er: MinER = None, max_er: MaxER = None, min_authority: MinAuth = None,
           kol_type: KolTypeOpt = None, active_days: ActiveOpt = None,
           verdict: VerdictOpt = None, exclude_flag: ExcludeOpt = None,
           sort: SortOpt = AccountSort.RELEVANCE) -> None:
    """Export every account matching the brief and filters as CSV or JSON (all pages)."""
    if fmt_ not in ("csv", "json"):
        raise InvalidInput("--format must be csv or json", field="format")
    query = build_query(text=text, platform=platform, tier=tier, niche=niche, language=language,
                        country=country, min_followers=min_followers,
                        max_followers=max_followers, min_engagement_rate=min_er,
                        max_engagement_rate=max_er, min_authority_percentile=min_authority,
                        kol_type=kol_type, active_days=active_days, verdict=verdict,
                        exclude_flags=exclude_flag, sort=sort)
    out: TextIO = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        with state.uow() as uow:
            rows = iter_search(uow, state.indexes(), workspace=state.ws, query=query,
                               now=utc_now())
            count = write_export(rows, out, fmt_)
    finally:
        if output:
            out.close()
    if output:
        console.print(f"wrote {count:,} accounts to {output}")


def write_export(rows: Any, out: TextIO, fmt_: str) -> int:
    """Stream rows to ``out``; JSON is one array, CSV has one header row."""
    fields = list(AccountSummary.model_fields)
    count = 0
    if fmt_ == "csv":
        writer = csv.DictWriter(out, fieldnames=fields)
        writer.writeheader()
        for row in rows:
            writer.writerow(row.model_dump(mode="json") | {"why": why_text(row)})
            count += 1
        return count
    out.write("[")
    for row in rows:
        out.write(("," if count else "") + "\n  " + orjson.dumps(row.model_dump(mode="json"))
                  .decode())
        count += 1
    out.write("\n]\n")
    return count
