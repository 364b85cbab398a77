"""Compose Coach's labelled training replies (reproducible): ``python -m scoring.data.compose``.

Each reply is assembled from parts whose level per dimension is chosen first; the labels follow
LABELLING.md (level 1-5 -> score 10/30/50/70/90, with a little jitter). Industries, channels, customer
moods, names, details and phrasings vary so a model learns the behaviour, not a template.
"""
from __future__ import annotations

import json
import random
from pathlib import Path

from scoring.scorecard import DIMENSIONS

OUT = Path(__file__).resolve().parent / "replies.jsonl"
NAMES = ["Maria", "James", "Aisha", "Tom", "Priya", "Chen", "Fatima", "Luca", "Grace", "Omar", "Sofia", "Dan",
         "Keiko", "Ana", "Ben", "Zara", "Ivan", "Nia", "Raj", "Emma"]

# industry: (issue clause in the customer's words, topic noun, agent action, jargon terms, explained version)
ISSUES = {
    "retail": [("my order {ref} still hasn't arrived", "order", "chase the courier", ["WISMO ticket", "3PL", "carrier manifest"], "the carrier manifest, the courier's list of parcels,"),
               ("the jacket I got is the wrong size", "exchange", "send you the right size", ["RMA", "SKU", "backorder"], "an RMA, which is just a returns number,"),
               ("the blender arrived broken", "replacement", "arrange a replacement", ["RMA", "fulfilment centre", "POD"], "the fulfilment centre, our warehouse,")],
    "telecom": [("my internet keeps dropping every evening", "connection", "run a line test", ["DSLAM", "packet loss", "node"], "packet loss, where bits of data go missing,"),
                ("I was charged twice on my phone bill", "bill", "reverse the duplicate charge", ["MRC", "proration", "billing cycle adjustment"], "the MRC, your monthly charge,"),
                ("I can't move my number to the new SIM", "number transfer", "move your number across", ["port-out", "PAC code", "ICCID"], "the PAC code, the code that lets you keep your number,")],
    "banking": [("a payment I made hasn't gone through", "payment", "trace the payment", ["ACH", "settlement", "BACS"], "BACS, the bank-to-bank transfer system,"),
                ("my card was blocked while I was abroad", "card", "unblock your card", ["MCC", "KYC", "authorisation hold"], "an authorisation hold, a temporary hold on the money,"),
                ("there's a charge on my account I don't recognise", "charge", "open a dispute", ["chargeback", "BIN", "reconciliation"], "a chargeback, which means we ask the shop for the money back,")],
    "airline": [("my flight was cancelled and nobody told me", "flight", "rebook you", ["IROP", "PNR", "SSR"], "your PNR, the booking reference,"),
                ("my bag didn't arrive with me", "bag", "trace your bag", ["PIR", "WorldTracer", "AHL"], "a PIR, the lost-bag report,")],
    "software": [("I can't log in to my account since the update", "login", "reset your access", ["SSO", "token", "cache"], "the cache, the saved data in your browser,"),
                 ("the app crashes whenever I open a report", "app", "get the crash fixed", ["hotfix", "regression", "backend"], "a hotfix, a small update that fixes this,"),
                 ("I was billed after I cancelled my subscription", "subscription", "refund the charge", ["proration", "dunning", "billing cycle"], "proration, charging only for the days you used,")],
    "insurance": [("my claim has been pending for six weeks", "claim", "get your claim decided", ["adjudication", "FNOL", "subrogation"], "adjudication, the claim decision,"),
                  ("my premium went up without any explanation", "premium", "review your premium", ["underwriting", "rider", "indemnity"], "underwriting, how we work out the price,")],
    "utilities": [("my energy bill is three times what it usually is", "bill", "check your meter readings", ["estimated read", "tariff", "arrears"], "arrears, money owed from earlier bills,"),
                  ("the engineer didn't turn up for my appointment", "appointment", "rebook the engineer", ["work order", "SLA", "dispatch"], "the SLA, the time we promise to fix things in,")],
    "healthcare": [("my prescription wasn't sent to the pharmacy", "prescription", "resend the prescription", ["formulary", "prior authorization", "EOB"], "prior authorization, the insurer's approval,")],
    "hotel": [("my room wasn't cleaned and the shower is broken", "room", "move you to another room", ["PMS", "OOO room", "housekeeping ticket"], "the PMS, our booking system,")],
    "delivery": [("my food arrived cold and an hour late", "order", "refund the delivery", ["dispatch", "SLA", "last-mile"], "last-mile, the final part of the trip to you,")],
}
MOODS = {
    "angry": ["This is ridiculous!", "I'm furious.", "Absolutely unacceptable.", "I'm so fed up with this.", "Third time I'm contacting you!"],
    "anxious": ["I'm really worried about this.", "I'm stressed because I need it sorted.", "This is making me anxious.", "I don't know what to do."],
    "sad": ["Honestly I'm just exhausted and upset.", "It's been a really hard week already.", "I feel like nobody cares."],
    "neutral": ["Can you help?", "Could you look into it?", "Please advise.", ""],
    "confused": ["I don't understand what happened.", "Nobody has explained anything to me.", "I'm confused about what to do next."],
}
FEELING = {"angry": "frustrating", "anxious": "worrying", "sad": "upsetting", "neutral": "inconvenient",
           "confused": "confusing"}
