"""The "Log a quarter" page's frame: its checklist, the unsaved-input notice and the shared form
helpers (the quarter chooser is in `period_picker`, the narrative in `narrative`, the record
forms in `record_forms`, the value grid in `value_grid`, the upload in `workbook_upload`, submit
and reopening in `lock_panel`).

Entry that stays put:
- the sections are tabs that keep their selection across reruns (`st.tabs` with a key);
- every write goes through `attempt`: on success the section's message is shown just above
  its button after the rerun (`message_slot`), on refusal the refusal is listed there at once, in
  the page's terms (`refusals`); alerts carry role="status"/"alert" for screen readers;
- a successful form is cleared (`reset_forms`, before its widgets are drawn); a refused one
  keeps what was typed;
- typed but unsaved input survives reruns and switching quarters; `unsaved_notice` says what
  is kept and offers to discard it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from tracker.access import PermissionRefused
from tracker.dashboard.loaders import (
    ActorKey,
    ParamsKey,
    actor_key,
    cached_institution_dataset,
    params_from_key,
    params_key,
)
from tracker.dashboard.page_data import PageData
from tracker.dashboard.quarter.refusals import show_refusal
from tracker.dashboard.text import plain
from tracker.db import read_session
from tracker.periods import period_end, period_start
from tracker.workbook.problems import WorkbookRefused
from tracker.writes.history.conflicts import ConflictRefused
from tracker.writes.quarter.checklist import ChecklistItem, quarter_checklist
from tracker.writes.quarter.state import (
    QuarterRefused,
    confirm_leadership,
    leadership_confirmation,
)

FLASH_KEY = "lq_flash"
RESET_KEY = "lq_reset"
SLOTS_KEY = "lq_slots"
DEFAULTS_KEY = "lq_defaults"
PERIOD_KEY = "lq_period"
SECTION_KEY = "lq_section"
# How many quarters before the current one the chooser offers (besides those with data).
RECENT_QUARTERS = 12
# The default quarter is the earliest open one, among this many up to the current one, that
# misses an indicator value; else the current one.
DEFAULT_LOOKBACK = 4

SECTIONS = (
    "Indicator values",
    "Leadership",
    "Decision",
    "Structural change",
    "Evidence",
    "Influencing factor",
    "Narrative",
    "Upload a workbook",
    "Submit",
)
# The forms of each section (their fields are `lq_<form>_<field>`), for the unsaved notice.
SECTION_FORMS = {
    "Leadership": ("leadership",),
    "Decision": ("decision",),
    "Structural change": ("change", "status"),
    "Evidence": ("evidence",),
    "Influencing factor": ("factor",),
}


def key(form: str, field: str) -> str:
    """The session-state key of a form's field (stable, so tests can find the widget)."""
    return f"lq_{form}_{field}"


def field(form: str, name: str, default: Any = "") -> str:
    """The key of a form's field whose first value is `default` (set through the session
    state, so that clearing the form puts the default back in the browser too)."""
    field_key = key(form, name)
    st.session_state.setdefault(DEFAULTS_KEY, {})[field_key] = default
    if field_key not in st.session_state:
        st.session_state[field_key] = default
    return field_key


def reset_forms() -> None:
    """Clear the fields of the forms saved in the previous run (before widgets are made): a
    field made with `field` gets its first value back, any other is forgotten."""
    st.session_state[SLOTS_KEY] = {}
    defaults: dict[str, Any] = st.session_state.get(DEFAULTS_KEY, {})
    for form in st.session_state.pop(RESET_KEY, []):
        prefix = f"lq_{form}_"
        for name in [k for k in st.session_state if str(k).startswith(prefix)]:
            if name in defaults:
                st.session_state[name] = defaults[name]
            else:
                del st.session_state[name]


def message_slot(where: str) -> None:
    """The place of `where`'s messages, just above its button (where the eyes are when it is
    pressed): the last successful save's message after the rerun, or a refusal at once."""
    slot = st.empty()
    st.session_state.setdefault(SLOTS_KEY, {})[where] = slot
    message = st.session_state.get(FLASH_KEY, {}).pop(where, None)
    if message:
        slot.success(plain(message), icon=":material/check_circle:")
        _bring_into_view()


# After a save the page runs again and what is above the form may change height (the
# checklist, a button that is gone): the message is scrolled into view and the keyboard focus
# goes to the first text field of the same section, ready for the next entry.
_INTO_VIEW = """<script>
setTimeout(() => {
  const shown = [...document.querySelectorAll('[data-testid="stAlertContainer"][role="status"]')]
    .filter((alert) => alert.offsetParent !== null);
  const last = shown[shown.length - 1];
  if (!last) return;
  last.scrollIntoView({block: "center"});
  const section = last.closest('[role="tabpanel"]') || document;
  const field = section.querySelector(
    'input[type="text"]:not([role="combobox"]):not([disabled]), textarea:not([disabled])');
  if (field) field.focus({preventScroll: true});
}, 200);
</script>"""


def _bring_into_view() -> None:
    st.html(_INTO_VIEW, unsafe_allow_javascript=True, width="content")


def slot_of(where: str) -> Any:
    """The message place of `where` in this run (None: where the refusal is raised)."""
    return st.session_state.get(SLOTS_KEY, {}).get(where)


