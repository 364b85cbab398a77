"""Ownership: first-person commitments, a timeline and a follow-up; penalise deflection."""
from __future__ import annotations

from .assess import capped_sum, clamp, evidence_from
from .language import PreparedReply, compile_patterns, next_action
from .evidence_codes import match_codes, timed_commitments
from .scorecard import Assessment
from .tips import Tip

DIMENSION = "ownership"
DAYS = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|tonight|today)"

# handing the next move to the customer: "you'll have to call", "you'd need to check with the manufacturer",
# "you could try contacting the courier directly"; shared with the role-play's deflection rule
HAND_OFF = (
    r"\byou(?:'ll| will)? (?:have|need) to (?:call|contact|email|go|reach|speak|visit|ask|phone|get in touch|"
    r"take it up|write|raise|submit|wait|check with|ring|chase)\b|\byou(?:'d| would) (?:have|need) to (?:call|contact|"
    r"ask|speak|check with|ring|phone|email|get in touch|take it up|go back to|chase)\b|"
    r"\byou (?:could|can|might|may|should)(?: want to)?(?: try| always)? (?:contacting|calling|ringing|phoning|"
    r"emailing|getting in touch with|speaking to|checking with|asking|chasing|contact|call|ring|phone|email|"
    r"get in touch with|speak to|check with|ask|chase) (?:the|your|them|their|him|her|another|a different)\b|"
    r"\b(?:please )?(?:contact|call|ask|reach out to) (?:the|your|our|another|a different) (?:bank|manufacturer|"
    r"carrier|courier|seller|other|billing|sales|technical|relevant|correct|right)\b")

