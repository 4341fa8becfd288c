"""Tracked links: UTM parameters from a workspace template, checked destinations, short codes.

A link belongs to a collaboration (and optionally one deliverable). Its destination is checked
once, when it is saved, so the redirect service only ever sends people to an ``http(s)`` URL
with a real host and no embedded credentials. Short codes are random over an alphabet without
look-alike characters, or chosen by hand within :func:`check_code`'s rules. Rules and
alphabets: ``docs/methods/tracking.md``.
"""

from __future__ import annotations

import ipaddress
import random
import re
import secrets
import unicodedata
from collections.abc import Mapping
from string import Formatter
from urllib.parse import quote, unquote_plus, urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from kolscope.errors import InvalidInput

PLACEHOLDERS = frozenset({"platform", "campaign", "deliverable", "handle", "kol", "workspace"})
UTM_FIELDS = ("source", "medium", "campaign", "content", "term")
MAX_URL_LENGTH = 2048
MAX_UTM_VALUE = 100

# 56 characters: digits 2-9, letters without 0/O/o and 1/l/I. 56**7 is about 1.7e12 codes.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz"
MIN_CODE_LENGTH = 3
MAX_CODE_LENGTH = 32
CODE_PATTERN = re.compile(rf"[A-Za-z0-9_-]{{{MIN_CODE_LENGTH},{MAX_CODE_LENGTH}}}")
# Paths the redirect service or a web server in front of it answers itself.
RESERVED_CODES = frozenset({"api", "w", "health", "healthz", "ready", "metrics", "static",
                            "assets", "favicon.ico", "robots.txt", "sitemap.xml", ".well-known",
                            "admin", "login", "logout", "qr"})

_UNSAFE_IN_URL = "!#$%&'()*+,/:;=?@[]~"  # kept as written; everything else is percent-encoded


