"""Tracked links: UTM templates, destination checks, merging UTM into URLs, short codes."""

from __future__ import annotations

import random
from urllib.parse import parse_qsl, urlsplit

import pytest

from kolscope.core.tracking.links import (
    CODE_ALPHABET,
    MAX_CODE_LENGTH,
    MAX_URL_LENGTH,
    RESERVED_CODES,
    UtmTemplate,
    check_code,
    new_code,
    render_utm,
    slug,
    tracked_url,
    validate_destination,
)
from kolscope.errors import InvalidInput

CONTEXT = {"platform": "Instagram", "campaign": "Spring Glow 2025", "deliverable": "Reel #2",
           "handle": "@Anna.Beauty", "kol": "Anna Li", "workspace": "Acme"}


def test_default_template_renders_the_five_utm_values_in_order() -> None:
    utm = render_utm(UtmTemplate(), CONTEXT)
    assert list(utm.items()) == [("utm_source", "instagram"), ("utm_medium", "influencer"),
                                 ("utm_campaign", "spring-glow-2025"),
                                 ("utm_content", "reel-2"), ("utm_term", "anna.beauty")]


def test_template_mixes_literal_text_and_placeholders() -> None:
    template = UtmTemplate(campaign="{workspace}_{campaign}", medium="KOL {{paid}}")
    utm = render_utm(template, CONTEXT)
    assert utm["utm_campaign"] == "acme_spring-glow-2025"
    assert utm["utm_medium"] == "kol-paid"


def test_missing_placeholder_values_drop_the_parameter() -> None:
    utm = render_utm(UtmTemplate(), {"platform": "douyin", "campaign": "launch"})
    assert set(utm) == {"utm_source", "utm_medium", "utm_campaign"}


def test_chinese_values_are_kept_and_full_width_folded() -> None:
    assert slug("春季 新品 ２０２５") == "春季-新品-2025"
    assert slug("  Summer   Sale:: 2025!! ") == "summer-sale-2025"
    assert slug("@Anna's") == "annas"
    assert slug("!!!") == ""
    assert len(slug("a" * 500)) == 100


@pytest.mark.parametrize(("field", "value"), [
    ("source", "{network}"), ("term", "{handle!r}"), ("content", "{deliverable:>10}"),
    ("campaign", "{}"), ("medium", "{handle.upper}"), ("campaign", "{campaign"),
])
def test_unknown_or_odd_placeholders_are_refused_naming_the_field(field: str, value: str) -> None:
    with pytest.raises(InvalidInput) as err:
        UtmTemplate(**{field: value})
    assert err.value.field == field


def test_destination_is_normalised() -> None:
    assert validate_destination("  HTTPS://Shop.Example.com ") == "https://shop.example.com/"
    assert validate_destination("https://bücher.example/straße?q=café#über") == (
        "https://xn--bcher-kva.example/stra%C3%9Fe?q=caf%C3%A9#%C3%BCber")
    assert validate_destination("http://shop.example.com:8080/a%20b?x=1") == (
        "http://shop.example.com:8080/a%20b?x=1")
    assert validate_destination("https://[2001:db8::1]/p") == "https://[2001:db8::1]/p"
    assert validate_destination("https://192.0.2.7/p") == "https://192.0.2.7/p"


def test_normalising_twice_changes_nothing() -> None:
    once = validate_destination("https://bücher.example/straße?q=café")
    assert validate_destination(once) == once


@pytest.mark.parametrize(("url", "says"), [
    ("", "empty"),
    ("javascript:alert(1)", "http"),
    ("ftp://files.example.com/a", "http"),
    ("//shop.example.com/a", "http"),
    ("https://", "host"),
    ("https://user:pw@shop.example.com/", "password"),
    ("https://shop.example.com@evil.example/", "password"),
    ("https://shop.example.com/a b", "space"),
    ("https://shop.example.com/\x00", "control"),
    ("https://shop.example.com/\u200b", "control"),
    ("https://shop/", "full host"),
    ("https://-bad-.example.com/", "full host"),
    ("https://shop.example.com:99999/", "valid URL"),
    ("https://[::zz]/", "valid URL"),
    ("https://shop.example.com/" + "a" * MAX_URL_LENGTH, "long"),
])
def test_bad_destinations_are_refused_with_a_reason(url: str, says: str) -> None:
    with pytest.raises(InvalidInput, match=says) as err:
        validate_destination(url)
    assert err.value.field == "destination"


