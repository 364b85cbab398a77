"""Asking the customer again: for a detail they already gave, or to try what they say they already did.

Both tell the customer they were not listened to; LABELLING.md puts such a reply in band 1 for active
listening however polite the rest of it is.
"""
from __future__ import annotations

import re

from .language import Match, PreparedReply, stem

# "what's your ...", "can I take your ...", "please provide the ...", "I'll need your ..."
_ASK = (r"(?:what(?:'s| is| was| are)|which is|(?:can|could|may|might) (?:you|i|we) (?:please |just |quickly |kindly )?"
        r"(?:give|get|have|take|grab|provide|send|confirm|tell|share|check|pop|double[- ]check|know|repeat|verify)|"
        r"(?:please|kindly) (?:provide|send|give|confirm|share|tell|reply with|supply|repeat|verify|let (?:me|us) know)|"
        r"(?:i|we)(?:'ll| will|'d| would)? need|(?:send|give|tell|provide|dm|pm|message|inbox) (?:me|us)|"
        r"let (?:me|us) know|(?:i|we) require|confirm|share)")
_DETAIL = (r"(?:[\w'-]+ ){0,3}?(?:number|no\.?|reference|ref|code|postcode|post code|zip(?: code)?|name|e-?mail"
           r"(?: address)?|address|username|user ?name|login|id|imei|reading|serial|details|date of birth|pnr)\b")
REQUEST = re.compile(rf"\b{_ASK} (?:me |us )?(?:with )?(?:your|the|you|a|an) ({_DETAIL})", re.IGNORECASE)
ALSO = re.compile(rf"\s*(?:,|and|&|,? as well as)\s*(?:your |the |a |an )?({_DETAIL})", re.IGNORECASE)
GENERIC = {"number", "no", "no.", "reference", "ref", "code", "details", "id", "full", "the", "your", "and", "correct",
           "exact", "relevant", "registered", "contact", "customer", "a", "an"}
# A value the customer gave: a token with a digit ("48213", "GM-20931", "M14"), a booking-style code or an e-mail.
IDENTIFIER = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|\[email\]|(?<![\w£$€.])#?(?=[\w-]*\d)[A-Za-z0-9][\w-]{2,}\b")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|\[email\]")
# A street address or a postcode ("9 Meadow Close", "SN5 7QT", "M14"): the customer said where they are.
PLACE = re.compile(r"\b\d+[a-z]? [A-Z]?\w+ (?:road|rd|street|st|close|avenue|ave|lane|drive|way|court|place|"
                   r"crescent|grove|gardens|terrace|sector|block|nagar)\b|\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b|"
                   r"\b(?:sector|block|postcode|zip(?: code)?) ?[A-Z]?\d{1,6}\b", re.IGNORECASE)
GIVEN_NAME = re.compile(r"\b(?:my name(?:'s| is)|this is|i'm|i am|it's|name's) (?:mr\.? |mrs\.? |ms\.? |dr\.? )?"
                        r"([A-Z][a-z]+)")
NEAR = 60  # characters between the detail's word and its value in the customer's message

# "I've already restarted it", "I've tried the reset link twice", "I've reported it three times"
_DID = r"(?:\w+ed|sent|rang|paid|done|given|gave|went|wrote|spoke|made)(?: [\w'-]+){0,2}"
DONE = re.compile(rf"\b(?:already|i(?:'ve| have)(?: already)?|i) ({_DID})|\b({_DID})(?=[^.?!]{{0,40}}\b(?:twice|"
                  rf"(?:\d+|three|four|five|several|many) times|again and again))", re.IGNORECASE)
IRREGULAR = {"sent": "send", "rang": "ring", "paid": "pay", "did": "do", "done": "do", "gave": "give",
             "given": "give", "went": "go", "rebooted": "reboot", "wrote": "write", "spoke": "speak", "made": "make"}
ACTIONS = {stem(word) for word in ("restart", "reboot", "reset", "reinstall", "install", "update", "clear", "unplug",
                                   "plug", "switch", "turn", "log", "sign", "send", "email", "call", "ring", "report",
                                   "submit", "upload", "check", "change", "pay", "cancel", "return", "fill", "enter",
                                   "speak", "write", "contact", "follow")}
LIGHT_VERBS = {stem(word) for word in ("use", "using", "do", "doing", "go", "going", "give", "giving", "have", "having",
                                      "get", "getting", "make", "making", "take", "taking", "try", "trying")}
