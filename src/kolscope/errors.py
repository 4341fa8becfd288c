"""The one error tree of kolscope. Shells map it to HTTP codes (``api/errors.py``) and exit codes
(``cli/errors.py``); errors carry context, never transport details.

::

    KolscopeError
    ├── NotFound              a workspace, account or job that does not exist
    ├── Conflict              a unique thing that exists already
    ├── InvalidInput          a value a user gave is wrong (field says which)
    │   └── InvalidTransition a move a state machine does not allow
    ├── Unauthorized          a missing or unknown API key
    ├── SourceError           a whole input file cannot be read (bad lines are Rejected instead)
    └── EngineError           a storage or compute engine failed
        └── ConvergenceError  an iterative method did not converge in its iterations
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class KolscopeError(Exception):
    """Base of every error kolscope raises on purpose."""

    def __init__(self, message: str, **context: object) -> None:
        super().__init__(message)
        self.message = message
        self.context = context

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready view: the error's kind, message and context."""
        return {"error": type(self).__name__, "message": self.message,
                **{k: v for k, v in self.context.items() if v is not None}}


class NotFound(KolscopeError):
    """The thing asked for does not exist (in this workspace)."""


class Conflict(KolscopeError):
    """The thing to create exists already."""


class InvalidInput(KolscopeError):
    """A value given by a user is wrong; ``field`` names it where one can be named."""

    def __init__(self, message: str, *, field: str | None = None, **context: object) -> None:
        super().__init__(message, field=field, **context)
        self.field = field


class InvalidTransition(InvalidInput):
    """A state change that the state machine does not allow."""


class Unauthorized(KolscopeError):
    """No valid API key was given."""


class SourceError(KolscopeError):
    """An input file cannot be read at all (missing, unreadable, of an unknown kind)."""


class EngineError(KolscopeError):
    """A storage or compute engine failed in a way the caller cannot fix."""


class ConvergenceError(EngineError):
    """An iterative method (PageRank, HITS) did not reach its tolerance in its iterations."""


class FieldValueError(ValueError):
    """A model validator's refusal that names its field: a check across fields (``ends_on``
    before ``starts_on``) would otherwise reach the user with no field at all."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def error_field(error: Mapping[str, object]) -> str | None:
    """Where one pydantic error is: its location, ended by the field a
    :class:`FieldValueError` named (``audience.min_age``); None for the whole input."""
    loc = error.get("loc") or ()
    parts = [str(p) for p in loc] if isinstance(loc, Sequence) else []
    ctx = error.get("ctx")
    cause = ctx.get("error") if isinstance(ctx, dict) else None
    if isinstance(cause, FieldValueError):
        parts.append(cause.field)
    return ".".join(parts) or None
