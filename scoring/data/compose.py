"""Compose Coach's labelled training replies (reproducible): ``python -m scoring.data.compose``.

A reply is a short sequence of *moves* (reflecting a feeling, restating the concern, asking, affirming,
apologising, advising, informing, talking about oneself, dismissing...; the seed phrasings are in
``phrases.py``) said to a person in a situation (``situations.py``: customer-service problems across
industries and channels, and personal worries). Customer-service replies may add a commitment, internal
terms and a level of clarity. Each dimension's label follows LABELLING.md from the moves the reply makes;
a dimension the reply says nothing about is left unlabelled (null). ``phrase_split`` composes from four
fifths of each phrase list ("train") or the remaining fifth ("holdout"), so a model can be checked on
phrasings it has never seen.
"""
from __future__ import annotations

import json
import random
from pathlib import Path


from . import phrases
from .situations import FEELINGS, MOOD_FEELINGS, MOOD_LINES, PERSONAL, SERVICE

OUT = Path(__file__).resolve().parent / "replies.jsonl"
NAMES = ["Maria", "James", "Aisha", "Tom", "Priya", "Chen", "Fatima", "Luca", "Grace", "Omar", "Sofia", "Dan",
         "Keiko", "Ana", "Ben", "Zara", "Ivan", "Nia", "Raj", "Emma", "Kwame", "Lena", "Mateo", "Yusuf"]

# family: (phrases, active-listening label, empathy label, kind)
#   kind "listen": takes up what the person said; "warm": validates; "fix": moves on to a fix or to oneself;
#   "case": works on the customer's own case (commits to an action, explains what happened to their order).
FAMILIES = {
    "reflect": (phrases.REFLECT_FEELING, 90, 90, "listen"),
    "restate": (phrases.RESTATE, 88, 58, "listen"),
    "question": (phrases.QUESTION, 74, 36, "listen"),
    "affirm": (phrases.AFFIRM, 36, 86, "warm"),
    "apologise": (phrases.APOLOGISE, 48, 72, "warm"),
    "acknowledge": (phrases.ACKNOWLEDGE, 44, 42, "neutral"),
    "token": (phrases.TOKEN, 30, 48, "neutral"),
    "suggest": (phrases.SUGGEST, 28, 28, "fix"),
    "inform": (phrases.INFORM, 24, 24, "fix"),
    "self": (phrases.SELF_DISCLOSE, 18, 30, "fix"),
    "dismiss": (phrases.DISMISS, 12, 8, "bad"),
    "ignore": (phrases.IGNORE, 10, 22, "bad"),
    "commit": (phrases.COMMIT, 45, 40, "case"),
    "explain": (phrases.EXPLAIN, 45, 35, "case"),
}
SERVICE_ONLY = {"explain"}  # an account, an order, a booking: said only to a customer
SINGLE_WEIGHTS = {"reflect": 6, "restate": 5, "question": 7, "affirm": 6, "apologise": 3, "acknowledge": 2,
                  "token": 2, "suggest": 7, "inform": 5, "self": 5, "dismiss": 4, "ignore": 2, "commit": 3,
                  "explain": 3}
TIMES = ["by 5 pm today", "within 24 hours", "by tomorrow morning", "by Friday", "within two working days",
         "this afternoon", "by the end of the day", "in the next hour"]
FOLLOW = ["and I'll call you back to confirm", "and I'll email you once it's done", "and I'll keep you updated",
          "and I'll message you as soon as it's through", "and I'll check back in with you"]
JARGON = [["RMA", "SKU", "backorder"], ["DSLAM", "packet loss", "node"], ["MRC", "proration", "billing cycle"],
          ["ACH", "settlement", "BACS"], ["PNR", "IROP", "SSR"], ["SSO", "token", "cache"],
          ["adjudication", "FNOL", "subrogation"], ["tariff", "estimated read", "arrears"], ["SLA", "work order", "dispatch"]]
EXPLAINED = ["the RMA, which is just a returns number,", "your PNR, the booking reference,",
             "the cache, the saved data in your browser,", "the SLA, the time we promise to fix things in,",
             "arrears, money owed from earlier bills,", "a chargeback, which means we ask the shop for the money back,"]
ACTIONS = ["chase this up", "sort this out", "put this right", "get this fixed", "look into this", "escalate this"]


