"""Empathy: name and validate the feeling, apologise where warranted, stay warm; never blame or dismiss."""
from __future__ import annotations

import re

from .evidence_codes import match_codes
from .engagement import IGNORED_PROBLEM_EMPATHY, deflects, ignores_raised_problem
from .assess import capped_sum, clamp, evidence_from, in_question, kind_matches
from .language import PreparedReply, compile_patterns
from .scorecard import Assessment
from .sentences import YOU_MUST, classify
from .tips import Tip, concern_clause, feeling_word, problem_topic

DIMENSION = "empathy"

FEELINGS = (r"(?:hard|difficult|frustrating|frustrated|stressful|stressed|upsetting|upset|tough|painful|scary|"
            r"overwhelming|overwhelmed|awful|terrible|worrying|worried|disappointing|disappointed|annoying|annoyed|"
            r"confusing|confused|exhausting|exhausted|lonely|sad|hurtful|hurt|heartbreaking|unfair|inconvenient|"
            r"rough|challenging|anxious|scared|angry|infuriating|maddening|a lot to deal with|not okay|unacceptable)")

PATTERNS = compile_patterns([
    (rf"\b(?:that|this|it|which|what you(?:'re| are) going through)(?:'s| is| must be| must have been| sounds| seems| "
     rf"would be| can be| has been)(?: so| really| very| incredibly| truly| quite| extremely| such)? (?:a )?{FEELINGS}",
     26, "names how this feels for the customer"),
    (rf"\byou(?<!\bif you)(?<!\bwhen you)(?:'re| are| must be| must feel| feel| seem| sound| might be| may be|"
     rf"'ve been| have been)(?: so| really| very| quite| a bit| understandably)? {FEELINGS}", 26,
     "names the customer's feeling"),
    (r"\bi (?:can|could) (?:only )?(?:imagine|understand|see|tell|hear) (?:how|why|that|what)\b|"
     r"\bi (?:completely |totally |really |fully )?(?:understand|get) (?:how|why) (?:you|that|this)\b", 22,
     "shows it understands the customer's side"),
    (r"\bi hear you\b|\bi(?:'m| am) (?:here|with you) (?:for you|to listen)\b|\byou(?:'re| are) not alone\b", 22,
     "validates the customer"),
    (r"\b(?:it's|it is|that's|that is|this is)(?: completely| totally| perfectly| very)? (?:understandable|normal|"
     r"natural|okay|ok|fair|valid|reasonable)\b|\bmakes (?:complete |total )?sense\b|\bno wonder\b|"
     r"\byou have every right\b|\byou(?:'re| are) right to\b", 22, "validates the customer's reaction"),
    (r"\b(?:i'm|i am|we're|we are) (?:so |really |very |truly |deeply |terribly )?sorry\b|\b(?:i|we) "
     r"(?:sincerely |do )?apologi[sz]e\b|\b(?:my|our) (?:sincere )?apologies\b|\bso sorry\b", 18, "apologises"),
    (r"\bthat(?:'s| is| was) (?:on us|our (?:mistake|fault|error))\b|\byou (?:deserve|deserved|should(?:n't| not) have "
     r"(?:had|to))\b", 16, "acknowledges the impact on the customer"),
    (r"\byou(?:'re| are) (?:doing|handling) (?:great|well|so well|the right thing|your best|amazing)\b|\b(?:i'm|i am) "
     r"(?:so )?proud of you\b|\bit(?:'s| is) not your fault\b|\bdon't be (?:too )?hard on yourself\b|\byou did the "
     r"right thing\b|\b(?:that|it) takes (?:courage|strength)\b|\byou(?:'re| are) (?:strong|brave|not to blame)\b|"
     r"\bi(?:'m| am) (?:sure|confident) (?:you|things|it)(?:'ll| will)\b|\bthings will get better\b|"
     r"\bi believe in you\b|\bgood for you\b|\bthat's (?:a )?(?:great|wonderful|good) (?:idea|step|plan|news)\b",
     20, "reassures and affirms the customer"),
    (r"\b(?:you can do (?:it|this)|you(?:'ve| have) got this|hang in there|stay strong|you(?:'ll| will) "
     r"(?:get through|be (?:fine|okay|ok|alright)|find a way|make it)|(?:it|things|everything) will (?:get better|"
     r"be (?:okay|ok|fine|alright)|work out)|don't worry|(?:that|it)(?:'s| is| sounds| seems)(?: like)?(?: a| an)? "
     r"(?:really |very |so )?(?:great|good|wonderful|smart|brave|positive|excellent|healthy|amazing) (?:idea|plan|"
     r"step|thing|start|choice|decision|way|attitude|approach)|you(?:'re| are)(?: a| such a)? (?:really |very |so )?"
     r"(?:good|great|strong|brave|caring|kind|smart|thoughtful|capable|resilient) (?:person|friend|parent|mom|dad|"
     r"one)?|(?:you|you're|you are) (?:deserve|worth)|i(?:'m| am) (?:here|sure)|i know (?:how|it|that)(?:'s| is| can "
     r"be)? (?:hard|difficult|tough)|i (?:totally |completely |really )?understand\b)\b", 18,
     "encourages and validates the customer"),
    (r"\b(?:i'm|i am|so) (?:glad|happy|relieved) (?:to hear|that|you)\b|\bthank you (?:so much )?for (?:your "
     r"patience|bearing with|being so patient|your understanding|sharing)\b|\bi appreciate (?:you|your)\b|"
     r"\btake care\b|\bhope (?:you|things|this|that|it)\b", 10, "warm, human tone"),
    (r"\bcalm down\b|\brelax\b|\bno need to (?:get|be) (?:so )?(?:upset|angry|worked up|rude)\b|\bstop "
     r"(?:shouting|yelling|complaining)\b", -35, "tells the customer how to feel (dismissive)"),
    (r"\b(?:that's|that is|it's|it is) (?:just |simply )?(?:our|the|company) (?:policy|rules?|procedure)\b|"
     r"\b(?:per|as per) (?:our )?policy\b|\bpolicy is policy\b|\brules are rules\b", -25,
     "hides behind policy instead of acknowledging the customer"),
    (r"\byou should(?:'ve| have)\b|\byou (?:shouldn't|should not) have\b|\byou must (?:have|be) (?:using|used|done|"
     r"made|entered|forgotten|put|left|typed|missed|clicked|deleted|ignored|misread|set|changed|turned|pressed)\b|"
     r"\b(?:it's|it is|that's|that is) your (?:own )?(?:fault|problem|responsibility)\b|\byou (?:didn't|did not|"
     r"failed to) (?:read|follow|check)\b|\bif you had\b|\bas i (?:already |just )?(?:said|told you|explained|"
     r"mentioned)\b|\bi already told you\b", -25, "blames the customer"),
    (r"\b(?:it's|it is|that's|that is) (?:not|hardly) (?:a )?(?:big deal|that bad|a problem|serious)\b|"
     r"\bat least\b|\bcould be worse\b|\bget over it\b|\bwhatever\b(?! (?:you|works|is best|feels|helps))|\bobviously\b|\bcome on\b|"
     r"\bthat's life\b|\bit happens\b|\bnot (?:our|my) (?:problem|fault)\b|\byou need to understand\b|"
     r"\blike everyone else\b|\bwhen we get to (?:you|it)\b|\b(?:you're|you are) (?:free|welcome) to (?:leave|go "
     r"elsewhere|take your business)\b|\bthat's just how it (?:is|works)\b", -18,
     "minimises or dismisses the customer's concern"),
])

