"""The contract as one self-contained, printable HTML page (inline CSS, no outside assets)."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from kolscope.core.campaigns.contract import ContractDocument


@cache
def _environment() -> Environment:
    """Autoescaping everywhere: brand, creator and brief text come from users."""
    return Environment(loader=PackageLoader("kolscope.adapters.documents", "templates"),
                       autoescape=True, undefined=StrictUndefined, trim_blocks=True,
                       lstrip_blocks=True)


def render_contract_html(doc: ContractDocument) -> str:
    """The contract page; every value is escaped."""
    return _environment().get_template("contract.html").render(doc=doc)
