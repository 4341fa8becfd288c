"""`kolscope text`: read texts from a file (one per line) and say what is in them."""

from __future__ import annotations

import csv
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from kolscope.app.sentiment import analyse_texts
from kolscope.cli.context import handled
from kolscope.cli.output import print_json, table
from kolscope.errors import SourceError

app = typer.Typer(help="Text analysis of comments and captions, one text per line.",
                  no_args_is_help=True)


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def read_lines(name: str) -> list[str]:
    """The lines of a UTF-8 file (``-`` is standard input), without line endings.

    Every line counts, blank ones included, so output line n is input line n; a final newline
    does not start another line.
    """
    try:
        data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read {name}: {exc.strerror}", file=name) from None
    raw = data.split(b"\n")
    if raw and raw[-1] == b"":
        raw.pop()
    lines = []
    for number, line in enumerate(raw, start=1):
        try:
            lines.append(line.decode("utf-8").removesuffix("\r").removeprefix("\ufeff"))
        except UnicodeDecodeError as exc:
            shown = "standard input" if name == "-" else name
            raise SourceError(f"{shown}: line {number} is not valid UTF-8 ({exc.reason} at "
                              f"byte {exc.start + 1})", file=name, line=number) from None
    return lines


@app.command()
@handled
def sentiment(file: Annotated[str, typer.Argument(
                  help="UTF-8 text file, one text per line; '-' reads standard input.")],
              fmt_: Annotated[Format, typer.Option(
                  "--format", help="table for people; csv or json for scripts.")]
              = Format.table) -> None:
    """Sentiment of each line: label (negative, neutral, positive) and score in [-1, 1]."""
    from kolscope.adapters.nlp.sentiment import ShippedSentimentModels  # loads on first use

    texts = read_lines(file)
    results = analyse_texts(ShippedSentimentModels(), texts=texts)
    rows = [{"line": n, "label": r.label, "score": round(r.score, 4), "language": r.language}
            for n, r in enumerate(results, start=1)]
    if fmt_ is Format.json:
        print_json(rows)
    elif fmt_ is Format.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=["line", "label", "score", "language"],
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows({**r, "language": r["language"] or ""} for r in rows)
    else:
        table(None, ["line", "label", "score", "language", "text"],
              [(str(r["line"]), str(r["label"]), f"{r['score']:+.2f}", str(r["language"] or "—"),
                _short(t)) for r, t in zip(rows, texts, strict=True)])


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"
