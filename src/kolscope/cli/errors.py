"""The only place the error tree maps to process exit codes (documented in the user guide)."""

from __future__ import annotations

from kolscope.errors import (
    Conflict,
    EngineError,
    InvalidInput,
    KolscopeError,
    NotFound,
    SourceError,
    Unauthorized,
)

EXIT_OTHER, EXIT_INVALID = 1, 5
# 2 is Typer's own code for a command line it cannot parse.
EXIT_CODES: tuple[tuple[type[KolscopeError], int], ...] = (
    (NotFound, 3),
    (Conflict, 4),
    (InvalidInput, EXIT_INVALID),
    (SourceError, 6),
    (Unauthorized, 7),
    (EngineError, 8),
)


def exit_code_for(error: KolscopeError) -> int:
    """The exit code of an error: the first matching class above, else 1."""
    for cls, code in EXIT_CODES:
        if isinstance(error, cls):
            return code
    return EXIT_OTHER