FIXING = compile_patterns([
    (YOU_MUST + r"|\byou (?:could|might|can) try\b|\b(?:i|i'd|we) (?:suggest|"
     r"recommend|advise)\b|\bmaybe (?:you|try)\b|\bwhy don't you\b|\bhave you (?:tried|considered|thought "
     r"about)\b|\bit (?:might|may|would|could) (?:help|be (?:a good idea|helpful|worth))\b|\btry (?:to )?\w+ing\b", -8,
     "jumps to a fix before acknowledging the feeling"),
    (r"\b(?:when|once) i (?:was|had|went)\b|\bi (?:had|went through|have been through|used to)\b|\bin my "
     r"(?:experience|case)\b|\bmy (?:own|wife|husband|friend|mother|dad|mum|mom|family)\b", -6,
     "turns to the agent's own story"),
])

# Sentence kinds (scoring.sentences) that the phrase patterns above did not already catch.
KIND_WEIGHTS = {
    "reflections": (22, "names how this feels for the customer"),
    "affirmations": (18, "reassures and affirms the customer"),
    "advice": (-6, "jumps to a fix before acknowledging the feeling"),
    "advice_questions": (-6, "jumps to a fix before acknowledging the feeling"),
    "self_talk": (-6, "turns to the agent's own story"),
    "information": (-6, "gives information before acknowledging the feeling"),
}

EMOTION_IN_CONTEXT = re.compile(r"\b(?:frustrat\w*|angry|furious|upset|annoy\w*|disappoint\w*|worried|anxious|"
                                r"stress\w*|sad|depress\w*|lonely|scared|afraid|unacceptable|ridiculous|terrible|"
                                r"awful|hate|fed up|sick of|again|still|nobody|no one|cry\w*|hurt\w*)\b|!{2,}", re.I)
