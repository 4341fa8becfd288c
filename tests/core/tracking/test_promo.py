"""Promo codes: keys, formats, bulk and readable codes, and redemptions from shop exports."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from pydantic import ValidationError

from kolscope.core.tracking.promo import (
    PROMO_ALPHABET,
    PromoFormat,
    code_for,
    generate,
    normalize_code,
    parse_redemptions,
)
from kolscope.errors import InvalidInput

D = Decimal


@pytest.mark.parametrize(("written", "key"), [
    ("anna15", "ANNA15"), (" Anna-15 ", "ANNA15"), ("ANNA_15", "ANNA15"), ("an na 15", "ANNA15"),
    ("ａｎｎａ１５", "ANNA15"), ("ＡＮＮＡ－１５", "ANNA15"), ("anna\u301015", None),
    ("G0W", "G0W"), ("GOW", "G0W"), ("glow", "G10W"), ("L1LI", "1111"), ("anna–15", "ANNA15"),
])
def test_normalize_folds_case_width_separators_and_look_alikes(written: str,
                                                              key: str | None) -> None:
    if key is None:
        with pytest.raises(InvalidInput):
            normalize_code(written)
    else:
        assert normalize_code(written) == key
        assert normalize_code(key) == key  # idempotent


@pytest.mark.parametrize(("written", "says"), [
    ("", "empty"), (" - _ ", "empty"), ("SAVE10%", "letters and digits"), ("A" * 256, "255"),
])
def test_normalize_refuses_empty_odd_and_overlong(written: str, says: str) -> None:
    with pytest.raises(InvalidInput, match=says) as err:
        normalize_code(written)
    assert err.value.field == "code"


def test_default_alphabet_survives_normalisation() -> None:
    assert "".join(normalize_code(ch) for ch in PROMO_ALPHABET) == PROMO_ALPHABET
    assert not set("01OIL") & set(PROMO_ALPHABET)


@pytest.mark.parametrize("bad", [
    {"alphabet": "ABCDEFGHJO"},  # O is a look-alike
    {"alphabet": "abcdefghjk"},  # lower case
    {"alphabet": "AABCDEFGHJ"},  # repeated
    {"alphabet": "ABC"},  # too small
    {"prefix": "ACME!"},
    {"prefix": "ACMEBRAND", "separator": "-", "length": 30, "max_length": 32},
    {"separator": "."},
])
def test_bad_formats_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        PromoFormat.model_validate(bad)


def test_generate_bulk_codes_are_unique_and_shaped() -> None:
    fmt = PromoFormat(prefix="ａｃｍｅ", separator="-", length=5)
    codes = generate(fmt, 500, rng=random.Random(3))
    assert len({normalize_code(c) for c in codes}) == 500
    for code in codes:
        prefix, random_part = code.split("-")
        assert prefix == "ACME" and len(random_part) == 5
        assert set(random_part) <= set(PROMO_ALPHABET)
    assert generate(fmt, 500, rng=random.Random(3)) == codes


def test_generate_avoids_taken_keys_in_any_form() -> None:
    fmt = PromoFormat(length=3, alphabet="ABCDEFGHJK")
    everything = {a + b + c for a in "ABCDEFGHJK" for b in "ABCDEFGHJK" for c in "ABCDEFGHJK"}
    free = set(sorted(everything)[-100:])
    taken = {code.lower() for code in everything - free}
    codes = generate(fmt, 5, taken=taken, rng=random.Random(1))
    assert len(set(codes)) == 5 and set(codes) <= free
    with pytest.raises(InvalidInput) as err:
        generate(fmt, 101, taken=taken)
    assert err.value.field == "count"


def test_generate_leaves_taken_unchanged_and_refuses_bad_counts() -> None:
    taken = {"ANNA15"}
    generate(PromoFormat(), 3, taken=taken)
    assert taken == {"ANNA15"}
    assert generate(PromoFormat(), 0) == []
    with pytest.raises(InvalidInput):
        generate(PromoFormat(), -1)


def test_code_for_uses_the_handle_and_suffixes_on_collision() -> None:
    fmt = PromoFormat()
    assert code_for("@anna.li", fmt, suffix="15") == "ANNALI15"
    assert code_for("ａｎｎａ", fmt) == "ANNA"
    taken = {"annali15"}
    again = code_for("@anna.li", fmt, suffix="15", taken=taken, rng=random.Random(5))
    assert again.startswith("ANNALI15-") and len(again) == len("ANNALI15-") + 3
    assert normalize_code(again) not in {normalize_code(t) for t in taken}
    # a look-alike spelling of a taken code counts as taken
    assert code_for("GLOW", fmt, taken={"GL0W"}, rng=random.Random(1)) != "GLOW"


def test_code_for_with_prefix_and_separator() -> None:
    fmt = PromoFormat(prefix="acme", separator="_")
    assert code_for("anna", fmt, suffix="10") == "ACME_ANNA10"
    assert code_for("anna", fmt, suffix="10", taken={"ACMEANNA10"},
                    rng=random.Random(2)).startswith("ACME_ANNA10_")


def test_code_for_cuts_long_handles_and_falls_back_for_chinese_ones() -> None:
    fmt = PromoFormat(max_length=12)
    code = code_for("averyveryverylonghandle", fmt, suffix="15")
    assert code == "AVERYV15" and len(code) + 4 <= 12
    chinese = code_for("@小红", fmt, rng=random.Random(9))
    assert len(chinese) == 6 and set(chinese) <= set(PROMO_ALPHABET)
    with pytest.raises(InvalidInput) as err:
        code_for("anna", fmt, suffix="12345678")
    assert err.value.field == "suffix"


SHOPIFY = ("\ufeffName,Email,Financial Status,Paid at,Currency,Total,Discount Code,"
           "Refunded Amount,Created at,Lineitem name\n") + """\
