"""Rules by construction, not by sentence (issue 23): a causal word of the lexicon combined with
who is named as its cause.

A sentence attributes a change when a causal verb, noun or connective has *the work* as its
cause: the programme or its activities (`lexicon.PROGRAMME_NOUNS`), "the work", a partner, or a
named intervention (a capitalised name: "Reach", "the Deal"). The constructions:

- **causal nouns**: "is/are the (direct) result / consequence / effect / product / outcome of
  X", "as a consequence of X", "a direct effect of X", "down to X";
- **owing**: "owes (its existence / much / a great deal) to X";
- **passives with the work as agent**: "was achieved / changed / transformed / improved /
  produced / delivered … through / by / via X";
- **active causal verbs with the work as subject**: "X produced / transformed / improved /
  reduced / raised / boosted / triggered / sparked … the change"; a verb that only describes an
  activity ("delivered 12 workshops", "created a forum") needs an effect as its object;
- **made possible, explains, accounts for** with the work as subject;
- **clefts**: "It was X that / which transformed …", "What made the difference was X";
- **counterfactuals**: "had it not been for X", "but for X", "if it were not for X", "none of
  this would have happened without X".

**Reported attribution** ("Officers say the panel was responsible for …", "Residents told us the
change was down to Reach") is still a finding, flagged as such: "a claim reported in the
narrative", so the evaluator attributes it to its speakers and says what the evidence shows.
"""

from __future__ import annotations

import re

from tracker.analysis.language.causes import (
    _EFFECT_NOUNS,
    _PASSIVE_VERBS,
    _PROGRAMME_NOUNS,
    _VERB_ALTERNATION,
    _active,
    _active_form,
    _be_before,
    _causal_noun,
    _cleft,
    _cleft_form,
    _owes,
    _passive,
    _single_work_after,
    _without_none,
    _work_after,
    _work_before,
    names_the_work,
    passive_form,
)
from tracker.analysis.language.rules import _Rule, _rule

