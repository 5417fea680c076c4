"""Who is named as a cause: the work (the programme, its activities, a partner, a named
intervention) or something else, read from the words around a causal phrase; the accept and
reword functions of the construction rules (`constructions`)."""

from __future__ import annotations

import re

from tracker.analysis.language.clauses import _clause_after, _clause_before, gerund
from tracker.analysis.language.lexicon import (
    _EFFECT_NOUNS,
    _EXTERNAL_CAUSES,
    _PROGRAMME_NOUNS,
    _WORD,
    COMMON_STARTS,
    INSTITUTION_WORDS,
    SUBJECT_STOPS,
)

# What names the work as a cause: the programme's nouns, "the work", a partner, a named
# intervention (a capitalised word not at the start of the clause), "it" referring back.
_WORK_WORDS = re.compile(
    rf"\b(?:{_PROGRAMME_NOUNS}|work|deal|intervention|funding\s+from)\b",
    re.IGNORECASE,
)
# Verbs of change: with the work as their subject they claim its effect, whatever the object.
_CHANGE_VERBS = {
    "transformed": "transform",
    "transforms": "transform",
    "improved": "improve",
    "improves": "improve",
    "reduced": "reduce",
    "reduces": "reduce",
    "raised": "raise",
    "raises": "raise",
    "increased": "increase",
    "increases": "increase",
    "boosted": "boost",
    "boosts": "boost",
    "lowered": "lower",
    "lowers": "lower",
    "halved": "halve",
    "halves": "halve",
    "doubled": "double",
    "doubles": "double",
    "reversed": "reverse",
    "reverses": "reverse",
    "triggered": "trigger",
    "triggers": "trigger",
    "sparked": "spark",
    "sparks": "spark",
    "changed": "change",
    "changes": "change",
    "shifted": "shift",
    "shifts": "shift",
    "strengthened": "strengthen",
    "strengthens": "strengthen",
    "revitalised": "revitalise",
    "revitalized": "revitalize",
    "turned": "turn",
    "reshaped": "reshape",
    "reshapes": "reshape",
    "rewrote": "rewrite",
    "rewrites": "rewrite",
    "overhauled": "overhaul",
    "revolutionised": "revolutionise",
    "revolutionized": "revolutionize",
}
# Verbs that make something: a claim only when what they made is an effect.
_MAKING_VERBS = {
    "produced": "produce",
    "produces": "produce",
    "generated": "generate",
    "generates": "generate",
    "created": "create",
    "creates": "create",
    "achieved": "achieve",
    "achieves": "achieve",
    "delivered": "deliver",
    "delivers": "deliver",
    "secured": "secure",
    "secures": "secure",
    "ensured": "ensure",
    "ensures": "ensure",
    "yielded": "yield",
    "yields": "yield",
}
_EFFECTS = re.compile(
    rf"\b(?:{_EFFECT_NOUNS}|change|changes|shift|shifts|culture|turnaround|transformation|"
    r"results?|benefits?|savings?|rise|fall|drop|growth|success|recovery|reduction)\b",
    re.IGNORECASE,
)
_VERB_ALTERNATION = "|".join(sorted({*_CHANGE_VERBS, *_MAKING_VERBS}, key=len, reverse=True))
_PASSIVE_VERBS = (
    r"achieved|delivered|secured|accomplished|realised|realized|produced|created|generated|"
    r"caused|transformed|changed|improved|reduced|raised|increased|boosted|triggered|sparked|"
    r"shaped|reshaped|prompted|made\s+possible|brought|won|driven|turned\s+around|explained"
)
# Who reports a claim: the narrative then holds someone else's attribution.
_REPORTING = re.compile(
    r"\b(?:say|says|said|report|reports|reported|believe|believes|believed|feel|feels|felt|"
    r"told\s+(?:us|me|the\s+\w+)|tell\s+us|claim|claims|claimed|argue|argues|argued|insist|"
    r"insists|insisted|think|thinks|thought|according\s+to|in\s+the\s+view\s+of|credit|"
    r"credits|put\s+it\s+down\s+to|are\s+clear\s+that|were\s+clear\s+that)\b",
    re.IGNORECASE,
)


def names_the_work(text: str) -> bool:
    """Whether `text` (a few words) names the work as a cause, and no outside cause."""
    if _EXTERNAL_CAUSES.search(text):
        return False
    if _WORK_WORDS.search(text):
        return True
    words = _WORD.findall(text)
    for position, word in enumerate(words):
        if not word[:1].isupper() or word.lower() in COMMON_STARTS:
            continue
        following = words[position + 1].lower() if position + 1 < len(words) else ""
        if following in INSTITUTION_WORDS or word.lower() in INSTITUTION_WORDS:
            continue
        # A capitalised word that is not a common opening is a name: "the Deal", "Reach".
        return True
    return False


def _work_after(match: re.Match[str], text: str) -> bool:
    return names_the_work(" ".join(_clause_after(text, match.end()).split()[:6]))


def _work_before(match: re.Match[str], text: str) -> bool:
    return names_the_work(" ".join(_clause_before(text, match.start()).split()[-6:]))


_MAKING_PASSIVES = re.compile(
    r"^(?:achieved|delivered|secured|accomplished|realised|realized|produced|created|generated|"
    r"brought|won)\b",
    re.IGNORECASE,
)


def _passive(match: re.Match[str], text: str) -> bool:
    """The work is the agent; a verb that only makes something needs an effect as its subject
    ("the shift in culture was achieved through", not "the report was produced by")."""
    if not _work_after(match, text):
        return False
    if not _MAKING_PASSIVES.match(match.group(0)):
        return True
    return bool(_EFFECTS.search(" ".join(_clause_before(text, match.start()).split()[-8:])))


