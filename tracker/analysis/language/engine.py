"""The engine of the language guard: masks quotations and questions, applies every rule,
leaves out negated and denied claims, keeps the earliest of overlapping findings, and rewords."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from tracker.analysis.language.causes import reported
from tracker.analysis.language.constructions import CONSTRUCTION_RULES
from tracker.analysis.language.lexicon import (
    _CLAUSE_BREAK,
    _DENIED_CLAIM,
    _INTENSIFIERS,
    _NEGATIONS,
    _QUOTED,
    _SENTENCE,
    _VERB_FORMS,
    _WORD,
)
from tracker.analysis.language.rules import (
    _RULES,
    _Rule,
)

# How a finding inside someone else's reported claim is explained: it is still flagged, as
# theirs, so the evaluator attributes it to its speakers and says what the evidence shows.
REPORTED = (
    "a claim reported in the narrative (attribute it to those who made it, and say what the "
    "evidence shows)"
)


@dataclass(frozen=True)
class LanguageFinding:
    """One attribution phrase found in a text, with a contribution rewording."""

    phrase: str  # the text as written
    start: int  # offset of the phrase in the text
    end: int  # offset just after it
    rule: str
    suggestion: str  # what to write instead of `phrase`
    explanation: str

    @property
    def message(self) -> str:
        """A gentle warning in plain words."""
        return (
            f'"{self.phrase}" reads as attribution language ({self.explanation}); '
            f'consider "{self.suggestion}".'
        )


def _negated(text: str, start: int) -> bool:
    """Whether the phrase at `start` is negated or denied within its clause (module docstring)."""
    before = text[:start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    clause = before[breaks[-1].end() :] if breaks else before
    if _DENIED_CLAIM.search(clause):
        return True
    # "contributed to, rather than caused," and "rather than being caused by": set aside.
    if re.search(r"\b(?:rather\s+than|instead\s+of)(?:\s+being)?\s*$", clause, re.I):
        return True
    words = [w.lower() for w in _WORD.findall(clause)][-3:]
    for index, word in enumerate(words):
        negation = word in _NEGATIONS or word.endswith(("n't", "n’t"))
        following = words[index + 1] if index + 1 < len(words) else ""
        # "not only" intensifies; "no doubt" asserts.
        if negation and following not in _INTENSIFIERS and following != "doubt":
            return True
    return False


def _suggestion(rule: _Rule, match: re.Match[str], whole: str) -> str:
    verb = match.groupdict().get("verb")
    if rule.build is not None:
        text = rule.build(match, whole)
    elif verb and verb.lower() in _VERB_FORMS:
        text = _VERB_FORMS[verb.lower()]
    else:
        text = match.expand(rule.suggestion)
    # Keep a capital letter where the phrase began a sentence.
    if match.group(0)[:1].isupper():
        text = text[:1].upper() + text[1:]
    return text


def check_language(text: str | None) -> list[LanguageFinding]:
    """Every attribution phrase in `text`, in reading order; an empty list when it passes.

    Overlapping findings keep the earliest (and, at the same start, the longest) phrase, so that
    "was caused by" is one finding, not two.
    """
    if not text:
        return []
    # Quotations and questions are masked (same length, so offsets hold).
    # Quoted words are someone else's: read (not masked), and a finding in them is reported.
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    # A word or two in quotes is mentioned, not claimed: avoid saying "caused".
    masked = _QUOTED.sub(
        lambda m: " " * len(m.group(0)) if len(m.group(0).split()) <= 2 else m.group(0), text
    )
    masked = _SENTENCE.sub(
        lambda m: " " * len(m.group(0)) if m.group(0).rstrip().endswith("?") else m.group(0),
        masked,
    )
    candidates: list[LanguageFinding] = []
    for rule in (*_RULES, *CONSTRUCTION_RULES):
        for match in rule.pattern.finditer(masked):
            if rule.negatable and _negated(masked, match.start()):
                continue
            if rule.accept is not None and not rule.accept(match, masked):
                continue
            said = reported(masked, match.start()) or any(
                start <= match.start() < end for start, end in quoted
            )
            candidates.append(
                LanguageFinding(
                    phrase=text[match.start() : match.end()],
                    start=match.start(),
                    end=match.end(),
                    rule=f"reported_{rule.name}" if said else rule.name,
                    suggestion=_suggestion(rule, match, masked),
                    explanation=(f"{REPORTED}: {rule.explanation}" if said else rule.explanation),
                )
            )
    candidates.sort(key=lambda item: (item.start, -(item.end - item.start)))
    findings: list[LanguageFinding] = []
    for finding in candidates:
        if findings and finding.start < findings[-1].end:
            continue
        findings.append(finding)
    return findings


def passes_language_check(text: str | None) -> bool:
    """True when the text holds no attribution language."""
    return not check_language(text)


def suggest_rewording(text: str) -> str:
    """The text with every attribution phrase replaced by its contribution rewording.

    A suggestion for the evaluator to review, not an automatic correction of their words.
    """
    out: list[str] = []
    position = 0
    for finding in check_language(text):
        out.append(text[position : finding.start])
        out.append(finding.suggestion)
        position = finding.end
    out.append(text[position:])
    return "".join(out)


def language_warnings(texts: Iterable[tuple[str, str | None]]) -> list[tuple[str, LanguageFinding]]:
    """Findings in evaluator-written texts, each with the label of where it was written.

    `texts` holds (label, text) pairs such as ("claim c1 statement", "..."); a warning, never a
    refusal.
    """
    return [(label, finding) for label, text in texts for finding in check_language(text)]
