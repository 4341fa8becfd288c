"""The command line (Typer + Rich): parse, call one app function, render."""
