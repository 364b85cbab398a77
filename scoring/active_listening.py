"""Active listening: acknowledge, restate the concern, ask a relevant question, use the customer's details."""
from __future__ import annotations

import re

from .assess import capped_sum, clamp, evidence_from, kind_matches
from .language import (Match, PreparedReply, compile_patterns, context_overlap, informal_to_standard,
                       overlap_spans)
from .scorecard import Assessment, Evidence
from .answers import answer_match
from .engagement import IGNORED_PROBLEM_LISTENING, fix_answer, ignores_raised_problem
from .evidence_codes import ADVICE, ALREADY_GIVEN, ASKS, SELF_FOCUS, code_for, match_codes
from .repeats import repeated_requests, repeated_suggestions, requested_detail
from .tips import Tip, closing_thanks, concern_clause, customer_name, problem_topic
from .sentences import ADVICE_QUESTION, YOU_MUST, asks_customer, classify, closing_match

DIMENSION = "active_listening"
OPEN_QUESTION = "asks an open question"

PATTERNS = compile_patterns([
    (r"\b(?:it |that )?(?:sounds|seems|looks) (?:like|as if|as though) (?:you|your|it's been|things|this has)", 22,
     "reflects back what the customer said"),
    (r"\bso,? (?:you(?:'re| are)? (?:saying|telling me|mean)|if i understand|what you(?:'re| are)|basically you)", 24,
     "paraphrases the customer's point"),
    (r"\bif i(?:'ve| have)? underst(?:and|ood) (?:you )?(?:correctly|right)", 24, "checks its understanding"),
    (r"\b(?:just )?to (?:make sure|confirm|check) (?:i|that i|we)(?:'m| am| have| understand| are)?", 20,
     "checks its understanding"),
    (r"\b(?:so,? )?i take it (?:that )?|\bin other words\b|\bcorrect me if i(?:'m| am) wrong\b|\b(?:did|have) i "
     r"(?:got|get|understood) (?:that|this|you|it) right\b|\bam i right (?:in|that|to)\b", 20,
     "checks its understanding"),
    (r"\bwhat i(?:'m| am) hearing\b|\bi hear (?:you|that|what)\b", 22, "reflects back what the customer said"),
    (r"\byou(?:'ve| have)? (?:mentioned|said|told me|explained|noted|described|pointed out)\b", 22,
     "refers to what the customer said"),
    (r"\byou(?:'re| are) (?:feeling|saying|worried|concerned|frustrated|upset|angry|unhappy|disappointed|"
     r"stressed|anxious|scared|confused|sad|lonely|overwhelmed|hurt|tired|exhausted)\b", 18,
     "names the customer's situation"),
    (r"\byou (?:feel|felt|seem|sound)\b", 16, "names the customer's situation"),
    (r"\bi (?:can )?(?:understand|see|get) (?:that|why|how|what) (?:you|your)", 14, "acknowledges the concern"),
    (r"\bthanks? (?:you )?for (?:letting (?:me|us) know|explaining|telling (?:me|us)|sharing|the details|"
     r"flagging|reaching out about)", 10, "acknowledges what the customer shared"),
    (r"\b(?:can|could|would) you (?:tell|share|let me know|describe|confirm|clarify|walk me through|explain)\b|"
     r"\btell me (?:more|about|what|how|a bit)\b|\bi(?:'d| would) (?:love|like) to (?:hear|know|understand)\b|"
     r"\bwould you like to (?:talk|tell|share|say)\b", 12, "asks the customer for more"),
    (r"\b(?:what|how|when|which|where|why|who) (?:exactly |else )?(?:happened|did|do|does|is|are|was|were|has|have|"
     r"would|could|can|made|makes)\b", 6, OPEN_QUESTION),
    (YOU_MUST + r"|\b(?:i|i'd|we) (?:suggest|recommend|advise)\b|"
     r"\b(?:try|consider) (?:to |doing |using |talking |getting )?|\bwhy don't you\b|\bit (?:might|may|would) "
     r"help (?:to|if)\b|\bmaybe you (?:could|can|should)\b|\bmy advice\b", -12,
     "jumps to advice before showing it understood"),
    (r"\b(?:when|once) i (?:was|had|went|did|lost)\b|\bi (?:had|went through|have been through|remember|used to|"
     r"myself)\b|\bme too\b|\bsame (?:thing )?(?:happened|with me)\b|\bin my (?:experience|case|life)\b|"
     r"\bmy (?:own|wife|husband|friend|mother|dad|mum|mom|son|daughter|family|kids|partner)\b", -16,
     "turns the focus to the agent's own story"),
    (r"\b(?:research|studies|statistics|experts?) (?:show|says?|suggests?|found)\b|\baccording to\b|"
     r"\bthere are (?:many|a lot of|lots of|several)\b|\b(?:many|most) people\b|\bit is (?:common|normal) for\b", -12,
     "gives general information instead of responding to this customer"),
    (r"\b(?:please )?(?:refer to|see|check|read) (?:our|the) (?:faq|help (?:centre|center|page)|website|terms|"
     r"policy)\b|\bas per (?:our|the) policy\b|\bthis is an automated\b", -14, "canned reply that ignores the message"),
])

