"""Tips and strengths: the advice a trainer would give on each dimension, in the agent's own voice.

A dimension's rules say what to advise (a ``Tip``: advice and phrasings the agent could say); once the band is
known the tip is settled into text: a band-5 dimension gets what worked instead, and a tip the agent saw on the
previous turn gives way to another wording. The customer's words are reused only as a clause re-personed safely
("my card was charged twice" -> "your card was charged twice"); anything else is described, never pasted.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .language import MARKUP_RE
from .scorecard import DIMENSIONS, Evidence

TOP_BAND = 5


@dataclass(frozen=True)
class Tip:
    """What to advise on one dimension: ``advice`` (alternative wordings, no closing full stop) and ``examples``
    (alternative phrasings the agent could say, each a whole sentence)."""

    code: str
    advice: tuple[str, ...]
    examples: tuple[str, ...] = ()

    def options(self) -> tuple[tuple[str, str], ...]:
        """(tip text, example) for each wording, best first."""
        count = max(len(self.advice), len(self.examples), 1)
        found: list[tuple[str, str]] = []
        for index in range(count):
            advice = self.advice[index % len(self.advice)]
            example = self.examples[index % len(self.examples)] if self.examples else ""
            text = f"{advice}, e.g. \"{example}\"" if example else f"{advice}."
            if (text, example) not in found:
                found.append((text, example))
        return tuple(found)


def choose(options: tuple[tuple[str, str], ...], previous: str | None) -> tuple[str, str]:
    """The first wording, or the one after it when the agent was just shown that one."""
    texts = [text for text, _ in options]
    if previous in texts and len(options) > 1:
        return options[(texts.index(previous) + 1) % len(options)]
    return options[0]


def settle(tips: dict, bands: dict[str, int], evidence: list[Evidence],
           previous_tips: dict[str, str] | None = None) -> tuple[dict[str, str], dict[str, str], dict[str, str], dict]:
    """(tip texts, strengths, examples, tip options) per dimension, for a scorecard."""
    texts, strengths, examples, options = {}, {}, {}, {}
    for dimension in DIMENSIONS:
        tip = tips.get(dimension, "")
        if bands.get(dimension) == TOP_BAND:
            texts[dimension] = strengths[dimension] = strength(dimension, evidence)
            examples[dimension] = ""
            continue
        choices = tip.options() if isinstance(tip, Tip) else ((str(tip), ""),)
        texts[dimension], examples[dimension] = choose(choices, (previous_tips or {}).get(dimension))
        options[dimension] = choices
    return texts, strengths, examples, options


def vary(scorecard, previous_tips: dict[str, str] | None):
    """The scorecard with each tip the agent was shown last time replaced by another wording, where there is one."""
    options = getattr(scorecard, "tip_options", None)
    if not previous_tips or not options:
        return scorecard
    tips, examples = dict(scorecard.tips), dict(scorecard.examples)
    for dimension, choices in options.items():
        if tips.get(dimension) == previous_tips.get(dimension):
            tips[dimension], examples[dimension] = choose(choices, previous_tips[dimension])
    return replace(scorecard, tips=tips, examples=examples)


# --- what worked ----------------------------------------------------------------------------------

STRENGTHS = {
    "listening.reflects": "you reflected back what the customer said",
    "listening.paraphrases": "you put the customer's point in your own words",
    "listening.checks_understanding": "you checked you had understood",
    "listening.refers_back": "you referred to what the customer told you",
    "listening.names_situation": "you named the customer's situation",
    "listening.acknowledges_concern": "you acknowledged the concern",
    "listening.acknowledges_shared": "you thanked the customer for what they shared",
    "listening.invites_more": "you invited the customer to say more",
    "listening.open_question": "you asked an open question",
    "listening.clarifying_question": "you asked about the customer's problem",
    "listening.question": "you asked the customer a question",
    "listening.reflects_feelings": "you reflected the customer's feelings",
    "listening.uses_detail": "you used the details the customer gave",
    "listening.uses_reference": "you used the reference the customer gave",
    "listening.answers_question": "you answered the question the customer asked",
    "listening.customer_words": "you used the customer's own words",
    "empathy.names_feeling": "you named how this feels for the customer",
    "empathy.acknowledges_feeling": "you named the customer's feeling",
    "empathy.understands": "you showed you understand the customer's side",
    "empathy.validates": "you validated the customer",
    "empathy.validates_reaction": "you told the customer their reaction is fair",
    "empathy.apology": "you apologised",
    "empathy.acknowledges_impact": "you acknowledged the impact on the customer",
    "empathy.reassures": "you reassured the customer",
    "empathy.encourages": "you encouraged the customer",
    "empathy.warm_tone": "your tone was warm",
    "clarity.ordered_steps": "you put the steps in order",
    "clarity.next_step": "you gave a concrete next step",
    "clarity.signposts": "you signposted what happens next",
    "jargon.explained": "you explained the technical term",
    "ownership.follow_up": "you promised a follow-up",
    "ownership.commitment": "you committed to the next step yourself",
    "ownership.commitment_with_time": "you committed to the next step with a time",
    "ownership.already_acted": "you had already acted for the customer",
    "ownership.acting_now": "you were acting for the customer as you spoke",
    "ownership.gives_fix": "you gave the fix",
    "ownership.takes_on": "you took the problem on personally",
    "ownership.responsibility": "you took responsibility",
    "ownership.timeline": "you gave a time",
}
PLAIN_STRENGTH = {
    "active_listening": "What worked: the reply stays on what the customer said.",
    "empathy": "What worked: the tone is warm and respectful throughout.",
    "clarity": "What worked: short, clear sentences that are easy to follow.",
    "jargon": "What worked: plain, everyday words throughout.",
    "ownership": "What worked: you took the next step on yourself.",
}
QUOTE_WORDS = 8


def strength(dimension: str, evidence: list[Evidence]) -> str:
    """What worked on a dimension, from its positive evidence (the agent's own words quoted back)."""
    parts, seen = [], set()
    codes = {item.code for item in evidence}
    for item in evidence:
        phrase = STRENGTHS.get(item.code.removesuffix("_asked"))
        if item.dimension != dimension or item.effect != "+" or not phrase or phrase in seen:
            continue
        if item.code == "ownership.timeline" and "ownership.commitment_with_time" in codes:
            continue  # the time is already said
        quote = _quote(item.text)
        parts.append(f"{phrase} (\"{quote}\")" if quote else phrase)
        seen.add(phrase)
        if len(parts) == 2:
            break
    if not parts:
        return PLAIN_STRENGTH[dimension]
    return f"What worked: {' and '.join(parts)}."


def _quote(text: str) -> str:
    words = text.strip().strip(".,;:!?—–- ").replace('"', "'").split()
    if len(words) > QUOTE_WORDS:
        words = words[:QUOTE_WORDS - 1] + ["…"]
    return " ".join(words)


# --- the customer's words, re-personed ------------------------------------------------------------

_TO_AGENT = {"i": "you", "me": "you", "my": "your", "mine": "yours", "myself": "yourself", "i'm": "you're",
             "im": "you're", "i've": "you've", "ive": "you've", "i'd": "you'd", "i'll": "you'll", "we": "you",
             "us": "you", "our": "your", "ours": "yours", "ourselves": "yourselves", "we're": "you're",
             "we've": "you've", "we'd": "you'd", "we'll": "you'll"}
_AFTER_I = {"am": "are", "was": "were", "wasn't": "weren't"}
# The customer's "you" is the company: "you sent me" would need "we sent you", so such a clause is never reused.
_SECOND_PERSON = re.compile(r"\b(?:you|your|yours|yourself|yourselves|you're|you've|you'd|you'll|u|ur|ya)\b", re.I)
_SUBJECT_START = re.compile(r"^(?:my|our|the|this|that|it|it's|its|i|i've|i'm|i'd|i'll|we|we've|we're|nothing|"
                            r"no one|nobody|none|order|parcel|package|card|account|refund|payment)\b", re.I)
_NOT_A_PROBLEM = re.compile(r"\b(?:thank\w*|thanks|cheers|please|hello|hi|hey|appreciate|great|perfect|brilliant|"
                            r"lovely|welcome|sorry)\b", re.I)
_CONCERN = re.compile(r"\b(?:not|never|no|still|can't|cannot|won't|didn't|doesn't|hasn't|haven't|isn't|wasn't|"
                      r"broken|wrong|charged|billed|late|missing|lost|again|twice|cancel\w*|refund\w*|stuck|locked|"
                      r"fail\w*|damaged|faulty|cracked|dropp\w*|waiting|overcharged|stopped|keeps|sitting|delayed|overdue|"
                      r"\d+ (?:days|weeks|hours))\b", re.I)
_THANKS = re.compile(r"^\W*(?:ok(?:ay)?,? |great,? |perfect,? |brilliant,? |lovely,? |that's (?:great|perfect|"
                     r"brilliant|lovely|fine),? )?(?:thanks?|thank you|cheers|ta|much appreciated)\b", re.I)
_SPLIT = re.compile(r"[.!?\n;:(),]+|\b(?:and|but|because|though|so)\b")
MAX_CLAUSE_WORDS = 14


def customer_turns(context: str) -> list[str]:
    return [line.strip() for line in MARKUP_RE.sub(" ", context or "").split("\n") if line.strip()]


def closing_thanks(context: str) -> bool:
    """Whether the customer's last turn thanks the agent or closes, with no new problem in it."""
    turns = customer_turns(context)
    return bool(turns) and bool(_THANKS.search(turns[-1])) and not _CONCERN.search(turns[-1])


def concern_clause(context: str) -> str:
    """The customer's complaint as a clause the agent can say back ("your card was charged twice"), or "" when
    no clause can be re-personed safely. The latest turn first."""
    for turn in reversed(customer_turns(context)):
        clauses = [c.strip(" ,-–—'\"") for c in _SPLIT.split(turn)]
        usable = [c for c in clauses if _usable(c)]
        if usable:
            best = max(usable, key=lambda c: (len(_CONCERN.findall(c)), -abs(len(c.split()) - 8)))
            return _to_agent(best)
    return ""


def _usable(clause: str) -> bool:
    words = clause.split()
    return (3 <= len(words) <= MAX_CLAUSE_WORDS and bool(_CONCERN.search(clause)) and bool(_SUBJECT_START.match(clause))
            and not _SECOND_PERSON.search(clause) and not _NOT_A_PROBLEM.search(clause)
            and not clause.rstrip().endswith("?"))


def _to_agent(clause: str) -> str:
    """First person to second ("I was charged" -> "you were charged"), in lower case unless a word is a name."""
    words, previous = [], ""
    for raw in re.findall(r"[\w'’#£$€.-]+", clause.replace("’", "'")):
        lower = raw.lower()
        if lower in _TO_AGENT:
            word = _TO_AGENT[lower]
        elif previous in ("i", "we") and lower in _AFTER_I:
            word = _AFTER_I[lower]
        elif raw.isupper() and len(raw) > 3 and not any(ch.isdigit() for ch in raw):
            word = lower  # shouted words, not acronyms
        else:
            word = raw
        words.append(word)
        previous = lower
    phrase = " ".join(words).strip(" .")
    return phrase[:1].lower() + phrase[1:]


# A noun phrase about the problem when no clause can be reused: specific, and right in the agent's mouth.
_TOPICS = (
    (r"\b(?:charged|billed|paid|taken) (?:me )?(?:twice|two times|double)|double[- ](?:charge|payment|billed)|"
     r"overcharg", "the double charge"),
    (r"\b(?:charged|billed)\b.*\b(?:after|cancel)", "the charge after you cancelled"),
    (r"refund|money back|reimburs", "the wait for your refund"),
    (r"\bwrong (?:item|size|colou?r|order|product|one|thing)|not what i ordered|sent (?:me )?the wrong|instead of",
     "the mix-up with your order"),
    (r"broken|damaged|faulty|cracked|defect|stopped working", "the damaged item"),
    (r"\bi ordered\b.*\b(?:sent|got|received|came)\b|\bsent me\b", "the mix-up with your order"),
    (r"deliver|arriv|parcel|package|shipping|courier|tracking|depot", "the delay with your delivery"),
    (r"log ?in|password|locked|sign in", "the trouble getting into your account"),
    (r"internet|wi-?fi|connection|signal|outage|broadband", "the problems with your connection"),
    (r"appointment|book(?:ing|ed)|reservation|flight", "the trouble with your booking"),
    (r"cancel", "the trouble cancelling"),
    (r"charged|billed|bill\b|payment|invoice", "the charge on your account"),
)
_FEELINGS = ((r"stress", "stressful"), (r"worr|anxious", "worrying"), (r"upset|sad|cry", "upsetting"),
             (r"angry|furious|livid", "infuriating"), (r"disappoint", "disappointing"), (r"confus", "confusing"))


def problem_topic(context: str) -> str:
    lower = (context or "").lower()
    return next((topic for pattern, topic in _TOPICS if re.search(pattern, lower)), "")


def feeling_word(context: str) -> str:
    """The feeling the customer showed, as an adjective for the agent to name ("stressful"); "frustrating" if none."""
    lower = (context or "").lower()
    return next((word for pattern, word in _FEELINGS if re.search(pattern, lower)), "frustrating")


def customer_name(facts: dict | None) -> str:
    facts = facts or {}
    return str(facts.get("name") or facts.get("customer_name") or "").strip()
