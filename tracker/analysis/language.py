"""The language check: contribution, never attribution (product.md, "Language").

Evaluators report that the evidence *is consistent with* a programme having *contributed to* a
change, *alongside* other influences; they never claim that it *caused* the change. This module
finds attribution language in a text and suggests a contribution rewording.

How it reads a text (decisions documented here because they are judgement calls):

- Matching is case-insensitive and word-boundary aware ("because" is not found in "becausey",
  "caused" is not found in "uncaused"). The bare word "cause" is not a finding: "the
  cause-effect question" is Mayne's own term and "a cause for concern" is not a claim.
  "causal chain" is the theory of change, not a claim either.
- **Negated claims are not findings.** "was not caused by", "cannot be attributed to", "no proof
  that", "does not prove" deny attribution, which is what an honest disclaimer does; a phrase is
  treated as negated when one of the three words before it in the same clause is a negation
  ("not", "no", "never", "cannot", "nor", "without", or a word ending in "n't"). "not only" and
  "not just" intensify rather than negate, so they do not exempt the phrase. A denied claim
  reported earlier in the clause also exempts it: "does not show that the programme caused",
  "cannot establish that ... led to".
- **"because of" is a finding only about the programme's effect**: "because of the programme",
  "because of the coaching", "because of this initiative". "because of work with the community"
  (the diagnostic flag) and "because of austerity" are descriptions, not claims about the
  programme, and are not flagged.
- **"led to" / "lead to" / "leads to" / "leading to" are findings**: in an evaluation they
  assert a causal link ("the programme led to ...") and "contributed to" says it honestly.
- **"due to" / "owing to" are findings** except when they schedule something ("due to report in
  March", "due to be reviewed").
- **"proved" / "proves" / "proven" are findings** except "proved to be" and "proved <an adjective
  about durability or difficulty>" ("proved durable", "proved difficult"), which describe how
  something turned out, not a causal claim.
- **A share of the effect is a finding**: "40% of the improvement", "half of the effect".
- Also findings: "caused"/"causes"/"causing", "resulted in" and its forms, "as a result of",
  "attributable to", "attributed to", "attribution of", "proof that/of", "thanks to",
  "directly produced" (and "directly created/drove/..."), "the impact of X was".

Generated text must pass `check_language` (no findings); evaluator narratives get the findings
as a gentle warning with `suggest_rewording`, never a refusal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Nouns that name the programme or its activities: "because of <one of these>" is a claim about
# the programme's effect.
_PROGRAMME_NOUNS = (
    r"programmes?|programs?|interventions?|initiatives?|projects?|schemes?|pilots?|"
    r"training|coaching|partnerships?|partners?|facilitation|support|approach|model"
)
# Nouns that name an effect: "40% of the improvement" apportions an effect.
_EFFECT_NOUNS = (
    r"improvements?|effects?|impacts?|increases?|rises?|reductions?|decreases?|declines?|"
    r"falls?|gains?|outcomes?|differences?|uplifts?|progress"
)
_SHARE = (
    r"\d+(?:\.\d+)?\s?(?:%|per\s?cent|percent)|half|a\s+third|a\s+quarter|two\s+thirds|"
    r"three\s+quarters|most|much|all"
)
# Verbs that follow "due to" when it schedules rather than explains.
_SCHEDULE_VERBS = (
    r"be|report|start|begin|end|finish|close|open|take|expire|retire|leave|complete|publish|"
    r"meet|conclude|run|launch|arrive|return|resume|restart|stop"
)
_TURNED_OUT = (
    r"to\s+be|durable|difficult|hard|easy|popular|unpopular|resilient|robust|short-lived|"
    r"controversial|costly|elusive|fragile|temporary|lasting"
)


@dataclass(frozen=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]
    # A `re` replacement template (may use named groups) for the matched phrase.
    suggestion: str
    explanation: str


def _rule(name: str, pattern: str, suggestion: str, explanation: str) -> _Rule:
    return _Rule(name, re.compile(pattern, re.IGNORECASE), suggestion, explanation)


_RULES: tuple[_Rule, ...] = (
    _rule(
        "caused_by",
        r"\bcaused\s+by\b",
        "consistent with a contribution from",
        "names a single cause; say the change is consistent with a contribution",
    ),
    _rule(
        "cause",
        r"\b(?P<verb>caused|causes|causing)\b",
        "contributed to",
        "names a single cause; say what the work contributed to",
    ),
    _rule(
        "directly",
        r"\bdirectly\s+(?:produced|created|generated|delivered|drove|driven|brought\s+about)\b",
        "contributed to",
        "claims a direct effect; say what the work contributed to",
    ),
    _rule(
        "due_to",
        rf"\b(?:due|owing)\s+to\b(?!\s+(?:{_SCHEDULE_VERBS})\b)",
        "consistent with a contribution from",
        "attributes the change; say it is consistent with a contribution",
    ),
    _rule(
        "resulted_in",
        r"\b(?P<verb>resulted|results|result|resulting)\s+in\b",
        "contributed to",
        "claims an effect; say what the work contributed to",
    ),
    _rule(
        "as_a_result_of",
        r"\bas\s+a\s+(?:direct\s+)?result\s+of\b",
        "alongside",
        "claims an effect; describe what happened alongside the work",
    ),
    _rule(
        "led_to",
        r"\b(?P<verb>led|leads|lead|leading)\s+to\b",
        "contributed to",
        "claims a causal link; say what the work contributed to",
    ),
    _rule(
        "attributable",
        r"\b(?:attributable|attributed|attributing)\s+to\b",
        "consistent with a contribution from",
        "attributes the change; say it is consistent with a contribution",
    ),
    _rule(
        "attribution_of",
        r"\battribution\s+of\b",
        "contribution of",
        "asks for attribution; contribution is what evaluation can show",
    ),
    _rule(
        "proof",
        r"\bproof\s+(?:that|of)\b",
        "evidence suggests",
        "claims proof; say what the evidence suggests",
    ),
    _rule(
        "prove",
        rf"\b(?:proved|proves|proven|prove)\b(?!\s+(?:{_TURNED_OUT})\b)",
        "suggests",
        "claims proof; say what the evidence suggests",
    ),
    _rule(
        "because_of_programme",
        rf"\bbecause\s+of\s+(?:(?:the|this|that|these|our|their|its|[\w-]+['’]s)\s+)?"
        rf"(?:[\w-]+\s+){{0,2}}?(?:{_PROGRAMME_NOUNS})\b",
        "alongside",
        "claims the programme's effect; describe what happened alongside it",
    ),
    _rule(
        "thanks_to",
        r"\bthanks\s+to\b",
        "alongside",
        "credits a single cause; describe what happened alongside the work",
    ),
    _rule(
        "share_of_effect",
        rf"\b(?:{_SHARE})\s+of\s+(?:the\s+|this\s+|that\s+)?(?:observed\s+|measured\s+)?"
        rf"(?P<noun>{_EFFECT_NOUNS})\b",
        r"part of the \g<noun>",
        "apportions a share of the effect, which contribution analysis cannot do",
    ),
    _rule(
        "impact_of_was",
        r"\bthe\s+(?:impact|effect)s?\s+of\b"
        r"(?=(?:\s+[\w'’-]+){1,6}?\s+(?:was|were|is|are|has\s+been|amounted\s+to)\b)",
        "the change seen alongside",
        "measures the programme's impact; describe the change seen alongside it",
    ),
)

# Verb-form suggestions, so that "causes" becomes "contributes to" and not "contributed to".
_VERB_FORMS = {
    "caused": "contributed to",
    "causes": "contributes to",
    "causing": "contributing to",
    "resulted": "contributed to",
    "results": "contributes to",
    "result": "contribute to",
    "resulting": "contributing to",
    "led": "contributed to",
    "leads": "contributes to",
    "lead": "contribute to",
    "leading": "contributing to",
}
_NEGATIONS = {"not", "no", "never", "cannot", "nor", "without", "neither"}
_INTENSIFIERS = {"only", "just", "merely", "simply"}
_WORD = re.compile(r"[\w'’-]+")
_CLAUSE_BREAK = re.compile(r"[.;:!?,()\[\]\n]")
# "does not show that ...", "cannot establish that ...": what follows is a denied claim.
_DENIED_CLAIM = re.compile(
    r"\b(?:not|never|cannot|no|[\w]+n['’]t)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:show|shows|establish|establishes|demonstrate|demonstrates|mean|means|imply|implies|"
    r"claim|claims|say|says|evidence|suggest|suggests)\s+that\b",
    re.IGNORECASE,
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
    words = [w.lower() for w in _WORD.findall(clause)][-3:]
    for index, word in enumerate(words):
        negation = word in _NEGATIONS or word.endswith(("n't", "n’t"))
        following = words[index + 1] if index + 1 < len(words) else ""
        if negation and following not in _INTENSIFIERS:
            return True
    return False


def _suggestion(rule: _Rule, match: re.Match[str]) -> str:
    verb = match.groupdict().get("verb")
    text = _VERB_FORMS[verb.lower()] if verb else match.expand(rule.suggestion)
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
    candidates: list[LanguageFinding] = []
    for rule in _RULES:
        for match in rule.pattern.finditer(text):
            if _negated(text, match.start()):
                continue
            candidates.append(
                LanguageFinding(
                    phrase=match.group(0),
                    start=match.start(),
                    end=match.end(),
                    rule=rule.name,
                    suggestion=_suggestion(rule, match),
                    explanation=rule.explanation,
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
