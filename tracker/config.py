"""Settings as data, with help text, in one place.

Every setting is read from the environment with a documented default; the CLI's `--db` wins
over `TRACKER_DATABASE_URL`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# The outer domain of every date and quarter, enforced by the database's CHECK constraints too
# (migration 0009). Evaluations are about the present century: a year outside is a typo, and
# the analysis (pandas nanosecond timestamps, 1677-2262) could not hold much wider ones.
DOMAIN_FIRST_YEAR = 1900
DOMAIN_LAST_YEAR = 2100


@dataclass(frozen=True)
class Setting:
    env: str
    default: str
    help: str


SETTINGS = (
    Setting(
        "TRACKER_PAGE_SIZE",
        "A4",
        "The page size of the Word and PDF packs: A4 or Letter (US). Both formats use the same "
        "one; a Word template's own page setup wins over it.",
    ),
    Setting(
        "TRACKER_DATABASE_URL",
        "",
        "SQLAlchemy URL of the database. Unset: the embedded SQLite file var/tracker.db under "
        "the project folder. A postgresql+psycopg://user@host/db URL works the same everywhere.",
    ),
    Setting(
        "TRACKER_SESSION_SECRET",
        "",
        "The secret that signs dashboard session cookies. Unset: a random secret generated on "
        "first use into var/session-secret (kept out of the repository). Changing it ends every "
        "dashboard session.",
    ),
    Setting(
        "TRACKER_SESSION_HOURS",
        "12",
        "How long a dashboard login lasts (a reload, a bookmark or a new tab stays logged in); "
        "logout ends it at once.",
    ),
    Setting(
        "TRACKER_SAMPLE_DATA",
        str(PROJECT_ROOT / "sample_data"),
        "The workbook folder that `tracker sample load` and `make run` load.",
    ),
    Setting(
        "TRACKER_YEARS",
        f"{DOMAIN_FIRST_YEAR}-{DOMAIN_LAST_YEAR}",
        "The years a date or a quarter may fall in, FIRST-LAST (e.g. 2000-2035). A date or "
        "quarter outside them is refused with its file, row and column (a typo such as 1024 "
        f"for 2024). It may narrow, never widen, {DOMAIN_FIRST_YEAR}-{DOMAIN_LAST_YEAR}: the "
        "database refuses dates outside that domain.",
    ),
    Setting(
        "TRACKER_REPORT_TEMPLATE",
        "",
        "A Word template (.docx) that Word reports are built on, from the command line and the "
        "dashboard alike (its letterhead, page setup and styles); `tracker report --template` "
        "wins. Unset: python-docx's blank template.",
    ),
    Setting(
        "TRACKER_DUE_DAYS",
        "30",
        "Days after a quarter's end by which it should be submitted; after that an open quarter "
        "is overdue (the due board, `tracker quarter due --overdue`, `tracker remind`).",
    ),
    Setting(
        "TRACKER_DUE_LOOKBACK",
        "4",
        "How many ended quarters back the due board looks for open quarters (returned and "
        "submitted quarters are shown whatever their age).",
    ),
    Setting(
        "TRACKER_SMTP_HOST",
        "",
        "SMTP server for `tracker remind`. Unset: digests go to TRACKER_REMIND_OUTBOX, or to "
        "standard output.",
    ),
    Setting("TRACKER_SMTP_PORT", "25", "Port of the SMTP server."),
    Setting(
        "TRACKER_SMTP_STARTTLS",
        "false",
        "true: upgrade the SMTP connection with STARTTLS before logging in.",
    ),
    Setting("TRACKER_SMTP_USER", "", "SMTP login (unset: no login)."),
    Setting("TRACKER_SMTP_PASSWORD", "", "SMTP password (with TRACKER_SMTP_USER)."),
    Setting(
        "TRACKER_SMTP_FROM",
        "tracker@localhost",
        "The From address of reminder e-mails.",
    ),
    Setting(
        "TRACKER_REMIND_OUTBOX",
        "",
        "Without SMTP: a folder where `tracker remind` writes one digest file per person "
        "(unset: standard output).",
    ),
    Setting(
        "TRACKER_API_MAX_BODY_BYTES",
        "10000000",
        "The largest request body the HTTP API reads, in bytes (default 10 MB); a larger one is "
        "refused with 413 before it is read.",
    ),
    Setting(
        "TRACKER_API_MAX_ROWS",
        "10000",
        "The most rows one quarter set may hold (all its tables together); more is refused "
        "with 413: post them in batches.",
    ),
    Setting(
        "TRACKER_TRUSTED_PROXIES",
        "",
        "Addresses or networks (comma-separated, e.g. 10.0.0.5,10.1.0.0/16) of reverse proxies "
        "whose X-Forwarded-For the HTTP API believes. Unset: none; the client's address is the "
        "connecting peer's, whatever headers it sends.",
    ),
    Setting(
        "TRACKER_FUNDERS_SEE_SUBMITTED",
        "false",
        "true: funders also read submitted quarters not yet approved (marked as such); by "
        "default funders read approved quarters only.",
    ),
)


def setting(env: str) -> str:
    """The value of a declared setting: the environment's, else its default."""
    for item in SETTINGS:
        if item.env == env:
            value = os.environ.get(env, "").strip()
            return value or item.default
    raise KeyError(env)


