"""Text is text: what users wrote is shown on a page as the characters they typed, never as
Markdown.

Streamlit renders Markdown in `st.markdown`, `st.write` of a string, captions, alerts, titles,
expander and widget labels. A change title such as `![x](https://tracker.example/pixel.png)`
would make every reader's browser fetch that image (tracking), `[click](https://…)` would be a
live link (phishing), and a bare `https://…`, `www.…` or `name@host` becomes a link by itself:
Streamlit finds those addresses in the text *after* Markdown escapes are resolved, so no
escaping can stop them. Hence two tools, and every user-written string (and every sentence that
quotes one: the analysis quotes titles and roles in its reasons) goes through `plain` before it
reaches one of those calls (`show_text` does both for a paragraph or a caption). `plain`
escapes every character that starts Markdown syntax, and puts an invisible WORD JOINER
(U+2060) inside "://", "www." and before "@": the only way to keep a bare address from
becoming a link (the text reads the same; a copy of it carries the joiner).

Data frames (`st.dataframe`) and charts show cell text as text already.
"""

from __future__ import annotations

import re
from typing import Any

import streamlit as st

# Characters that start Markdown (or Streamlit's own) syntax anywhere in a line: escapes, code,
# emphasis, links and images ("[", "!"), HTML and autolinks ("<"), tables, strikethrough,
# entities, formulas ("$"). "(" and ")" only matter after "]", which is escaped.
_INLINE = re.compile(r"([\\`*_\[\]<>|~&$!{}])")
# Constructs a line can start with: headings, lists, quotes, setext underlines, ordered lists.
_LINE_START = re.compile(r"^([#+=>-]|\d+(?=[.)]))", re.MULTILINE)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Where GitHub-flavoured autolinks start: a scheme's "://", "www." and an e-mail's "@".
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?=@)", re.IGNORECASE)
WORD_JOINER = "\u2060"


def plain(value: Any) -> str:
    """`value` as Markdown that shows its characters (None shows as nothing): every character
    that starts Markdown syntax backslash-escaped (CommonMark shows an escaped character as
    itself), a WORD JOINER inside each bare address, line breaks kept as line breaks."""
    if value is None:
        return ""
    text = _INLINE.sub(r"\\\1", _AUTOLINK.sub(WORD_JOINER, str(value)))
    text = _LINE_START.sub(_escape_line_start, text)
    # Two trailing spaces: a line break, not a new paragraph (which could start a block).
    return _LINE_BREAK.sub("  \n", text)


def _escape_line_start(match: re.Match[str]) -> str:
    found = match.group(1)
    # "1." or "1)" would start an ordered list: escape the mark after the number.
    return found + "\\" if found[0].isdigit() else "\\" + found


_ESCAPED = re.compile(r"\\(.)")


def as_shown(markdown: str) -> str:
    """The text a reader sees for Markdown made by `plain` (escapes and joiners removed)."""
    return _ESCAPED.sub(r"\1", markdown.replace("  \n", "\n")).replace(WORD_JOINER, "")


def show_text(value: Any, *, muted: bool = False) -> None:
    """A paragraph holding `value` as text (muted: as a caption)."""
    if muted:
        st.caption(plain(value))
    else:
        st.markdown(plain(value))
