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

- **Issue 10 additions.** "drove" / "drives" / "driven by" (not "drove to the meeting"), "was
  responsible for" (about the work or an effect, not a job: "is responsible for safeguarding"
  passes), "brought about", "made (all) the difference", "credited to/with", "was the reason",
  "stems from" / "resulted from", "a direct result of", "attribute ... to", "because the
  programme ...", "the programme's effect was", counterfactuals ("without the programme ...
  would not have"), and "no doubt thanks to" ("no doubt" is certainty, not a negation).
- **Whose cause.** "due to", "owing to", "because of", "driven by", "caused by" and "thanks to"
  name a cause; when that cause is plainly not the work ("due to budget cuts", "because of the
  pandemic", "due to staff illness", "thanks are due to the residents") there is no claim about
  the work to flag.
- **Denials** also include "it is not clear that / whether", "it is unclear whether", "unlikely
  that", "no evidence (that)", "no sign that", "we cannot say ...".
- **Quotations and questions are not the evaluator's claims.** Text inside double quotes
  ("..." or “...”) is an interviewee's words, reported; a sentence ending in "?" asks rather
  than claims. Neither is a finding.
- **Rewordings are grammatical.** "caused staff morale to rise" becomes "contributed to staff
  morale rising" (never "contributed to staff morale to rise"); "drove down turnover" becomes
  "contributed to lowering turnover"; "was responsible for" becomes "contributed to"; after a
  form of "to be", "due to" becomes "consistent with a contribution from", otherwise
  "alongside".

Generated text must pass `check_language` (no findings); evaluator narratives get the findings
as a gentle warning with `suggest_rewording`, never a refusal.

**For the dashboard** (issue 12): `check_language(text) -> list[LanguageFinding]` (each with
`phrase`, `start`, `end`, `suggestion`, `message`) and `suggest_rewording(text) -> str` (the
whole text with every finding replaced; unchanged when there is none) are the two calls a page
needs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
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


# Causes that are plainly not the work: "due to budget cuts" makes no claim about the work.
_EXTERNAL_CAUSES = re.compile(
    r"\b(?:budgets?|cuts?|austerity|funding|spending|pandemic|covid(?:-19)?|coronavirus|"
    r"lockdowns?|illness|sickness|absence|weather|snow|floods?|flooding|storms?|inflation|"
    r"recession|strikes?|industrial\s+action|elections?|purdah|inspections?|ofsted|"
    r"government|national|legislation|regulations?|staff\s+shortages?|shortages?|vacanc(?:y|ies)|"
    r"retirement|resignation|reorganisation|restructuring|demographic|population|"
    r"holidays?|closures?|fire|refurbishment|building\s+works?|it\s+failure|outage|"
    r"circumstances|reasons\s+beyond)\b",
    re.IGNORECASE,
)
_BE = r"(?:is|was|were|are|be|been|being|'s)"
_DETERMINERS = {
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "its",
    "their",
    "our",
    "his",
    "her",
    "my",
    "your",
    "some",
    "no",
    "any",
    "every",
    "each",
}
_MOTION = r"to|from|back|home|through|past|along|into|over|across|away|off|round|around"
_PROGRAMME = re.compile(rf"\b(?:{_PROGRAMME_NOUNS}|work|deal|place)\b", re.IGNORECASE)
_PROPER = re.compile(r"^[A-Z][\w-]*(?:['’]s)?$")


def gerund(verb: str) -> str:
    """The -ing form of a verb: rise → rising, drop → dropping, change → changing."""
    word = verb.lower()
    irregular = {"be": "being", "see": "seeing", "die": "dying", "lie": "lying"}
    if word in irregular:
        return irregular[word]
    if word.endswith("ie"):
        return word[:-2] + "ying"
    if word.endswith("e") and not word.endswith(("ee", "ye", "oe")):
        return word[:-1] + "ing"
    doubles = re.fullmatch(r"[^aeiou]*[aeiou][bdgklmnprt]", word)
    if doubles and len(word) <= 4 and word not in {"open", "visit", "limit"}:
        return word + word[-1] + "ing"
    return word + "ing"


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


def _clause_after(text: str, end: int) -> str:
    """The rest of the clause after a phrase (up to a clause break)."""
    rest = text[end:]
    stop = re.search(r"[.;:!?()\[\]\n]|,\s", rest)
    return rest[: stop.start()] if stop else rest


def _clause_before(text: str, start: int) -> str:
    before = text[:start]
    breaks = list(re.finditer(r"[.;:!?()\[\]\n]|,\s", before))
    return before[breaks[-1].end() :] if breaks else before


def _cause_is_the_work(match: re.Match[str], text: str) -> bool:
    """False when the cause named after the phrase is plainly not the work."""
    after = _clause_after(text, match.end())
    head = " ".join(after.split()[:8])
    return not _EXTERNAL_CAUSES.search(head)


def _after_be(match: re.Match[str], text: str) -> bool:
    words = _WORD.findall(_clause_before(text, match.start()))
    return bool(words) and re.fullmatch(_BE, words[-1].lower()) is not None


def _due_to(match: re.Match[str], text: str) -> str:
    before = _clause_before(text, match.start()).split()
    tail = [w.lower() for w in before[-2:]]
    if tail and (re.fullmatch(_BE, tail[-1]) or (len(tail) == 2 and re.fullmatch(_BE, tail[0]))):
        return "consistent with a contribution from"
    return "alongside"


def _thanks_to(match: re.Match[str], text: str) -> str:
    if _after_be(match, text):
        return "consistent with a contribution from"
    return "alongside"


def _not_thanks_are_due(match: re.Match[str], text: str) -> bool:
    before = text[: match.start()].lower()
    if re.search(r"\b(?:thanks|gratitude|credit)\s+(?:are|is)\s+$", before):
        return False
    return _cause_is_the_work(match, text)


_CAUSE_FORMS = {
    "caused": "contributed to",
    "causes": "contributes to",
    "cause": "contribute to",
    "causing": "contributing to",
    "led": "contributed to",
    "leads": "contributes to",
    "lead": "contribute to",
    "leading": "contributing to",
    "drove": "contributed to",
    "drives": "contributes to",
    "drive": "contribute to",
    "driving": "contributing to",
    "prompted": "contributed to",
    "prompts": "contributes to",
}


def _cause_to_verb(match: re.Match[str], text: str) -> str:
    """ "caused staff morale to rise" → "contributed to staff morale rising"."""
    verb = _CAUSE_FORMS[match.group("verb").lower()]
    return f"{verb} {match.group('object')}{gerund(match.group('action'))}"


def _object_then_verb(match: re.Match[str], text: str) -> bool:
    words = match.group("object").split()
    if not words or words[0].lower() in {"to", "in", "on", "by", "up", "down", "for"}:
        return False
    action = match.group("action")
    return action.lower() not in _DETERMINERS and not action[:1].isupper()


def _drove(match: re.Match[str], text: str) -> str:
    direction = (match.group("dir") or "").lower()
    base = _CAUSE_FORMS[match.group("verb").lower()]
    return {"up": f"{base} raising", "down": f"{base} lowering"}.get(direction, base)


def _responsible(match: re.Match[str], text: str) -> bool:
    """ "was responsible for" about the work or an effect, not a job description."""
    if match.group("adverb"):
        return True
    after = " ".join(_clause_after(text, match.end()).split()[:4])
    changing = r"improving|raising|reducing|lowering|increasing|cutting|changing|reversing|boosting"
    if re.search(rf"\b(?:{_EFFECT_NOUNS}|{changing})\b", after, re.IGNORECASE):
        return True
    before = " ".join(_clause_before(text, match.start()).split()[-5:])
    return bool(_PROGRAMME.search(before))


def _responsible_form(match: re.Match[str], text: str) -> str:
    """ "was responsible for" → "contributed to"; "is" → "contributes to"; "are" → "contribute
    to"."""
    return {"is": "contributes to", "are": "contribute to"}.get(
        match.group("be").lower(), "contributed to"
    )


def _because_of(match: re.Match[str], text: str) -> bool:
    """ "because of" + the programme, or a named partner (Reach), but not "work with the
    community" (the diagnostic flag) nor an outside cause."""
    obj = match.group("obj")
    following = text[match.start("obj") :]
    if re.match(r"(?:the\s+|our\s+|their\s+)?work\s+with\s+", following, re.IGNORECASE):
        return False
    if _PROGRAMME.search(obj):
        return True
    first = obj.split()[0] if obj.split() else ""
    return bool(_PROPER.match(first)) and not _EXTERNAL_CAUSES.search(obj)


def _counterfactual(match: re.Match[str], text: str) -> str:
    """ "Without the programme, attendance would not have risen" → "Alongside the programme,
    attendance may have risen"; "would not have happened without" → "may have changed
    alongside"."""
    if not match.group("without"):
        return "may have changed alongside"
    start = "Alongside" if match.group("without")[:1].isupper() else "alongside"
    would = (
        "less would have" if match.group("would").lower().startswith("nothing") else ("may have")
    )
    return f"{start} {match.group('middle')}{would}"


def _subject_is_not_outside(match: re.Match[str], text: str) -> bool:
    """False when the subject of "caused", "led to"... is plainly not the work ("the budget
    cuts caused the closures")."""
    before = " ".join(_clause_before(text, match.start()).split()[-5:])
    return not _EXTERNAL_CAUSES.search(before)


def _drove_not_motion(match: re.Match[str], text: str) -> bool:
    after = " ".join(_clause_after(text, match.end()).split()[:5])
    if re.search(r"\b(?:to|into|towards)\b", after, re.IGNORECASE):
        return False
    return _subject_is_not_outside(match, text)


def _possessive_effect(match: re.Match[str], text: str) -> str:
    owner = match.group("owner")
    det = match.group("det")
    named = f"{det} {owner}" if det else owner
    start = "The" if match.group(0)[:1].isupper() else "the"
    return f"{start} change seen alongside {named.lower() if det else named} {match.group('be')}"


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
        accept=lambda m, t: m.group(0).lower().startswith("as") or "direct" in m.group(0).lower(),
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
        r"thanks\s+to\b",
        "alongside",
        "credits a single cause; describe what happened alongside the work",
        build=_thanks_to,
        negatable=False,
        accept=_cause_is_the_work,
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
    _rule(
        "possessive_effect",
        r"\b(?:(?P<det>the|this|our|their)\s+)?(?P<owner>[\w-]+)['’]s\s+(?:estimated\s+)?"
        r"(?:effect|impact)\s+(?P<be>was|were|is|are)\b",
        "",
        "measures the programme's impact; describe the change seen alongside it",
        build=_possessive_effect,
    ),
)