# Sentence kinds (scoring.sentences) that the phrase patterns above did not already catch.
KIND_WEIGHTS = {
    "reflections": (26, "reflects the customer's feelings"),
    "advice": (-10, "jumps to advice before showing it understood"),
    "self_talk": (-12, "turns the focus to the agent's own story"),
    "information": (-8, "gives general information instead of responding to this customer"),
}

# The move a reply ends on is the one the customer answers: ending on advice leaves the listening behind.
CLOSING_WEIGHTS = {
    "advice": (-10, "ends by moving on to advice"),
    "advice_questions": (-10, "ends by moving on to advice"),
    "self_talk": (-10, "ends on the agent's own story"),
    "information": (-8, "ends on general information"),
}

# A question any customer could be asked, whatever they said ("how can I help you today?").
GENERIC_QUESTION = re.compile(
    r"\b(?:how (?:can|may|could) (?:i|we) (?:help|assist)|what can (?:i|we) (?:do|help)|(?:can|could|may) (?:i|we) "
    r"help you with anything|anything else (?:i|we) can|is there anything else|what (?:seems to be|is|'s) the "
    r"(?:problem|issue|matter)|how can (?:i|we) be of (?:help|assistance)|what do you need (?:help )?with)\b")
TOLD_A_PROBLEM = 6  # content words in the customer's turn: more than a greeting or a thank-you
PROBLEM_SIGNAL = re.compile(r"\b(?:broken|wrong|charged|late|missing|lost|refund\w*|cancel\w*|stuck|locked|fail\w*|"
                            r"not working|doesn't work|won't|can't|haven't|hasn't|still|twice|want|need|problem|issue|"
                            r"error|complain\w*)\b")
IGNORED_CEILING = 25  # LABELLING.md: asking again for what the customer gave or did caps listening at 25


