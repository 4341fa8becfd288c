"""Account pages: the KOL search and one account's profile."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from kolscope.app.accounts import get_profile
from kolscope.app.models import AccountQuery, AccountSort
from kolscope.app.reports import kol_performance
from kolscope.app.search import find_lookalikes, search_accounts
from kolscope.core.discovery.niches import NICHES, TAXONOMY
from kolscope.core.discovery.tiers import Tier
from kolscope.core.platforms import Platform
from kolscope.errors import NotFound
from kolscope.web.charts import engagement_chart
from kolscope.web.format import platform_name
from kolscope.web.forms import FORM, LABELS, parse_search
from kolscope.web.pages import open_uow, render, runtime_of, workspace_context

router = APIRouter(include_in_schema=False)

RECENT_POSTS = 24  # posts listed and charted on a profile
LOOKALIKES = 8  # lookalikes shown on a profile
NICHE_LABELS = {key: niche.label for key, niche in NICHES.items()}
OPTIONS: dict[str, list[tuple[str, str]]] = {  # (value, text) of each select of the search form
    "platform": [(p.value, platform_name(p)) for p in Platform],
    "tier": [(t.value, t.value.capitalize()) for t in Tier],
    "niche": [(n.key, n.label) for n in TAXONOMY],
    "sort": [(AccountSort.RELEVANCE, "Best match"), (AccountSort.ENGAGEMENT, "Engagement rate"),
             (AccountSort.REACH, "Views per post"),
             (AccountSort.FOLLOWERS, "Followers"), (AccountSort.RECENT, "Latest post"),
             (AccountSort.AUTHORITY, "Authority")],
    "limit": [(str(n), str(n)) for n in (20, 50, 100)],
    "verdict": [("pass", "Pass"), ("review", "Review"), ("fail", "Fail")],
    "kol_type": [("expert", "Expert KOL"), ("celebrity", "Celebrity"),
                 ("influencer", "Influencer"), ("koc", "KOC")],
}


@router.get("/w/{slug}", name="web_search", response_class=HTMLResponse)
def search(request: Request, slug: str) -> HTMLResponse:
    """Search a workspace's creators; a form with mistakes comes back with its messages."""
    form = parse_search(request.query_params)
    rt = runtime_of(request)
    with open_uow(request) as uow:
        context = workspace_context(uow, slug)
        page = search_accounts(uow, rt.indexes, workspace=slug, query=form.query,
                               now=rt.clock()) if form.query else None
    context |= {"form": form, "page": page, "labels": LABELS, "form_error": form.errors.get(FORM),
                "options": OPTIONS, "niche_labels": NICHE_LABELS}
    return render(request, "search.html", context, 200 if form.query else 400)


@router.get("/w/{slug}/accounts/{account_id:int}", name="web_profile",
            response_class=HTMLResponse)
def profile(request: Request, slug: str, account_id: int) -> HTMLResponse:
    """One account: identity, stored metrics, other accounts, recent posts and their chart,
    and the accounts most like it."""
    rt = runtime_of(request)
    with open_uow(request) as uow:
        context = workspace_context(uow, slug)
        account = get_profile(uow, workspace=slug, account_id=account_id,
                              recent_posts=RECENT_POSTS)
        try:
            similar = find_lookalikes(uow, rt.indexes, workspace=slug, account_id=account_id,
                                      query=AccountQuery(limit=LOOKALIKES), now=rt.clock())
        except NotFound:  # not a creator's account (a brand, a commenter): no lookalikes
            similar = None
        performance = kol_performance(uow, workspace=slug, account_id=account_id,
                                      now=rt.clock())
    context |= {"profile": account, "chart": engagement_chart(account.recent_posts),
                "niche_labels": NICHE_LABELS, "lookalikes": similar,
                "performance": performance}
    return render(request, "profile.html", context)
