"""Documents rendered from core document models: the contract as HTML and as PDF."""

from kolscope.adapters.documents.html import render_contract_html
from kolscope.adapters.documents.pdf import render_contract_pdf

__all__ = ["render_contract_html", "render_contract_pdf"]
