"""A report model as a Word document (python-docx), on a template the funder can replace.

The document is built on a template `.docx` (by default python-docx's own blank one): give
yours (`tracker report --format docx --template ours.docx`) and the report takes its page
setup, letterhead, headers, footers and styles ("Title", "Heading 1" to "Heading 3",
"List Bullet", "Table Grid", "Caption", "Quote"); whatever the template already holds stays at
the top and the report follows it. A style the template lacks falls back to "Normal".
Figures are PNG images drawn by vl-convert (`figures`). Text is inserted as text: nothing an
evaluator wrote can become a field, a link or a style.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from tracker.reports.blocks import plain
from tracker.reports.model import Bullets, Figure, Heading, Quote, Report, Table, Text

IMAGE_WIDTH_CM = 15.5
WIDE_TABLE = 7  # columns from which a table is set in a smaller type


def _style(document: Any, name: str, fallback: str = "Normal") -> str:
    names = {style.name for style in document.styles}
    return name if name in names else fallback


def _paragraph(document: Any, text: str, *, style: str = "Normal", lead: str = "") -> Any:
    paragraph = document.add_paragraph(style=_style(document, style))
    if lead:
        paragraph.add_run(lead).bold = True
        if text:
            paragraph.add_run(" ")
    if text:
        paragraph.add_run(text)
    return paragraph


def _table(document: Any, block: Table) -> None:
    from docx.shared import Pt

    if not block.rows:
        _paragraph(document, block.empty)
        return
    from docx.shared import Emu

    from tracker.reports.pdf_report import column_weights

    table = document.add_table(rows=1, cols=len(block.headers))
    table.style = _style(document, "Table Grid", fallback=table.style.name)
    # Column widths by content (the same weights as the PDF's), across the text width.
    section = document.sections[-1]
    text_width = section.page_width - section.left_margin - section.right_margin
    weights = column_weights(block)
    table.autofit = False
    widths = [Emu(int(text_width * w / sum(weights))) for w in weights]
    small = Pt(7.5) if len(block.headers) >= WIDE_TABLE else Pt(9)
    for cell, header in zip(table.rows[0].cells, block.headers, strict=True):
        run = cell.paragraphs[0].add_run(header)
        run.bold = True
        run.font.size = small
    for row in block.rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=False):
            cell.paragraphs[0].add_run(plain(value)).font.size = small
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    document.add_paragraph()


def _figure(document: Any, block: Figure) -> None:
    from docx.shared import Cm

    from tracker.reports.figures import figure_png

    document.add_picture(io.BytesIO(figure_png(block)), width=Cm(IMAGE_WIDTH_CM))
    _paragraph(document, block.alt, style="Caption")


def _page_size(document: Any) -> None:
    """TRACKER_PAGE_SIZE (A4 by default, like the PDF) on every section of a blank document."""
    from docx.shared import Mm

    from tracker.config import page_size

    width, height = (Mm(210), Mm(297)) if page_size() == "A4" else (Mm(215.9), Mm(279.4))
    for section in document.sections:
        section.page_width, section.page_height = width, height


def report_docx(report: Report, *, template: Path | None = None) -> bytes:
    """The report as the bytes of a .docx file, on `template` (else TRACKER_REPORT_TEMPLATE,
    else python-docx's blank template)."""
    from docx import Document

    from tracker.config import report_template

    chosen = template if template is not None else report_template()
    if chosen is not None and not chosen.is_file():
        raise ValueError(f"Word template {chosen}: no such file (TRACKER_REPORT_TEMPLATE).")
    document = Document(str(chosen) if chosen is not None else None)
    if chosen is None:
        _page_size(document)
    document.core_properties.title = report.title
    for block in report.blocks:
        if isinstance(block, Heading):
            title = block.level == 1 and block is report.blocks[0]
            style = "Title" if title else f"Heading {min(block.level, 3)}"
            # Keep with next: a heading never stands alone at a page's foot.
            _paragraph(document, block.text, style=style).paragraph_format.keep_with_next = True
        elif isinstance(block, Text):
            _paragraph(document, block.text, lead=block.lead)
        elif isinstance(block, Quote):
            _paragraph(document, block.text, style="Quote")
        elif isinstance(block, Bullets):
            for item in block.items:
                _paragraph(document, item, style="List Bullet")
        elif isinstance(block, Table):
            _table(document, block)
        elif isinstance(block, Figure):
            _figure(document, block)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
