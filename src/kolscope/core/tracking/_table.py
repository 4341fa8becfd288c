"""Reading the CSV exports of shops and live-commerce consoles: headers, numbers and times.

Exports come out of spreadsheets in many locales, so reading is forgiving about form (a BOM,
``;`` or tab delimiters, full-width digits, ``1,234.50``, ``1.2万``, ``2025年3月1日 20:00``) and
strict about meaning: a value that could be read two ways (``12,5``, ``03/01/2025``) is a row
error, never a guess. Everything here works on text already in memory; no file is opened.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from kolscope.core.money import check_amount
from kolscope.core.records import MAX_COUNT, to_utc
from kolscope.errors import InvalidInput

CHINA_TIME = timezone(timedelta(hours=8), "UTC+08:00")
BLANKS = frozenset({"", "-", "--", "—", "n/a", "na", "null", "none"})


@dataclass(frozen=True)
class RowError:
    """One row that could not be read: where, which field and why. The import goes on."""

    source: str
    line: int
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}"
        if self.field:
            where += f": {self.field}"
        return f"{where}: {self.message}"


class CellError(ValueError):
    """A cell that cannot be read; the reader turns it into a :class:`RowError`."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def header_key(header: str) -> tuple[str, str]:
    """The comparable form of a header and the unit written after it in brackets.

    >>> header_key(" 人均观看时长（秒） ")
    ('人均观看时长', '秒')
    >>> header_key("Order  Total")
    ('order total', '')
    """
    text = unicodedata.normalize("NFKC", header).replace("\ufeff", "").strip()
    text = " ".join(text.split()).casefold()
    match = re.fullmatch(r"(.+?)\s*[(\[]([^()\[\]]*)[)\]]", text)
    if match:
        return match.group(1), match.group(2).strip()
    return text, ""


@dataclass(frozen=True)
class Table:
    """Rows of one export with its columns matched to field names."""

    format: str
    columns: Mapping[str, tuple[int, str]]  # field -> (column index, unit from the header)
    rows: Sequence[tuple[int, Sequence[str]]]  # (1-based line, cells)

    def cell(self, cells: Sequence[str], field: str) -> str | None:
        """The stripped text of ``field`` in a row; None when the column or the value is missing."""
        if field not in self.columns:
            return None
        index = self.columns[field][0]
        text = cells[index].strip() if index < len(cells) else ""
        return None if text.casefold() in BLANKS else text

    def unit(self, field: str) -> str:
        return self.columns[field][1] if field in self.columns else ""


Formats = Mapping[str, tuple[Mapping[str, tuple[str, ...]], tuple[str, ...]]]


def read_table(text: str, formats: Formats) -> Table:
    """Split ``text`` into rows and pick the first format whose required headers are all there.

    ``formats`` maps a format name to (field -> header aliases, required fields). Headers match
    case-insensitively and ignore a bracketed unit. Raises InvalidInput naming what was expected.
    """
    lines = text.lstrip("\ufeff").splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    end = 0
    try:
        for cells in reader:
            start, end = end + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = cells
            else:
                rows.append((start, cells))
    except csv.Error as exc:
        raise InvalidInput(f"not a readable CSV file near line {end + 1}: {exc}",
                           field="file") from None
    keys = [header_key(cell) for cell in header or []]
    for name, (aliases, required) in formats.items():
        columns = _match(keys, aliases)
        if all(field in columns for field in required):
            return Table(name, columns, rows)
    expected = "; ".join(
        f"{name}: " + ", ".join(aliases[field][0] for field in required)
        for name, (aliases, required) in formats.items())
    found = ", ".join(cell.strip() for cell in header or []) or "nothing"
    raise InvalidInput(f"unknown export format; expected the columns of {expected}; "
                       f"found {found}", field="header")


def _match(keys: Sequence[tuple[str, str]],
           aliases: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[int, str]]:
    columns: dict[str, tuple[int, str]] = {}
    for field, names in aliases.items():
        wanted = [header_key(name)[0] for name in names]
        for name in wanted:  # the first alias that is present wins
            hit = next((i for i, (key, _) in enumerate(keys) if key == name), None)
            if hit is not None:
                columns[field] = (hit, keys[hit][1])
                break
    return columns


_MULTIPLIERS = {"万": Decimal(10_000), "w": Decimal(10_000), "亿": Decimal(100_000_000),
                "k": Decimal(1_000), "m": Decimal(1_000_000)}
_NUMBER = re.compile(r"([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?")
_CURRENCY_MARKS = re.compile(
    r"^(?:[A-Z]{3}|RMB|US\$|S\$|RM|RP)\s*|\s*(?:[A-Z]{3}|RMB)$|[$€£¥₩₫₱฿元]")


