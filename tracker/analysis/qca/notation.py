"""Notation as R's QCA prints it: ``DEV*~URB*LIT*STB + DEV*LIT*IND*STB``, ``~`` for absence."""

from __future__ import annotations

from collections.abc import Sequence

from tracker.analysis.qca.implicants import DONT_CARE, Implicant


def term_text(implicant: Implicant, conditions: Sequence[str]) -> str:
    """``DEV*~URB``: the literals of an implicant joined by ``*``."""
    literals = [
        name if value == 1 else f"~{name}"
        for name, value in zip(conditions, implicant, strict=True)
        if value != DONT_CARE
    ]
    return "*".join(literals) if literals else "1"


def model_text(implicants: Sequence[Implicant], conditions: Sequence[str]) -> str:
    """``A*B + ~C``: the terms of a model joined by ``+``."""
    return " + ".join(term_text(imp, conditions) for imp in implicants)


def configuration_text(values: Sequence[int], conditions: Sequence[str]) -> str:
    """A truth table row written as a term: ``DEV*~URB*LIT*~IND*STB``."""
    return term_text(tuple(values), conditions)
