"""Record keys made from what a person typed, where they did not give one.

- A decision, structural change or evidence item: ``<institution>-<title words>-<year>``,
  e.g. ``wigan-council-peer-review-of-the-deal-2026`` (lower case ASCII letters and digits,
  words joined by ``-``, at most `TITLE_WORDS` words of the title). The same title and date
  give the same key (stable); when that key is taken by another record, ``-2``, ``-3``, … is
  added (unique).
- A leadership role: the role's name in lower case with ``_`` between words, e.g. "Chief
  executive" → ``chief_executive`` (the spelling the workbook uses).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import models
from tracker.models import KEY_LENGTH

TITLE_WORDS = 6
_MODELS: dict[
    str, type[models.Decision] | type[models.StructuralChange] | type[models.EvidenceItem]
] = {
    "decisions": models.Decision,
    "changes": models.StructuralChange,
    "evidence": models.EvidenceItem,
}


def words_of(text: str) -> list[str]:
    """The words of `text` as lower-case ASCII (accents dropped, punctuation removed)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.findall(r"[a-z0-9]+", plain.lower())


def role_key(name: str) -> str:
    """A role's key from its name: "Chief executive" → ``chief_executive``."""
    return "_".join(words_of(name))[:KEY_LENGTH]


def base_key(institution: str, title: str, day: dt.date) -> str:
    words = words_of(title)[:TITLE_WORDS] or ["record"]
    tail = f"-{day.year}"
    head = f"{institution}-{'-'.join(words)}"
    return head[: KEY_LENGTH - len(tail) - 4].rstrip("-") + tail


def unique_key(base: str, taken: Collection[str]) -> str:
    """`base`, or `base-2`, `base-3`, … the first not in `taken`."""
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def taken_keys(session: Session, table: str, base: str) -> set[str]:
    model = _MODELS[table]
    stmt = select(model.key).where(model.key.like(f"{base}%"))
    return {str(key) for key in session.scalars(stmt)}


def new_record_key(
    session: Session, table: str, *, institution: str, title: str, day: dt.date
) -> str:
    """A key for a new record of `table` (decisions, changes, evidence); see the docstring."""
    base = base_key(institution, title, day)
    return unique_key(base, taken_keys(session, table, base))
