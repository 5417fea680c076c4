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

from tracker.analysis.language.clauses import gerund
from tracker.analysis.language.engine import (
    LanguageFinding,
    check_language,
    language_warnings,
    passes_language_check,
    suggest_rewording,
)

__all__ = [
    "LanguageFinding",
    "check_language",
    "gerund",
    "language_warnings",
    "passes_language_check",
    "suggest_rewording",
]
