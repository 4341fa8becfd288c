"""The search form: query-string text in, an ``AccountQuery`` or per-field messages out.

The form speaks percentages for engagement rates (people type 2.5, not 0.025); the query speaks
fractions. Blank fields are left out so that every filter stays optional.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from kolscope.app.models import AccountQuery

FIELDS: tuple[str, ...] = tuple(AccountQuery.model_fields)
PERCENT_FIELDS = frozenset({"min_engagement_rate", "max_engagement_rate"})
LABELS = {
    "text": "Brief", "active_days": "Posted in the last N days", "platform": "Platform",
    "tier": "Tier", "niche": "Niche",
    "language": "Language", "country": "Country", "min_followers": "Min followers",
    "max_followers": "Max followers", "min_engagement_rate": "Min engagement rate (%)",
    "max_engagement_rate": "Max engagement rate (%)", "sort": "Sort by",
    "min_authority_percentile": "Min authority percentile", "kol_type": "KOL type",
    "limit": "Per page", "offset": "Offset", "verdict": "Vetting verdict",
    "exclude_flags": "Leave out flagged for",
}
FORM = "form"  # key of messages that belong to no single field


@dataclass
class SearchForm:
    """The form as typed (to show it again), the query it makes, or what is wrong with it."""

    values: dict[str, str]
    query: AccountQuery | None
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def filtered(self) -> bool:
        """Whether any filter is set (order and page are not filters)."""
        return bool(self.values.keys() - {"sort", "limit", "offset"})

    def link(self, offset: int) -> str:
        """The query string of this search at another page."""
        return "?" + urlencode({**self.values, "offset": str(offset)})


def parse_search(params: Mapping[str, str]) -> SearchForm:
    """Read the search form; invalid values become messages, never exceptions."""
    values = {name: params[name].strip() for name in FIELDS if params.get(name, "").strip()}
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, raw in values.items():
        if name in PERCENT_FIELDS:
            try:
                data[name] = _fraction(raw)
            except ValueError:
                errors[name] = "Enter a percentage as a number, such as 2.5"
        else:
            data[name] = raw
    try:
        query = AccountQuery.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            name, message = _describe(error)
            errors.setdefault(name, message)
        query = None
    return SearchForm(values, None if errors else query, errors)


def _fraction(raw: str) -> float:
    number = float(raw.removesuffix("%").strip())
    if not math.isfinite(number):
        raise ValueError(raw)
    return number / 100


def _describe(error: ErrorDetails) -> tuple[str, str]:
    """The field a validation error belongs to and a message a person can act on."""
    loc, kind, ctx = error["loc"], error["type"], error.get("ctx", {})
    name = str(loc[0]) if loc else FORM
    if kind == "int_parsing":
        return name, "Enter a whole number, such as 10000"
    if kind == "float_parsing":
        return name, "Enter a number"
    if kind == "greater_than_equal":
        return name, f"Must be at least {_shown(name, ctx['ge'])}"
    if kind == "less_than_equal":
        return name, f"Must be at most {_shown(name, ctx['le'])}"
    if kind == "enum":
        return name, f"Choose one of: {ctx['expected']}"
    message = str(error["msg"]).removeprefix("Value error, ")
    if name == FORM:  # a range check: shown beside the field it names first
        named = [f for f in FIELDS if "_" in f and f in message]
        name = min(named, key=message.index, default=FORM)
        for f in named:
            message = message.replace(f, LABELS[f].lower())
    return name, message[:1].upper() + message[1:]


def _shown(name: str, bound: Any) -> str:
    return f"{bound * 100:g}%" if name in PERCENT_FIELDS else f"{bound:,}"