def bank(family: str, phrase_split: str) -> list[str]:
    items = FAMILIES[family][0]
    if phrase_split == "all":
        return items
    return [p for i, p in enumerate(items) if (i % 5 == 4) == (phrase_split == "holdout")]


def fill(template: str, slots: dict) -> str:
    text = template.format(**slots)
    return text[:1].upper() + text[1:]


def choose_moves(rng: random.Random, service: bool = True) -> list[str]:
    families = sorted(f for f in SINGLE_WEIGHTS if service or f not in SERVICE_ONLY)
    weights = [SINGLE_WEIGHTS[f] for f in families]
    count = rng.choices([1, 2, 3], weights=[45, 40, 15])[0]
    moves: list[str] = []
    while len(moves) < count:
        move = rng.choices(families, weights=weights)[0]
        if move not in moves:
            moves.append(move)
    return moves


def label_moves(moves: list[str], rng: random.Random) -> tuple[int, int]:
    kinds = [FAMILIES[m][3] for m in moves]
    listening = max(FAMILIES[m][1] for m in moves)
    warmth = max(FAMILIES[m][2] for m in moves)
    fixes = kinds.count("fix")
    if fixes and len(moves) > fixes:
        listening -= 20 * fixes  # listening, then moving on to a fix: good (band 4), not the best
        warmth -= 12 * fixes
    if "reflect" in moves or "restate" in moves:
        listening += 4 * ("question" in moves)
    if "ignore" in moves:
        listening = min(listening, 25)
    if "dismiss" in moves:
        warmth = min(warmth, 15)
    jitter = lambda v: max(0, min(100, v + rng.randint(-4, 4)))  # noqa: E731
    return jitter(listening), jitter(warmth)


def situation(rng: random.Random, service: bool | None = None) -> dict:
    service = rng.random() < 0.65 if service is None else service
    message, clause, topic, detail, steps, facts = rng.choice(SERVICE if service else PERSONAL)
    mood = rng.choice(sorted(MOOD_LINES))
    feeling = rng.choice(MOOD_FEELINGS[mood])
    name, ref = rng.choice(NAMES), f"#{rng.randint(10000, 999999)}"
    fact = rng.choice(facts)
    slots = {"clause": clause, "topic": topic, "detail": detail.format(ref=ref), "name": name, "feeling": feeling,
             "hard": FEELINGS[feeling], "step": rng.choice(steps), "fact": fact, "fact_lower": fact[:1].lower() + fact[1:]}
    opener = rng.choice(["Hi, ", "Hello. ", "", "", f"Hi, this is {name}. ", f"{name} here. "]) if service else \
        rng.choice(["", "", "Hi. ", "I don't know who else to talk to. "])
    context = f"{opener}{message.format(ref=ref)} {rng.choice(MOOD_LINES[mood])}".strip()
    return {"service": service, "mood": mood, "context": context, "slots": slots, "name": name, "ref": ref}


def ownership_part(level: int, rng: random.Random) -> str:
    action = rng.choice(ACTIONS)
    options = {
        1: ["You'll have to call the other department.", "That's not my department.", "There's nothing I can do.",
            "You need to contact the manufacturer.", "It's out of our hands.", "I can't help with that."],
        2: ["Someone will get back to you.", "Please try again later.", "Hopefully it sorts itself out.",
            "The team might look at it at some point.", "We'll see what can be done."],
        3: ["We can look into it.", f"It may be possible to {action}.", f"We could {action} if needed."],
        4: [f"I'll {action} for you.", f"Let me {action} now.", f"I'm going to {action} myself."],
        5: [f"I'll {action} {rng.choice(TIMES)}, {rng.choice(FOLLOW)}.",
            f"Let me {action} right now; it will be done {rng.choice(TIMES)} {rng.choice(FOLLOW)}.",
            f"I'm going to {action} {rng.choice(TIMES)}, {rng.choice(FOLLOW)}. Leave it with me."],
    }
    return rng.choice(options[level])


def jargon_part(level: int, rng: random.Random) -> str:
    terms = rng.choice(JARGON)
    if level == 5:
        return ""
    if level == 4:
        return rng.choice([f"I've checked {rng.choice(EXPLAINED)} and it's all in order.",
                           f"I've updated {rng.choice(EXPLAINED)} so it shows correctly."])
    picked = rng.sample(terms, k={1: 3, 2: 2, 3: 1}[level])
    return rng.choice(["I've updated the {0}{1}.", "This shows as a {0} issue{1}.", "The {0} has been flagged{1}."]).format(
        picked[0], "".join(f" and the {t}" for t in picked[1:]))


