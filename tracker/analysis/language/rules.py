"""The rules of the language guard by phrase: each a pattern of the lexicon's words, the
rewording it suggests, why it is a finding, and what accepts a match (the clause around it)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from tracker.analysis.language.clauses import (
    _because_of,
    _cause_is_the_work,
    _cause_to_verb,
    _counterfactual,
    _drove,
    _drove_not_motion,
    _due_to,
    _not_thanks_are_due,
    _object_then_verb,
    _possessive_effect,
    _responsible,
    _responsible_form,
    _subject_is_not_outside,
    _thanks_to,
    _verb_use,
)
from tracker.analysis.language.lexicon import (
    _EFFECT_NOUNS,
    _MOTION,
    _PROGRAMME_NOUNS,
    _SCHEDULE_VERBS,
    _SHARE,
    _TURNED_OUT,
)


@dataclass(frozen=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]
    # A `re` replacement template (may use named groups) for the matched phrase.
    suggestion: str
    explanation: str
    # Builds the suggestion from the match and the whole text, when a template cannot.
    build: Callable[[re.Match[str], str], str] | None = None
    # Whether a negation before the phrase exempts it (a counterfactual uses one itself).
    negatable: bool = True
    # Accepts or rejects a match given the whole text (e.g. whose cause is named).
    accept: Callable[[re.Match[str], str], bool] | None = None


def _rule(
    name: str,
    pattern: str,
    suggestion: str,
    explanation: str,
    *,
    build: Callable[[re.Match[str], str], str] | None = None,
    negatable: bool = True,
    accept: Callable[[re.Match[str], str], bool] | None = None,
) -> _Rule:
    return _Rule(
        name,
        re.compile(pattern, re.IGNORECASE),
        suggestion,
        explanation,
        build,
        negatable,
        accept,
    )


_RULES: tuple[_Rule, ...] = (
    _rule(
        "caused_by",
        r"\bcaused\s+by\b",
        "consistent with a contribution from",
        "names a single cause; say the change is consistent with a contribution",
        accept=_cause_is_the_work,
    ),
    _rule(
        "cause_to_verb",
        r"\b(?P<verb>caused|causes|causing|led|leads|leading|drove|drives|prompted|prompts)\s+"
        r"(?P<object>(?:[\w'’-]+\s+){1,5}?)to\s+(?P<action>[A-Za-z]+)\b",
        "",
        "names a single cause; say what the work contributed to",
        build=_cause_to_verb,
        accept=lambda m, t: _object_then_verb(m, t) and _subject_is_not_outside(m, t),
    ),
    _rule(
        "cause",
        r"\b(?P<verb>caused|causes|causing)\b",
        "contributed to",
        "names a single cause; say what the work contributed to",
        accept=_subject_is_not_outside,
    ),
    _rule(
        "directly",
        r"\bdirectly\s+(?:produced|created|generated|delivered|drove|driven|brought\s+about)\b",
        "contributed to",
        "claims a direct effect; say what the work contributed to",
    ),
    _rule(
        "driven_by",
        r"\bdriven\s+(?:largely\s+|mainly\s+|entirely\s+)?by\b",
        "consistent with a contribution from",
        "names a single driver; say the change is consistent with a contribution",
        accept=_cause_is_the_work,
    ),
    _rule(
        "drove",
        rf"\b(?P<verb>drove|drives|driving)\b(?:\s+(?P<dir>up|down))?(?!\s+(?:{_MOTION})\b)",
        "contributed to",
        "names a single driver; say what the work contributed to",
        build=_drove,
        accept=_drove_not_motion,
    ),
    _rule(
        "responsible_for",
        r"\b(?P<be>was|were|is|are)\s+(?:(?P<adverb>largely|solely|directly|entirely|mainly|"
        r"chiefly|wholly|primarily)\s+)?responsible\s+for\b",
        "contributed to",
        "credits a single cause; say what the work contributed to",
        build=_responsible_form,
        accept=_responsible,
    ),
    _rule(
        "brought_about",
        r"\bbr(?:ought|ings|ing)\s+about\b",
        "contributed to",
        "claims an effect; say what the work contributed to",
    ),
    _rule(
        "made_the_difference",
        r"\b(?:made|makes|make)\s+(?:all\s+)?the\s+difference\b",
        "made a contribution",
        "credits a single cause; say the work made a contribution",
    ),
    _rule(
        "credited_to",
        r"\bcredited\s+to\b",
        "linked with",
        "credits a single cause; say the change is linked with the work",
    ),
    _rule(
        "credited_with",
        r"\b(?P<form>credited|credits|credit)\b(?=(?:\s+[\w'’-]+){0,3}?\s+with\b)",
        "linked",
        "credits a single cause; say the change is linked with the work",
        build=lambda m, t: {"credited": "linked", "credits": "links", "credit": "link"}[
            m.group("form").lower()
        ],
        # "credited the programme with some role" is a contribution, not a single cause.
        accept=lambda m, t: (
            not re.search(
                r"\bwith\s+(?:some|a|partial|part\s+of\s+the)\s+(?:role|part|share|credit)\b",
                t[m.end() : m.end() + 80],
                re.IGNORECASE,
            )
        ),
    ),
    _rule(
        "the_reason",
        r"\b(?P<be>was|is|were|are)\s+the\s+(?:main\s+|only\s+|sole\s+|real\s+|key\s+|chief\s+|"
        r"principal\s+)?reason\b(?!\s+for\s+the\s+delay)",
        r"\g<be> among the reasons",
        "names a single cause; say the work was among the influences",
    ),
    _rule(
        "stems_from",
        r"\b(?P<verb>stems|stemmed|stem|resulted|results)\s+from\b",
        "came alongside",
        "claims an effect; describe what happened alongside the work",
        build=lambda m, t: (
            "comes alongside"
            if m.group("verb").lower() in ("stems", "results")
            else "come alongside"
            if m.group("verb").lower() == "stem"
            else "came alongside"
        ),
        accept=_cause_is_the_work,
    ),
    _rule(
        "counterfactual",
        r"\b(?P<without>without)\s+(?P<middle>[^.;!?]{1,120}?)\b(?P<would>(?:would|could)\s*"
        r"(?:not|never|n['’]t)\s+have|nothing\s+would\s+have)\b"
        r"|\b(?:would|could)\s*(?:not|never|n['’]t)\s+have\s+(?:happened|occurred|changed|"
        r"risen|fallen|improved|been\s+possible)\s+without\b",
        "may have changed alongside",
        "a counterfactual claim credits the work with the whole change; say what it contributed to",
        build=_counterfactual,
        negatable=False,
    ),
    _rule(
        "due_to",
        rf"\b(?:(?:largely|mainly|entirely|partly|wholly|solely)\s+)?(?:due|owing)\s+to\b"
        rf"(?!\s+(?:{_SCHEDULE_VERBS})\b)",
        "consistent with a contribution from",
        "attributes the change; say it is consistent with a contribution",
        build=_due_to,
        accept=_not_thanks_are_due,
    ),
    _rule(
        "resulted_in",
        r"\b(?P<verb>resulted|results|result|resulting)\s+in\b",
        "contributed to",
        "claims an effect; say what the work contributed to",
        accept=lambda m, t: _verb_use(m, t) and _subject_is_not_outside(m, t),
    ),
    _rule(
        "as_a_result_of",
        r"\b(?:as\s+a|a|the)\s+(?:direct\s+)?result\s+of\b",
        "alongside",
        "claims an effect; describe what happened alongside the work",
        accept=lambda m, t: (
            (m.group(0).lower().startswith("as") or "direct" in m.group(0).lower())
            and _cause_is_the_work(m, t)
        ),
    ),
    _rule(
        "led_to",
        r"\b(?P<verb>led|leads|lead|leading)\s+(?:directly\s+)?to\b",
        "contributed to",
        "claims a causal link; say what the work contributed to",
        accept=_subject_is_not_outside,
    ),
    _rule(
        "attributable",
        r"\b(?:attributable|attributed|attributing)\s+to\b",
        "consistent with a contribution from",
        "attributes the change; say it is consistent with a contribution",
    ),
    _rule(
        "attribute_to",
        r"\battribut(?:e|es)\b(?=(?:\s+[\w'’-]+){1,6}?\s+to\b)",
        "link",
        "attributes the change; link it with the work instead",
    ),
    _rule(
        "attribution_of",
        r"\battribution\s+of\b",
        "contribution of",
        "asks for attribution; contribution is what evaluation can show",
    ),
    _rule(
        "proof",
        r"\bproof\s+(?P<word>that|of)\b",
        r"evidence \g<word>",
        "claims proof; say what the evidence suggests",
    ),
    _rule(
        "prove",
        rf"\b(?P<verb>proved|proves|proven|prove)\b(?!\s+(?:{_TURNED_OUT})\b)",
        "suggests",
        "claims proof; say what the evidence suggests",
        build=lambda m, t: {
            "proved": "suggested",
            "proves": "suggests",
            "proven": "suggested",
            "prove": "suggest",
        }[m.group("verb").lower()],
    ),
    _rule(
        "because_of_programme",
        rf"\bbecause\s+of\s+(?P<obj>(?:(?:the|this|that|these|our|their|its|[\w-]+['’]s)\s+)?"
        rf"(?:[\w-]+\s+){{0,2}}?(?:{_PROGRAMME_NOUNS})\b|[A-Z][\w-]*(?:['’]s\s+[\w-]+)?)",
        "alongside",
        "claims the programme's effect; describe what happened alongside it",
        build=lambda m, t: "alongside " + m.group("obj"),
        accept=_because_of,
    ),
    _rule(
        "because_programme",
        rf"\bbecause\s+(?=(?:the|this|our|their)\s+(?:[\w-]+\s+)?(?:{_PROGRAMME_NOUNS})\b)",
        "as ",
        "claims the programme's effect; describe what happened alongside it",
    ),
    _rule(
        "thanks_to",
        r"\b(?:(?:no\s+doubt|undoubtedly|clearly|certainly|largely|mainly|entirely)\s+)?"
        r"thanks\s+(?:in\s+(?:large|no\s+small|great|good)\s+(?:part|measure)\s+)?to\b",
        "alongside",
        "credits a single cause; describe what happened alongside the work",
        build=_thanks_to,
        negatable=False,
        accept=_cause_is_the_work,
    ),
    _rule(
        "share_of_effect",
        # An approximation before the share goes with it: "around 40% of the improvement" becomes
        # "part of the improvement", never "around part of".
        r"\b(?:(?:around|about|approximately|roughly|some|nearly|almost|over|under|just\s+over|"
        r"just\s+under|more\s+than|less\s+than|at\s+least|up\s+to|perhaps|maybe)\s+)?"
        rf"(?:{_SHARE})\s+of\s+(?:the\s+|this\s+|that\s+)?(?:observed\s+|measured\s+)?"
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
    _rule(
        "possessive_effect",
        r"\b(?:(?P<det>the|this|our|their)\s+)?(?P<owner>[\w-]+)['’]s\s+(?:estimated\s+)?"
        r"(?:effect|impact)(?P<on>\s+on\s+(?:[\w'’-]+\s+){1,4}?)?\s*(?P<be>was|were|is|are)\b",
        "",
        "measures the programme's impact; describe the change seen alongside it",
        build=_possessive_effect,
    ),
)