def _verb_use(match: re.Match[str], text: str) -> bool:
    """ "results in" as a verb ("the reform results in"), not a noun ("Results in year two")."""
    words = _WORD.findall(_clause_before(text, match.start()))
    if not words:
        return match.group("verb").lower() in ("resulted", "resulting")
    nouns_follow = {"the", "a", "an", "these", "those", "its", "their", "our", "his", "her"}
    return words[-1].lower() not in nouns_follow | {"survey", "early", "first", "second", "exam"}


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
    r"claim|claims|say|says|evidence|suggest|suggests|conclude|concludes|know|tell)\b"
    r"|\b(?:not|never|no|[\w]+n['’]t)\s+(?:[\w-]+\s+){0,2}?(?:clear|certain|known|evident|"
    r"obvious|established|proven|shown|demonstrated)\s+(?:that|whether|if)\b"
    r"|\b(?:unclear|uncertain|unlikely|doubtful|unproven|debatable|questionable)\s+"
    r"(?:that|whether|if)\b"
    r"|\b(?:no|little|insufficient|scant|limited)\s+(?:[\w-]+\s+)?(?:evidence|sign|signs|"
    r"indication|proof|suggestion|basis)\b"
    r"|\bnot\s+enough\s+evidence\b",
    re.IGNORECASE,
)
# Quoted words are an interviewee's, reported: "..." and “...”.
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|«[^»]*»")
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")


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
    masked = _QUOTED.sub(lambda m: " " * len(m.group(0)), text)
    masked = _SENTENCE.sub(
        lambda m: " " * len(m.group(0)) if m.group(0).rstrip().endswith("?") else m.group(0),
        masked,
    )
    candidates: list[LanguageFinding] = []
    for rule in _RULES:
        for match in rule.pattern.finditer(masked):
            if rule.negatable and _negated(masked, match.start()):
                continue
            if rule.accept is not None and not rule.accept(match, masked):
                continue
            candidates.append(
                LanguageFinding(
                    phrase=text[match.start() : match.end()],
                    start=match.start(),
                    end=match.end(),
                    rule=rule.name,
                    suggestion=_suggestion(rule, match, masked),
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