SUGGESTION = re.compile(r"\b(?:have you (?:tried|checked|thought about)|did you (?:try|check)|(?:please|could you|can "
                        r"you|you (?:could|should|can|need to|will need to|may want to|might want to))(?: try)?|try)"
                        r"((?: [\w'-]+){1,5})", re.IGNORECASE)


STEP = re.compile(r"\s*(?:\d+[.)]\s*)?(?:(?:please|just|first|then|also|try)[, ]+)*((?:[\w'-]+ ?){1,5})",
                  re.IGNORECASE)


def repeated_requests(prepared: PreparedReply) -> list[Match]:
    """Requests for a detail the customer already gave (in their words, or a scenario fact they have said)."""
    matches = []
    for request in REQUEST.finditer(prepared.text):
        details, end = [request.group(1).lower()], request.end()
        for more in _following(prepared.text, end):
            details.append(more.group(1).lower())
            end = more.end()
        given = [detail for detail in details if _already_given(detail, prepared)]
        if given:
            matches.append(Match(request.start(), end, prepared.text[request.start():end],
                                 f"asks for the {_label(given[0])} the customer already gave", -20))
    return matches


def requested_detail(request: str) -> str:
    """The detail a request asks for ("order number" in "can you give me your order number"), for tips."""
    found = REQUEST.search(request)
    return _label(found.group(1).lower()) if found else "details"


def repeated_suggestions(prepared: PreparedReply) -> list[Match]:
    """Suggestions to do what the customer says they have already done ("have you tried restarting it?")."""
    done = _done_actions(prepared.context)
    if not done:
        return []
    found = [(m.start(), m.end(), m.group(1).split()) for m in SUGGESTION.finditer(prepared.text)]
    for start, end in prepared.sentences:  # a step given as an order: "1. Restart your printer."
        step = STEP.match(prepared.text, start)
        if step and not any(s <= step.start(1) < e for s, e, _ in found):
            found.append((step.start(1), step.end(), step.group(1).split()))
    return [Match(start, end, prepared.text[start:end], "suggests what the customer already tried", -20)
            for start, end, words in sorted(found) if done & _suggested_actions(words)]


def _suggested_actions(words: list[str]) -> set[str]:
    """The action a suggestion names: its verb, or after a light verb ("using the reset link") the words after."""
    if not words:
        return set()
    first = _stem(words[0])
    return {_stem(word) for word in words[1:4]} if first in LIGHT_VERBS else {first}


def _following(text: str, position: int):
    while (more := ALSO.match(text, position)) is not None:
        yield more
        position = more.end()


def _stem(word: str) -> str:
    word = word.lower()
    return stem(IRREGULAR.get(word, word))


# "...ask me to turn the router off and on again. I've done that": the action is named just before
DONE_THAT = re.compile(r"\b(?:i(?:'ve| have)(?: already)?|already) (?:done|tried|did) (?:that|it|this|those|these|both|"
                       r"all of (?:that|those|them))\b", re.IGNORECASE)


def _done_actions(context: str) -> set[str]:
    done = {_stem(word) for found in DONE.finditer(context) for group in found.groups()
            for word in (group or "").split()}
    for found in DONE_THAT.finditer(context):
        done |= {_stem(word) for word in re.findall(r"[\w'-]+", context[max(0, found.start() - 120):found.start()])}
    return done & ACTIONS


def _said(value, context: str) -> bool:
    """Whether the customer's words hold a fact's value ("BL-48213", "Dana"): a scenario knows facts the customer
    has not said yet."""
    value = str(value).strip().lower()
    return len(value) >= 2 and value in context.lower()


def _label(detail: str) -> str:
    return re.sub(r"^(?:your|the|a|an|full|correct|exact|registered) ", "", detail)


def _already_given(detail: str, prepared: PreparedReply) -> bool:
    words = re.findall(r"[\w'-]+", detail)
    if any((key.lower().replace("_", " ") in detail or words[-1] in key.lower()) and _said(value, prepared.context)
           for key, value in prepared.facts.items()):
        return True
    if words[-1] == "name":
        return bool(GIVEN_NAME.search(prepared.context))
    if "mail" in words[-1] or detail.endswith("mail address"):
        return bool(EMAIL.search(prepared.context))
    if words[-1] in ("address", "postcode", "code") and (words[-1] != "code" or "post" in words) and \
            PLACE.search(prepared.context):
        return True
    keys = {_stem(w) for w in words if w not in GENERIC} or {_stem(words[-1])}
    context = prepared.context
    for value in IDENTIFIER.finditer(context):
        nearby = context[max(0, value.start() - NEAR):value.end() + NEAR]
        if keys <= {_stem(w) for w in re.findall(r"[\w-]+", nearby)}:
            return True
    return False
