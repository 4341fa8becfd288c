"""The contract document generated from a collaboration's terms, ready to render and sign.

One document model, built here from the terms alone, so the HTML and PDF renderers in
``adapters/documents`` cannot disagree about what was agreed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kolscope.core.campaigns.terms import Terms

CONTRACT_VERSION = "contract-1"


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...] = ()
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class ContractDocument:
    title: str
    reference: str
    issued_on: date
    brand: str
    kol: str
    sections: tuple[Section, ...]
    signatories: tuple[str, ...]
    version: str = CONTRACT_VERSION


def _exact(amount: Decimal, places: int) -> str:
    """``amount`` with at least ``places`` decimals and every further digit it has: a contract
    never rounds what was agreed (0.005 per click is not 0.00, 1.25 % is not 1.2 %)."""
    exponent = amount.normalize().as_tuple().exponent
    digits = max(places, -exponent) if isinstance(exponent, int) else places
    return f"{amount:,.{digits}f}"


def _money(amount: Decimal | None, currency: str) -> str:
    return f"{_exact(amount, 2)} {currency}" if amount is not None else ""


def _deliverables(terms: Terms) -> Section:
    items = []
    for spec in terms.deliverables:
        due = f", due {spec.due.isoformat()}" if spec.due else ""
        line = f"{spec.count} × {spec.format.value.replace('_', ' ')} on {spec.platform.value}{due}"
        line += f"; disclosure: {', '.join(spec.disclosures)}"
        if spec.hashtags:
            line += f"; hashtags: {' '.join(spec.hashtags)}"
        if spec.links:
            line += f"; links: {' '.join(spec.links)}"
        if spec.brief:
            line += f". {spec.brief}"
        items.append(line)
    return Section("1. Deliverables", (
        "The Creator will publish the following content. Every post carries the disclosure "
        "named for it, and drafts are submitted for review before publishing.",), tuple(items))


def _rights(terms: Terms) -> Section:
    usage = terms.usage
    if usage is None or not usage.channels:
        text = ("The Brand may share the published posts natively on the platform. No other "
                "usage rights are granted.")
    else:
        text = (f"The Brand may reuse the content on {', '.join(usage.channels)} for "
                f"{usage.duration_days} days from publication.")
    return Section("2. Usage rights", (text,))


def _exclusivity(terms: Terms) -> Section:
    ex = terms.exclusivity
    if ex is None:
        return Section("3. Exclusivity", ("No exclusivity is agreed.",))
    scope = [*(f"the {c} category" for c in ex.categories), *ex.competitors]
    return Section("3. Exclusivity", (
        f"The Creator will not publish paid content for {', '.join(scope)} from "
        f"{ex.days_before} days before the first deliverable until {ex.days_after} days after "
        "the last.",))


def _compensation(terms: Terms) -> Section:
    items = []
    if terms.fee:
        items.append(f"Fee: {_money(terms.fee, terms.currency)}, payable within "
                     f"{terms.payment_due_days} days of completion.")
    if terms.seeding is not None:
        value = (f" (value {_money(terms.seeding.value, terms.currency)})"
                 if terms.seeding.value else "")
        items.append(f"Product seeding: {terms.seeding.product}{value}.")
    perf = terms.performance
    if perf is not None:
        parts = []
        if perf.per_click:
            parts.append(f"{_money(perf.per_click, terms.currency)} per tracked click")
        if perf.per_conversion:
            parts.append(f"{_money(perf.per_conversion, terms.currency)} per attributed order")
        if perf.revenue_share:
            parts.append(f"{_exact(perf.revenue_share * 100, 1)} % of attributed revenue")
        cap = f", capped at {_money(perf.cap, terms.currency)}" if perf.cap is not None else ""
        items.append(f"Performance pay: {'; '.join(parts)}{cap}, measured by the Brand's "
                     "tracking links and promo codes.")
    return Section("4. Compensation", (), tuple(items))


def build_contract(*, terms: Terms, reference: str, issued_on: date, brand: str,
                   campaign: str, kol: str) -> ContractDocument:
    """The contract for one collaboration's terms."""
    sections = [
        Section("Parties", (f"{brand} (the Brand) and {kol} (the Creator) agree to the "
                            f"following for the campaign {campaign}.",)),
        _deliverables(terms), _rights(terms), _exclusivity(terms), _compensation(terms),
        Section("5. Disclosure and conduct", (
            "The Creator discloses the partnership clearly in every post as required by the "
            "platform and applicable advertising rules, and shares honest opinions.",)),
    ]
    if terms.notes:
        sections.append(Section("6. Other terms", (terms.notes,)))
    return ContractDocument(title=f"Collaboration agreement: {campaign}", reference=reference,
                            issued_on=issued_on, brand=brand, kol=kol, sections=tuple(sections),
                            signatories=(f"For {brand}", f"{kol}"))