class UtmTemplate(BaseModel):
    """A workspace's UTM values; ``{placeholder}`` names one of :data:`PLACEHOLDERS`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str = Field(default="{platform}", max_length=200)
    medium: str = Field(default="influencer", max_length=200)
    campaign: str = Field(default="{campaign}", max_length=200)
    content: str = Field(default="{deliverable}", max_length=200)
    term: str = Field(default="{handle}", max_length=200)

    @field_validator("source", "medium", "campaign", "content", "term")
    @classmethod
    def _known_placeholders(cls, value: str, info: ValidationInfo) -> str:
        field = info.field_name
        try:
            parts = list(Formatter().parse(value))
        except ValueError as exc:
            raise InvalidInput(f"utm {field}: unbalanced braces in {value!r} ({exc}); "
                               "write {{ and }} for literal braces", field=field) from None
        for _, name, spec, conversion in parts:
            if name is None:
                continue
            if name not in PLACEHOLDERS or spec or conversion:
                allowed = ", ".join("{" + p + "}" for p in sorted(PLACEHOLDERS))
                raise InvalidInput(f"utm {field}: unknown placeholder {{{name}}}; "
                                   f"use {allowed}", field=field)
        return value


def slug(text: str) -> str:
    """A UTM value: lower case, spaces and punctuation as ``-``, letters of any script kept.

    >>> slug("  Summer Sale: 2025 ")
    'summer-sale-2025'
    >>> slug("@Anna's 春季")
    'annas-春季'
    """
    out: list[str] = []
    for ch in unicodedata.normalize("NFKC", text).lower():
        if ch.isalnum() or ch in "-_.":
            out.append(ch)
        elif ch not in "'’\"@#":
            out.append("-")
    value = re.sub(r"-{2,}", "-", "".join(out)).strip("-._")
    return value[:MAX_UTM_VALUE].rstrip("-._")


def render_utm(template: UtmTemplate, context: Mapping[str, str]) -> dict[str, str]:
    """``utm_source`` … ``utm_term`` for one link; placeholders missing from ``context`` are empty
    and values that end up empty are left out. Percent-encoding happens in :func:`tracked_url`.
    """
    utm: dict[str, str] = {}
    for field in UTM_FIELDS:
        text = "".join(literal + (context.get(name, "") if name is not None else "")
                       for literal, name, _, _ in Formatter().parse(getattr(template, field)))
        value = slug(text)
        if value:
            utm[f"utm_{field}"] = value
    return utm


def _refuse(message: str) -> InvalidInput:
    return InvalidInput(f"destination {message}", field="destination")


def validate_destination(url: str) -> str:
    """The destination as it will be redirected to, or InvalidInput saying what is wrong.

    Only ``http`` and ``https``; a host with a dot (or an IP address) and no user name or
    password; no whitespace or control characters; at most :data:`MAX_URL_LENGTH` characters.
    International host names become punycode and other non-ASCII text is percent-encoded.
    """
    text = url.strip()
    if not text:
        raise _refuse("is empty")
    if len(text) > MAX_URL_LENGTH:
        raise _refuse(f"is {len(text)} characters long; at most {MAX_URL_LENGTH}")
    for i, ch in enumerate(text):
        if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf"):
            raise _refuse(f"has a space or control character at position {i + 1}")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise _refuse(f"is not a valid URL ({exc})") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise _refuse(f"must start with http:// or https://, not {parts.scheme or 'nothing'}")
    if "@" in parts.netloc:
        raise _refuse("must not carry a user name or password")
    if not parts.hostname:
        raise _refuse("needs a host name")
    netloc = _host(parts.hostname) + (f":{port}" if port is not None else "")
    result = urlunsplit((parts.scheme.lower(), netloc, quote(parts.path or "/", _UNSAFE_IN_URL),
                         quote(parts.query, _UNSAFE_IN_URL),
                         quote(parts.fragment, _UNSAFE_IN_URL)))
    if len(result) > MAX_URL_LENGTH:
        raise _refuse(f"is {len(result)} characters long once encoded; at most {MAX_URL_LENGTH}")
    return result


def _host(host: str) -> str:
    if ":" in host:
        try:
            return f"[{ipaddress.IPv6Address(host).compressed}]"
        except ValueError:
            raise _refuse(f"has an invalid IPv6 address {host!r}") from None
    try:
        ascii_host = host.rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise _refuse(f"has an invalid host name {host!r}") from None
    labels = ascii_host.split(".")
    if len(labels) < 2 or any(not re.fullmatch(r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?", label)
                              for label in labels):
        raise _refuse(f"needs a full host name such as shop.example.com, got {host!r}")
    return ascii_host


def tracked_url(destination: str, utm: Mapping[str, str]) -> str:
    """The destination with ``utm`` merged into its query.

    UTM keys already in the destination (the five standard ones and any in ``utm``) are
    replaced; every other parameter keeps its place and spelling, the fragment is kept, and the
    UTM parameters follow in ``utm``'s order. Idempotent: tracking a tracked URL changes nothing.
    """
    parts = urlsplit(validate_destination(destination))
    replaced = {f"utm_{field}" for field in UTM_FIELDS} | {key.lower() for key in utm}
    kept = [piece for piece in parts.query.split("&")
            if piece and unquote_plus(piece.split("=", 1)[0]).lower() not in replaced]
    added = [f"{quote(key, safe='')}={quote(value, safe='')}" for key, value in utm.items()
             if value]
    result = urlunsplit(parts._replace(query="&".join(kept + added)))
    if len(result) > MAX_URL_LENGTH:
        raise InvalidInput(f"the tracked URL is {len(result)} characters long; at most "
                           f"{MAX_URL_LENGTH}: shorten the UTM values", field="utm")
    return result


def new_code(length: int = 7, rng: random.Random | None = None) -> str:
    """A random short code over :data:`CODE_ALPHABET`; never a reserved word.

    ``rng`` defaults to the operating system's generator so codes cannot be guessed in order.
    """
    if not MIN_CODE_LENGTH <= length <= MAX_CODE_LENGTH:
        raise InvalidInput(f"a code has {MIN_CODE_LENGTH} to {MAX_CODE_LENGTH} characters",
                           field="length")
    rng = rng or secrets.SystemRandom()
    while True:
        code = "".join(rng.choice(CODE_ALPHABET) for _ in range(length))
        if code.lower() not in RESERVED_CODES:
            return code


def check_code(code: str) -> str:
    """A chosen (vanity) code, unchanged but for outer spaces, or InvalidInput saying why not.

    3 to 32 of ``A-Z a-z 0-9 _ -``; case matters (``Anna`` and ``anna`` are two codes); the
    paths in :data:`RESERVED_CODES` are refused in any case.
    """
    text = code.strip()
    if not MIN_CODE_LENGTH <= len(text) <= MAX_CODE_LENGTH:
        raise InvalidInput(f"a code has {MIN_CODE_LENGTH} to {MAX_CODE_LENGTH} characters, "
                           f"this one {len(text)}", field="code")
    if text.lower() in RESERVED_CODES:
        raise InvalidInput(f"{text!r} is reserved for the service itself", field="code")
    if not CODE_PATTERN.fullmatch(text):
        raise InvalidInput("a code is letters A-Z and a-z, digits, '-' and '_' only",
                           field="code")
    return text
