"""Machine codes for evidence: what a span shows, as a stable name beside the reason text a person reads.

Consumers (tips, the role-play player, reports) decide on ``Evidence.code``; the reason text may be reworded freely.
Codes are ``<area>.<what>``, the area being ``listening``, ``empathy``, ``clarity``, ``jargon``, ``ownership`` or
``conduct``.
"""
from __future__ import annotations

import re
from dataclasses import replace

AREA = {"active_listening": "listening", "empathy": "empathy", "clarity": "clarity", "jargon": "jargon",
        "ownership": "ownership"}

# The fixed reasons of the dimension rules (pattern tables, sentence kinds, closing moves) and their codes.
REASON_CODES: dict[str, dict[str, str]] = {
    "active_listening": {
        "reflects back what the customer said": "listening.reflects",
        "paraphrases the customer's point": "listening.paraphrases",
        "checks its understanding": "listening.checks_understanding",
        "refers to what the customer said": "listening.refers_back",
        "names the customer's situation": "listening.names_situation",
        "acknowledges the concern": "listening.acknowledges_concern",
        "acknowledges what the customer shared": "listening.acknowledges_shared",
        "asks the customer for more": "listening.invites_more",
        "asks an open question": "listening.open_question",
        "asks a clarifying question about the customer's problem": "listening.clarifying_question",
        "asks the customer a question": "listening.question",
        "reflects the customer's feelings": "listening.reflects_feelings",
        "keeps the focus on the customer": "listening.customer_focus",
        "uses the reference the customer gave": "listening.uses_reference",
        "answers the question the customer asked": "listening.answers_question",
        "uses the customer's own words": "listening.customer_words",
        "jumps to advice before showing it understood": "listening.advice_first",
        "suggests a fix as a question instead of asking about the problem": "listening.advice_question",
        "turns the focus to the agent's own story": "listening.self_focus",
        "talks about the agent more than the customer": "listening.agent_focus",
        "gives general information instead of responding to this customer": "listening.general_information",
        "canned reply that ignores the message": "listening.canned",
        "ends by moving on to advice": "listening.ends_on_advice",
        "ends on the agent's own story": "listening.ends_on_self",
        "ends on general information": "listening.ends_on_information",
        "suggests what the customer already tried": "listening.repeat_suggestion",
        "does not take up anything the customer said": "listening.ignores_customer",
    },
    "empathy": {
        "names how this feels for the customer": "empathy.names_feeling",
        "names the customer's feeling": "empathy.acknowledges_feeling",
        "shows it understands the customer's side": "empathy.understands",
        "validates the customer": "empathy.validates",
        "validates the customer's reaction": "empathy.validates_reaction",
        "apologises": "empathy.apology",
        "acknowledges the impact on the customer": "empathy.acknowledges_impact",
        "reassures and affirms the customer": "empathy.reassures",
        "encourages and validates the customer": "empathy.encourages",
        "warm, human tone": "empathy.warm_tone",
        "tells the customer how to feel (dismissive)": "empathy.tells_how_to_feel",
        "hides behind policy instead of acknowledging the customer": "empathy.hides_behind_policy",
        "blames the customer": "empathy.blames",
        "minimises or dismisses the customer's concern": "empathy.minimises",
        "jumps to a fix before acknowledging the feeling": "empathy.fix_first",
        "turns to the agent's own story": "empathy.self_story",
        "gives information before acknowledging the feeling": "empathy.information_first",
    },
    "clarity": {
        "orders the steps": "clarity.ordered_steps",
        "gives a concrete next step": "clarity.next_step",
        "signposts the next step": "clarity.signposts",
        "vague wording": "clarity.vague",
        "filler words": "clarity.filler",
        "repeated punctuation": "clarity.repeated_punctuation",
        "shouting in capitals": "clarity.capitals",
    },
    "ownership": {
        "promises a follow-up": "ownership.follow_up",
        "commits to an action in the first person": "ownership.commitment",
        "has already acted for the customer": "ownership.already_acted",
        "is acting for the customer now": "ownership.acting_now",
        "gives the fix": "ownership.gives_fix",
        "gives the steps to fix it": "ownership.gives_steps",
        "explains the cause": "ownership.explains_cause",
        "takes the problem on personally": "ownership.takes_on",
        "takes responsibility": "ownership.responsibility",
        "gives a timeline": "ownership.timeline",
        "pushes the work back onto the customer": "ownership.pushes_back",
        "deflects responsibility": "ownership.deflects",
        "vague or passive about what happens next": "ownership.vague_next_step",
    },
    "jargon": {},
}

# Reasons that carry a detail of the reply ("asks for the order number the customer already gave").
_PATTERN_CODES = (
    ("active_listening", re.compile(r"^asks for the .+ the customer already gave$"), "listening.repeat_request"),
    ("active_listening", re.compile(r"^uses the customer's "), "listening.uses_detail"),
)
AS_QUESTION = " (as a question)"
COMMITMENTS = ("ownership.commitment", "ownership.follow_up", "ownership.takes_on")
# Groups of codes the rules' features count (decided on codes, never on the reason text).
ASKS = frozenset({"listening.invites_more", "listening.open_question", "listening.clarifying_question",
                  "listening.question", "listening.repeat_request"})
ADVICE = frozenset({"listening.advice_first", "listening.ends_on_advice"})
SELF_FOCUS = frozenset({"listening.self_focus", "listening.ends_on_self"})
ALREADY_GIVEN = frozenset({"listening.repeat_request", "listening.repeat_suggestion"})
NEXT_STEP = frozenset({"clarity.next_step", "clarity.signposts"})


def timed_commitments(evidence: list, sentences: list[tuple[int, int]]) -> list:
    """Commitments that share a sentence with a timeline ("I'll refund it by Friday") as
    ``ownership.commitment_with_time``."""
    timed = [(s, e) for s, e in sentences
             if any(item.code == "ownership.timeline" and s <= item.start < e for item in evidence)]
    return [replace(item, code="ownership.commitment_with_time")
            if item.code in COMMITMENTS and any(s <= item.start < e for s, e in timed) else item
            for item in evidence]


def match_codes(dimension: str, matches: list) -> list[str]:
    """The code of each rule match, in order."""
    return [code_for(dimension, m.reason) for m in matches]


def code_for(dimension: str, reason: str) -> str:
    """The code of a rule's reason; an unknown reason gets a code made from its words, so nothing goes uncoded."""
    if reason.endswith(AS_QUESTION):
        return code_for(dimension, reason.removesuffix(AS_QUESTION)) + "_asked"
    known = REASON_CODES.get(dimension, {}).get(reason)
    if known:
        return known
    for pattern_dimension, pattern, code in _PATTERN_CODES:
        if pattern_dimension == dimension and pattern.search(reason):
            return code
    slug = re.sub(r"[^a-z0-9]+", "_", reason.lower()).strip("_")[:40] or "other"
    return f"{AREA.get(dimension, dimension)}.{slug}"