def attempt(
    action: Callable[[], Any],
    *,
    done: str,
    where: str,
    reset: Iterable[str] = (),
    fields: Mapping[str, str] | None = None,
    place: str = "form",
) -> bool:
    """Run a write; on success keep `done` for `where`, clear `reset` and run the page again;
    on refusal list why, here (beside the button that was pressed)."""
    try:
        action()
    except (WorkbookRefused, PermissionRefused, ConflictRefused, QuarterRefused) as refused:
        show_refusal(refused, fields=fields, place=place, into=slot_of(where))
        return False
    except SQLAlchemyError as error:
        (slot_of(where) or st).error(
            f"Nothing was saved: the database refused the write ({error.__class__.__name__}).",
            icon=":material/block:",
        )
        return False
    st.session_state[FLASH_KEY] = {**st.session_state.get(FLASH_KEY, {}), where: done}
    st.session_state[RESET_KEY] = [*st.session_state.get(RESET_KEY, []), *reset]
    st.rerun()
    return True  # pragma: no cover - st.rerun does not return


def default_day(period: str) -> dt.date:
    """A date inside the quarter to start date fields with: today if it is in it."""
    today = dt.date.today()
    return min(max(today, period_start(period)), period_end(period))


def unsaved_sections() -> list[str]:
    """The sections with text typed but not saved (a text field that differs from its first
    value; choices and dates are not counted as typing)."""
    defaults: dict[str, Any] = st.session_state.get(DEFAULTS_KEY, {})
    found = []
    for section, forms in SECTION_FORMS.items():
        prefixes = tuple(f"lq_{form}_" for form in forms)
        typed = [
            name
            for name, first in defaults.items()
            if name.startswith(prefixes)
            and isinstance(first, str)
            and str(st.session_state.get(name, first)).strip() != first.strip()
        ]
        if typed:
            found.append(section)
    return found


def unsaved_notice(unsaved_values: list[str]) -> None:
    """Say what typed input is kept unsaved (after a quarter switch, say) and offer to discard
    it: nothing typed is dropped without the user asking."""
    sections = unsaved_sections()
    if not sections and not unsaved_values:
        return
    parts = [*sections]
    if unsaved_values:
        parts.insert(0, "Indicator values of " + ", ".join(unsaved_values))
    box = st.warning(
        "**Unsaved input is kept:** " + plain("; ".join(parts)) + ". Save it, or discard it.",
        icon=":material/edit_note:",
    )
    del box
    if st.button("Discard the unsaved input", key="lq_discard"):
        forms = [form for section in sections for form in SECTION_FORMS[section]]
        st.session_state[RESET_KEY] = [*forms, "cell"]
        st.rerun()


@st.cache_data(show_spinner="Checking what the quarter still needs…", max_entries=64)
def cached_checklist(
    url: str, actor: ActorKey, version: int, params: ParamsKey, quarter: tuple[str, str, bool]
) -> list[ChecklistItem]:
    """The quarter's checklist, recomputed after any write (the data version changes)."""
    institution, period, confirmed = quarter
    dataset = cached_institution_dataset(url, actor, version, institution)
    return quarter_checklist(
        dataset,
        institution=institution,
        period=period,
        leadership_confirmed=confirmed,
        params=params_from_key(params),
    )


def checklist(data: PageData, engine: Engine, institution: str, period: str) -> list[ChecklistItem]:
    with read_session(engine) as session:
        confirmed = leadership_confirmation(session, institution=institution, period=period)
    return cached_checklist(
        data.status.url,
        actor_key(data.actor),
        data.status.version,
        params_key(data.params),
        (institution, period, confirmed is not None),
    )


def show_checklist(
    data: PageData, engine: Engine, institution: str, period: str, *, locked: bool
) -> list[ChecklistItem]:
    items = checklist(data, engine, institution, period)
    with read_session(engine) as session:
        confirmed = leadership_confirmation(session, institution=institution, period=period)
    done = sum(item.done for item in items)
    st.subheader(f"Still to do for {period}: {done} of {len(items)} done", anchor=False)
    names = _indicator_names(data.institution_dataset(institution))
    lines = []
    for item in items:
        mark = "✔ done" if item.done else "✘ missing"
        missing = [names.get(m, m) for m in item.missing] if item.key == "values" else item.missing
        missing = [_words(m) for m in missing] if item.key == "leadership" else missing
        detail = f": {', '.join(missing)}" if missing and not item.done else ""
        lines.append(f"- **{plain(item.label)}** — {mark}{plain(detail)}  \n  {plain(item.hint)}")
    st.markdown("\n".join(lines))
    leadership = next(item for item in items if item.key == "leadership")
    if confirmed is not None:
        st.caption(plain(f"Leadership confirmed by {confirmed.confirmed_by}."))
    elif not leadership.done and not locked:
        message_slot("checklist")
        if st.button(
            "Confirm the leadership record for this quarter", key=key("leadership", "confirm")
        ):
            attempt(
                lambda: confirm_leadership(
                    engine, institution=institution, period=period, actor=data.actor
                ),
                done=f"Leadership confirmed for {period}.",
                where="checklist",
            )
    else:
        message_slot("checklist")
    return items


def _indicator_names(dataset: Any) -> dict[str, str]:
    indicators = dataset["indicators"]
    return {str(k): str(n) for k, n in zip(indicators["key"], indicators["name"], strict=True)}


def _words(key_text: str) -> str:
    text = key_text.replace("_", " ")
    return text[:1].upper() + text[1:]