def assess(prepared: PreparedReply) -> Assessment:
    # an open question counts only inside a sentence that asks: "people who are patient" does not
    matches = [m for m in prepared.find(PATTERNS)
               if code_for(DIMENSION, m.reason) != "listening.open_question" or _asks_at(prepared, m.start)]
    repeats = repeated_requests(prepared) + repeated_suggestions(prepared)
    matches += repeats
    matches += _question_matches(prepared, matches)
    matches += _detail_matches(prepared)
    answer = answer_match(prepared) or fix_answer(prepared)
    if answer:
        matches.append(answer)
    kinds = classify(prepared)
    matches += kind_matches(kinds, matches, KIND_WEIGHTS)
    closing = closing_match(kinds, CLOSING_WEIGHTS)
    if closing:
        matches.append(closing)
    overlap = context_overlap(prepared)
    focus = _customer_focus(prepared)
    if focus:
        matches.append(focus)
    has_context = bool(prepared.context_terms)
    score = 38 + capped_sum(matches, positive_cap=50, negative_cap=45)
    evidence = evidence_from(DIMENSION, matches)
    if has_context:
        score += min(overlap, 0.6) * 40 - 8
        spans = overlap_spans(prepared)[:4]
        evidence += [Evidence(DIMENSION, s, e, t, "+", "uses the customer's own words",
                                      code="listening.customer_words") for s, e, t in spans]
        listening = [m for m in matches if m.weight > 0]
        if overlap == 0 and not listening and prepared.word_count >= 3:
            score -= 15
            evidence.append(Evidence(DIMENSION, 0, min(len(prepared.text), 80), prepared.text[:80], "-",
                                     "does not take up anything the customer said", code="listening.ignores_customer"))
    codes = set(match_codes(DIMENSION, matches))
    features = {
        "al_reflect": sum(m.weight for m in matches if m.weight > 0) / 25,
        "al_question": float(bool(codes & ASKS)),
        "al_advice": float(bool(codes & ADVICE)),
        "al_self": float(bool(codes & SELF_FOCUS)),
        "al_overlap": overlap,
        "al_has_context": float(has_context),
        "al_question_share": kinds.share("questions"),
        "al_advice_question_share": kinds.share("advice_questions"),
        "al_advice_share": kinds.share("advice"),
        "al_self_share": kinds.share("self_talk"),
        "al_reflection_share": kinds.share("reflections"),
        "al_information_share": kinds.share("information"),
        "al_you_focus": kinds.you_focus,
    }
    ceiling = IGNORED_CEILING if repeats else 100.0
    if ignores_raised_problem(prepared):  # only pleasantries while the customer's problem stands
        ceiling = min(ceiling, IGNORED_PROBLEM_LISTENING)
    score = min(clamp(score), ceiling)
    return Assessment(DIMENSION, score, sorted(evidence, key=lambda e: e.start), tip(prepared, score, repeats),
                      features, ceiling)


def _asks_at(prepared: PreparedReply, position: int) -> bool:
    """Whether the sentence holding ``position`` asks the customer something."""
    for start, end in prepared.sentences:
        if start <= position < end:
            return asks_customer(informal_to_standard(prepared.analysed[start:end].strip().lower())[0])
    return False


def _question_matches(prepared: PreparedReply, found: list[Match]) -> list[Match]:
    matches = []
    for start, end in prepared.sentences:
        sentence = prepared.analysed[start:end].strip()
        lowered = informal_to_standard(sentence.lower())[0]
        if not asks_customer(lowered):
            continue
        offset = prepared.analysed.index(sentence, start)
        if ADVICE_QUESTION.search(lowered):
            matches.append(Match(offset, offset + len(sentence), sentence,
                                 "suggests a fix as a question instead of asking about the problem", -6))
            continue
        if GENERIC_QUESTION.search(lowered) and _told_a_problem(prepared):
            continue  # "how can I help?" to a customer who has just said how: asks, but about nothing they said
        relevant = bool(prepared.context_terms and _terms_in(prepared, offset, offset + len(sentence)))
        weight, reason = (28, "asks a clarifying question about the customer's problem") if relevant else \
            (24, "asks the customer a question")
        inside = [m for m in found if offset <= m.start < offset + len(sentence) and m.weight < 0]
        if ALREADY_GIVEN.intersection(match_codes(DIMENSION, inside)):
            continue
        if inside:
            weight = 6  # an advice question ("have you tried...?") still invites the customer in
        matches.append(Match(offset, offset + len(sentence), sentence, reason, weight))
    return matches[:2]


_YOU = re.compile(r"\b(?:you|you're|you've|you'd|your|yours|yourself)\b")
_ME = re.compile(r"\b(?:i|i'm|i've|i'd|me|my|mine|myself)\b(?! (?:understand|hear|see|can see|get|'ll|will))")


def _customer_focus(prepared: PreparedReply) -> Match | None:
    """A reply about the customer ("you feel...") listens; one about the agent ("I had...") does not."""
    you, me = len(_YOU.findall(prepared.lower)), len(_ME.findall(prepared.lower))
    if you + me < 2:
        return None
    balance = (you - me) / (you + me)
    if abs(balance) < 0.3:
        return None
    first = _YOU.search(prepared.lower) if balance > 0 else _ME.search(prepared.lower)
    if balance > 0:
        return Match(first.start(), first.end(), prepared.text[first.start():first.end()],
                     "keeps the focus on the customer", 8)
    return Match(first.start(), first.end(), prepared.text[first.start():first.end()],
                 "talks about the agent more than the customer", -10)


