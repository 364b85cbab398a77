"""Whether a reply takes up the problem the customer raised: pleasantries that ignore it, fixes that answer it.

A customer who says "my fingerprint unlock stopped working" and gets "You are welcome!" has not been listened to,
and a pleasantry that ignores a problem is not empathy: warmth has to fit the situation. The same customer given
the steps that fix it has had the problem answered, which is listening (a direct answer to what was raised) even
without a restatement.
"""
from __future__ import annotations

import re

from .language import Match, PreparedReply, overlap_spans
from .tips import closing_thanks, customer_turns

# Caps (0-100) for a reply that only exchanges pleasantries while a problem stands (LABELLING.md bands: listening
# band 2 "generic reply that could answer any message", empathy band 2 "cold or purely transactional").
IGNORED_PROBLEM_LISTENING = 20.0
IGNORED_PROBLEM_EMPATHY = 30.0

_PLEASANTRY = re.compile(
    r"^(?:(?:you(?:'re| are)|ur|youre) (?:very |so |most )?welcome|(?:no|not a) (?:problem|worries|bother)|"
    r"(?:thanks?|thank you|thx|ty)(?: (?:so|very) much)?(?: (?:again|a lot|for (?:contacting|reaching out(?: to)?|"
    r"getting in touch(?: with)?|your (?:message|patience|time|understanding)|(?:writing|messaging) (?:in|to)?)"
    r"(?: us)?))?|(?:it'?s |it was )?(?:my|a|our) pleasure|(?:glad|happy|pleased) (?:to|i could|we could) "
    r"(?:help|assist)|have a (?:nice|good|great|lovely|wonderful) (?:day|one|evening|weekend|night)|(?:hi|hello|hey|"
    r"dear)(?: there)?|good (?:morning|afternoon|evening)|cheers|any ?time|ok(?:ay)?|sure|great|take care|bye|"
    r"goodbye|all the best|kind regards|best wishes|regards|enjoy)\W*$")
# The customer's turn states a problem or a need (more than hello or thanks).
_PROBLEM = re.compile(
    r"\b(?:not|never|no longer|can't|cannot|won't|wouldn't|didn't|doesn't|don't|hasn't|haven't|isn't|aren't|wasn't|"
    r"stopped|broke|broken|wrong|charged|billed|late|missing|lost|refund\w*|cancel\w*|stuck|locked|fail\w*|error|"
    r"crash\w*|freez\w*|damaged|faulty|still|again|twice|problem|issue|help|need|want|waiting|overcharged|"
    r"complain\w*|disappoint\w*|frustrat\w*|upset|angry)\b|\?")
# A reply that says its steps fix the problem ("That fixes it", "here's how to fix it").
_FIX = re.compile(
    r"\b(?:that|this|it|which|these steps|doing this) (?:will |should |usually |normally |often )?(?:fix|fixes|"
    r"solve|solves|sort|sorts|resolve|resolves|clear|clears|cure|cures) (?:it|this|that|the (?:problem|issue|error|"
    r"fault|glitch|bug))\b|\bhere(?:'s| is) how to (?:fix|solve|sort|resolve)\b|\bto (?:fix|solve|sort|resolve) "
    r"(?:this|it|that|the (?:problem|issue|error))\b|\b(?:should|will) (?:work|be working) (?:again|normally|fine)\b")


def raised_problem(prepared: PreparedReply) -> bool:
    """Whether the customer's latest turn states a problem or a need (not a thank-you that closes)."""
    turns = customer_turns(prepared.context)
    if not turns or closing_thanks(prepared.context):
        return False
    return bool(_PROBLEM.search(turns[-1].lower().replace("’", "'")))


def only_pleasantries(prepared: PreparedReply) -> bool:
    """Whether every sentence of the reply is a pleasantry (thanks, you're welcome, hello, have a nice day)."""
    if not prepared.sentences:
        return False
    for start, end in prepared.sentences:
        sentence = re.sub(r"[^\w\s']+", " ", prepared.lower[start:end]).strip()
        sentence = re.sub(r"\s+", " ", sentence)
        if sentence and not all(_PLEASANTRY.match(part.strip()) for part in re.split(r" (?=(?:thanks|thank you|"
                                                                                   r"have a|take care|bye)\b)",
                                                                                   sentence) if part.strip()):
            return False
    return True


def ignores_raised_problem(prepared: PreparedReply) -> bool:
    """A problem stands and the reply neither acknowledges, answers nor acts on it: only pleasantries."""
    return prepared.word_count > 0 and only_pleasantries(prepared) and raised_problem(prepared)


def fix_answer(prepared: PreparedReply) -> Match | None:
    """The reply gives the fix for the problem the customer raised, in terms of that problem."""
    if not raised_problem(prepared):
        return None
    found = _FIX.search(prepared.lower)
    if not found or not overlap_spans(prepared):
        return None
    return Match(found.start(), found.end(), prepared.text[found.start():found.end()],
                 "answers the problem the customer raised", 14)


def deflects(prepared: PreparedReply) -> bool:
    """The reply hands the problem back or refuses it ("you'll have to contact the courier", "nothing I can do"):
    the ownership rules' deflections, read here for the empathy ceiling."""
    from .ownership import PATTERNS  # the ownership rules own these phrasings

    memo = prepared.memo
    if "deflects" not in memo:
        memo["deflects"] = bool(prepared.find([p for p in PATTERNS if p[1] <= -22]))
    return memo["deflects"]
