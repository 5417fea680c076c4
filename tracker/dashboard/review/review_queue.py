"""The reviewer's queue and the due board on the dashboard: thin panels over
`tracker.writes.quarter.review` (state machine, thread, queue) and
`tracker.writes.quarter.due_board`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from tracker.access import Actor, PermissionRefused
from tracker.analysis.quarter_contents import QuarterContents
from tracker.dashboard.review.quarter_contents_view import contents_panel
from tracker.dashboard.text import plain
from tracker.db import read_session
from tracker.writes.quarter import review
from tracker.writes.quarter.due_board import KIND_LABELS, board_for, evaluators_of
from tracker.writes.quarter.locks import when_text
from tracker.writes.quarter.state import QuarterRefused

FLASH = "rv_flash"  # the message of the last action, shown after the rerun
STATE_BADGES = {
    "open": ":material/edit: open",
    "submitted": ":material/hourglass_top: submitted",
    "returned": ":material/undo: returned",
    "approved": ":material/verified: approved",
}


def show_flash() -> None:
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(plain(message), icon=":material/check_circle:")


def attempt(action: Callable[[], Any], *, done: str) -> None:
    """Take a review action; on success say `done` after the rerun, on refusal say why."""
    try:
        action()
    except (PermissionRefused, QuarterRefused) as refused:
        st.error(f"Nothing was changed. {plain(refused)}", icon=":material/block:")
        return
    except SQLAlchemyError as error:
        st.error(f"Nothing was changed: the database refused it ({error.__class__.__name__}).",
                 icon=":material/block:")
        return
    st.session_state[FLASH] = done
    st.rerun()


def queue_panel(engine: Engine, actor: Actor) -> tuple[str, str] | None:
    """The quarters waiting for this reviewer, as a table and a chooser; the chosen one."""
    with read_session(engine) as session:
        queue = review.review_queue(session, actor)
    show_flash()
    if not queue:
        st.info("Nothing is waiting for your review.", icon=":material/done_all:")
        return None
    st.dataframe(
        pd.DataFrame(
            [
                {"institution": q.institution, "name": q.name, "quarter": q.period,
                 "submitted by": q.submitted_by, "submitted at": when_text(q.submitted_at)}
                for q in queue
            ]
        ),
        hide_index=True,
    )
    labels = {f"{q.institution} {q.period} ({q.name})": (q.institution, q.period) for q in queue}
    chosen = st.selectbox("Quarter to review", list(labels), key="rv_choice")
    return labels[chosen] if chosen else None


def review_panel(
    engine: Engine, actor: Actor, institution: str, period: str,
    contents: QuarterContents | None = None,
) -> None:
    """The quarter's state, what it holds (`contents`), its thread and changes since approval;
    approve (after ticking that it was read), return, comment."""
    with read_session(engine) as session:
        status = review.review_status(session, institution=institution, period=period)
    state = status.state
    st.subheader(f"{institution} {period}")
    st.markdown(f"**{STATE_BADGES[state.state]}** — {plain(state.describe())}")
    if status.changed_since_approval:
        st.warning(
            f"{status.changed_since_approval} value(s) changed since approval.",
            icon=":material/change_circle:",
        )
    if contents is not None:
        contents_panel(contents)
    thread_panel(status.comments)
    allowed = review.allowed_actions(actor, state)
    # Approval vouches for everything above (a narrative approved unseen is printed in the
    # institution's story): it asks for a tick first.
    read = "approve" in allowed and st.checkbox(
        f"I have read the values, narrative, evidence and warnings of {period} above and "
        "approve them", key=f"rv_read_{institution}_{period}",
    )
    if "approve" in allowed and st.button(f"Approve {period}", key="rv_approve",
                                          type="primary", disabled=not read):
        attempt(
            lambda: review.approve(engine, institution=institution, period=period, actor=actor),
            done=f"{institution} {period} approved.",
        )
    if "return" in allowed:
        text = st.text_area("What needs correcting (the evaluator sees this)",
                            key="rv_return_text")
        if st.button(f"Return {period} for corrections", key="rv_return"):
            attempt(lambda: review.return_(engine, institution=institution, period=period,
                                           actor=actor, comment=text),
                    done=f"{institution} {period} returned to the evaluator.")
    if not allowed and state.submitted_by == actor.name:
        st.caption("You submitted this quarter, so someone else reviews it.")
    comment_panel(engine, actor, institution, period)


def thread_panel(comments: list[review.Comment]) -> None:
    """The quarter's comments, oldest first."""
    if not comments:
        st.caption("No comments on this quarter yet.")
        return
    for c in comments:
        kind = {"return": "returned it", "reopen": "reopened it"}.get(c.kind, "commented")
        with st.chat_message("user", avatar=":material/comment:"):
            st.markdown(f"**{plain(c.author)}** {kind} — {when_text(c.at)}")
            st.text(c.text)


def comment_panel(engine: Engine, actor: Actor, institution: str, period: str) -> None:
    text = st.text_input("Add a comment", key="rv_comment_text")
    if st.button("Post comment", key="rv_comment"):
        attempt(lambda: review.comment(engine, institution=institution, period=period,
                                       actor=actor, text=text), done="Comment added.")


def due_board_panel(engine: Engine, actor: Actor) -> None:
    """The due board of `actor` (administrators: everyone's, with the evaluators of each)."""
    with read_session(engine) as session:
        items = board_for(session, actor)
        evaluators = evaluators_of(session) if actor.is_admin else {}
    if not items:
        st.success("Nothing is due, overdue, returned or awaiting review.",
                   icon=":material/done_all:")
        return
    rows = []
    for item in items:
        row = {
            "": KIND_LABELS[item.kind],
            "institution": item.institution,
            "quarter": item.period,
            "due on": item.due_on.isoformat(),
            # Text, so that "not late" is an empty cell, not the word None.
            "days late": str(item.days_late) if item.days_late else "",
            "note": item.note or (f"submitted by {item.by}" if item.by else ""),
        }
        if actor.is_admin:
            row["evaluators"] = ", ".join(evaluators.get(item.institution, []))
        rows.append(row)
    st.dataframe(pd.DataFrame(rows), hide_index=True)