PATTERNS = compile_patterns([
    (r"\b(?:i'll|i will|i'm going to|let me)\s+(?:personally\s+)?(?:follow up|call you back|call you|email you|"
     r"message you|text you|update you|keep you (?:posted|updated|informed|in the loop)|check back|get back to you|"
     r"reach out|let you know|check in)\b|\byou(?:'ll| will) hear (?:back )?from me\b|\bi(?:'ll| will) be in touch\b|"
     r"\band (?:then )?(?:email|e-mail|call|text|message|ring|update) you (?:when|once|as soon as|to confirm|with)\b",
     18, "promises a follow-up"),
    # any action the agent takes on ("I'll run a line test"), not a hedge, a feeling or the customer's part
    (r"(?<!please )(?<!you can )(?<!you could )(?<!to )\b(?:i'll|i will|i'm going to|i am going to|let me|i'm gonna)"
     r"\s+(?:personally\s+|now\s+|also\s+|just\s+|go ahead and\s+|be\s+(?:the one|sure|happy)\s+(?:to\s+)?)?"
     r"(?!(?:not|never|be|have to|need|try|know|say|admit|bet|guess|hope|think|wait|pretend|ask|explain|tell|"
     r"probably|maybe|possibly|want|like|leave|look into|see about|see what)\b)[a-z]{2,}\b", 22,
     "commits to an action in the first person"),
    (r"\bi(?:'ve| have)\s+(?:just\s+|now\s+|already\s+|gone ahead and\s+)?(?:issued|processed|sent|escalated|"
     r"updated|booked|arranged|refunded|cancelled|canceled|credited|reset|raised|fixed|corrected|ordered|added|"
     r"removed|applied|waived|reversed|flagged|replaced|scheduled|logged|approved|re-?sent|unlocked|restored|taken|"
     r"put|made|changed|moved|given|set up|cleared|paid|posted|submitted|emailed|renewed|extended|activated|"
     r"reactivated|upgraded|switched|transferred|released|rebooked|resolved|completed|filed|opened|created|"
     r"returned|expedited|refunded|swapped|adjusted|amended|dispatched|shipped|placed|sorted)\b", 24,
     "has already acted for the customer"),
    # the customer's problem stated as dealt with ("your account is closed as of now", "that's done: it's cancelled")
    (r"\b(?:that's|that is|it's|it is|all|everything's|everything is) (?:now |all )?(?:done|sorted|cancelled|canceled|"
     r"fixed|refunded)\b|\b(?:your|the) (?:[a-z£$€0-9.]+ ){0,2}(?:is|are|has been|have been|'s been|was|were) (?:now |"
     r"already |just |all )?(?:closed|cancell?ed|refunded|restored|reconnected|removed|waived|booked|sent|fixed|sorted|"
     r"credited|updated|changed|reversed|unlocked|reactivated|reset|arranged|scheduled|confirmed|approved|processed|"
     r"released|dispatched|on (?:its|their) way|back on|going (?:on|back) (?:to|on)(?: your)?)\b", 24,
     "has already acted for the customer"),
    # an action the agent is doing now ("I'm emailing you the confirmation now", "we're sending a new card")
    (r"\b(?:i'm|i am|we're|we are)\s+(?:now\s+|just\s+|already\s+|currently\s+|also\s+)?(?!(?:going|trying|"
     r"hoping|thinking|wondering|feeling|guessing|waiting|asking|having|getting|looking forward|not|afraid|sorry|"
     r"happy|glad|unable|able|being|telling|saying|seeing|reading|hearing|struggling)\b)[a-z]{3,}ing\s+(?:you|your|"
     r"the|it|this|that|a|an|over|up|out|off|through|back|now)\b", 24, "is acting for the customer now"),
    (r"\b(?:that|this|it|which) (?:will |should |usually )?(?:fix|fixes|solve|solves|sort|sorts|resolve|resolves|"
     r"clear|clears) (?:it|this|that|the (?:problem|issue|error|fault))\b|\bhere's how to (?:fix|solve|sort)\b",
     16, "gives the fix"),
    # self-service steps that solve it: an instruction on a device, app, account or page ("Go to Settings > Apps,
    # clear the data"), not a hand-off to someone else (that is the deflection below)
    (r"(?:^|[.!?;:]\s+|\n)(?:(?:hello|hi|ok|okay|yes|sure)[!,.]?\s+)?(?:(?:please|just|first|then|next|simply|"
     r"you can(?: try(?: to)?)?|you could(?: try(?: to)?)?|try to)\s+)?(?:go to|open|tap|click|select|choose|enter|"
     r"press|hold|restart|reboot|reset|reinstall|install|uninstall|download|update|upgrade|clear|delete|log (?:in|out)|"
     r"sign (?:in|out)|enable|disable|turn (?:on|off)|switch (?:on|off)|unplug|plug|connect|disconnect|insert|"
     r"re-?register|register|back up|log into|sign into|set|change|remove|check whether|make sure)\b|"
     r"\b(?:settings?|menu|options?|tools)\s*(?:>|→|-)\s*\w", 16, "gives the steps to fix it"),
    # the answer to why ("that's because the firmware does not support it yet")
    (r"\b(?:that's|that is|this is|it's|it is|which is) (?:mainly |probably |likely )?because\b|\bthe (?:reason|"
     r"cause) (?:is|was|for this)\b|\b(?:is|was|are|were) caused by\b", 10, "explains the cause"),
    (r"\b(?:leave it with me|i(?:'ll| will) take care of (?:it|this|that)|i(?:'m| am) on it|i(?:'ve| have) got "
     r"(?:this|it)|i(?:'ll| will) own this|consider it done)\b", 22, "takes the problem on personally"),
    (r"\b(?:i|we) (?:take|accept) (?:full )?responsibility\b|\b(?:that's|that is|this is|it's|it was) "
     r"(?:on us|on me|our (?:mistake|fault|error)|my (?:mistake|fault|error))\b|\bwe (?:got|messed) (?:this|it|that) "
     r"(?:wrong|up)\b|\bwe made (?:a|an) (?:mistake|error)\b", 20, "takes responsibility"),
    (rf"\bwithin (?:the next )?(?:\d+|an?|one|two|three|four|five|24|48|72) (?:minutes?|hours?|days?|working days?|"
     rf"business days?)\b|\bby (?:the )?(?:end of (?:the )?(?:day|week)|{DAYS}|noon|\d{{1,2}}(?::\d\d)?\s?(?:am|pm)|"
     rf"close of business)\b|\b(?:later )?{DAYS}(?: (?:morning|afternoon|evening))?\b|\bin the next (?:\d+|few|"
     rf"hour|day)\b|\bright (?:now|away)\b|\bnow(?=\s*[.!]|\s*$)|\bstraight away\b|\bthis (?:morning|afternoon|evening|week)\b", 14,
     "gives a timeline"),
    (HAND_OFF, -22, "pushes the work back onto the customer"),
    (r"\b(?:not|isn't|is not) (?:my|our) (?:department|job|responsibility|area|problem|team|call|fault)\b|"
     r"\b(?:there's|there is|there isn't|there is not) (?:nothing|anything|not much|little) (?:more )?(?:i|we) can "
     r"do\b|\bnothing (?:i|we) can do\b|\bi can(?:'t|not) help(?: you)?(?: with that)?\b|\b(?:that's|it's|that is|"
     r"it is) (?:out of|outside|beyond) (?:my|our) (?:control|hands|remit)\b|\bi just work here\b|\bthe system "
     r"won't let me\b|\bi don't make the rules\b|\bnot something (?:i|we) (?:can|handle|deal with)\b|\bi'm not "
     r"(?:allowed|able|authorised|authorized) to\b|\bthere's no way\b", -28, "deflects responsibility"),
    (r"\b(?:someone|somebody|a colleague|the team|they)(?: else)? (?:will|should|might|may) (?:get back|contact|"
     r"call|reach out|be in touch|look)\b|\bhopefully\b|\bwe'll see\b|\bi don't know\b|\bnot sure\b|\bi guess\b|"
     r"\bmaybe (?:someone|they)\b|\b(?:i'll|i will|let me|we'll|we will) (?:look into|see about|see what)\b|\bit(?:'s| is) (?:the|their) (?:courier|warehouse|system|other team)'?s? "
     r"(?:fault|problem)\b|\btry again later\b|\bin due course\b|\bat some point\b|\b(?:by|to) the relevant "
     r"(?:team|department|people)\b", -12, "vague or passive about what happens next"),
])
DEFLECTION_CEILING = 19.0  # rubric band 1: "Deflects ('not my department', 'nothing I can do', 'you'll have to call')"


