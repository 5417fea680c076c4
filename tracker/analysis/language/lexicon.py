"""The lexicon of the language guard: the words each rule reads, as data (what names the
work, an effect, a cause that is not the work, a denial), beside the small engine that reads
them (`engine`)."""

from __future__ import annotations

import re

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
    r"circumstances|reasons\s+beyond|cyber-?attacks?|attacks?|hack(?:ing)?|rounding|errors?|"
    r"technical|delays?|timing|system\s+failures?)\b",
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


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that begin a sentence with a capital and are not names (nor is a month or a day).
COMMON_STARTS = _words(
    "one two three four five six seven eight nine ten twenty thirty forty fifty sixty seventy "
    "eighty ninety hundred half none change changes decision decisions indicator indicators "
    "phase link links evidence claim claims status test tests verdict story persistence quarter "
    "value values report figure table institution institutions role roles leadership partner "
    "partners turnovers diagnostic nobody everyone "
    "the a an this that these those it its their our his her there here what which who when "
    "where while after before since during staff residents parents pupils students officers "
    "managers leaders councillors members families people attendance trust morale turnover "
    "satisfaction engagement participation numbers results outcomes rates rate scores data "
    "most many some all both each every several few overall however although he she they we i "
    "you in on at by for from with under over since during following january february march "
    "april may june july august september october november december monday tuesday wednesday "
    "thursday friday saturday sunday spring summer autumn winter"
)
# A name followed by one of these is an institution, not the work ("Northdale Council").
INSTITUTION_WORDS = _words(
    "council school academy trust police authority board service services hospital college "
    "university borough county city government department nhs force constabulary"
)
# Words that end the subject when reading back from a verb.
SUBJECT_STOPS = _words(
    "in under after since with during following and but as when while through by for before "
    "because although though once until if that which who where"
)
