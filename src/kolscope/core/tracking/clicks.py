"""Clicks on tracked links: bots and prefetches, bursts, salted visitor hashes, unique visitors.

Everything here is pure and cheap enough for the redirect's hot path (a few microseconds a
click): user-agent verdicts are cached, and the two stateful filters keep bounded memory.

Privacy: raw IP addresses are never stored. :func:`ip_hash` is a keyed BLAKE2b (RFC 7693, a
MAC like HMAC, in one pass) of the address under a salt that rotates every UTC day
(:func:`daily_salt` derives it from one long-lived secret), so one visitor's clicks link up
within a day (unique counting, bursts, last-click attribution) but not across days, and nobody
holding the database alone can recover or test an address. The cost: a visitor clicking just
before and just after midnight UTC counts as two unique visitors.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import Generic, Protocol, TypeVar

CLICK_ID_BYTES = 12  # 96 random bits: 16 URL-safe characters, collisions never in practice
HASH_BYTES = 8  # 64 bits (16 hex characters): enough to tell visitors apart, too few to be a key
# ClickIds: 64**7 milliseconds reach the year 2109; 9 random characters are 54 bits.
_TIME_CHARS, _RANDOM_CHARS = 7, 9
_URLSAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_SORTABLE = "".join(sorted(_URLSAFE))
_TO_SORTABLE = str.maketrans(_URLSAFE, _SORTABLE)
_MAX_KEY = 64  # BLAKE2b's longest key; a longer salt is hashed down to it
CLICK_PARAM = "ks_click"  # the query parameter the redirect adds for conversions to carry back

# Substring (case-insensitive) -> reason. Link-preview fetchers first: they are the bulk of
# "clicks" a post gets in its first minutes, and none of them is a person.
_BOT_AGENTS: tuple[tuple[str, str], ...] = (
    ("facebookexternalhit", "preview:facebook"), ("facebookcatalog", "preview:facebook"),
    ("meta-externalagent", "preview:facebook"), ("telegrambot", "preview:telegram"),
    ("twitterbot", "preview:twitter"), ("slackbot", "preview:slack"),
    ("slack-imgproxy", "preview:slack"), ("whatsapp/", "preview:whatsapp"),
    ("discordbot", "preview:discord"), ("linkedinbot", "preview:linkedin"),
    ("pinterestbot", "preview:pinterest"), ("skypeuripreview", "preview:skype"),
    ("vkshare", "preview:vk"), ("redditbot", "preview:reddit"), ("embedly", "preview:embedly"),
    ("iframely", "preview:iframely"), ("applebot", "crawler:apple"),
    ("googlebot", "crawler:google"), ("google-inspectiontool", "crawler:google"),
    ("adsbot-google", "crawler:google"), ("mediapartners-google", "crawler:google"),
    ("googleother", "crawler:google"), ("bingbot", "crawler:bing"),
    ("bingpreview", "crawler:bing"), ("baiduspider", "crawler:baidu"),
    ("yisouspider", "crawler:yisou"), ("sogou web spider", "crawler:sogou"),
    ("sogou inst spider", "crawler:sogou"),
    ("360spider", "crawler:360"), ("bytespider", "crawler:bytedance"),
    ("petalbot", "crawler:petal"), ("yandexbot", "crawler:yandex"),
    ("duckduckbot", "crawler:duckduckgo"), ("ahrefsbot", "crawler:ahrefs"),
    ("semrushbot", "crawler:semrush"), ("mj12bot", "crawler:majestic"),
    ("dotbot", "crawler:moz"), ("gptbot", "crawler:openai"), ("ccbot", "crawler:commoncrawl"),
    ("headlesschrome", "headless"), ("phantomjs", "headless"), ("puppeteer", "headless"),
    ("playwright", "headless"), ("selenium", "headless"),
    ("curl/", "client:curl"), ("wget/", "client:wget"), ("python-requests", "client:python"),
    ("python-urllib", "client:python"), ("python-httpx", "client:python"),
    ("aiohttp", "client:python"), ("scrapy", "client:python"), ("go-http-client", "client:go"),
    ("okhttp", "client:java"), ("java/", "client:java"), ("apache-httpclient", "client:java"),
    ("libwww-perl", "client:perl"), ("node-fetch", "client:node"), ("axios/", "client:node"),
    ("httpclient", "client:other"), ("postmanruntime", "client:postman"),
)
# Generic signs last, so a named bot keeps its name. "bot" only as its own word or before a
# version ("CUBOT X30" is a phone); a URL in a user agent is a crawler's contact page.
_GENERIC = re.compile(r"\bbot\b|bot[/;_)+-]|crawler|spider|scraper|fetcher|checker|https?://")
_PREFETCH_HEADERS = ("purpose", "sec-purpose", "x-moz", "x-purpose")
_COUNTRY_HEADERS = ("cf-ipcountry", "cloudfront-viewer-country", "x-vercel-ip-country",
                    "x-country-code")
_NO_COUNTRY = frozenset({"XX", "T1", "A1", "A2", "O1", "EU", "AP", "ZZ"})


class Headers(Protocol):
    """Request headers by lower-case name: a dict, or the server's own headers object."""

    def get(self, key: str, /) -> str | None: ...