def assess(prepared: PreparedReply) -> Assessment:
    matches = prepared.find(PATTERNS)
    score = 30 + capped_sum(matches, positive_cap=68, negative_cap=55)
    codes = match_codes(DIMENSION, matches)
    features = {
        "ow_commit": float(sum(m.weight > 0 and code == "ownership.commitment" for m, code in zip(matches, codes))),
        "ow_timeline": float("ownership.timeline" in codes),
        "ow_follow": float("ownership.follow_up" in codes),
        "ow_deflect": float(sum(m.weight < 0 for m in matches)),
    }
    # a deflection with no commitment of the agent's own is band 1 (the rubric's anchor) whatever a learned part says
    deflects = any(m.weight <= -22 for m in matches) and not any(m.weight > 0 for m in matches)
    ceiling = DEFLECTION_CEILING if deflects else 100.0
    score = min(clamp(score), ceiling)
    return Assessment(DIMENSION, score, timed_commitments(evidence_from(DIMENSION, matches), prepared.sentences),
                      tip(prepared, score, matches), features, ceiling)


def tip(prepared: PreparedReply, score: float, matches: list) -> Tip:
    """Own the next step instead of deflecting; pair a commitment with a time and a follow-up."""
    action = next_action(prepared.context)
    examples = (f"{action} right now, and I'll call you back by 3 pm today to confirm it's done.",
                f"Leave it with me. {action} today and e-mail you by 5 pm to confirm.")
    deflection = [m for m in matches if m.weight < 0]
    if deflection:
        return Tip("ownership.replace_deflection",
                   (f"Instead of \"{deflection[0].text}\", own the next step yourself",), examples)
    codes = set(match_codes(DIMENSION, matches))
    if "ownership.timeline" not in codes and "ownership.commitment" in codes:
        return Tip("ownership.add_timeline", ("Add a time and a follow-up to your commitment",
                                              "Say when it will be done and how you'll confirm it"), examples)
    return Tip("ownership.commit_first_person", ("Commit to the next step in the first person, with a time",
                                                 "Say what you will do next yourself, and by when"), examples)
