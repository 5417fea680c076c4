"""`tracker analyse --format json`: one JSON object, written one institution at a time.

The object is `{"parameters": {...}, "institutions": [...]}` (interfaces.md), compact, with
each institution's object on a line of its own. The institutions' objects are either the
stored documents of the results store, written as stored (no parsing, no re-encoding), or a
fresh analysis encoded by orjson one institution at a time: the whole text, over a gigabyte
at national scale, is never held.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.analysis.params import Parameters
    from tracker.analysis.results import AnalysisResult


def document_chunks(parameters: Parameters, documents: Iterable[bytes]) -> Iterator[bytes]:
    """The JSON of the analysis, from each institution's encoded object, in pieces."""
    from tracker.store.documents import encode

    yield b'{"parameters":' + encode(parameters.to_json()) + b',"institutions":['
    separator = b"\n"
    for document in documents:
        yield separator + document
        separator = b",\n"
    yield (b"]}\n" if separator == b"\n" else b"\n]}\n")


def analysis_json_chunks(result: AnalysisResult) -> Iterator[bytes]:
    """The JSON of a fresh `result`, encoded one institution at a time."""
    from tracker.store.documents import encode

    documents = (
        encode(item.to_json(with_its=result.include_its)) for item in result.each_institution()
    )
    return document_chunks(result.parameters, documents)
