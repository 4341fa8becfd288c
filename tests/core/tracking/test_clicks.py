"""Click rules: bots and prefetches, countries, salted hashes, click ids, bursts, uniques."""

from __future__ import annotations

import hashlib
import string
from datetime import date

import pytest

from kolscope.core.tracking.clicks import (
    BurstFilter,
    ClickIds,
    UniqueWindow,
    VisitorHasher,
    agent_reason,
    classify,
    country_from_headers,
    daily_salt,
    ip_hash,
    new_click_id,
    visitor_key,
)

SAFARI = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1")
CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/120.0.0.0 Safari/537.36")
INSTAGRAM_APP = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
                 "(KHTML, like Gecko) Mobile/15E148 Instagram 309.0.0.28.110")
DOUYIN_APP = ("Mozilla/5.0 (Linux; Android 12) AppleWebKit/537.36 Chrome/110 Mobile "
              "Safari/537.36 aweme_250100 JsSdk/1.0 NetType/WIFI AppName/aweme "
              "BytedanceWebview/d8a21c6")
CUBOT_PHONE = ("Mozilla/5.0 (Linux; Android 10; CUBOT X30) AppleWebKit/537.36 (KHTML, like "
               "Gecko) Chrome/120.0 Mobile Safari/537.36")
URL_SAFE = set(string.ascii_letters + string.digits + "-_")


@pytest.mark.parametrize(("agent", "reason"), [
    ("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
     "preview:facebook"),
    ("Twitterbot/1.0", "preview:twitter"),
    ("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", "preview:slack"),
    ("WhatsApp/2.23.20.0 A", "preview:whatsapp"),
    ("TelegramBot (like TwitterBot)", "preview:telegram"),
    ("Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)", "preview:discord"),
    ("LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
     "preview:linkedin"),
    ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
     "crawler:google"),
    ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "crawler:bing"),
    ("Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
     "crawler:baidu"),
    ("Mozilla/5.0 (Windows NT 6.1; Win64; x64) YisouSpider/5.0 Safari/537.36",
     "crawler:yisou"),
    ("Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)",
     "crawler:sogou"),
    ("Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile "
     "Safari/537.36 (compatible; Bytespider; spider-feedback@bytedance.com)",
     "crawler:bytedance"),
    ("curl/8.5.0", "client:curl"),
    ("Wget/1.21.3", "client:wget"),
    ("python-requests/2.31.0", "client:python"),
    (CHROME.replace("Chrome/", "HeadlessChrome/"), "headless"),
    ("Mozilla/5.0 (compatible; Barkrowler/0.9; +https://babbar.tech/crawler)", "bot"),
    ("", "no-user-agent"),
])
def test_bots_previews_and_scripts_are_named(agent: str, reason: str) -> None:
    assert agent_reason(agent) == reason


@pytest.mark.parametrize("agent", [SAFARI, CHROME, INSTAGRAM_APP, DOUYIN_APP, CUBOT_PHONE])
def test_people_in_browsers_and_in_app_webviews_are_not_bots(agent: str) -> None:
    assert agent_reason(agent) is None
    assert classify("GET", agent, {}) is None


def test_head_requests_and_prefetches_are_not_clicks() -> None:
    assert classify("HEAD", SAFARI, {}) == "head"
    assert classify("GET", CHROME, {"sec-purpose": "prefetch;prerender"}) == "prefetch"
    assert classify("GET", CHROME, {"purpose": "prefetch"}) == "prefetch"
    assert classify("GET", SAFARI, {"x-moz": "prefetch"}) == "prefetch"
    assert classify("GET", SAFARI, {"purpose": "other"}) is None


@pytest.mark.parametrize(("headers", "country"), [
    ({"cf-ipcountry": "de"}, "DE"),
    ({"cloudfront-viewer-country": "CN"}, "CN"),
    ({"x-vercel-ip-country": "US"}, "US"),
    ({"x-country-code": " fr "}, "FR"),
    ({"cf-ipcountry": "XX"}, None),  # Cloudflare: no country known
    ({"cf-ipcountry": "T1"}, None),  # Cloudflare: Tor
    ({"cf-ipcountry": "DEU"}, None),
    ({"cf-ipcountry": "1A"}, None),
    ({}, None),
])
def test_country_comes_from_the_cdn_header(headers: dict[str, str], country: str | None) -> None:
    assert country_from_headers(headers) == country


def test_ip_hash_is_a_keyed_blake2b_and_the_one_pass_hasher_agrees() -> None:
    salt = b"day-salt"
    expected = hashlib.blake2b(b"203.0.113.7", key=salt, digest_size=8).hexdigest()
    assert ip_hash("203.0.113.7", salt) == expected
    for key in (b"", salt, b"k" * 64, b"k" * 100):  # empty, longest and hashed-down keys
        hasher = VisitorHasher(key)
        for ip in ("203.0.113.7", "2001:db8::1", ""):
            assert hasher(ip, SAFARI) == (ip_hash(ip, key), visitor_key(ip, SAFARI, key))
    assert ip_hash("203.0.113.7", b"k" * 100) != ip_hash("203.0.113.7", b"k" * 101)
    assert "203" not in expected and len(expected) == 16