NAMED = {"angry": "frustrated", "anxious": "worried", "sad": "upset", "neutral": "inconvenienced",
         "confused": "confused"}
TIMES = ["by 5 pm today", "within 24 hours", "by tomorrow morning", "by Friday", "within two working days",
         "this afternoon", "by the end of the day", "in the next hour"]
FOLLOW = ["and I'll call you back to confirm", "and I'll email you once it's done", "and I'll keep you updated",
          "and I'll message you as soon as it's through", "and I'll check back in with you"]


def to_you(clause: str) -> str:
    swaps = {"my": "your", "I": "you", "I'm": "you're", "me": "you", "I've": "you've", "was": "were"}
    return " ".join(swaps.get(word, word) for word in clause.split())


def empathy_part(level: int, mood: str, topic: str, rng: random.Random) -> str:
    options = {
        1: ["Calm down, please.", "That's just our policy.", "You should have read the terms.", "It's not a big deal.",
            "As I already said, there is a process.", "There's no need to get upset.", "Well, that's your problem.",
            "It happens, at least it's only a {topic}."],
        2: ["", "Noted.", "Okay.", "Understood.", "Right."],
        3: ["Sorry for any inconvenience.", "Apologies for the trouble.", "Sorry about that.",
            "We apologise for the inconvenience caused.", "Thank you for your patience."],
        4: ["I'm really sorry about the {topic}, that's not the service you should get.",
            "I'm sorry, I can see this has caused you real trouble.", "I apologise, you deserve better than this.",
            "I'm so sorry this happened, and thank you for bearing with us."],
        5: ["I'm so sorry, that sounds really {feeling}. It's completely understandable to feel {named}.",
            "I can only imagine how {feeling} this has been, and you have every right to be {named}.",
            "I'm really sorry. I can hear how {named} you are, and that makes complete sense.",
            "That must be so {feeling}, I'm sorry. You've done the right thing contacting us.",
            "I understand why you're {named}; I would be too, and I'm sorry."],
    }
    return rng.choice(options[level]).format(topic=topic, feeling=FEELING[mood], named=NAMED[mood])


def listening_part(level: int, clause: str, topic: str, name: str, ref: str, rng: random.Random) -> str:
    you_clause = to_you(clause)
    options = {
        1: ["What is your order number?", "Can you tell me what the problem is?", "Please visit our website for more information.",
            "Have you tried turning it off and on again?", "Our opening hours are 9 to 5.", "Can you send me your full name and email?"],
        2: ["Thanks for your message.", "Thank you for contacting us.", "Thanks for getting in touch.", "Hello, thanks for reaching out."],
        3: ["Regarding your {topic}.", "I've looked at your {topic}.", "About the {topic} issue.", "Thanks for your message about the {topic}."],
        4: ["So {you_clause}, is that right?", "If I understand correctly, {you_clause}.", "You mentioned that {you_clause}.",
            "Just to confirm, {you_clause}?", "When did you first notice the problem with the {topic}?",
            "Could you tell me a bit more about what happened with the {topic}?"],
        5: ["{name}, so {you_clause}, and you've already contacted us about {ref}, is that right?",
            "Thanks for explaining, {name}. If I've understood you correctly, {you_clause}, and that's {ref}.",
            "It sounds like {you_clause}, {name}. Just to make sure I have it right, is that {ref}?",
            "You mentioned {you_clause}, {name}. Is this still about {ref}, and did anything change since?"],
    }
    return rng.choice(options[level]).format(topic=topic, you_clause=you_clause, name=name, ref=ref)


