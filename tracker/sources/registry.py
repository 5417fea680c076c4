"""Sources: the tools quarters come from, each one module, looked up by name.

A `Source` declares its name (`tracker import PATH --from NAME`), the tool, the files it reads,
the mapping settings it takes (see `tracker.sources.mapping.SETTINGS`), the optional dependency
its reader needs (None: the standard library) and its reader. Adding a source is adding one
module with a reader and one `Source` here.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tracker.sources.mapping import SETTINGS
from tracker.sources.records import Records


@dataclass(frozen=True)
class Source:
    name: str
    tool: str
    reads: str
    requires: str | None
    read: Callable[[Path], Records]

    @property
    def settings(self) -> tuple[str, ...]:
        """The mapping settings this source takes."""
        return tuple(s.key for s in SETTINGS if self.name in s.sources)

    @property
    def available(self) -> bool:
        return self.requires is None or importlib.util.find_spec(self.requires) is not None


def _kobo(path: Path) -> Records:
    from tracker.sources.kobo import read_kobo

    return read_kobo(path)


def _odk(path: Path) -> Records:
    from tracker.sources.odk import read_odk

    return read_odk(path)


def _dhis2(path: Path) -> Records:
    from tracker.sources.dhis2 import read_dhis2

    return read_dhis2(path)


def _adx(path: Path) -> Records:
    from tracker.sources.adx import read_adx

    return read_adx(path)


def _giving(path: Path) -> Records:
    from tracker.sources.giving360 import read_360giving

    return read_360giving(path)


SOURCES: dict[str, Source] = {
    s.name: s
    for s in (
        Source("kobo", "KoboToolbox",
               "CSV export (; or ,, XML names or labels, optional HXL row), XLSX export with "
               "repeat groups as child sheets, API JSON submissions", "openpyxl", _kobo),
        Source("odk", "ODK Central",
               "CSV export, or the folder / .zip of CSVs with repeat groups (PARENT_KEY), "
               "OData JSON", None, _odk),
        Source("dhis2", "DHIS2",
               "dataValueSets JSON, or CSV (positional: dataelement, period, orgunit, …)",
               None, _dhis2),
        Source("adx", "ADX (DHIS2 and others)",
               "ADX XML (periods 2024-01-01/P3M)", None, _adx),
        Source("360giving", "360Giving",
               "a grants JSON data package: grants become partner engagements", None, _giving),
    )
}
NAMES = tuple(SOURCES)


def source(name: str) -> Source:
    """The source of a name; ValueError naming the sources when there is none."""
    try:
        found = SOURCES[name]
    except KeyError:
        raise ValueError(f"--from must be one of {', '.join(NAMES)}, not {name!r}.") from None
    if not found.available:
        raise ValueError(
            f"the {name} source needs the {found.requires} package: install it "
            f"(uv add {found.requires})"
        )
    return found