def apply_clarity(level: int, parts: list[str], rng: random.Random) -> str:
    parts = [p for p in parts if p]
    if level >= 4:
        text = " ".join(parts)
        if level == 5:
            text += rng.choice([" Here's what happens next: you'll get an email with the details.",
                                " Next step: check your email for a confirmation.", ""])
        return text
    joiners = {3: [", and ", " and also ", "; "], 2: [" and then basically ", ", and so on, and ", " and also kind of "],
               1: [" and um like ", " and whatever, ", " so yeah and "]}[level]
    body = parts[0].rstrip(".?!")
    for part in parts[1:]:
        body += rng.choice(joiners) + part[:1].lower() + part[1:].rstrip(".?!")
    tail = {3: "", 2: " or something like that", 1: " etc etc, we'll sort of see how it goes somehow at the end of the day"}[level]
    return body + tail + "."


def register(text: str, rng: random.Random) -> str:
    """Casual channels: sometimes lower case, no final full stop, an exclamation."""
    roll = rng.random()
    if roll < 0.08:
        return text.lower().rstrip(".")
    if roll < 0.14:
        return text.replace(".", "!", 1)
    return text


def compose(rng: random.Random, phrase_split: str = "train") -> dict:
    place = situation(rng)
    moves = choose_moves(rng, place["service"])
    if "reflect" in moves and rng.random() < 0.5:  # feelings and restatements tend to come first
        moves.insert(0, moves.pop(moves.index("reflect")))
    parts = [fill(rng.choice(bank(move, phrase_split)), place["slots"]) for move in moves]
    listening, warmth = label_moves(moves, rng)
    labels: dict[str, int | None] = {"active_listening": listening, "empathy": warmth, "clarity": None,
                                     "jargon": 90 + rng.randint(-4, 4), "ownership": None}
    channel = rng.choice(["chat", "email", "phone", "social"]) if place["service"] else "conversation"
    if place["service"] and rng.random() < 0.55:
        levels = {d: rng.choice([1, 2, 3, 3, 4, 4, 5, 5]) for d in ("clarity", "jargon", "ownership")}
        parts += [jargon_part(levels["jargon"], rng), ownership_part(levels["ownership"], rng)]
        if channel in ("email", "chat") and rng.random() < 0.4:
            parts.insert(0, rng.choice([f"Hi {place['name']},", "Hello,", f"Dear {place['name']},"]))
        reply = apply_clarity(levels["clarity"], parts, rng)
        for dimension, level in levels.items():
            labels[dimension] = max(0, min(100, 10 + 20 * (level - 1) + rng.randint(-5, 5)))
    else:
        reply = register(" ".join(parts), rng) if channel in ("chat", "social", "conversation") else " ".join(parts)
    return {"channel": channel, "mood": place["mood"], "moves": moves, "context": place["context"], "reply": reply,
            "facts": {"name": place["name"], "reference": place["ref"]}, "labels": labels}


def compose_moves(count: int = 8000, seed: int = 11, phrase_split: str = "all") -> list[tuple[str, str]]:
    """(sentence, move family) pairs: each family's phrasings filled into random situations and registers."""
    rng = random.Random(seed)
    families = sorted(FAMILIES)
    pairs = []
    for i in range(count):
        family = families[i % len(families)]
        place = situation(rng, service=True if family in SERVICE_ONLY else None)
        pairs.append((register(fill(rng.choice(bank(family, phrase_split)), place["slots"]), rng), family))
    return pairs


def move_values() -> dict[str, tuple[int, int, str]]:
    """Each move family's listening and empathy label and its kind ("listen", "fix", "case"...; LABELLING.md)."""
    return {family: (listening, empathy, kind) for family, (_, listening, empathy, kind) in FAMILIES.items()}


def compose_all(count: int = 6000, seed: int = 7, phrase_split: str = "all") -> list[dict]:
    rng = random.Random(seed)
    return [compose(rng, phrase_split) for _ in range(count)]


def main(count: int = 6000, seed: int = 7, out: Path = OUT) -> Path:
    with out.open("w", encoding="utf-8") as file:
        for row in compose_all(count, seed):
            file.write(json.dumps(row, ensure_ascii=False) + "\n")
    return out


if __name__ == "__main__":
    print(main())