@lru_cache(maxsize=8192)
def agent_reason(user_agent: str) -> str | None:
    """Why a user agent is not a person (``preview:slack``, ``client:curl`` ...), or None.

    Cached: a link's traffic comes from a few hundred distinct browsers, and the cache holds
    8,192, so the rules run once per new user agent.

    >>> agent_reason("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
    'crawler:google'
    >>> agent_reason("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1")
    """
    if not user_agent.strip():
        return "no-user-agent"
    lowered = user_agent.lower()
    for needle, reason in _BOT_AGENTS:
        if needle in lowered:
            return reason
    return "bot" if _GENERIC.search(lowered) else None


def classify(method: str, user_agent: str, headers: Headers) -> str | None:
    """Why a request should not count as a person's click, or None when it should.

    HEAD requests are link checkers and unfurlers; ``Purpose``/``Sec-Purpose: prefetch`` and
    ``X-Moz: prefetch`` are browsers loading a link nobody has clicked yet.
    """
    if method == "HEAD":
        return "head"
    for name in _PREFETCH_HEADERS:
        value = headers.get(name)
        if value is not None and "prefetch" in value.lower():
            return "prefetch"
    return agent_reason(user_agent)


def country_from_headers(headers: Headers) -> str | None:
    """The ISO country code a CDN or proxy in front put in a header; None when none is usable.

    >>> country_from_headers({"cf-ipcountry": "de"})
    'DE'
    >>> country_from_headers({"cf-ipcountry": "XX"}) is None
    True
    """
    for name in _COUNTRY_HEADERS:
        value = headers.get(name)
        if value:
            code = value.strip().upper()
            if len(code) == 2 and code.isascii() and code.isalpha() and code not in _NO_COUNTRY:
                return code
            return None
    return None


def daily_salt(secret: bytes, day: date) -> bytes:
    """The IP-hash salt of one UTC day, derived from the long-lived ``secret``."""
    return hmac.digest(secret, b"kolscope-click-salt:" + day.isoformat().encode(), "sha256")


def _key(salt: bytes) -> bytes:
    return salt if len(salt) <= _MAX_KEY else hashlib.blake2b(salt).digest()


def ip_hash(ip: str, salt: bytes) -> str:
    """A salted 64-bit keyed hash of an IP address; the address itself is never kept.

    >>> len(ip_hash("203.0.113.7", b"salt"))
    16
    """
    return hashlib.blake2b(ip.encode(), key=_key(salt), digest_size=HASH_BYTES).hexdigest()


def visitor_key(ip: str, user_agent: str, salt: bytes) -> str:
    """One visitor: an address with a browser (people behind one NAT use different ones),
    hashed under the same salt as :func:`ip_hash`."""
    return hashlib.blake2b(f"{ip}\n{user_agent}".encode(), key=_key(salt),
                           digest_size=HASH_BYTES).hexdigest()


class VisitorHasher:
    """(:func:`ip_hash`, :func:`visitor_key`) of a request under one salt, in one pass: the
    keyed state is set up once, and the visitor's hash continues the address's.

    >>> VisitorHasher(b"salt")("203.0.113.7", "Safari") == (
    ...     ip_hash("203.0.113.7", b"salt"), visitor_key("203.0.113.7", "Safari", b"salt"))
    True
    """

    def __init__(self, salt: bytes) -> None:
        self._keyed = hashlib.blake2b(key=_key(salt), digest_size=HASH_BYTES)

    def __call__(self, ip: str, user_agent: str) -> tuple[str, str]:
        state = self._keyed.copy()
        state.update(ip.encode())
        hashed = state.hexdigest()
        state.update(f"\n{user_agent}".encode())
        return hashed, state.hexdigest()


def new_click_id(entropy: Callable[[int], bytes] = os.urandom) -> str:
    """A random, URL-safe click id of 16 characters (96 bits from ``entropy``)."""
    return base64.urlsafe_b64encode(entropy(CLICK_ID_BYTES)).decode()


