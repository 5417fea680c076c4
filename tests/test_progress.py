"""Progress on a terminal, silence when output is piped."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from tracker import progress as progress_module
from tracker.progress import progress


def _terminal() -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, force_terminal=True, width=100), buffer


def test_steps_are_shown_on_a_terminal() -> None:
    console, buffer = _terminal()
    with progress("Importing", enabled=True, console=console) as steps:
        assert steps.shown
        steps.step("reading")
        steps.step("writing rows", total=4)
        steps.advance(4)
    shown = buffer.getvalue()
    assert "Importing: reading" in shown
    assert "Importing: writing rows" in shown
    assert "✓" in shown  # finished steps are ticked


def test_nothing_is_drawn_when_output_is_piped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress_module, "output_is_terminal", lambda: False)
    console, buffer = _terminal()
    with progress("Importing", console=console) as steps:
        assert not steps.shown
        steps.step("reading", total=3)
        steps.advance()
        assert list(steps.track([1, 2], "items")) == [1, 2]
    assert buffer.getvalue() == ""


def test_progress_follows_whether_output_is_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress_module, "output_is_terminal", lambda: True)
    console, buffer = _terminal()
    with progress("Analysing", console=console) as steps:
        steps.step("phases")
    assert "Analysing: phases" in buffer.getvalue()


def test_output_under_pytest_capture_is_not_a_terminal() -> None:
    assert progress_module.output_is_terminal() is False


def test_track_yields_every_item_and_counts_them() -> None:
    console, buffer = _terminal()
    with progress("Reporting", enabled=True, console=console) as steps:
        assert list(steps.track(["a", "b", "c"], "institutions", total=3)) == ["a", "b", "c"]
    assert "Reporting: institutions" in buffer.getvalue()


def test_a_step_that_fails_is_shown_stopped_not_done() -> None:
    console, buffer = _terminal()
    with pytest.raises(ValueError), progress("Importing", enabled=True, console=console) as steps:
        steps.step("checking")
        raise ValueError("refused")
    shown = buffer.getvalue()
    assert "Importing: checking (stopped)" in shown
    assert "✓" not in shown
