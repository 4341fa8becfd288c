"""Documents rendered from core document models: the contract as HTML and as PDF, and the
campaign report as HTML, PDF, CSV and XLSX."""

from kolscope.adapters.documents.html import render_contract_html
from kolscope.adapters.documents.pdf import render_contract_pdf
from kolscope.adapters.documents.report_html import render_report_html
from kolscope.adapters.documents.report_pdf import render_report_pdf
from kolscope.adapters.documents.report_tables import render_report_csv, render_report_xlsx

__all__ = ["render_contract_html", "render_contract_pdf", "render_report_csv",
           "render_report_html", "render_report_pdf", "render_report_xlsx"]