#1001,a@example.com,paid,,USD,120.00,anna15,0.00,2025-03-01 10:00:00 -0500,Serum
#1001,,,,,,,,,Cream
#1002,b@example.com,refunded,,USD,80.00,ANNA-15,,2025-03-02 09:30:00 -0500,Serum
#1003,c@example.com,partially_refunded,,USD,"1,250.50",ｂｅｎ１０,50.25,2025-03-03 00:00:00 Z,Kit
#1004,d@example.com,paid,,USD,40.00,,0.00,2025-03-03 01:00:00 +0000,Serum
#1005,e@example.com,paid,,USD,twelve,anna15,0.00,2025-03-04 01:00:00 +0000,Serum
#1006,f@example.com,partially_refunded,,USD,30.00,anna15,,2025-03-04 02:00:00 +0000,Serum
#1007,g@example.com,paid,,USD,30.00,anna15,0,03/04/2025 02:00,Serum
#1001,h@example.com,paid,,USD,99.00,anna15,0,2025-03-05 02:00:00 +0000,Serum
"""


def test_shopify_export() -> None:
    found, errors = parse_redemptions(SHOPIFY, source_name="orders_export.csv")
    assert [(r.order_id, r.code, r.revenue, r.refunded) for r in found] == [
        ("#1001", "ANNA15", D("120.00"), D("0.00")),
        ("#1002", "ANNA15", D("80.00"), D("80.00")),  # refunded in full by its status
        ("#1003", "BEN10", D("1250.50"), D("50.25")),
    ]
    assert found[0].ordered_at == datetime(2025, 3, 1, 15, 0, tzinfo=UTC)
    assert all(r.currency == "USD" and isinstance(r.revenue, Decimal) for r in found)
    assert [(e.line, e.field) for e in errors] == [
        (7, "revenue"), (8, "refunded"), (9, "ordered_at"), (10, "order_id")]
    assert "first at line 2" in errors[-1].message
    assert str(errors[0]).startswith("orders_export.csv:7: revenue: not a number")


def test_reading_twice_gives_the_same_redemptions() -> None:
    assert parse_redemptions(SHOPIFY, source_name="a") == parse_redemptions(SHOPIFY,
                                                                             source_name="a")


WOO = """Order Number;Order Status;Order Date;Order Currency;Order Total;Coupons;Order Refund Amount
2001;wc-completed;2025-03-01 12:00;EUR;59,90;anna15;0
2000;completed;2025-03-01 12:00;EUR;10.00;;0
2002;completed;2025-03-01 12:30;EUR;59.90;anna15, FREESHIP;0
2003;cancelled;2025-03-02 08:00;EUR;19.00;Anna15;
2004;completed;2025-03-02 08:00;EURO;19.00;anna15;0
"""


def test_woocommerce_export_with_semicolons_several_coupons_and_store_time() -> None:
    paris = timezone(timedelta(hours=1))
    found, errors = parse_redemptions(WOO, source_name="woo.csv", tz=paris)
    assert [(r.order_id, r.codes, r.refunded) for r in found] == [
        ("2002", ("ANNA15", "FREESH1P"), D("0")), ("2003", ("ANNA15",), D("19.00"))]
    assert found[0].ordered_at == datetime(2025, 3, 1, 11, 30, tzinfo=UTC)
    # "59,90" could be 5990 or 59.90: a row error, never a guess; "EURO" is not a code
    assert [(e.line, e.field) for e in errors] == [(2, "revenue"), (6, "currency")]


def test_generic_export_with_a_default_currency_and_chinese_dates() -> None:
    text = ("ORDER_ID,Ordered_At,Code,Revenue,Refunded\n"
            "A-1,2025年3月1日 20:00,ｓｐｒｉｎｇ,¥1.2万,0\n"
            "A-2,2025-03-01T12:00:00Z,spring,100,150\n")
    found, errors = parse_redemptions(text, source_name="g.csv", currency="cny",
                                      tz=timezone(timedelta(hours=8)))
    assert errors == []
    assert found[0].revenue == D("12000.0") and found[0].currency == "CNY"
    assert found[0].ordered_at == datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
    assert found[1].refunded == D("150")  # kept as reported; attribution floors net at zero


def test_rows_without_currency_are_errors_when_no_default_is_given() -> None:
    text = "order_id,ordered_at,code,revenue\nA-1,2025-03-01,spring,10\n"
    found, errors = parse_redemptions(text, source_name="g.csv")
    assert found == [] and [(e.line, e.field) for e in errors] == [(2, "currency")]


def test_line_numbers_count_quoted_newlines_and_blank_lines() -> None:
    text = ('order_id,ordered_at,code,revenue,currency,note\n'
            '\n'
            'A-1,2025-03-01,spring,10,EUR,"two\nlines"\n'
            'A-2,2025-03-01,spring,-5,EUR,x\n')
    _, errors = parse_redemptions(text, source_name="g.csv")
    assert [(e.line, e.field) for e in errors] == [(5, "revenue")]


def test_unknown_format_lists_what_was_expected() -> None:
    with pytest.raises(InvalidInput) as err:
        parse_redemptions("foo,bar\n1,2\n", source_name="x.csv")
    assert err.value.field == "header"
    for expected in ("Discount Code", "Coupon Code", "order_id", "found foo, bar"):
        assert expected in err.value.message
