"""Progress for long commands: shown on a terminal (Rich), silent when output is piped.

    with progress("Importing") as steps:
        steps.step("reading the workbook")
        ...
        steps.step("writing rows", total=len(rows))
        for batch in batches:
            ...
            steps.advance(len(batch))

Each step is one line with a spinner, a bar when its size is known, and the time it took; the
lines stay on screen, so a long run leaves a record of where the time went. Progress is drawn
on standard error, and only when standard output is a terminal: a command whose output is piped
or redirected (`tracker analyse --format json > out.json`, a script, CI) prints no progress at
all, so its output stays exactly what the command promises.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)

T = TypeVar("T")


def output_is_terminal() -> bool:
    """True when standard output is an interactive terminal (not a pipe, file or capture)."""
    isatty = getattr(sys.stdout, "isatty", None)
    return bool(isatty and isatty())


class Steps:
    """The steps of one long command. Every method is a no-op when progress is silent."""

    def __init__(self, bar: Progress | None, title: str) -> None:
        self._bar = bar
        self._title = title
        self._task: TaskID | None = None

    @property
    def shown(self) -> bool:
        return self._bar is not None

    def step(self, description: str, *, total: float | None = None) -> None:
        """Finish the current step and start the next; `total` gives it a bar (units of work)."""
        if self._bar is None:
            return
        self._finish()
        self._task = self._bar.add_task(f"{self._title}: {description}", total=total)

    def advance(self, amount: float = 1.0) -> None:
        """Count `amount` units of the current step's work as done."""
        if self._bar is not None and self._task is not None:
            self._bar.advance(self._task, amount)

    def track(self, items: Iterable[T], description: str, *, total: float | None = None
              ) -> Iterator[T]:
        """Yield `items` as a step of its own, advancing by one per item."""
        self.step(description, total=total)
        for item in items:
            yield item
            self.advance()

    def _stopped(self) -> None:
        if self._bar is None or self._task is None:
            return
        task = self._bar.tasks[self._task]
        self._bar.update(self._task, description=f"{task.description} (stopped)")
        self._bar.stop_task(self._task)

    def _finish(self) -> None:
        if self._bar is None or self._task is None:
            return
        task = self._bar.tasks[self._task]
        # A step of unknown size shows as complete, not as a spinner forever.
        total = task.total if task.total is not None else max(task.completed, 1.0)
        self._bar.update(self._task, total=total, completed=total)


@contextmanager
def progress(
    title: str, *, enabled: bool | None = None, console: Console | None = None
) -> Iterator[Steps]:
    """Steps of a long command named `title`, drawn on `console` (standard error by default).

    `enabled` None (the default) means: only when standard output is a terminal.
    """
    show = output_is_terminal() if enabled is None else enabled
    if not show:
        yield Steps(None, title)
        return
    bar = Progress(
        SpinnerColumn(finished_text="✓"),
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=console or Console(stderr=True),
    )
    steps = Steps(bar, title)
    with bar:
        try:
            yield steps
        except BaseException:
            # A refused or failed step is not shown as done: its line says where it stopped.
            steps._stopped()
            raise
        steps._finish()
