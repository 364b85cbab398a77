"""Whether a reply answers the question the customer just asked ("When will I get it?" "By Friday.").

Answering exactly what was asked shows the agent heard it; a customer who asks "when?" and gets a date has been
listened to, even if nothing is restated.
"""
from __future__ import annotations

import re

from .language import Match, PreparedReply

_SENTENCE_END = re.compile(r"([.!?\n])")
_AUXILIARY = (r"(?:can|could|will|would|do|does|did|is|are|was|were|have|has|should|shall|am)(?:n't)?")
# (what the customer asks, what in the reply answers it; an answer anchored with ^ must open the reply)
_KINDS = (
    (r"\b(?:when|how long|what time|what day|how soon|by when)\b|^(?:is it |will it be )?(?:days|weeks|months|"
     r"hours)\b",
     r"\b(?:within (?:the next )?(?:\d+|an?|one|two|three|four|five)(?: to \d+)? (?:minutes?|hours?|days?|working "
     r"days?|business days?|weeks?)|by (?:the )?(?:end of (?:the )?(?:day|week)|monday|tuesday|wednesday|thursday|"
     r"friday|"
     r"saturday|sunday|tomorrow|tonight|noon|\d{1,2}(?::\d\d)?\s?(?:am|pm))|today|tomorrow|tonight|this (?:morning|"
     r"afternoon|evening|week)|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|\d{1,2}(?::\d\d)?\s?"
     r"(?:am|pm)|in (?:\d+|a few|two|three) (?:minutes|hours|days|weeks))\b"),
    (r"\b(?:how much|how many|what(?:'s| is) the (?:cost|price|fee|charge|amount|total))\b",
     r"[£$€]\s?\d|\b\d+(?:\.\d\d)? (?:pounds|dollars|euros|a month|per month)\b"),
    (r"\b(?:why|how come|what happened)\b",
     r"\b(?:because|due to|caused by|the reason|that's why|this is why|it happened|the difference is)\b"),
    (r"\bwhat does\b.*\bmean\b|^what(?:'s| is| are) (?:a |an |the |this |that )?[\w' -]{1,25}\?$",
     r"\b(?:means|stands for|is when|is where|it's (?:a|an|the|when|just))\b"),
    (r"\bwho(?:'s| is| will)?\b",
     r"\b(?:i(?:'m| am| will|'ll) (?:be )?(?:dealing|handling|looking|taking|the one|your)|me|myself|i am|i'm)\b"),
    (r"\bhow (?:will|would|do|can|should) i (?:know|find out|check|tell|hear)\b",
     r"\b(?:i(?:'ll| will) (?:call|ring|text|email|e-mail|message|let you know|update|send)|you(?:'ll| will) "
     r"(?:get|receive|see|have))\b"),
    (r"\bwhat if\b", r"\bif (?:they|it|he|she|nobody|no one|the|that|this|you|anything)\b"),
    (rf"^{_AUXILIARY}\b", r"^(?:yes|yeah|yep|no|nope|of course|absolutely|definitely|certainly|sure|not at all|that's "
     r"right|i can|i will|i'll|it will|it won't|it is|it isn't|you will|you won't|you can|you don't)\b"),
)
KINDS = tuple((re.compile(asked), re.compile(answer, re.IGNORECASE)) for asked, answer in _KINDS)


def customer_questions(context: str) -> list[str]:
    """Each question in the context, from the end of the sentence before it to its "?" (linear in the length:
    a regex scan for "a run without . ! ? then ?" is quadratic on text without them)."""
    parts = _SENTENCE_END.split(context)
    return [parts[i - 1] + "?" for i in range(1, len(parts), 2) if parts[i] == "?"]


def answer_match(prepared: PreparedReply) -> Match | None:
    """A match on the part of the reply that answers a question the customer just asked, if it does."""
    if not prepared.sentences:
        return None
    start, end = prepared.sentences[0]
    opening = prepared.analysed[start:end]
    opening_at = start + len(opening) - len(opening.lstrip())
    for question in customer_questions(prepared.context_lower):
        for clause in re.split(r"[,;:]| and | but | so ", question):
            clause = clause.strip()
            for asked, answer in KINDS:
                if not asked.search(clause):
                    continue
                direct = answer.pattern.startswith("^")  # "yes", "no": only as the reply's first words
                found = answer.search(opening.lstrip() if direct else prepared.analysed)
                if found:
                    offset = opening_at if direct else 0
                    return Match(offset + found.start(), offset + found.end(),
                                 prepared.text[offset + found.start():offset + found.end()],
                                 "answers the question the customer asked", 14)
                break
    return None