def test_the_salt_changes_every_day_so_hashes_do_not_link_across_days() -> None:
    secret = b"long-lived secret"
    monday, tuesday = daily_salt(secret, date(2026, 3, 2)), daily_salt(secret, date(2026, 3, 3))
    assert monday == daily_salt(secret, date(2026, 3, 2))
    assert monday != tuesday
    assert ip_hash("203.0.113.7", monday) != ip_hash("203.0.113.7", tuesday)
    assert daily_salt(b"another secret", date(2026, 3, 2)) != monday


def test_a_visitor_is_an_address_with_a_browser_under_the_day_salt() -> None:
    assert visitor_key("203.0.113.7", SAFARI, b"s") == visitor_key("203.0.113.7", SAFARI, b"s")
    assert visitor_key("203.0.113.7", SAFARI, b"s") != visitor_key("203.0.113.7", CHROME, b"s")
    assert visitor_key("203.0.113.7", SAFARI, b"s") != visitor_key("203.0.113.8", SAFARI, b"s")
    assert visitor_key("203.0.113.7", SAFARI, b"s") != visitor_key("203.0.113.7", SAFARI, b"t")
    assert len(visitor_key("203.0.113.7", SAFARI, b"s")) == 16


def test_click_ids_are_16_url_safe_characters() -> None:
    assert len(new_click_id()) == 16 and set(new_click_id()) <= URL_SAFE
    assert new_click_id(lambda n: bytes(n)) == "AAAAAAAAAAAAAAAA"
    ids = ClickIds(batch=3)  # a small batch: the random block is drawn again and again
    made = [ids(1_767_225_600 + i / 7) for i in range(50)]
    assert len(set(made)) == 50
    assert all(len(i) == 16 and set(i) <= URL_SAFE for i in made)
    assert made == sorted(made)  # later clicks sort later: the unique index grows at its end


def test_click_ids_from_one_millisecond_differ_in_their_random_part() -> None:
    ids = ClickIds()
    same_ms = [ids(1_767_225_600.0) for _ in range(1000)]
    assert len(set(same_ms)) == 1000
    assert {i[:7] for i in same_ms} == {same_ms[0][:7]}


def test_a_burst_past_the_limit_is_flagged_until_the_window_ends() -> None:
    bursts = BurstFilter(limit=3, window=10.0)
    assert [bursts.hit("v", t) for t in (0.0, 1.0, 2.0, 3.0, 4.0)] == [False] * 3 + [True] * 2
    assert bursts.hit("other", 4.0) is False
    assert bursts.hit("v", 10.5) is False  # a new window


def test_burst_memory_is_bounded_and_forgets_the_oldest_visitor() -> None:
    bursts = BurstFilter(limit=1, window=100.0, max_visitors=2)
    bursts.hit("a", 0.0)
    bursts.hit("b", 1.0)
    bursts.hit("c", 2.0)  # forgets "a"
    assert len(bursts) == 2
    assert bursts.hit("a", 3.0) is False  # counted afresh: under-reported, never invented
    assert bursts.hit("c", 4.0) is True


def test_a_burst_goes_on_counting_when_its_generation_ages() -> None:
    bursts = BurstFilter(limit=3, window=100.0, max_visitors=4)  # generations of 2 visitors
    assert [bursts.hit("v", t) for t in (0.0, 1.0)] == [False, False]
    bursts.hit("x", 1.5)
    bursts.hit("y", 2.0)  # "v" and "x" are the old generation now
    assert bursts.hit("v", 3.0) is False  # the third click, found in the old generation
    assert bursts.hit("v", 4.0) is True
    assert len(bursts) == 3


def test_a_visitor_counts_once_per_window() -> None:
    unique = UniqueWindow(window=86_400.0)
    assert unique.first("link1:v", 0.0) is True
    assert unique.first("link1:v", 3_600.0) is False
    assert unique.first("link2:v", 3_600.0) is True
    assert unique.first("link1:v", 86_400.0) is True  # a day after it counted
    assert unique.first("link1:v", 90_000.0) is False


def test_unique_memory_is_bounded() -> None:
    unique = UniqueWindow(max_keys=100)
    for i in range(1_000):
        assert unique.first(f"k{i}", float(i)) is True
    assert len(unique) == 100
    assert not any(unique.first(f"k{i}", 1_000.0) for i in range(950, 1_000))  # the newest half
    assert unique.first("k0", 1_000.0) is True  # forgotten: may count twice (an upper bound)


@pytest.mark.parametrize(("make", "message"), [
    (lambda: BurstFilter(limit=0), "limit"),
    (lambda: UniqueWindow(window=0), "window"),
])
def test_filters_refuse_nonsense(make: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make()  # type: ignore[operator]
