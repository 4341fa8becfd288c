"""`kolscope vet keywords`: the workspace's own keyword sets beside the built-in ones."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kolscope.app.keyword_sets import (
    delete_keyword_set,
    keyword_sets,
    parse_keyword_set,
    put_keyword_set,
)
from kolscope.cli.context import handled, state, utc_now
from kolscope.cli.output import console, print_json, table
from kolscope.errors import SourceError

app = typer.Typer(help="Keyword sets: brand-safety terms, brand values, red lines and "
                       "competitors.", no_args_is_help=True)


@app.command("list")
@handled
def list_(builtin: Annotated[bool, typer.Option(
              "--builtin/--own", help="Include the built-in sets, or only the workspace's.")]
          = True,
          as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Every keyword set in force: the built-in ones, then the workspace's own."""
    with state.uow() as uow:
        sets = keyword_sets(uow, workspace=state.ws, builtin=builtin)
    if as_json:
        print_json(sets)
        return
    table("keyword sets", ["name", "kind", "category", "language", "terms", "first terms"],
          [(s.name, s.kind, s.category, s.language or "any", f"{len(s.terms):,}",
            ", ".join(s.terms[:5])) for s in sets])


def _terms(term: list[str] | None, file: Path | None) -> list[str]:
    terms = list(term or [])
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise SourceError(f"{file}: cannot read the terms file: {exc}",
                              file=str(file)) from None
        terms += [line.strip() for line in text.splitlines() if line.strip()]
    return terms


@app.command()
@handled
def put(name: Annotated[str, typer.Argument(help="The set's name in this workspace.")],
        kind: Annotated[str, typer.Option(help="safety, value, red_line or competitor.")],
        category: Annotated[str, typer.Option(
            help="safety: profanity, violence, drugs, alcohol, gambling, adult, politics, hate; "
                 "otherwise your own label, e.g. sustainability.")],
        term: Annotated[list[str] | None, typer.Option(
            "--term", help="A word or phrase (repeatable); 're:' starts a regular "
                           "expression.")] = None,
        file: Annotated[Path | None, typer.Option(
            "--file", help="A UTF-8 file of terms, one per line.")] = None,
        exception: Annotated[list[str] | None, typer.Option(
            "--except", help="A phrase whose matches are ignored (repeatable).")] = None,
        language: Annotated[str | None, typer.Option(help="en or zh; default any.")] = None
        ) -> None:
    """Create or replace one of the workspace's keyword sets; `kolscope vet run` applies it."""
    keyword_set = parse_keyword_set({
        "name": name, "kind": kind, "category": category, "language": language,
        "terms": _terms(term, file), "exceptions": list(exception or [])})
    with state.uow() as uow:
        replaced = put_keyword_set(uow, workspace=state.ws, keyword_set=keyword_set,
                                   now=utc_now())
        uow.commit()
    console.print(f"{'replaced' if replaced else 'created'} keyword set {name!r} "
                  f"({len(keyword_set.terms):,} terms); run `kolscope vet run` to flag posts",
                  highlight=False)


@app.command()
@handled
def remove(name: Annotated[str, typer.Argument(help="The set to remove.")]) -> None:
    """Remove one of the workspace's keyword sets (its flags go on the next run)."""
    with state.uow() as uow:
        delete_keyword_set(uow, workspace=state.ws, name=name)
        uow.commit()
    console.print(f"removed keyword set {name!r}", highlight=False)