def _number(text: str, field: str) -> tuple[Decimal, bool]:
    """A decimal and whether a unit such as 万 scaled it."""
    raw = unicodedata.normalize("NFKC", text).strip()
    value = re.sub(r"[\s\u00a0\u202f]", "", _CURRENCY_MARKS.sub("", raw.upper()).lower())
    factor = _MULTIPLIERS.get(value[-1:]) if value else None
    if factor is not None:
        value = value[:-1]
    match = _NUMBER.fullmatch(value)
    if not match:
        raise CellError(field, f"not a number: {text!r} (thousands separators must be commas "
                               "in groups of three, decimals a point)")
    try:
        number = Decimal(match.group(1) + match.group(2).replace(",", "") + (match.group(3) or ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise CellError(field, f"not a number: {text!r}") from None
    return (number * factor if factor is not None else number), factor is not None


def decode_export(raw: bytes, name: str) -> str:
    """The text of a shop or live-commerce export: UTF-8 (a byte-order mark is dropped), else
    GB18030, the superset of the GBK that Chinese back-offices (Douyin, Taobao) still write."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        raise InvalidInput(f"{name}: neither UTF-8 nor GBK text (byte {utf8_error.start})",
                           field="file") from None


# Watch time of a whole live session: a million viewers for a day each is under 10^11 s.
MAX_SECONDS = 10**15


def parse_amount(text: str, field: str) -> Decimal:
    """A non-negative money amount as an exact Decimal (currency marks ignored)."""
    amount, _ = _number(text, field)
    try:
        return check_amount(amount)
    except ValueError as exc:
        raise CellError(field, f"{exc} (from {text!r})") from None


def parse_count(text: str, field: str) -> int:
    """A non-negative whole count; ``1.2万`` is rounded to the unit (12000)."""
    number, scaled = _number(text, field)
    if number < 0:
        raise CellError(field, f"must not be negative, got {text!r}")
    if not scaled and number != number.to_integral_value():
        raise CellError(field, f"not a whole number: {text!r}")
    if number > MAX_COUNT:
        raise CellError(field, f"more than {MAX_COUNT:,}: {text!r}")
    return int(number.quantize(Decimal(1), ROUND_HALF_UP))


_SECONDS = {"小时": 3600, "时": 3600, "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600,
            "hours": 3600, "分钟": 60, "分": 60, "min": 60, "mins": 60, "minute": 60,
            "minutes": 60, "m": 60, "秒": 1, "s": 1, "sec": 1, "secs": 1, "second": 1,
            "seconds": 1}
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(" + "|".join(sorted(_SECONDS, key=len, reverse=True))
                   + r")")


def parse_duration(text: str, field: str, unit: str = "") -> float:
    """Seconds from ``1分30秒``, ``1h 2m``, ``90s``, ``00:01:30`` or ``01:30`` (mm:ss).

    A bare number is in the header's unit (``观看总时长(分钟)``), seconds without one; more than
    :data:`MAX_SECONDS` is refused.
    """
    seconds = _duration(text, field, unit)
    if not seconds <= MAX_SECONDS:
        raise CellError(field, f"more than {MAX_SECONDS:,} seconds: {text!r}")
    return seconds


def _duration(text: str, field: str, unit: str) -> float:
    value = unicodedata.normalize("NFKC", text).strip().lower()
    clock = re.fullmatch(r"(\d+):(\d{1,2})(?::(\d{1,2}))?", value)
    if clock:
        a, b, c = int(clock.group(1)), int(clock.group(2)), clock.group(3)
        return float(a * 3600 + b * 60 + int(c)) if c is not None else float(a * 60 + b)
    parts = _PART.findall(value)
    if parts and re.sub(r"\s+", "", _PART.sub("", value)) == "":
        return float(sum(Decimal(n) * _SECONDS[u] for n, u in parts))
    number, _ = _number(value, field)
    factor = _SECONDS.get(unit.casefold(), 1)
    if number < 0:
        raise CellError(field, f"must not be negative, got {text!r}")
    return float(number * factor)


_TIME = re.compile(
    r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
    r"(?:[ t]+(\d{1,2})[:时](\d{2})分?(?::(\d{2})(\.\d+)?秒?)?)?"
    r"\s*(z|utc|gmt|[+-]\d{2}:?\d{2})?")


def parse_time(text: str, field: str, tz: tzinfo = UTC) -> datetime:
    """An aware UTC time from ISO-like or Chinese dates; times without an offset are in ``tz``."""
    value = unicodedata.normalize("NFKC", text).strip().lower()
    match = _TIME.fullmatch(value)
    if not match:
        raise CellError(field, f"not a date and time: {text!r} (expected YYYY-MM-DD HH:MM[:SS] "
                               "with an optional offset)")
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    zone = tz
    try:
        if offset in ("z", "utc", "gmt"):
            zone = UTC
        elif offset:
            sign = -1 if offset[0] == "-" else 1
            digits = offset[1:].replace(":", "")
            zone = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
        moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                          int(second or 0), int(Decimal(fraction or "0") * 1_000_000),
                          tzinfo=zone)
        return to_utc(moment)
    except ValueError as exc:
        raise CellError(field, f"not a valid date: {text!r} ({exc})") from None


_CURRENCY_NAMES = {"RMB": "CNY", "人民币": "CNY", "元": "CNY", "US$": "USD"}


def parse_currency(text: str, field: str = "currency") -> str:
    """A three-letter ISO 4217 code; ``RMB`` and ``人民币`` read as CNY."""
    code = unicodedata.normalize("NFKC", text).strip().upper()
    code = _CURRENCY_NAMES.get(code, code)
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise CellError(field, f"currency must be a three-letter ISO 4217 code, got {text!r}")
    return code
