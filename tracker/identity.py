"""Identity text: holders, partners and roles compared as a person reads them.

One rule, used by the workbook check, the write layer and the analysis:

- **Compared** under Unicode NFKC, case-folded, with runs of whitespace and of ``_`` / ``-``
  between words read as one space: ``Jane  Smith``, ``jane smith`` and ``JANE SMITH`` are one
  holder; ``Chief Executive``, ``chief_executive`` and ``chief-executive`` are one role;
  ``José`` typed precomposed (NFC) or decomposed (NFD) is one name. The stored text stays as
  typed: only comparisons use `identity_text`.
- **Refused** (by the workbook check, with the row, the column and the code point):
  characters a reader cannot see (`unseen_character`: format characters, spaces other than the
  plain one, controls, default-ignorable code points such as variation selectors and the Khmer
  inherent vowels, and blank letters such as the Braille blank U+2800), and letters of another
  script that look like the name's own (`lookalike_character`: a Cyrillic ``е`` in a Latin name),
  judged by the maintained Unicode confusables data of the `confusable-homoglyphs` package.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from confusable_homoglyphs import categories, confusables

# Runs of whitespace, "_" and "-" read as one space between words.
_SEPARATORS = re.compile(r"[\s_\-]+")

# Default-ignorable code points (Unicode's DerivedCoreProperties, Default_Ignorable_Code_Point):
# a renderer draws nothing for them. Python's unicodedata has no such property, so the ranges
# are listed here as the standard gives them.
_DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
# Letters drawn as blank space although not ignorable: the Braille blank and the Hangul fillers.
_BLANK_LETTERS = frozenset("\u2800\u115f\u1160\u3164\uffa0")
# Scripts that mix with any other without making a lookalike: punctuation, digits, accents.
_NEUTRAL_SCRIPTS = ("COMMON", "INHERITED")


def _default_ignorable(code: int) -> bool:
    return any(low <= code <= high for low, high in _DEFAULT_IGNORABLE)


def unseen_character(value: str) -> str | None:
    """The first character of `value` that a reader cannot see, or None (a plain space is
    seen: it separates words)."""
    for character in value:
        if character == " ":
            continue
        if (
            unicodedata.category(character) in ("Cf", "Cc", "Zs", "Zl", "Zp")
            or character in _BLANK_LETTERS
            or _default_ignorable(ord(character))
        ):
            return character
    return None


@dataclass(frozen=True)
class Lookalike:
    """A letter of `script` in a name written in `imitated`, drawn like one of its letters."""

    character: str
    script: str
    imitated: str
    looks_like: str


@lru_cache(maxsize=65_536)
def lookalike_character(value: str) -> Lookalike | None:
    """The first letter of `value` from another script than the name's own that looks like a
    letter of it (a Cyrillic ``е`` in "Jane Smith"), or None. A name wholly in one script
    (``Иван Петров``) or with accents (``José``) is not a lookalike."""
    text = unicodedata.normalize("NFC", value)
    if not confusables.is_mixed_script(text, allowed_aliases=list(_NEUTRAL_SCRIPTS)):
        return None
    counts: dict[str, int] = {}
    for character in text:
        script = categories.alias(character)
        if script not in _NEUTRAL_SCRIPTS:
            counts[script] = counts.get(script, 0) + 1
    # The name's own script is the one most of its letters are in (ties: the first met).
    own = max(counts, key=lambda script: counts[script])
    found = confusables.is_confusable(
        text, greedy=False, preferred_aliases=[own, *_NEUTRAL_SCRIPTS]
    )
    if not found:
        return None
    first = found[0]
    glyphs = [glyph["c"] for glyph in first["homoglyphs"] if categories.alias(glyph["c"][0]) == own]
    return Lookalike(
        character=first["character"],
        script=first["alias"].title(),
        imitated=own.title(),
        looks_like=glyphs[0] if glyphs else first["homoglyphs"][0]["c"],
    )


def code_point(character: str) -> str:
    """``U+0435 (CYRILLIC SMALL LETTER IE)``."""
    return f"U+{ord(character):04X} ({unicodedata.name(character, 'unnamed character')})"


def lookalike_message(value: str) -> str:
    """Why a name holding a lookalike letter is refused (for the workbook check)."""
    found = lookalike_character(value)
    if found is None:
        return "mixes scripts"
    return (
        f"mixes scripts: {code_point(found.character)} is a {found.script} letter that looks "
        f'like the {found.imitated} "{found.looks_like}" of the rest of the name, so two names '
        "that look the same would be different people; retype the value"
    )


@lru_cache(maxsize=262_144)
def identity_text(value: str) -> str:
    """`value` as a person reads it, for comparing holders, partners and roles: NFKC,
    case-folded, without characters a reader cannot see, with runs of whitespace, ``_`` and
    ``-`` between words read as one space."""
    text = unicodedata.normalize("NFKC", value).casefold()
    # Case folding can undo the normal form (e.g. "ß" → "ss" is fine, but some letters fold to
    # a base letter and a combining mark): normalise again.
    text = unicodedata.normalize("NFKC", text)
    text = "".join(
        " " if unicodedata.category(c) in ("Zs", "Zl", "Zp", "Cc") or c in _BLANK_LETTERS else c
        for c in text
        if not _default_ignorable(ord(c)) or c in _BLANK_LETTERS
    )
    return _SEPARATORS.sub(" ", _as_own_script(text)).strip()


def _as_own_script(text: str) -> str:
    """`text` with each lookalike letter replaced by the letter of the name's script that it
    imitates (the import refuses such names; data that reached the analysis by another road is
    still read as a person reads it)."""
    replaced = text
    for _ in range(len(text)):
        found = lookalike_character(replaced)
        if found is None or found.looks_like == found.character:
            break
        replaced = replaced.replace(found.character, found.looks_like)
    return replaced


def same_identity(left: str, right: str) -> bool:
    """Whether two typed texts name the same holder, partner or role."""
    return identity_text(left) == identity_text(right)


# The columns whose text names a holder, a partner or a role.
NAME_COLUMNS = ("role", "holder", "partner")


def identity_column(values: pd.Series) -> pd.Series:
    """`identity_text` of each cell (missing cells stay missing), computed once per distinct
    text: a national data set repeats a few thousand names over a million rows."""
    codes, uniques = pd.factorize(values)
    # Code -1 (a missing cell) takes the last entry: None.
    read = np.array([identity_text(str(value)) for value in uniques] + [None], dtype=object)
    return pd.Series(read[codes], index=values.index, dtype=object)


def one_spelling(frame: pd.DataFrame, column: str, *, order: str = "start") -> pd.DataFrame:
    """`frame` with each name of `column` that one institution's rows spell several ways
    written the one way its earliest row (by `order`) spells it, so that the analysis compares
    as a person reads: "Jane  Smith" after "Jane Smith" is the same holder, and the reasons
    show the spelling first recorded."""
    if frame.empty or column not in frame:
        return frame
    read = identity_column(frame[column])
    typed = pd.DataFrame(
        {"institution": frame["institution"], "_read": read, "typed": frame[column]}
    ).drop_duplicates()
    if not typed.duplicated(["institution", "_read"]).any():
        return frame  # every name spelled one way: nothing to rewrite
    ordered = frame.assign(_read=read).sort_values(order, kind="stable")
    first = ordered.groupby(["institution", "_read"], sort=False, dropna=False)[column].transform(
        "first"
    )
    out = frame.copy()
    spelled = first.reindex(frame.index).astype(object)
    spelled[frame[column].isna()] = None
    out[column] = spelled
    return out