def ownership_part(level: int, action: str, rng: random.Random) -> str:
    options = {
        1: ["You'll have to call the other department.", "That's not my department.", "There's nothing I can do.",
            "You need to contact the manufacturer.", "It's out of our hands.", "I can't help with that."],
        2: ["Someone will get back to you.", "Please try again later.", "Hopefully it sorts itself out.",
            "The team might look at it at some point.", "We'll see what can be done."],
        3: ["We can look into it.", "It may be possible to {action}.", "We could {action} if needed.",
            "There are options to {action}."],
        4: ["I'll {action} for you.", "Let me {action} now.", "I'm going to {action} myself.", "I've gone ahead and asked to {action}."],
        5: ["I'll {action} {time}, {follow}.", "Let me {action} right now; it will be done {time} {follow}.",
            "I'm going to {action} {time}, {follow}. Leave it with me."],
    }
    return rng.choice(options[level]).format(action=action, time=rng.choice(TIMES), follow=rng.choice(FOLLOW))


def jargon_part(level: int, terms: list[str], explained: str, rng: random.Random) -> str:
    picked = rng.sample(terms, k=min(len(terms), {1: 3, 2: 2, 3: 1}.get(level, 0)))
    if level == 5 or not picked and level != 4:
        return ""
    if level == 4:
        return rng.choice([f"I've checked {explained} and it's all in order.", f"I've updated {explained} so it shows correctly."])
    return rng.choice(["I've updated the {0}{1}.", "This shows as a {0} issue{1}.", "The {0} has been flagged{1}."]).format(
        picked[0], "".join(f" and the {t}" for t in picked[1:]))


def apply_clarity(level: int, parts: list[str], rng: random.Random) -> str:
    parts = [p for p in parts if p]
    if level >= 4:
        text = " ".join(parts)
        if level == 5:
            text += rng.choice([" Here's what happens next: you'll get an email with the details.", " Next step: check your email for a confirmation.", ""])
        return text
    joiners = {3: [", and ", " and also ", "; "], 2: [" and then basically ", ", and so on, and ", " and also kind of "],
               1: [" and um like ", " and whatever, ", " so yeah and "]}[level]
    body = parts[0].rstrip(".?!")
    for part in parts[1:]:
        body += rng.choice(joiners) + part[:1].lower() + part[1:].rstrip(".?!")
    tail = {3: "", 2: " or something like that", 1: " etc etc, we'll sort of see how it goes somehow at the end of the day"}[level]
    return body + tail + "."


def compose(rng: random.Random) -> dict:
    industry = rng.choice(sorted(ISSUES))
    clause, topic, action, terms, explained = rng.choice(ISSUES[industry])
    mood, channel = rng.choice(sorted(MOODS)), rng.choice(["chat", "email", "phone", "social"])
    name, ref = rng.choice(NAMES), f"#{rng.randint(10000, 999999)}"
    issue = clause.format(ref=ref)
    opener = rng.choice(["Hi, ", "Hello. ", "", f"Hi, this is {name}. ", f"{name} here. "])
    context = f"{opener}{issue[:1].upper() + issue[1:]}. {rng.choice(MOODS[mood])}".strip()
    levels = {d: rng.choice([1, 2, 3, 3, 4, 4, 5, 5]) for d in DIMENSIONS}
    parts = [listening_part(levels["active_listening"], clause.format(ref=ref), topic, name, ref, rng),
             empathy_part(levels["empathy"], mood, topic, rng)]
    if rng.random() < 0.5:
        parts.reverse()
    parts += [jargon_part(levels["jargon"], terms, explained, rng), ownership_part(levels["ownership"], action, rng)]
    if channel in ("email", "chat") and rng.random() < 0.4:
        parts.insert(0, rng.choice([f"Hi {name},", "Hello,", f"Dear {name},"]))
    reply = apply_clarity(levels["clarity"], parts, rng)
    if levels["jargon"] == 5 and any(t in reply for t in terms):
        levels["jargon"] = 4
    labels = {d: max(0, min(100, 10 + 20 * (level - 1) + rng.randint(-5, 5))) for d, level in levels.items()}
    return {"industry": industry, "channel": channel, "mood": mood, "context": context, "reply": reply,
            "facts": {"name": name, "reference": ref}, "labels": labels}


def main(count: int = 4000, seed: int = 7, out: Path = OUT) -> Path:
    rng = random.Random(seed)
    rows = [compose(rng) for _ in range(count)]
    with out.open("w", encoding="utf-8") as file:
        for row in rows:
            file.write(json.dumps(row, ensure_ascii=False) + "\n")
    return out


if __name__ == "__main__":
    print(main())
