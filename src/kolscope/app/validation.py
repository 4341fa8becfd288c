"""One way to turn a pydantic validation failure into an :class:`InvalidInput` naming the field."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, ValidationError

from kolscope.errors import InvalidInput, error_field

M = TypeVar("M", bound=BaseModel)


def parse_model(model: type[M], data: object, *, where: str | None = None) -> M:
    """``model`` validated from ``data``; the first error becomes ``InvalidInput``.

    ``where`` (a file name, say) prefixes the message so a user knows which input was wrong.
    """
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = error_field(error)
        msg = str(error["msg"]).removeprefix("Value error, ")
        prefix = "".join(f"{part}: " for part in (where, field) if part)
        raise InvalidInput(f"{prefix}{msg}", field=field, errors=len(exc.errors())) from None


def limit_text(value: str, field: str, most: int) -> str:
    """``value`` when it is at most ``most`` characters; InvalidInput naming ``field`` else (the
    web forms reach the use cases without the API's request models and their limits)."""
    if len(value) > most:
        raise InvalidInput(f"{field}: at most {most:,} characters, got {len(value):,}",
                           field=field)
    return value
