"""Auto-fail checks from the rubric (agent profanity, insults) and the rubric's N/A conditions."""
from __future__ import annotations

import re

from .language import PreparedReply
from .rubric import Rubric
from .scorecard import Evidence

_PROBLEM = re.compile(r"\b(?:not|never|no|can't|cannot|won't|didn't|doesn't|hasn't|broken|wrong|problem|issue|"
                      r"help|need|charged|late|missing|lost|error|refund|cancel|complain\w*|why|how)\b|\?", re.I)
_ACKNOWLEDGEMENT = re.compile(r"^\W*(?:ok(?:ay)?|sure|thanks?(?: you)?|you're welcome|no problem|great|perfect|"
                              r"got it|noted|hello|hi|hey|good (?:morning|afternoon|evening)|bye|goodbye)\W*$", re.I)


def auto_fail_items(prepared: PreparedReply, rubric: Rubric) -> tuple[list[str], list[Evidence]]:
    """Labels of the rubric's auto-fail items found in the reply, with evidence for each."""
    failed, evidence = [], []
    for item in rubric.auto_fail:
        for pattern in item.patterns:
            match = pattern.search(prepared.text)
            if match:
                failed.append(item.id)
                evidence.append(Evidence("empathy", match.start(), match.end(), match.group(), "-",
                                         f"auto-fail: {item.label}", code="conduct.auto_fail"))
                break
    return failed, evidence


def not_applicable(prepared: PreparedReply, rubric: Rubric) -> list[str]:
    """Dimensions the rubric leaves out of the overall score for this reply."""
    conditions = {
        "no_context": not prepared.context.strip(),
        "no_problem_in_context": not _PROBLEM.search(prepared.context),
        "short_acknowledgement": bool(_ACKNOWLEDGEMENT.match(prepared.text)),
    }
    return [dimension for dimension, names in rubric.not_applicable.items()
            if any(conditions[name] for name in names)]
