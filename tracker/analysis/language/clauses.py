"""Reading a clause around a phrase: whose cause is named, what verb form follows, and the
grammatical rewording of each kind of phrase (used by the rules of `rules`)."""

from __future__ import annotations

import re

from tracker.analysis.language.lexicon import (
    _BE,
    _DETERMINERS,
    _EFFECT_NOUNS,
    _EXTERNAL_CAUSES,
    _PROGRAMME,
    _PROPER,
    _WORD,
)


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
    # "responsible for the council abandoning the sale": an outcome, not a duty.
    if re.search(r"\b(?:the|a|an|its|their|our|this)\s+(?:[\w'’-]+\s+){1,3}?\w{3,}ing\b", after):
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
    # "Without the programme, none of these changes would have happened" → "Alongside the
    # programme, these changes may have happened" (not "none of these changes may have").
    middle = re.sub(r"\b(?:none|nothing)\s+of\s+", "", match.group("middle"), flags=re.I)
    return f"{start} {middle}{would}"


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
    on = (match.groupdict().get("on") or "").rstrip()
    owner_words = named.lower() if det else named
    return f"{start} change{on} seen alongside {owner_words} {match.group('be')}"


def _verb_use(match: re.Match[str], text: str) -> bool:
    """ "results in" as a verb ("the reform results in"), not a noun ("Results in year two")."""
    words = _WORD.findall(_clause_before(text, match.start()))
    if not words:
        return match.group("verb").lower() in ("resulted", "resulting")
    nouns_follow = {"the", "a", "an", "these", "those", "its", "their", "our", "his", "her"}
    return words[-1].lower() not in nouns_follow | {"survey", "early", "first", "second", "exam"}