def test_tracked_url_replaces_old_utm_keeps_other_params_and_fragment() -> None:
    url = tracked_url("https://shop.example.com/p?ref=ig&utm_source=old&b=x+y&UTM_TERM=z#top",
                      render_utm(UtmTemplate(), CONTEXT))
    parts = urlsplit(url)
    assert parts.fragment == "top"
    assert parts.query.startswith("ref=ig&b=x+y&utm_source=instagram&utm_medium=influencer")
    assert dict(parse_qsl(parts.query))["utm_term"] == "anna.beauty"
    assert [k for k, _ in parse_qsl(parts.query)].count("utm_source") == 1
    assert "UTM_TERM" not in parts.query


def test_tracked_url_drops_stale_utm_the_template_leaves_empty() -> None:
    url = tracked_url("https://shop.example.com/?utm_content=old", {"utm_source": "tiktok"})
    assert url == "https://shop.example.com/?utm_source=tiktok"


def test_tracked_url_percent_encodes_and_is_idempotent() -> None:
    utm = {"utm_source": "douyin", "utm_campaign": "春季"}
    url = tracked_url("https://shop.example.com/p?a=1", utm)
    assert url == "https://shop.example.com/p?a=1&utm_source=douyin&utm_campaign=%E6%98%A5%E5%AD%A3"
    assert tracked_url(url, utm) == url


def test_tracked_url_refuses_overlong_results() -> None:
    with pytest.raises(InvalidInput) as err:
        tracked_url("https://shop.example.com/" + "a" * 2000, {"utm_source": "x" * 100})
    assert err.value.field == "utm"


def test_alphabet_has_no_look_alikes() -> None:
    assert len(CODE_ALPHABET) == len(set(CODE_ALPHABET)) == 56
    assert not set("0Oo1lI") & set(CODE_ALPHABET)


def test_new_code_is_reproducible_with_a_seeded_rng() -> None:
    first = new_code(rng=random.Random(7))
    assert first == new_code(rng=random.Random(7))
    assert len(first) == 7 and set(first) <= set(CODE_ALPHABET)
    assert len(new_code(12)) == 12
    codes = {new_code(rng=random.Random(i)) for i in range(200)}
    assert len(codes) == 200


def test_new_code_never_returns_a_reserved_word() -> None:
    class Scripted(random.Random):
        """Spells "api" first, then "abc"."""

        def __init__(self) -> None:
            super().__init__()
            self.letters = iter("apiabc")

        def choice(self, seq):  # type: ignore[no-untyped-def, override]
            return next(self.letters)

    assert new_code(3, rng=Scripted()) == "abc"


@pytest.mark.parametrize("length", [2, MAX_CODE_LENGTH + 1])
def test_new_code_length_is_bounded(length: int) -> None:
    with pytest.raises(InvalidInput) as err:
        new_code(length)
    assert err.value.field == "length"


def test_vanity_codes() -> None:
    assert check_code(" Anna-2025 ") == "Anna-2025"
    assert check_code("a_b") == "a_b"
    assert check_code("x" * MAX_CODE_LENGTH) == "x" * MAX_CODE_LENGTH
    assert check_code("Anna") != check_code("anna")  # case-sensitive


@pytest.mark.parametrize(("code", "says"), [
    ("ab", "3 to 32"), ("x" * 33, "3 to 32"), ("anna!", "letters"), ("an na", "letters"),
    ("春季促销", "letters"), ("health", "reserved"), ("API", "reserved"),
    ("favicon.ico", "reserved"), ("robots.txt", "reserved"), ("Static", "reserved"),
])
def test_bad_vanity_codes_are_refused(code: str, says: str) -> None:
    with pytest.raises(InvalidInput, match=says) as err:
        check_code(code)
    assert err.value.field == "code"


def test_reserved_words_include_the_service_paths() -> None:
    assert {"health", "static", "favicon.ico", "robots.txt", "api", "w"} <= RESERVED_CODES