class ClickIds:
    """Time-ordered click ids: 7 characters of milliseconds, then 9 random (54 bits).

    Same length and alphabet as :func:`new_click_id`, but ids made later sort later (the
    alphabet is in ASCII order), so the unique index on ``click_id`` grows at its end instead
    of at random pages, which is most of the cost of writing clicks in bulk. Random characters
    are encoded ``batch`` ids at a time, and the time prefix once per millisecond.
    """

    def __init__(self, entropy: Callable[[int], bytes] = os.urandom, batch: int = 2048) -> None:
        # Whole groups of 3 bytes, so the encoding has no "=" padding.
        self._entropy, self._bytes = entropy, -(-batch * _RANDOM_CHARS // 4) * 3
        self._block, self._at = "", 0
        self._ms, self._prefix = -1, ""

    def __call__(self, now: float) -> str:
        """A new id for a click at ``now`` (epoch seconds)."""
        ms = int(now * 1000)
        if ms != self._ms:
            self._ms, self._prefix = ms, _sortable(ms, _TIME_CHARS)
        at = self._at
        if at + _RANDOM_CHARS > len(self._block):
            raw = base64.urlsafe_b64encode(self._entropy(self._bytes)).decode()
            self._block = raw.translate(_TO_SORTABLE)
            at = 0
        self._at = at + _RANDOM_CHARS
        return self._prefix + self._block[at:at + _RANDOM_CHARS]


def _sortable(value: int, width: int) -> str:
    digits = []
    for _ in range(width):
        value, digit = divmod(value, 64)
        digits.append(_SORTABLE[digit])
    return "".join(reversed(digits))


_V = TypeVar("_V")


class _Generations(Generic[_V]):
    """A bounded memory of keys, forgotten a generation at a time.

    New keys go into the young generation; when it holds ``size`` keys it becomes the old one
    and the generation before is dropped whole. So the newest ``size`` to ``2 * size`` keys are
    remembered, in two plain dicts: a lookup and an insert are a few dict operations, where an
    ordered dict that forgets one key per insert costs several times that on the redirect's
    hot path (``benchmarks/redirect.py``).
    """

    def __init__(self, remember: int) -> None:
        self.size = max(1, remember // 2)
        self._young: dict[str, _V] = {}
        self._old: dict[str, _V] = {}

    def _find(self, key: str) -> _V | None:
        found = self._young.get(key)
        return self._old.get(key) if found is None else found

    def _put(self, key: str, value: _V) -> None:
        young = self._young
        if len(young) >= self.size and key not in young:
            self._old, self._young = young, {}
            young = self._young
        young[key] = value

    def __len__(self) -> int:
        """Keys remembered (a key re-entered since its generation aged counts once)."""
        return len(self._young) + sum(1 for key in self._old if key not in self._young)


class BurstFilter(_Generations[tuple[float, int]]):
    """Flags a visitor's clicks past ``limit`` within ``window`` seconds as a bot burst.

    Counts in fixed windows that start at a visitor's first click. Memory is bounded: the
    ``max_visitors`` / 2 to ``max_visitors`` visitors seen last are remembered, and a visitor
    forgotten starts counting again, so a burst can only be under-reported, never invented.
    """

    def __init__(self, limit: int = 10, window: float = 10.0,
                 max_visitors: int = 100_000) -> None:
        if limit < 1 or window <= 0 or max_visitors < 2:
            raise ValueError("BurstFilter needs limit >= 1, window > 0 and max_visitors >= 2")
        super().__init__(max_visitors)
        self.limit, self.window = limit, window

    def hit(self, visitor: str, now: float) -> bool:
        """Count one click at ``now`` (seconds); True when it is past the visitor's limit."""
        entry = self._find(visitor)
        if entry is not None and now - entry[0] < self.window:
            self._put(visitor, (entry[0], entry[1] + 1))  # numbers: the collector stops tracking
            return entry[1] >= self.limit
        self._put(visitor, (now, 1))
        return False


class UniqueWindow(_Generations[float]):
    """Whether a key (a visitor on a link) is seen for the first time in ``window`` seconds.

    A key counts again once ``window`` (default 24 h) has passed since it last counted.
    Memory is bounded: the ``max_keys`` / 2 to ``max_keys`` keys counted last are remembered,
    so under more distinct visitors than that a returning visitor may count twice (documented
    as an upper bound on unique clicks in ``docs/redirect.md``).
    """

    def __init__(self, window: float = 86_400.0, max_keys: int = 250_000) -> None:
        if window <= 0 or max_keys < 2:
            raise ValueError("UniqueWindow needs window > 0 and max_keys >= 2")
        super().__init__(max_keys)
        self.window = window

    def first(self, key: str, now: float) -> bool:
        """True when ``key`` has not counted within the window; it counts from ``now``."""
        seen = self._find(key)
        if seen is not None and now - seen < self.window:
            return False
        self._put(key, now)
        return True
