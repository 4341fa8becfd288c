"""A sample campaign in the synthetic workspace, so a first look at the board (and the campaign
report) is not empty."""

from __future__ import annotations

from datetime import datetime

from kolscope.app import campaigns as camp
from kolscope.app import outreach as out
from kolscope.app.ports import UnitOfWork
from kolscope.app.sample_results import seed_sample_results
from kolscope.app.workspaces import require_workspace
from kolscope.core.platforms import parse_platform

SLUG = "sample-launch"
KOLS = 8
INTRO = """Hi {name},

I'm {sender} from {brand}. We would love to work with you because of {why_you}.
We'd like to offer {offer}, and {audience_gain}.

Would you be open to a short call this week?
{sender}
"""
NUDGE = """Hi {name}, just following up on my note about {campaign}. No pressure at all; if now
is not the right time, a one-line reply is perfect and we won't write again.
{sender}
"""


def seed_sample_campaign(uow: UnitOfWork, *, workspace: str, now: datetime) -> bool:
    """Create the sample campaign with a few shortlisted KOLs, some of them through to published
    posts with clicks and orders; False if it exists already."""
    ws = require_workspace(uow, workspace)
    if uow.campaigns.by_slug(ws.id, SLUG) is not None:
        return False
    camp.create_campaign(uow, workspace=workspace, now=now, campaign_in=camp.parse_campaign({
        "slug": SLUG, "name": "Sample serum launch", "brand": "Sample Skincare Co.",
        "goal": "conversion", "budget": "20000", "currency": "USD",
        "kpi_targets": {"conversions": 400, "engagement_rate": 0.03},
        "offer": "a paid short video and our new serum",
        "audience_gain": "your followers get 20% off with your own code"}))
    out.put_template(uow, workspace=workspace, name="intro", subject="{brand} x {name}",
                     body=INTRO, now=now)
    out.put_template(uow, workspace=workspace, name="nudge",
                     subject="Re: {brand} x {name}", body=NUDGE, now=now)
    out.put_sender(uow, workspace=workspace, address="partnerships@sample.example",
                   display_name="Sam at Sample Skincare", daily_cap=25)
    out.put_sequence(uow, workspace=workspace, slug=SLUG, name="main", channel="email",
                     sender="partnerships@sample.example", steps=[("intro", 0), ("nudge", 4)])
    for subject in uow.vetting.subjects(ws.id, 0, KOLS):
        camp.add_kols(uow, workspace=workspace, slug=SLUG, handles=[subject.handle],
                      platform=parse_platform(subject.platform), actor="sample", now=now)
        camp.set_contact(uow, workspace=workspace, account_id=subject.account_id,
                         email=f"{subject.handle.lower()}@kol.example")
    seed_sample_results(uow, workspace=workspace, slug=SLUG, now=now)
    return True
