"""Promo codes: unique per KOL and campaign, one canonical key, and redemptions from shop exports.

A code is shown to people in its *display* form (``ANNA15``, ``ACME-7KQ2MX``) and matched by its
*key* (:func:`normalize_code`): what a shopper types into a checkout, full-width or with a space,
``O`` for ``0`` or ``l`` for ``1``, reaches the same KOL. Uniqueness is always checked on keys,
so two codes that a person could confuse are never both issued. Method and columns:
``docs/methods/tracking.md``.
"""

from __future__ import annotations

import random
import re
import secrets
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from decimal import Decimal
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kolscope.core.tracking._table import (
    CellError,
    RowError,
    Table,
    parse_amount,
    parse_currency,
    parse_time,
    read_table,
)
from kolscope.errors import InvalidInput

# No 0/O and no 1/I/L: the key maps those letters to digits, and neither kind is issued.
PROMO_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
# Shopify's limit for a discount code; many point-of-sale and ad forms take far fewer.
MAX_PROMO_LENGTH = 255
DEFAULT_PROMO_LENGTH = 32
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-_\u2010-\u2015\u2212]+")
_TAIL = 3  # random characters appended to a readable code that is taken


def normalize_code(text: str) -> str:
    """The key a promo code is matched by: NFKC, upper case, no separators, look-alikes folded.

    Full-width characters become ASCII, spaces, dashes and underscores are dropped, and the
    letters ``O``, ``I`` and ``L`` become the digits ``0``, ``1`` and ``1``. The key is for
    matching only; people are shown the code as it was issued.

    >>> normalize_code(" ａｎｎａ－15 ")
    'ANNA15'
    >>> normalize_code("g1ow-lO")
    'G10W10'
    """
    key = _SEPARATORS.sub("", unicodedata.normalize("NFKC", text)).upper().translate(_LOOKALIKES)
    if not key:
        raise InvalidInput("a promo code cannot be empty", field="code")
    if len(key) > MAX_PROMO_LENGTH:
        raise InvalidInput(f"a promo code has at most {MAX_PROMO_LENGTH} characters, "
                           f"this one {len(key)}", field="code")
    bad = sorted({ch for ch in key if not ch.isalnum()})
    if bad:
        raise InvalidInput(f"promo codes are letters and digits; {text!r} has "
                           f"{' '.join(bad)}", field="code")
    return key


