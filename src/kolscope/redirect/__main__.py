"""``python -m kolscope.redirect``: the redirect service alone, configured by KOLSCOPE_* settings.

The same service as ``kolscope redirect serve``, without importing the whole command line
first (a container's entry point, or a test that starts it again and again).
"""

from __future__ import annotations

import argparse

from kolscope.errors import InvalidInput
from kolscope.redirect.serve import serve
from kolscope.settings import load_settings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m kolscope.redirect",
                                     description="Serve short links (see docs/redirect.md).")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--server", choices=["granian", "uvicorn"], default="granian")
    parser.add_argument("--interface", choices=["rsgi", "asgi"], default="rsgi")
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except InvalidInput as exc:
        parser.exit(2, f"error: {exc.message}\n")
    serve(settings, host=settings.redirect_host, port=settings.redirect_port,
          workers=args.workers, server=args.server, interface=args.interface)


if __name__ == "__main__":
    main()
