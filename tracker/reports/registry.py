"""Report formats: one report model, one renderer per format (a registry, looked up by name).

Adding a format is adding a `Renderer` here: its name (`tracker report --format NAME`), its file
extension and media type, whether it is binary, and the function from a `Report` to its file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tracker.reports.model import Report


@dataclass(frozen=True)
class Renderer:
    name: str
    extension: str
    mime: str
    binary: bool
    label: str  # what a download button calls it
    render: Callable[..., bytes | str]


def _markdown(report: Report) -> str:
    from tracker.reports.markdown import report_markdown

    return report_markdown(report)


def _html(report: Report) -> str:
    from tracker.reports.html import report_html

    return report_html(report)


def _docx(report: Report, *, template: Path | None = None) -> bytes:
    from tracker.reports.docx_report import report_docx

    return report_docx(report, template=template)


def _pdf(report: Report) -> bytes:
    from tracker.reports.pdf_report import report_pdf

    return report_pdf(report)


RENDERERS: dict[str, Renderer] = {
    r.name: r
    for r in (
        Renderer("md", "md", "text/markdown", False, "Markdown", _markdown),
        Renderer("html", "html", "text/html", False, "HTML", _html),
        Renderer(
            "docx",
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            True,
            "Word",
            _docx,
        ),
        Renderer("pdf", "pdf", "application/pdf", True, "PDF", _pdf),
    )
}
FORMATS = tuple(RENDERERS)


def renderer(name: str) -> Renderer:
    """The renderer of a format; ValueError naming the formats when there is none."""
    try:
        return RENDERERS[name]
    except KeyError:
        raise ValueError(
            f"--format must be one of {', '.join(FORMATS)}, not {name!r}."
        ) from None


def render(report: Report, name: str, *, template: Path | None = None) -> bytes | str:
    """The report's file in format `name`; `template` (a .docx) only for Word."""
    if template is None:
        return renderer(name).render(report)
    if name != "docx":
        raise ValueError("--template is for --format docx only.")
    return renderer(name).render(report, template=template)


def file_name(report: Report, name: str) -> str:
    return f"{report.file_stem}.{renderer(name).extension}"


def as_bytes(content: bytes | str) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


def write(report: Report, name: str, path: Path) -> None:
    path.write_bytes(as_bytes(render(report, name)))
