"""The due board and `remind`: overdue, returned and awaiting-review quarters, per person; one
digest a day each through a real (local) SMTP server; a second run the same day sends nothing."""

from __future__ import annotations

import datetime as dt
import email
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine

from tests.servers import free_port
from tests.writes.conftest import ADMIN, OTHER_ADMIN, count
from tracker import models
from tracker.db import read_session
from tracker.users import actor_for, add_user
from tracker.writes.quarter import review
from tracker.writes.quarter.due_board import board_for, board_items, staleness
from tracker.writes.quarter.reminders import remind

TODAY = dt.date(2024, 8, 15)  # 2024Q2 ended on 30 June; due (30 days) on 30 July: overdue


@dataclass
class Inbox:
    messages: list[email.message.Message] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted"

    def to(self) -> list[str]:
        return sorted(str(m["To"]) for m in self.messages)


@pytest.fixture
def inbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("TRACKER_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("TRACKER_SMTP_PORT", str(port))
    monkeypatch.setenv("TRACKER_DUE_DAYS", "30")
    monkeypatch.setenv("TRACKER_DUE_LOOKBACK", "4")
    try:
        yield handler
    finally:
        controller.stop()


def people_and_quarters(engine: Engine) -> None:
    for name, role, institution in (
        ("eve@example.org", "evaluator", "northdale"),
        ("rita@example.org", "reviewer", "northdale"),
        ("olly@example.org", "evaluator", "eastmoor"),
    ):
        add_user(engine, name, role=role, password=None, actor=ADMIN, institutions=[institution])
    eve = actor_for(engine, "eve@example.org")
    rita = actor_for(engine, "rita@example.org")
    review.submit(engine, institution="northdale", period="2024Q2", actor=eve)
    review.submit(engine, institution="northdale", period="2024Q1", actor=eve)
    review.return_(engine, institution="northdale", period="2024Q1", actor=rita,
                   comment="Observation missing")
    for period in ("2023Q3", "2023Q4", "2024Q1", "2024Q2"):
        review.submit(engine, institution="eastmoor", period=period, actor=ADMIN)
        review.approve(engine, institution="eastmoor", period=period, actor=OTHER_ADMIN)


def test_the_board_shows_overdue_returned_and_awaiting_review_per_person(
    seeded: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_DUE_DAYS", "30")
    people_and_quarters(seeded)
    with read_session(seeded) as session:
        eve = board_for(session, actor_for(seeded, "eve@example.org"), today=TODAY,
                        overdue_only=True)
        rita = board_for(session, actor_for(seeded, "rita@example.org"), today=TODAY)
        olly = board_for(session, actor_for(seeded, "olly@example.org"), today=TODAY)
        everything = board_items(session, today=TODAY, lookback=4)
    assert [(i.kind, i.period) for i in eve] == [
        ("overdue", "2023Q3"), ("overdue", "2023Q4"), ("returned", "2024Q1")
    ]
    assert eve[0].days_late == (TODAY - dt.date(2023, 10, 30)).days
    assert [(i.kind, i.period) for i in rita] == [("awaiting_review", "2024Q2")]
    assert olly == []  # eastmoor's quarters are all approved
    assert staleness(everything) == {"northdale": "overdue"}


def test_a_quarter_is_due_before_its_deadline_and_overdue_after(
    seeded: Engine,
) -> None:
    with read_session(seeded) as session:
        before = board_items(session, institutions=["northdale"], today=dt.date(2024, 7, 20),
                             due_days=30, lookback=1)
        after = board_items(session, institutions=["northdale"], today=dt.date(2024, 8, 1),
                            due_days=30, lookback=1)
    assert [(i.kind, i.period) for i in before] == [("due", "2024Q2")]
    assert [(i.kind, i.period, i.days_late) for i in after] == [("overdue", "2024Q2", 2)]


def test_remind_sends_one_digest_per_person_and_nothing_more_the_same_day(
    seeded: Engine, inbox: Inbox
) -> None:
    people_and_quarters(seeded)
    first = remind(seeded, actor=ADMIN, today=TODAY, write=lambda text: None)
    # olly's institution has everything approved: no digest.
    assert sorted(first.sent) == ["eve@example.org", "rita@example.org"]
    assert inbox.to() == ["eve@example.org", "rita@example.org"]
    eve_mail = next(m for m in inbox.messages if m["To"] == "eve@example.org")
    body = eve_mail.get_payload()
    assert "overdue  northdale 2023Q3" in body and "returned for corrections  northdale 2024Q1" \
        in body and "Observation missing" in body
    assert "2024Q2" not in body  # awaiting review is the reviewer's, not the evaluator's
    second = remind(seeded, actor=ADMIN, today=TODAY, write=lambda text: None)
    assert second.sent == [] and sorted(second.already) == sorted(first.sent)
    assert len(inbox.messages) == 2
    assert count(seeded, models.ReminderSent) == len(first.sent)
    next_day = remind(seeded, actor=ADMIN, today=TODAY + dt.timedelta(days=1),
                      write=lambda text: None)
    assert sorted(next_day.sent) == sorted(first.sent)


def test_without_smtp_digests_go_to_the_outbox_folder(
    seeded: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("TRACKER_SMTP_HOST", raising=False)
    monkeypatch.setenv("TRACKER_REMIND_OUTBOX", str(tmp_path / "outbox"))
    people_and_quarters(seeded)
    result = remind(seeded, actor=ADMIN, today=TODAY)
    files = sorted(p.name for p in (tmp_path / "outbox").iterdir())
    assert files == [f"2024-08-15-{person}.txt" for person in sorted(result.sent)]
    assert "rita@example.org" in result.sent


def test_a_failed_send_is_not_recorded_so_the_next_run_tries_again(
    seeded: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("TRACKER_SMTP_PORT", str(free_port()))  # nobody listens there
    people_and_quarters(seeded)
    result = remind(seeded, actor=ADMIN, today=TODAY, write=lambda text: None)
    assert "eve@example.org" in result.failed
    assert count(seeded, models.ReminderSent, person="eve@example.org") == 0
