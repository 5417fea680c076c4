"""`tracker remind`: one digest a day per person of what is theirs on the due board.

Safe to run from cron daily (or more often): a person gets at most one digest a day. The day's
digest is claimed first (a `reminders_sent` row, unique per person and day, committed with its
audit entry), then sent; if sending fails the claim is withdrawn, so the next run tries again.
Two runs at once cannot both send: the second one's claim fails the unique constraint.

Where a digest goes: by e-mail through the SMTP settings (TRACKER_SMTP_HOST …) to the person's
name when it is an e-mail address; without SMTP, a file per person in TRACKER_REMIND_OUTBOX, or
standard output. People whose name is not an e-mail address get their digest in the outbox or
on standard output even when SMTP is configured (the result says so).
"""

from __future__ import annotations

import datetime as dt
import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from tracker import models
from tracker.access import Actor
from tracker.config import setting, setting_bool, setting_int
from tracker.db import read_session, write_session
from tracker.writes.history.audit import now, record_audit
from tracker.writes.quarter.due_board import BoardItem, board_for


@dataclass(frozen=True)
class Digest:
    person: str
    address: str | None
    items: tuple[BoardItem, ...]

    @property
    def subject(self) -> str:
        return f"tracker: {len(self.items)} quarter(s) need your attention"

    def body(self, day: dt.date) -> str:
        lines = [f"Quarters that need your attention on {day.isoformat()}:", ""]
        lines += [f"- {item.describe()}" for item in self.items]
        lines += ["", "This digest is sent at most once a day (tracker remind)."]
        return "\n".join(lines) + "\n"


@dataclass
class RemindResult:
    day: dt.date
    sent: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    via: dict[str, str] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = [f"{person}: digest sent ({self.via[person]})" for person in self.sent]
        out += [f"{person}: already reminded on {self.day.isoformat()}" for person in self.already]
        out += [f"{person}: not sent ({why})" for person, why in self.failed.items()]
        return out or ["Nobody has anything due."]


def digests(engine: Engine, *, today: dt.date) -> list[Digest]:
    """Each enabled person with something on their board, and what."""
    with read_session(engine) as session:
        users = session.scalars(
            select(models.User).where(models.User.disabled.is_(False)).order_by(models.User.name)
        ).all()
        found = []
        for user in users:
            institutions = frozenset(
                session.scalars(
                    select(models.Institution.key)
                    .join(models.UserInstitution,
                          models.UserInstitution.institution_id == models.Institution.id)
                    .where(models.UserInstitution.user_id == user.id)
                )
            )
            actor = Actor(user.name, role=user.role, institutions=institutions)
            items = board_for(session, actor, today=today, overdue_only=True)
            if items:
                address = user.name if "@" in user.name else None
                found.append(Digest(user.name, address, tuple(items)))
    return found


Sender = Callable[[Digest, dt.date], str]


def _smtp_sender(digest: Digest, day: dt.date) -> str:
    message = EmailMessage()
    message["From"] = setting("TRACKER_SMTP_FROM")
    message["To"] = digest.address or ""
    message["Subject"] = digest.subject
    message.set_content(digest.body(day))
    host, port = setting("TRACKER_SMTP_HOST"), setting_int("TRACKER_SMTP_PORT")
    with smtplib.SMTP(host, port, timeout=30) as smtp:
        if setting_bool("TRACKER_SMTP_STARTTLS"):
            smtp.starttls()
        user = setting("TRACKER_SMTP_USER")
        if user:
            smtp.login(user, setting("TRACKER_SMTP_PASSWORD"))
        smtp.send_message(message)
    return f"e-mail to {digest.address}"


def _file_sender(outbox: Path) -> Sender:
    def send(digest: Digest, day: dt.date) -> str:
        outbox.mkdir(parents=True, exist_ok=True)
        path = outbox / f"{day.isoformat()}-{digest.person}.txt"
        path.write_text(f"To: {digest.person}\nSubject: {digest.subject}\n\n{digest.body(day)}",
                        encoding="utf-8")
        return f"file {path}"
    return send


def _stdout_sender(write: Callable[[str], None]) -> Sender:
    def send(digest: Digest, day: dt.date) -> str:
        write(f"To: {digest.person}\nSubject: {digest.subject}\n\n{digest.body(day)}")
        return "standard output"
    return send


def _claim(engine: Engine, digest: Digest, day: dt.date, actor: Actor) -> bool:
    """Record today's digest for the person; False when someone already did."""
    try:
        with write_session(engine) as session:
            exists = session.scalar(
                select(models.ReminderSent.id).where(
                    models.ReminderSent.person == digest.person, models.ReminderSent.day == day
                )
            )
            if exists is not None:
                return False
            at = now()
            session.execute(insert(models.ReminderSent).values(
                person=digest.person, day=day, sent_at=at, via="pending",
                items=len(digest.items),
            ))
            record_audit(
                session, actor=actor.name, action="remind", table_name="users",
                record_key=digest.person, at=at,
                detail={"day": day.isoformat(), "items": [
                    {"institution": i.institution, "period": i.period, "kind": i.kind}
                    for i in digest.items
                ]},
            )
        return True
    except IntegrityError:  # another run claimed it meanwhile
        return False


def _settle(engine: Engine, digest: Digest, day: dt.date, via: str | None) -> None:
    with write_session(engine) as session:
        match = (models.ReminderSent.person == digest.person, models.ReminderSent.day == day)
        if via is None:
            session.execute(delete(models.ReminderSent).where(*match))
        else:
            session.execute(update(models.ReminderSent).where(*match).values(via=via))


def remind(
    engine: Engine,
    *,
    actor: Actor,
    today: dt.date | None = None,
    write: Callable[[str], None] = print,
) -> RemindResult:
    """Send today's digests (administrators or the local operator run this)."""
    from tracker.access import PermissionRefused

    if not actor.is_admin:
        raise PermissionRefused(f"{actor.name} ({actor.role}) may not send reminders.")
    day = today or dt.date.today()
    result = RemindResult(day)
    smtp = bool(setting("TRACKER_SMTP_HOST"))
    outbox = setting("TRACKER_REMIND_OUTBOX")
    fallback = _file_sender(Path(outbox)) if outbox else _stdout_sender(write)
    for digest in digests(engine, today=day):
        if not _claim(engine, digest, day, actor):
            result.already.append(digest.person)
            continue
        send = _smtp_sender if smtp and digest.address else fallback
        try:
            via = send(digest, day)
        except (OSError, smtplib.SMTPException) as error:
            _settle(engine, digest, day, None)
            result.failed[digest.person] = f"{type(error).__name__}: {error}"
            continue
        _settle(engine, digest, day, "smtp" if send is _smtp_sender else
                ("file" if outbox else "stdout"))
        result.sent.append(digest.person)
        result.via[digest.person] = via
    return result