def setting_int(env: str) -> int:
    """A whole-number setting; a value that is not one is refused with the setting's name."""
    value = setting(env)
    try:
        return int(value)
    except ValueError as error:
        raise ValueError(f"{env} must be a whole number, not {value!r}.") from error


def page_size() -> str:
    """"A4" or "Letter" (TRACKER_PAGE_SIZE; anything else is refused)."""
    value = setting("TRACKER_PAGE_SIZE").strip().lower()
    if value not in ("a4", "letter"):
        raise ValueError(f"TRACKER_PAGE_SIZE must be A4 or Letter, not {value!r}.")
    return "A4" if value == "a4" else "Letter"


def setting_bool(env: str) -> bool:
    return setting(env).lower() in ("1", "true", "yes", "on")


def default_sqlite_path() -> Path:
    # Kept under the project folder (ignored by git) so that `make run` needs no setup.
    return PROJECT_ROOT / "var" / "tracker.db"


def database_url(override: str | None = None) -> str:
    """The database URL: `--db` if given, else TRACKER_DATABASE_URL, else the embedded file."""
    if override:
        return override
    from_env = os.environ.get("TRACKER_DATABASE_URL", "").strip()
    if from_env:
        return from_env
    return f"sqlite:///{default_sqlite_path()}"


def report_template() -> Path | None:
    """The Word template of `TRACKER_REPORT_TEMPLATE`, or None when it is unset."""
    value = os.environ.get("TRACKER_REPORT_TEMPLATE", "").strip()
    return Path(value) if value else None


def sample_data_path() -> Path:
    return Path(os.environ.get("TRACKER_SAMPLE_DATA", str(PROJECT_ROOT / "sample_data")))


class SettingRefused(ValueError):
    """A setting holds a value the tool cannot use."""


def year_range() -> tuple[int, int]:
    """The (first, last) years a date or quarter may fall in: TRACKER_YEARS, else the domain."""
    text = os.environ.get("TRACKER_YEARS", "").strip()
    if not text:
        return DOMAIN_FIRST_YEAR, DOMAIN_LAST_YEAR
    match = re.fullmatch(r"([0-9]{4})\s*-\s*([0-9]{4})", text)
    if not match:
        raise SettingRefused(f"TRACKER_YEARS={text!r} is not FIRST-LAST, e.g. 2000-2035")
    first, last = int(match.group(1)), int(match.group(2))
    if not DOMAIN_FIRST_YEAR <= first <= last <= DOMAIN_LAST_YEAR:
        raise SettingRefused(
            f"TRACKER_YEARS={text!r} must lie within {DOMAIN_FIRST_YEAR}-{DOMAIN_LAST_YEAR} "
            "with the first year not after the last"
        )
    return first, last