# a word written in capitals (not an acronym) is shouting: "You've taken it TWICE"
SHOUTED = re.compile(r"!{2,}|\b(?!(?:ATM|PIN|USB|SMS|URL|HTML|HTTP|HTTPS|WIFI|UK|USA|EU|ID|OK|TV|PC|SIM|GPS|VAT|FAQ|ASAP)\b)"
                     r"[A-Z]{4,}\b")
DISMISSIVE_CEILING = 15.0  # rubric band 1: "Blames, dismisses or minimises the customer"
COLD_CEILING = 39.0


def assess(prepared: PreparedReply) -> Assessment:
    matches = prepared.find(PATTERNS)
    for index, match in enumerate(matches):
        if match.weight > 0 and in_question(prepared, match.start):
            # asking about a feeling is gentler than naming it
            matches[index] = type(match)(match.start, match.end, match.text, match.reason + " (as a question)",
                                         match.weight / 2)
    fixing = prepared.find(FIXING)
    matches += [m for m in fixing if not any(m.start < o.end and o.start < m.end for o in matches)]
    kinds = classify(prepared)
    matches += kind_matches(kinds, matches, KIND_WEIGHTS)
    matches.sort(key=lambda m: m.start)
    questions = [s for s, e in prepared.sentences if prepared.analysed[s:e].rstrip().endswith("?")]
    only_questions = bool(prepared.sentences) and len(questions) == len(prepared.sentences)
    upset_customer = bool(EMOTION_IN_CONTEXT.search(prepared.context_lower))
    score = 32 + capped_sum(matches, positive_cap=62, negative_cap=60)
    warmth = sum(m.weight for m in matches if m.weight > 0)
    if upset_customer and warmth == 0 and prepared.word_count >= 3:
        score -= 10
    if only_questions and warmth == 0:
        score -= 8  # gathering facts is useful, but on its own it does not acknowledge the person
    features = {
        "em_warmth": warmth / 25,
        "em_negative": -sum(m.weight for m in matches if m.weight < 0) / 25,
        "em_apology": float("empathy.apology" in match_codes(DIMENSION, matches)),
        "em_upset_context": float(upset_customer),
        "em_reflection_share": kinds.share("reflections"),
        "em_affirmation_share": kinds.share("affirmations"),
        "em_question_share": kinds.share("questions"),
        "em_fix_share": (kinds.advice + kinds.advice_questions + kinds.self_talk + kinds.information)
        / max(kinds.sentences, 1),
    }
    # a dismissal or blame with no warmth at all is band 1 whatever a learned part says; a pleasantry that ignores
    # the customer's problem is not empathy (warmth has to fit the situation)
    ceiling = DISMISSIVE_CEILING if warmth == 0 and any(m.weight <= -18 for m in matches) else 100.0
    if ignores_raised_problem(prepared):
        ceiling = min(ceiling, IGNORED_PROBLEM_EMPATHY)
    if warmth == 0 and prepared.word_count >= 3 and (deflects(prepared) or SHOUTED.search(prepared.context)):
        ceiling = min(ceiling, COLD_CEILING)  # band 2: cold to a shouting customer, or hands the problem back
    score = min(clamp(score), ceiling)
    return Assessment(DIMENSION, score, evidence_from(DIMENSION, matches), tip(prepared, score, matches), features,
                      ceiling)


def tip(prepared: PreparedReply, score: float, matches: list) -> Tip:
    """Replace a dismissive phrase, else name the customer's feeling before the fix."""
    clause, topic = concern_clause(prepared.context), problem_topic(prepared.context)
    feeling = feeling_word(prepared.context)
    if clause:
        sorry = f"I'm sorry {clause}"
        how = f"I can understand how {feeling} it is that {clause}"
    elif topic:
        sorry = f"I'm sorry about {topic}"
        how = f"I can understand how {feeling} {topic} has been"
    else:
        sorry = "I'm sorry this has happened"
        how = f"I can understand how {feeling} this has been"
    dismissive = [m for m in matches if m.weight <= -18]
    if dismissive:
        return Tip("empathy.replace_dismissive",
                   (f"Replace \"{dismissive[0].text}\" with words that validate the customer",),
                   (f"{how}, and I want to put it right.", f"{sorry}. That's not okay, and I'll help put it right."))
    return Tip("empathy.name_feeling",
               ("Name the customer's feeling before you move to the fix",
                "Acknowledge how the customer feels before you explain the fix"),
               (f"I'm sorry — {how}.", f"{sorry}; I can hear how {feeling} that must be."))