def passive_form(match: re.Match[str], text: str) -> str:
    """ "was achieved through" → "was achieved alongside"; "caused by", "driven by" and
    "explained by" name a cause themselves → "consistent with (a contribution from)"."""
    verb = match.group(0).split()[0].lower()
    if verb in ("caused", "driven"):
        return "consistent with a contribution from"
    if verb == "explained":
        return "consistent with"
    return re.sub(
        r"\s+(?:(?:largely|mainly|entirely|directly|solely|wholly)\s+)?"
        r"(?:through|by|via|thanks\s+to)$",
        " alongside",
        match.group(0),
        flags=re.IGNORECASE,
    )


def _without_none(match: re.Match[str], text: str) -> str:
    start = "Alongside" if match.group(0)[:1].isupper() else "alongside"
    what = match.group("what") or "some of this"
    return f"{start} {match.group('cause').strip()}, {what} may have"


def _be_before(match: re.Match[str], text: str) -> bool:
    words = [w for w in _WORD.findall(_clause_before(text, match.start()))]
    # "was entirely the result of": an adverb between the verb and the phrase is skipped.
    while words and words[-1].lower().endswith("ly"):
        words.pop()
    return bool(words) and words[-1].lower() in {"is", "was", "were", "are", "be", "been", "'s"}


# "the product of several overlapping initiatives": many causes named is a contribution.
_MANY_CAUSES = re.compile(
    r"^\s*(?:several|many|multiple|various|a\s+number\s+of|a\s+combination\s+of|a\s+mix\s+of|"
    r"a\s+range\s+of|numerous|different|other)\b",
    re.IGNORECASE,
)


def _single_work_after(match: re.Match[str], text: str) -> bool:
    return not _MANY_CAUSES.match(text[match.end() :]) and _work_after(match, text)


def _causal_noun(match: re.Match[str], text: str) -> str:
    return "consistent with a contribution from" if _be_before(match, text) else "alongside"


def _owes(match: re.Match[str], text: str) -> str:
    verb = match.group("verb").lower()
    return {"owes": "is linked with", "owe": "are linked with"}.get(verb, "was linked with")


_NOT_BEFORE_A_VERB = frozenset(
    {
        "to",
        "other",
        "new",
        "recent",
        "will",
        "would",
        "could",
        "may",
        "might",
        "is",
        "was",
        "were",
        "are",
        "be",
        "been",
        "being",
        "the",
        "a",
        "an",
        "these",
        "those",
        "this",
        "that",
        "its",
        "their",
        "our",
        "his",
        "her",
        "of",
        "some",
        "any",
        "all",
        "many",
        "no",
        "such",
    }
)


def _active(match: re.Match[str], text: str) -> bool:
    """The work is the subject, and the verb claims an effect."""
    verb = match.group("verb").lower()
    after = " ".join(_clause_after(text, match.end()).split()[:6])
    first = after.split()[0].lower() if after.split() else ""
    # A preposition next: the verb is intransitive here, or the word is a noun ("changes
    # through each turnover").
    if first in {
        "to",
        "into",
        "out",
        "up",
        "in",
        "on",
        "by",
        "from",
        "over",
        "with",
        "for",
        "through",
        "after",
        "across",
        "during",
        "since",
        "at",
        "of",
        "as",
        "and",
        "|",
    }:
        return False
    if verb == "turned" and not re.match(r"\s*(?:around|round)\b", after):
        return False
    if verb in _MAKING_VERBS and not _EFFECTS.search(after):
        return False
    # "was reversed", "has been changed": a passive, whose agent (if any) the passive rule reads;
    # "the changes were": a noun, not a verb.
    previous = _WORD.findall(_clause_before(text, match.start()))[-1:]
    if previous and previous[0].lower() in _NOT_BEFORE_A_VERB:
        return False
    if not after.strip() and not re.search(
        r"\b(?:that|which)\b", _clause_before(text, match.start()), re.IGNORECASE
    ):
        return False  # no object, unless it came before ("a culture that the programme reshaped")
    subject: list[str] = []
    for word in reversed(_clause_before(text, match.start()).split()[-6:]):
        if word.lower() in SUBJECT_STOPS:
            break
        subject.insert(0, word)
    return bool(subject) and names_the_work(" ".join(subject))


def _active_form(match: re.Match[str], text: str) -> str:
    verb = match.group("verb").lower()
    base = _CHANGE_VERBS.get(verb) or _MAKING_VERBS[verb]
    lead = "contributes to" if verb.endswith("s") and not verb.endswith("ss") else "contributed to"
    if base in {"produce", "generate", "create", "achieve", "deliver", "secure", "yield"}:
        return lead
    return f"{lead} {gerund(base)}"


def _cleft(match: re.Match[str], text: str) -> bool:
    return names_the_work(match.group("cause"))


def _cleft_form(match: re.Match[str], text: str) -> str:
    cause = match.group("cause")
    cause = cause[:1].upper() + cause[1:]
    verb = match.group("verb").lower()
    base = _CHANGE_VERBS.get(verb) or _MAKING_VERBS.get(verb) or verb
    return f"{cause} contributed to {gerund(base)}"


def reported(text: str, start: int) -> bool:
    """Whether the phrase at `start` stands in a claim someone is reported to make ("Officers
    say the panel was responsible for …")."""
    sentence_start = max(text.rfind(".", 0, start), text.rfind("!", 0, start)) + 1
    return bool(_REPORTING.search(text[sentence_start:start]))
