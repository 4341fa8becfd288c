"""Money as an exact Decimal amount with an ISO 4217 currency; never a float."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from pydantic import BaseModel, ConfigDict, field_validator

_CURRENCY = re.compile(r"^[A-Z]{3}$")


class Money(BaseModel):
    """An amount in one currency. Arithmetic across currencies is refused, not converted."""

    model_config = ConfigDict(frozen=True)

    amount: Decimal
    currency: str

    @field_validator("amount", mode="before")
    @classmethod
    def _exact(cls, value: object) -> Decimal:
        if isinstance(value, float):
            raise ValueError("money amounts must be given as text or Decimal, not float")
        try:
            amount = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(f"not a decimal amount: {value!r}") from None
        if not amount.is_finite():
            raise ValueError(f"not a finite amount: {value!r}")
        return amount

    @field_validator("currency", mode="before")
    @classmethod
    def _iso(cls, value: object) -> str:
        code = str(value).strip().upper()
        if not _CURRENCY.match(code):
            raise ValueError(f"currency must be a three-letter ISO 4217 code, got {value!r}")
        return code

    def __add__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise ValueError(f"cannot add {other.currency} to {self.currency}")
        return Money(amount=self.amount + other.amount, currency=self.currency)

    def __str__(self) -> str:
        return f"{self.amount:,.2f} {self.currency}"
