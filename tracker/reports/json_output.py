"""`tracker analyse --format json`, written one institution at a time.

The text is exactly `json.dumps(result.to_json(), indent=2, ensure_ascii=False)`, but it is
never held whole: at national scale that string is over a gigabyte, and building it doubled the
command's peak memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from tracker.analysis.results import AnalysisResult


def _dumps(value: Any, *, depth: int) -> str:
    """`value` as indented JSON, its lines after the first indented `depth` levels deeper."""
    text = json.dumps(value, indent=2, ensure_ascii=False)
    return text.replace("\n", "\n" + "  " * depth)


def analysis_json_chunks(result: AnalysisResult) -> Iterator[str]:
    """The JSON of `result` in pieces; joined, they equal the whole document's text."""
    yield '{\n  "parameters": ' + _dumps(result.parameters.to_json(), depth=1)
    if not result.institution_keys:
        yield ',\n  "institutions": []\n}'
        return
    yield ',\n  "institutions": ['
    for index, institution in enumerate(result.each_institution()):
        item = institution.to_json(with_its=result.include_its)
        yield ("\n    " if index == 0 else ",\n    ") + _dumps(item, depth=2)
    yield "\n  ]\n}"