def _told_a_problem(prepared: PreparedReply) -> bool:
    """Whether the customer has said what is wrong or what they need, not only hello or thank you."""
    return len(prepared.context_terms) >= TOLD_A_PROBLEM or bool(PROBLEM_SIGNAL.search(prepared.context_lower))


def _terms_in(prepared: PreparedReply, start: int, end: int) -> bool:
    return any(start <= s < end for s, _, _ in overlap_spans(prepared))


def _detail_matches(prepared: PreparedReply) -> list[Match]:
    """The customer's name, order number or other given details, used back in the reply."""
    matches = []
    for key, value in (prepared.facts or {}).items():
        value = str(value).strip()
        if len(value) < 2:
            continue
        position = prepared.text.lower().find(value.lower())
        if position >= 0:
            matches.append(Match(position, position + len(value), prepared.text[position:position + len(value)],
                                 f"uses the customer's {key.replace('_', ' ')}", 12))
    for code in re.finditer(r"#?\b[A-Z]{0,4}-?\d{4,}\b", prepared.context):
        position = prepared.text.find(code.group().lstrip("#"))
        if position >= 0:
            matches.append(Match(position, position + len(code.group().lstrip("#")),
                                 code.group().lstrip("#"), "uses the reference the customer gave", 10))
    return matches


def tip(prepared: PreparedReply, score: float, repeats: list[Match] = ()) -> Tip:
    """Use what the customer already gave, else restate their concern (or close warmly after a thank-you)."""
    name = customer_name(prepared.facts)
    address = f", {name}" if name else ""
    clause, topic = concern_clause(prepared.context), problem_topic(prepared.context)
    check = f"So {clause} — let me check it now." if clause else "Let me check it now."
    if repeats and code_for(DIMENSION, repeats[0].reason) == "listening.repeat_request":
        detail = requested_detail(repeats[0].text)
        return Tip("listening.use_given_detail",
                   (f"The customer already gave the {detail}: use it instead of asking \"{repeats[0].text}\"",),
                   (f"Thanks{address}, I have your {detail} here. {check}",
                    f"I can see your {detail} in your message{address}, so there's no need to send it again. "
                    "I'll check it now."))
    if repeats:
        own_side = f"So {clause} — I'll check it from my side now." if clause else "I'll check it from my side now."
        return Tip("listening.build_on_what_was_tried",
                   (f"The customer says they already tried this: instead of \"{repeats[0].text}\", acknowledge it and "
                    "take the next step yourself",),
                   (f"Thanks for trying that already{address}. {own_side}",
                    f"You've already tried that{address}, so I won't ask you to do it again. I'll look at it from our "
                    "side now."))
    if closing_thanks(prepared.context):
        return Tip("listening.acknowledge_close",
                   ("Take up what the customer just said before you close",
                    "Answer the customer's thanks and check nothing else is open"),
                   (f"You're welcome{address}, I'm glad that's sorted. Is there anything else I can help with today?",
                    f"Thanks for letting me know{address}. Is there anything else you'd like me to check?"))
    restate = ("Restate the customer's concern in their own words and check it before you answer",
               "Check you have understood the customer's concern before you answer")
    if clause:
        return Tip("listening.restate_concern", restate,
                   (f"So {clause} — have I got that right{address}?",
                    f"Just to check I've understood{address}: {clause}. Is that right?"))
    if topic:
        return Tip("listening.restate_concern", restate,
                   (f"So this is about {topic} — have I got that right{address}?",
                    f"Just to check I've understood{address}: you're getting in touch about {topic}. Is that right?"))
    return Tip("listening.restate_need",
               ("Open by checking what the customer needs before you answer",
                "Ask what the customer needs before you answer"),
               (f"Just to make sure I understand{address}: what would you like me to sort out first?",
                f"Before I answer{address}, can you tell me a bit more about what happened?"))