def _ascii_word(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", unicodedata.normalize("NFKC", text).upper())


class PromoFormat(BaseModel):
    """How codes look: ``PREFIX`` + separator + ``length`` characters of ``alphabet``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    prefix: str = Field(default="", max_length=20)
    length: int = Field(default=6, ge=3, le=32)
    alphabet: str = PROMO_ALPHABET
    separator: Literal["", "-", "_"] = ""
    max_length: int = Field(default=DEFAULT_PROMO_LENGTH, ge=4, le=MAX_PROMO_LENGTH)

    @field_validator("prefix", mode="before")
    @classmethod
    def _prefix(cls, value: object) -> str:
        text = unicodedata.normalize("NFKC", str(value)).strip().upper()
        if not re.fullmatch(r"[A-Z0-9]*", text):
            raise ValueError(f"a prefix is ASCII letters and digits, got {value!r}")
        return text

    @field_validator("alphabet")
    @classmethod
    def _alphabet(cls, value: str) -> str:
        if len(set(value)) != len(value) or len(value) < 10:
            raise ValueError("an alphabet needs at least 10 different characters")
        for ch in value:
            if not re.fullmatch(r"[A-Z0-9]", ch) or ch.translate(_LOOKALIKES) != ch:
                raise ValueError(f"alphabet character {ch!r} is not an upper-case letter or "
                                 "digit, or is a look-alike (O, I, L)")
        return value

    @model_validator(mode="after")
    def _fits(self) -> Self:
        if len(self.lead) + self.length > self.max_length:
            raise ValueError(f"prefix, separator and {self.length} random characters exceed "
                             f"max_length {self.max_length}")
        return self

    @property
    def lead(self) -> str:
        """The prefix with its separator, or nothing."""
        return self.prefix + self.separator if self.prefix else ""

    @property
    def capacity(self) -> int:
        """How many different random parts the format has."""
        return int(len(self.alphabet) ** self.length)


def _random(alphabet: str, length: int, rng: random.Random) -> str:
    return "".join(rng.choice(alphabet) for _ in range(length))


def generate(fmt: PromoFormat, count: int, *, taken: Collection[str] = (),
             rng: random.Random | None = None) -> list[str]:
    """``count`` new random codes whose keys clash neither with ``taken`` nor with each other.

    ``taken`` holds codes already issued (any form; they are normalised) and is not changed.
    ``rng`` defaults to the operating system's generator, so codes cannot be predicted.
    """
    if not 0 <= count <= 100_000:
        raise InvalidInput("count must be between 0 and 100000", field="count")
    rng = rng or secrets.SystemRandom()
    keys = {normalize_code(code) for code in taken}
    if count > fmt.capacity - len(keys):
        raise InvalidInput(f"the format has room for {fmt.capacity} codes; make length longer",
                           field="count")
    codes: list[str] = []
    for _ in range(50 * count + 100):
        if len(codes) == count:
            break
        code = fmt.lead + _random(fmt.alphabet, fmt.length, rng)
        key = normalize_code(code)
        if key not in keys:
            keys.add(key)
            codes.append(code)
    if len(codes) < count:
        raise InvalidInput(f"found only {len(codes)} of {count} unused codes; make length longer",
                           field="count")
    return codes


def code_for(handle: str, fmt: PromoFormat, *, taken: Collection[str] = (), suffix: str = "",
             rng: random.Random | None = None) -> str:
    """A readable code from a KOL's handle: ``ANNA15``, or ``ANNA15-7KQ`` when that is taken.

    The handle keeps its ASCII letters and digits (upper-cased, cut to fit ``max_length``);
    a handle with none (``@小红``) gets a random code of the format instead.
    """
    stem, tail = _ascii_word(handle), _ascii_word(suffix)
    if suffix and not tail:
        raise InvalidInput("a suffix is ASCII letters and digits", field="suffix")
    if not stem:
        return generate(fmt, 1, taken=taken, rng=rng)[0]
    joiner = fmt.separator or "-"
    room = fmt.max_length - len(fmt.lead) - len(tail) - len(joiner) - _TAIL
    if room < 1:
        raise InvalidInput("the suffix leaves no room for the handle", field="suffix")
    base = fmt.lead + stem[:room] + tail
    keys = {normalize_code(code) for code in taken}
    if normalize_code(base) not in keys:
        return base
    rng = rng or secrets.SystemRandom()
    for _ in range(200):
        code = base + joiner + _random(fmt.alphabet, _TAIL, rng)
        if normalize_code(code) not in keys:
            return code
    raise InvalidInput(f"every variant of {base} is taken", field="handle")


@dataclass(frozen=True)
class Redemption:
    """One order that used a promo code, as the shop reported it."""

    order_id: str
    ordered_at: datetime
    code: str  # key of the first code on the order
    revenue: Decimal
    currency: str
    refunded: Decimal = Decimal(0)
    codes: tuple[str, ...] = ()  # keys of every code on the order, ``code`` first


_ORDER = ("order_id", "ordered_at", "code", "revenue")
REDEMPTION_FORMATS = {
    "shopify": ({
        "order_id": ("Name",), "ordered_at": ("Created at", "Paid at"),
        "code": ("Discount Code", "Discount Codes"), "revenue": ("Total",),
        "currency": ("Currency",), "status": ("Financial Status",),
        "refunded": ("Refunded Amount",),
    }, _ORDER),
    "woocommerce": ({
        "order_id": ("Order Number", "Order ID", "Order #"),
        "ordered_at": ("Order Date", "Date Created"),
        "code": ("Coupon Code", "Coupons", "Coupon Codes", "Coupon"),
        "revenue": ("Order Total", "Order Total Amount"),
        "currency": ("Order Currency", "Currency"), "status": ("Order Status", "Status"),
        "refunded": ("Order Refund Amount", "Refund Amount", "Total Refunded", "Refunded"),
    }, _ORDER),
    "generic": ({
        "order_id": ("order_id", "order id"), "ordered_at": ("ordered_at", "created_at", "date"),
        "code": ("code", "promo_code", "discount_code", "coupon"),
        "revenue": ("revenue", "total", "amount"), "currency": ("currency",),
        "refunded": ("refunded", "refunded_amount", "refund"), "status": ("status",),
    }, _ORDER),
}
# Orders that never brought money, or gave it all back: their whole total counts as refunded.
REFUNDED_STATUSES = frozenset({"refunded", "voided", "cancelled", "canceled", "failed",
                               "wc-refunded", "wc-cancelled", "wc-failed"})
_PARTIAL = frozenset({"partially_refunded", "partially refunded"})


def parse_redemptions(text: str, *, source_name: str, currency: str | None = None,
                      tz: tzinfo = UTC) -> tuple[list[Redemption], list[RowError]]:
    """Orders with a promo code from a Shopify, WooCommerce or generic CSV export.

    Rows without a code are not redemptions and are skipped; Shopify's extra line-item rows of
    an order (same order, no total) too. Every other unreadable row becomes a :class:`RowError`
    and the rest are still read. ``currency`` is used where the export has no currency column;
    ``tz`` is the shop's time zone for times written without an offset.
    """
    table = read_table(text, REDEMPTION_FORMATS)
    redemptions: list[Redemption] = []
    errors: list[RowError] = []
    first_line: dict[str, int] = {}
    for line, cells in table.rows:
        try:
            redemption = _redemption(table, cells, line, first_line, currency, tz)
        except CellError as exc:
            errors.append(RowError(source_name, line, exc.field, exc.message))
        except InvalidInput as exc:
            errors.append(RowError(source_name, line, exc.field, exc.message))
        else:
            if redemption is not None:
                redemptions.append(redemption)
    return redemptions, errors


def _redemption(table: Table, cells: Sequence[str], line: int,
                first_line: dict[str, int], currency: str | None,
                tz: tzinfo) -> Redemption | None:
    order_id = table.cell(cells, "order_id")
    if order_id is None:
        raise CellError("order_id", "the order has no id")
    total = table.cell(cells, "revenue")
    if order_id in first_line:
        if total is None:
            return None  # a further line item of an order already read
        raise CellError("order_id", f"order {order_id} appears again "
                                    f"(first at line {first_line[order_id]})")
    first_line[order_id] = line
    written = table.cell(cells, "code")
    if written is None:
        return None
    codes = tuple(dict.fromkeys(normalize_code(part) for part in re.split(r"[,;]", written)
                                if part.strip()))
    if not codes:
        raise CellError("code", f"no promo code in {written!r}")
    if total is None:
        raise CellError("revenue", "the order has no total")
    revenue = parse_amount(total, "revenue")
    refunded = _refunded(table, cells, revenue)
    when = table.cell(cells, "ordered_at")
    if when is None:
        raise CellError("ordered_at", "the order has no date")
    written_currency = table.cell(cells, "currency")
    if written_currency is not None:
        code = parse_currency(written_currency)
    elif currency is not None:
        code = parse_currency(currency)
    else:
        raise CellError("currency", "no currency in the row; give the shop's currency")
    return Redemption(order_id, parse_time(when, "ordered_at", tz), codes[0], revenue, code,
                      refunded, codes)


def _refunded(table: Table, cells: Sequence[str], revenue: Decimal) -> Decimal:
    status = (table.cell(cells, "status") or "").casefold()
    if status in REFUNDED_STATUSES:
        return revenue
    written = table.cell(cells, "refunded")
    if written is None:
        if status in _PARTIAL:
            raise CellError("refunded", "a partially refunded order needs its refunded amount")
        return Decimal(0)
    return parse_amount(written, "refunded")
