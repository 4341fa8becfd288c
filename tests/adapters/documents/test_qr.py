"""QR codes as SVG: well-formed XML whose modules form a real QR symbol for the URL."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from kolscope.adapters.documents.qr import qr_svg
from kolscope.errors import InvalidInput

SVG = "{http://www.w3.org/2000/svg}"
URL = "https://go.example.com/AbC2345"


def modules(svg: str) -> tuple[int, set[tuple[int, int]]]:
    """The side in modules (from the viewBox) and the dark modules (from the path)."""
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    _, _, width, height = (int(v) for v in root.attrib["viewBox"].split())
    assert width == height
    (path,) = root.iter(f"{SVG}path")
    dark = {(int(x), int(y)) for x, y in re.findall(r"M(\d+),(\d+)H", path.attrib["d"])}
    return width, dark


def finder_at(dark: set[tuple[int, int]], x0: int, y0: int) -> bool:
    """The 7 × 7 finder pattern: dark ring, light ring, dark 3 × 3 centre."""
    for dy in range(7):
        for dx in range(7):
            ring = max(abs(dx - 3), abs(dy - 3))
            if ((x0 + dx, y0 + dy) in dark) != (ring != 2):
                return False
    return True


def test_svg_is_well_formed_and_sized_for_its_version() -> None:
    side, dark = modules(qr_svg(URL))
    symbol = side - 2 * 4  # the quiet zone of 4 modules on each side
    assert (symbol - 17) % 4 == 0 and 21 <= symbol <= 177  # 17 + 4 × version
    assert all(4 <= x < side - 4 and 4 <= y < side - 4 for x, y in dark)
    for x0, y0 in ((4, 4), (side - 4 - 7, 4), (4, side - 4 - 7)):
        assert finder_at(dark, x0, y0)
    assert not finder_at(dark, side - 4 - 7, side - 4 - 7)  # no finder bottom-right
    # timing pattern: row 6 of the symbol alternates between the finders
    assert [(x, 4 + 6) in dark for x in range(4 + 8, side - 4 - 8)] == [
        (x - 4) % 2 == 0 for x in range(4 + 8, side - 4 - 8)]


def test_a_different_url_draws_a_different_code_and_longer_urls_a_larger_one() -> None:
    side_a, dark_a = modules(qr_svg(URL))
    side_b, dark_b = modules(qr_svg(URL[:-1] + "6"))
    assert side_a == side_b and dark_a != dark_b
    side_long, _ = modules(qr_svg(URL + "?utm_source=instagram&utm_medium=influencer" * 3))
    assert side_long > side_a
    assert qr_svg(URL) == qr_svg(URL)


def test_border_and_error_correction_options() -> None:
    side, dark = modules(qr_svg(URL, border=0))
    assert min(x for x, _ in dark) == 0 and finder_at(dark, 0, 0)
    assert modules(qr_svg(URL, error_correction="H"))[0] > modules(qr_svg(URL,
                                                                       error_correction="L"))[0]
    assert side == modules(qr_svg(URL))[0] - 8


def test_white_background_and_no_xml_declaration() -> None:
    svg = qr_svg(URL)
    assert svg.startswith("<svg") and 'fill="white"' in svg


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"url": ""}, "url"), ({"url": URL, "error_correction": "X"}, "error_correction"),
    ({"url": URL, "border": -1}, "border"), ({"url": "x" * 5000}, "url"),
])
def test_bad_requests_are_refused(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        qr_svg(**kwargs)  # type: ignore[arg-type]
    assert err.value.field == field
