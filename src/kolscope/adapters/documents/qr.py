"""QR codes for tracked links as SVG: vector, so they print sharp at any size, and no Pillow."""

from __future__ import annotations

import qrcode
import qrcode.constants
import qrcode.exceptions
import qrcode.image.svg

from kolscope.errors import InvalidInput

_LEVELS = {"L": qrcode.constants.ERROR_CORRECT_L, "M": qrcode.constants.ERROR_CORRECT_M,
           "Q": qrcode.constants.ERROR_CORRECT_Q, "H": qrcode.constants.ERROR_CORRECT_H}


def qr_svg(url: str, *, error_correction: str = "M", border: int = 4) -> str:
    """An SVG document (no XML declaration, so it can be inlined in HTML) encoding ``url``.

    One ``<path>`` of dark modules on a white background, one user unit per module; the
    ``border`` of 4 modules is the quiet zone the standard asks for. Level ``M`` survives
    about 15 % damage, enough for print and screens; ``H`` leaves room for a logo on top.
    """
    if not url:
        raise InvalidInput("a QR code needs a URL", field="url")
    if error_correction not in _LEVELS:
        raise InvalidInput("error_correction is one of L, M, Q, H", field="error_correction")
    if not 0 <= border <= 20:
        raise InvalidInput("border is 0 to 20 modules", field="border")
    code = qrcode.QRCode(error_correction=_LEVELS[error_correction], border=border,
                         image_factory=qrcode.image.svg.SvgPathFillImage)
    code.add_data(url)
    try:
        code.make(fit=True)
    except (qrcode.exceptions.DataOverflowError, ValueError):  # past version 40
        raise InvalidInput("the URL is too long for a QR code", field="url") from None
    svg: str = code.make_image().to_string(encoding="unicode")
    return svg
