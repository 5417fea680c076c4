"""A report model as a PDF (fpdf2: pure Python, installs from the lock file alone).

Text is set in DejaVu Sans (shipped in `tracker/reports/fonts/`, embedded and subset in the
file), so every symbol the report uses (✔ ✘ ◷ – …) prints on any machine. Figures are PNG
images drawn by vl-convert (`figures`); tables repeat their headings on each page.
"""

from __future__ import annotations

import io
from typing import Any

from tracker.reports.blocks import plain
from tracker.reports.figures import BOLD_FONT, REGULAR_FONT
from tracker.reports.model import Bullets, Figure, Heading, Quote, Report, Table, Text

FAMILY = "DejaVu"
HEADING_SIZES = {1: 18, 2: 14, 3: 11.5}
BODY = 10
WIDE_TABLE = 7
# Room a heading needs below it (its own lines and a few of what follows) to stay on the page.
KEEP_WITH_NEXT_MM = 45


def _pdf(title: str) -> Any:
    from fpdf import FPDF

    from tracker.config import page_size

    pdf = FPDF(format=page_size())
    pdf.set_title(title)
    pdf.set_creator("tracker")
    pdf.add_font(FAMILY, "", str(REGULAR_FONT))
    pdf.add_font(FAMILY, "B", str(BOLD_FONT))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_margins(18, 16, 18)
    pdf.add_page()
    return pdf


def _text(pdf: Any, text: str, *, lead: str = "", size: float = BODY) -> None:
    from fpdf.enums import XPos, YPos

    p = pdf
    p.set_font(FAMILY, "", size)
    body = f"**{_escape(lead)}** {_escape(text)}" if lead else _escape(text)
    p.multi_cell(
        0, size * 0.5, body, markdown=True, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    p.ln(1.5)


def _escape(text: str) -> str:
    # fpdf2's markdown reads "**", "__", "--" and "~~" as styling, and "[words](address)" as a
    # link that hides the address behind the words: break them with a zero-width space so that
    # evaluator text prints exactly as written, the address shown, never a live link.
    for marker in ("**", "__", "--", "~~", "]("):
        text = text.replace(marker, marker[0] + "\u200b" + marker[1])
    return text


def column_weights(block: Table) -> tuple[float, ...]:
    """Relative column widths by content: each column's longest word and its typical length
    (so a key never breaks mid-word while a long text column takes the room it needs)."""
    weights = []
    for index, header in enumerate(block.headers):
        cells = [plain(header), *(plain(row[index]) for row in block.rows if index < len(row))]
        longest_word = max((len(w) for c in cells for w in c.split()), default=1)
        typical = sorted(len(c) for c in cells)[len(cells) * 3 // 4]
        # The longest word with room to spare (padding, wider letters), else the typical text.
        weights.append(float(max(longest_word * 1.4 + 2, min(typical, 45), 4)))
    return tuple(weights)


def _table(pdf: Any, block: Table) -> None:
    from fpdf.fonts import FontFace

    p = pdf
    if not block.rows:
        _text(p, block.empty)
        return
    size = 6.5 if len(block.headers) >= WIDE_TABLE else 8.5
    p.set_font(FAMILY, "", size)
    with p.table(
        col_widths=column_weights(block),
        headings_style=FontFace(emphasis="BOLD", fill_color=(238, 242, 240)),
        line_height=size * 0.5,
        text_align="LEFT",
        padding=0.8,
        repeat_headings=1,
    ) as table:
        header = table.row()
        for cell in block.headers:
            header.cell(plain(cell))
        for values in block.rows:
            row = table.row()
            for value in values:
                row.cell(plain(value))
    p.ln(3)


def _figure(pdf: Any, block: Figure) -> None:
    from tracker.reports.figures import figure_png

    p = pdf
    width = p.epw
    p.image(io.BytesIO(figure_png(block)), w=min(width, 160), alt_text=block.alt)
    _text(p, block.alt, size=8)


def _room_for(pdf: Any, following: object) -> float:
    """The room (mm) a heading needs below it so that what follows starts on the same page: a
    figure whole (its height at the printed width, up to a page), else a few lines."""
    if isinstance(following, Figure):
        from PIL import Image

        from tracker.reports.figures import figure_png

        with Image.open(io.BytesIO(figure_png(following))) as image:
            width, height = image.size
        printed = min(pdf.epw, 160) * height / width
        return min(printed + 12, pdf.h - pdf.t_margin - pdf.b_margin - 1)
    return KEEP_WITH_NEXT_MM


def report_pdf(report: Report) -> bytes:
    """The report as the bytes of a PDF file."""
    from fpdf.enums import XPos, YPos

    p = _pdf(report.title)
    for index, block in enumerate(report.blocks):
        if isinstance(block, Heading):
            size = HEADING_SIZES.get(block.level, BODY)
            # Keep with next: a heading never stands alone at a page's foot.
            following = report.blocks[index + 1] if index + 1 < len(report.blocks) else None
            if p.y > p.h - p.b_margin - _room_for(p, following):
                p.add_page()
            p.ln(2 if block.level > 1 else 0)
            p.set_font(FAMILY, "B", size)
            p.multi_cell(
                0, size * 0.5, block.text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
            p.ln(1.5)
        elif isinstance(block, Text):
            _text(p, block.text, lead=block.lead)
        elif isinstance(block, Quote):
            _text(p, block.text, size=9)
        elif isinstance(block, Bullets):
            for item in block.items:
                _text(p, f"•  {item}")
        elif isinstance(block, Table):
            _table(p, block)
        elif isinstance(block, Figure):
            _figure(p, block)
    return bytes(p.output())
