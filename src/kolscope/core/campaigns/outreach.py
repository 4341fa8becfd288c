"""Outreach rules: merge-field templates, follow-up sequences that stop on a reply, daily caps.

Templates use ``{field}`` merge fields from :data:`MERGE_FIELDS` (``{{`` and ``}}`` for literal
braces). A template with an unknown field, a format spec or unbalanced braces is refused when it is
saved, with the field and position named, so a message never goes out half-merged. Rendering
refuses a message whose fields have no value for that KOL rather than sending a blank.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from kolscope.core.records import one_line
from kolscope.errors import InvalidInput

MERGE_FIELDS: dict[str, str] = {
    "name": "the KOL's display name, or the handle",
    "handle": "the KOL's handle",
    "platform": "the KOL's platform",
    "niche": "the KOL's niche",
    "why_you": "why the brand fits this KOL (the match reasons)",
    "offer": "what the brand offers",
    "audience_gain": "what the KOL's audience gains",
    "brand": "the brand",
    "campaign": "the campaign's name",
    "sender": "the sender's name",
}
MAX_SUBJECT = 200
MAX_BODY = 10_000
_EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")


@dataclass(frozen=True)
class Template:
    name: str
    subject: str
    body: str

    @property
    def fields(self) -> list[str]:
        return list(dict.fromkeys(_fields(self.subject, "subject") + _fields(self.body, "body")))


def _fields(text: str, where: str) -> list[str]:
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise InvalidInput(f"{where}: {exc} (write {{{{ and }}}} for literal braces)",
                           field=where) from None
    # Literal {{ and }} masked (same length), so a field is found where it opens; the cursor
    # moves past each field, so a repeated field is placed at its own occurrence.
    masked = text.replace("{{", "\0\0").replace("}}", "\0\0")
    cursor = 0
    found: list[str] = []
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        start = max(masked.find("{" + name, cursor), cursor)
        cursor = start + 1
        line = masked[:start].count("\n") + 1
        if name not in MERGE_FIELDS:
            raise InvalidInput(f"{where} line {line}: unknown merge field {{{name}}}; known "
                               f"fields are {', '.join('{' + f + '}' for f in MERGE_FIELDS)}",
                               field=where, line=line)
        if spec or conversion:
            raise InvalidInput(f"{where} line {line}: {{{name}}} takes no format spec or "
                               "conversion", field=where, line=line)
        found.append(name)
    return found


def parse_template(name: str, subject: str, body: str) -> Template:
    """A validated template; raises :class:`InvalidInput` naming the field and line."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,59}", name):
        raise InvalidInput("template names are 1-60 lower-case letters, digits, - and _",
                           field="name")
    if not subject.strip() or len(subject) > MAX_SUBJECT or "\n" in subject:
        raise InvalidInput(f"subject must be one line of 1-{MAX_SUBJECT} characters",
                           field="subject")
    if not body.strip() or len(body) > MAX_BODY:
        raise InvalidInput(f"body must be 1-{MAX_BODY:,} characters", field="body")
    template = Template(name, subject, body)
    _ = template.fields
    return template


def render(template: Template, values: Mapping[str, str | None], *, who: str
           ) -> tuple[str, str]:
    """The personalised subject and body; refuses fields with no value for ``who``."""
    missing = [f for f in template.fields if not (values.get(f) or "").strip()]
    if missing:
        raise InvalidInput(f"{who}: no value for {', '.join('{' + f + '}' for f in missing)} "
                           f"in template {template.name!r}", field=missing[0])
    clean = {f: str(values[f]).strip() for f in template.fields}
    return template.subject.format(**clean), template.body.format(**clean)


@dataclass(frozen=True)
class Step:
    """Send ``template`` ``delay_days`` after the previous step (the first: when approved)."""

    template: str
    delay_days: int


def parse_steps(steps: Sequence[tuple[str, int]]) -> tuple[Step, ...]:
    if not 1 <= len(steps) <= 5:
        raise InvalidInput("a sequence has 1 to 5 steps (one message and up to four follow-ups)",
                           field="steps")
    out = []
    for i, (template, delay) in enumerate(steps, start=1):
        if i == 1 and delay != 0:
            raise InvalidInput("the first step goes out when approved: delay 0", field="steps")
        if i > 1 and not 1 <= delay <= 60:
            raise InvalidInput(f"step {i}: follow-ups wait 1 to 60 days", field="steps")
        out.append(Step(template, delay))
    return tuple(out)


def next_step(steps: Sequence[Step], *, sent: Sequence[datetime], replied: bool
              ) -> tuple[int, timedelta] | None:
    """The next step's number (1-based) and its delay after the last send; None when done.

    A reply stops the sequence; so does running out of steps.
    """
    if replied or len(sent) >= len(steps):
        return None
    step = len(sent) + 1
    return step, timedelta(days=steps[step - 1].delay_days)


def normalize_address(value: str, field: str = "address") -> str:
    """An email address, trimmed and lower-cased; raises, naming ``field``, on anything that
    is not one."""
    address = value.strip().lower()
    if not _EMAIL.match(address) or len(address) > 254:
        raise InvalidInput(f"{field}: not an email address: {value!r}", field=field)
    return address


def check_display_name(value: str) -> str:
    """A sender's name as it goes into a From header: trimmed, 1 to 200 characters, and no
    control characters (a line break would start a header of its own)."""
    try:
        name = one_line(value)
    except ValueError as exc:
        raise InvalidInput(f"display_name: {exc}", field="display_name") from None
    if len(name) > 200:
        raise InvalidInput("display_name: at most 200 characters", field="display_name")
    return name


def check_cap(*, cap: int, sent_today: int, wanted: int) -> int:
    """How many of ``wanted`` messages may go out today under a daily ``cap``."""
    return max(0, min(wanted, cap - sent_today))