CONSTRUCTION_RULES: tuple[_Rule, ...] = (
    _rule(
        "causal_noun",
        r"\b(?:the|a|an)\s+(?:(?:direct|main|chief|principal|clear|obvious|immediate|"
        r"sole|real|natural|logical)\s+)?(?:result|consequence|effect|product|outcome|fruit)"
        r"s?\s+of\b",
        "consistent with a contribution from",
        "names the work as the cause; say the change is consistent with a contribution",
        build=_causal_noun,
        accept=_single_work_after,
    ),
    _rule(
        "as_a_consequence",
        r"\b(?:as\s+a|in)\s+(?:direct\s+)?consequence\s+of\b",
        "alongside",
        "names the work as the cause; describe what happened alongside it",
        accept=_work_after,
    ),
    _rule(
        "down_to",
        r"\b(?:(?:largely|mainly|all|entirely|partly|wholly|solely|purely)\s+)?down\s+to\b",
        "consistent with a contribution from",
        "names the work as the cause; say the change is consistent with a contribution",
        accept=lambda m, t: _be_before(m, t) and _work_after(m, t),
        build=_causal_noun,
    ),
    _rule(
        "owes_to",
        r"\b(?P<verb>owes|owed|owe)\b(?:\s+[\w'’-]+){0,4}?\s+to\b",
        "is linked with",
        "credits the work with the change; say it is linked with the work",
        build=_owes,
        accept=_work_after,
    ),
    _rule(
        "passive_agent",
        rf"\b(?:{_PASSIVE_VERBS})\s+(?:(?:largely|mainly|entirely|directly|solely|wholly)\s+)?"
        r"(?:through|by|via|thanks\s+to)\b",
        "alongside",
        "names the work as the agent of the change; describe what happened alongside it",
        build=passive_form,
        accept=_passive,
    ),
    _rule(
        "active_cause",
        rf"\b(?P<verb>{_VERB_ALTERNATION})\b",
        "contributed to",
        "makes the work the cause of the change; say what it contributed to",
        build=_active_form,
        accept=_active,
    ),
    _rule(
        "made_possible",
        r"\bmade\s+(?:[\w'’-]+\s+){0,4}?possible\b",
        "contributed to",
        "credits the work with the change; say what it contributed to",
        build=lambda m, t: "contributed to " + m.group(0)[5:-9].strip(),
        accept=_work_before,
    ),
    _rule(
        "explains",
        rf"\b(?:explains|explained|accounts\s+for|accounted\s+for)\s+(?:[\w'’-]+\s+){{0,3}}?"
        rf"(?:{_EFFECT_NOUNS}|change|changes|shift)\b",
        "is consistent with",
        "apportions the change to the work; say it is consistent with a contribution",
        accept=lambda m, t: (
            _work_before(m, t)
            and not re.search(r"\b(?:part|some|a\s+share)\s+of\b", m.group(0), re.IGNORECASE)
        ),
    ),
    _rule(
        "cleft",
        r"\bit\s+(?:was|is|has\s+been|were)\s+(?P<cause>[^,.;:!?]{2,60}?)\s+(?:that|which|who)\s+"
        rf"(?:really\s+|truly\s+|finally\s+)?(?P<verb>{_VERB_ALTERNATION}|shifted)\b",
        "",
        "a cleft sentence singles out the work as the cause; say what it contributed to",
        build=_cleft_form,
        accept=_cleft,
    ),
    _rule(
        "pseudo_cleft",
        r"\bwhat\s+(?:really\s+|finally\s+)?(?:made\s+(?:the|a|all\s+the)\s+difference|changed|"
        r"drove|caused|transformed|shifted|turned\s+[\w-]+\s+around|made\s+it\s+work)\b"
        r"(?:\s+[\w'’-]+){0,8}?\s+(?:was|were|is)\b",
        "among the influences was",
        "singles out the work as the cause; say it was among the influences",
        accept=_work_after,
    ),
    _rule(
        "counterfactual_but_for",
        r"\b(?:had\s+it\s+not\s+been\s+for|if\s+it\s+(?:were|was|had)\s+not\s+(?:been\s+)?for|"
        r"if\s+not\s+for|but\s+for|were\s+it\s+not\s+for)\b",
        "alongside",
        "a counterfactual claim credits the work with the whole change; say what it contributed to",
        negatable=False,
        accept=_work_after,
    ),
    _rule(
        "counterfactual_without_none",
        r"\bwithout\s+(?P<cause>[^,.;!?]{1,60}?),?\s+(?:none|nothing|no\s+[\w-]+|little|few)"
        r"(?:\s+of\s+(?P<what>(?:this|these|those|the|that|it)(?:\s+[\w-]+){0,3}?))?"
        r"\s+would\s+(?:ever\s+)?have\b",
        "alongside",
        "a counterfactual claim credits the work with the whole change; say what it contributed to",
        build=_without_none,
        negatable=False,
        accept=lambda m, t: names_the_work(m.group("cause")),
    ),
    _rule(
        "counterfactual_had_not",
        r"\bhad\s+(?P<cause>[^,.;!?]{2,60}?)\s+not\s+[\w-]+[^,.;!?]{0,60},\s*[^.;!?]{0,100}?"
        r"\bwould\s*(?:not|never|n['’]t)\s+have\b",
        "alongside",
        "a counterfactual claim credits the work with the whole change; say what it contributed to",
        build=lambda m, t: "Alongside " + m.group("cause").strip() + ", the change may have",
        negatable=False,
        accept=lambda m, t: names_the_work(m.group(0).split(",")[0]),
    ),
    _rule(
        "the_cause_of",
        r"\b(?:was|were|is|are|been|be)\s+(?:the|a)\s+(?:main\s+|real\s+|sole\s+|only\s+|chief\s+|"
        r"key\s+|principal\s+|primary\s+|single\s+|biggest\s+)?(?:cause|source|driver|engine|"
        r"architect|author)s?\s+of\b",
        "among the influences on",
        "names the work as the cause; say it was among the influences",
        build=lambda m, t: m.group(0).split()[0] + " among the influences on",
        accept=_work_before,
    ),
    _rule(
        "behind",
        r"\b(?:was|were|is|are)\s+(?:(?:largely|mainly|really|chiefly)\s+)?behind\s+(?:the|this|"
        rf"that|these|much\s+of\s+the|most\s+of\s+the)\s+(?:[\w'’-]+\s+){{0,2}}?(?:{_EFFECT_NOUNS}|"
        r"change|changes|shift|turnaround|reversal)\b",
        "contributed to",
        "names the work as the cause; say what it contributed to",
        build=lambda m, t: (
            (
                "contributed to "
                if m.group(0).split()[0].lower() in ("was", "were")
                else "contributes to "
            )
            + " ".join(m.group(0).split()[2:])
        ),
        accept=_work_before,
    ),
    _rule(
        "is_why",
        r"\b(?:is|was|are|were)\s+(?:the\s+reason\s+)?why\b",
        "is among the reasons why",
        "names the work as the reason; say it was among the reasons",
        build=lambda m, t: m.group(0).split()[0] + " among the reasons why",
        accept=_work_before,
    ),
    _rule(
        "came_from",
        r"\b(?:came|comes|come|flowed|flows|sprang|springs)\s+(?:directly\s+|largely\s+|"
        r"entirely\s+|straight\s+)?from\b",
        "came alongside",
        "names the work as the source of the change; describe what happened alongside it",
        accept=_work_after,
    ),
    _rule(
        "instrumental",
        r"\b(?:was|were|is|are|been)\s+(?:(?:absolutely|truly|really|particularly)\s+)?"
        r"(?:instrumental|pivotal|decisive)\s+(?:in|to)\b",
        "contributed to",
        "credits the work with the change; say what it contributed to",
        accept=_work_before,
    ),
    _rule(
        "credit_belongs",
        r"\b(?:the\s+)?credit\s+(?:for\s+[^.;!?]{1,80}?\s+)?(?:belongs|goes|must\s+go|should\s+go)"
        r"\s+to\b",
        "part of the story is linked with",
        "credits the work with the change; say it is linked with the work",
        accept=_work_after,
    ),
    _rule(
        "thank_for",
        r"\b(?:have|has|had)\s+to\s+thank\s+for\b|\bto\s+thank\s+for\b",
        "see as one contributor to",
        "credits the work with the change; say it was one contributor",
        build=lambda m, t: "see as one contributor to",
        accept=_work_before,
    ),
    _rule(
        "it_was_the_work",
        rf"\bit\s+(?:was|is)\s+(?:all\s+)?(?:the|this|our|their)\s+(?:[\w-]+\s+){{0,2}}?"
        rf"(?:{_PROGRAMME_NOUNS})\s*(?=[.!]|$)",
        "the work contributed",
        "singles out the work as the cause; say what it contributed to",
    ),
    _rule(
        "counterfactual_none",
        r"\b(?:none|nothing|no\s+[\w-]+|little|few)\s+(?:of\s+(?:this|these|that|those|the|it)"
        r"(?:\s+[\w-]+)?\s+)?would\s+(?:ever\s+)?have\s+(?:happened|occurred|changed|been|taken)"
        r"(?:[^.;!?]{0,40}?)\bwithout\b",
        "some of this may have happened alongside",
        "a counterfactual claim credits the work with the whole change; say what it contributed to",
        negatable=False,
        accept=_work_after,
    ),
)
