"""Reading a reply: masking markup, sentences, words, phrase matches and overlap with the context."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from .inputs import TimedWord, VoiceFeatures

WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Za-z]")
# A sentence runs to . ! ? or a line break; a decimal point ("22.9%") and a title ("Dr. Patel") do not end one.
SENTENCE_RE = re.compile(r"(?:\b(?:mr|mrs|ms|dr|st|e\.g|i\.e)\.|\d\.(?=\d)|[^.!?\n])+(?:[.!?]+|\n|$)", re.IGNORECASE)
# Letter furniture that says nothing to the customer: "Hi Leanne," on its own line, "Kind regards," and the
# signature after it.
SALUTATION_RE = re.compile(r"^(?:hi|hello|hey|dear|good (?:morning|afternoon|evening))\b[\w .'’-]{0,40}[,!.:]?$",
                           re.IGNORECASE)
SIGNATURE_RE = re.compile(r"^[\^~–—-] ?[A-Za-z]{2,20}$")  # a social-media agent's initials: "^Lou", "- Sam"
SIGN_OFF_RE = re.compile(r"^(?:(?:kind|best|warm|warmest|many)?,? ?(?:regards|wishes|thanks)|thank you|cheers|best|"
                         r"sincerely|yours,?(?: sincerely| faithfully| truly)?|(?:with|all) (?:the|kind|best|warm) "
                         r"(?:best|regards|wishes)|all (?:the )?best|speak soon|talk soon|take care|thanks again)"
                         r"[,!.]?$", re.IGNORECASE)
MARKUP_RE = re.compile(r"<[^<>]{0,200}>|&[a-z]{2,8};|https?://\S+|www\.\S+|@\w+")

STOPWORDS = frozenset("""
a about above after again against all am an and any are aren't as at be because been before being below
between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each few
for from further had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him
himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself let's me more most mustn't my
myself no nor not of off on once only or other ought our ours ourselves out over own same shan't she she'd
she'll she's should shouldn't so some such than that that's the their theirs them themselves then there there's
these they they'd they'll they're they've this those through to too under until up very was wasn't we we'd
we'll we're we've were weren't what what's when when's where where's which while who who's whom why why's with
won't would wouldn't you you'd you'll you're you've your yours yourself yourselves just also really get got
still even yet ok okay hi hello hey thanks thank please yes yeah well like know one going want would im dont
will might must may shall
""".split())

# Words a customer and an agent use for the same thing; overlap counts across a group.
SYNONYM_GROUPS = (
    "refund refunded reimburse reimbursement money back repay",
    "late delay delayed delays overdue slow waiting wait waited",
    "broken broke damaged faulty defective cracked smashed working works",
    "charge charged charges billed bill billing payment paid pay debit debited",
    "cancel cancelled canceled cancellation terminate",
    "deliver delivered delivery arrive arrived arrival shipping shipped parcel package order courier tracking",
    "error fail failed failing crash crashes crashed bug glitch",
    "account login log sign password locked",
    "sad unhappy down depressed miserable",
    "angry furious mad annoyed frustrated frustrating upset",
    "worried anxious nervous scared afraid stressed stress concerned",
    "lonely alone isolated",
    "job work career employer boss",
    "friend friends friendship",
    "partner boyfriend girlfriend husband wife spouse relationship",
)
_SYNONYM = {word: group.split()[0] for group in SYNONYM_GROUPS for word in group.split()}


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    text: str
    reason: str
    weight: float


@dataclass
class PreparedReply:
    """A reply ready for the dimension assessors; offsets always refer to ``text``."""

    text: str
    context: str
    facts: dict
    words: list[TimedWord] = field(default_factory=list)
    voice: VoiceFeatures | None = None
    memo: dict = field(default_factory=dict, repr=False, compare=False)  # readings the dimensions share

    def __post_init__(self) -> None:
        self.analysed = MARKUP_RE.sub(lambda m: " " * len(m.group()), self.text)
        self.lower = self.analysed.lower().replace("’", "'")
        self.standard, self.standard_positions = informal_to_standard(self.lower)
        self.context_lower = MARKUP_RE.sub(" ", self.context).lower().replace("’", "'")
        self.tokens = [m.group().lower().replace("’", "'") for m in WORD_RE.finditer(self.analysed)]
        self.sentences = body_sentences(self.analysed)
        self.context_terms = content_terms(self.context_lower)
        self.reply_terms = content_terms(self.lower)

    @property
    def word_count(self) -> int:
        return len(self.tokens)

    def find(self, patterns: list[tuple[re.Pattern, float, str]]) -> list[Match]:
        """Every non-overlapping match of the weighted patterns, earliest pattern wins a tie."""
        found: list[Match] = []
        for pattern, weight, reason in patterns:
            for m in pattern.finditer(self.standard):
                start, end = self.standard_positions[m.start()], self.standard_positions[m.end() - 1] + 1 \
                    if m.end() > m.start() else self.standard_positions[m.start()]
                if any(start < f.end and f.start < end for f in found):
                    continue
                found.append(Match(start, end, self.text[start:end], reason, weight))
        return sorted(found, key=lambda f: f.start)


def body_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of the sentences that say something: not an e-mail's greeting line, sign-off or signature."""
    sentences = [(m.start(), m.end()) for m in SENTENCE_RE.finditer(text) if WORD_RE.search(m.group())]
    lines = [text[s:e].strip() for s, e in sentences]
    for index in range(len(sentences) - 1, max(len(sentences) - 4, 0) - 1, -1):
        if SIGN_OFF_RE.match(lines[index]) and index > 0:
            sentences, lines = sentences[:index], lines[:index]
            break
    if len(lines) > 1 and SIGNATURE_RE.match(lines[-1]):
        sentences, lines = sentences[:-1], lines[:-1]
    greeting = 1 if len(sentences) > 1 and SALUTATION_RE.match(lines[0]) else 0
    return sentences[greeting:]


_APOSTROPHE_FREE = {
    "thats": "that's", "im": "i'm", "ive": "i've", "youre": "you're", "youve": "you've", "youll": "you'll",
    "dont": "don't", "doesnt": "doesn't", "didnt": "didn't", "cant": "can't", "wont": "won't", "isnt": "isn't",
    "arent": "aren't", "wasnt": "wasn't", "werent": "weren't", "havent": "haven't", "hasnt": "hasn't",
    "wouldnt": "wouldn't", "couldnt": "couldn't", "shouldnt": "shouldn't", "theyre": "they're", "whats": "what's",
    "theres": "there's", "hows": "how's", "ur": "your", "u": "you", "r": "are", "youd": "you'd",
}
_YOURE_NEXT = (r"going|feeling|doing|not|so|very|really|being|trying|right|welcome|absolutely|definitely|strong|"
               r"brave|in|already|still|clearly|obviously|probably|such")
_ITS_NEXT = (r"a|an|so|really|very|not|okay|ok|alright|normal|hard|important|good|great|fine|going|been|"
             r"understandable|completely|totally|just|all|never|always|such|the|natural|difficult|tough|awful|"
             r"terrible|horrible|sad|like|true|nice|easy|clear|obvious|sometimes")
_INFORMAL = re.compile(rf"(?P<youre>\b(?:your|ur)(?= (?:{_YOURE_NEXT})\b))|(?P<its>\bits(?= (?:{_ITS_NEXT})\b))|"
                       r"(?P<word>\b(?:" + "|".join(sorted(_APOSTROPHE_FREE, key=len, reverse=True)) + r")\b(?!'))")


def informal_to_standard(lower: str) -> tuple[str, Sequence[int]]:
    """Apostrophe-free chat spellings ("thats", "dont", "your going") in standard form, for the phrase patterns.

    Returns the standard text and, for each of its characters (and its end), the offset in ``lower``.
    """
    matches = list(_INFORMAL.finditer(lower))
    if not matches:
        return lower, range(len(lower) + 1)
    parts, positions, cursor = [], [], 0
    for m in matches:
        standard = "you're" if m.group("youre") else "it's" if m.group("its") else _APOSTROPHE_FREE[m.group()]
        parts.append(lower[cursor:m.start()])
        positions.extend(range(cursor, m.start()))
        parts.append(standard)
        positions.extend(min(m.start() + i, m.end() - 1) for i in range(len(standard)))
        cursor = m.end()
    parts.append(lower[cursor:])
    positions.extend(range(cursor, len(lower) + 1))
    return "".join(parts), positions


_RUN_ON = re.compile(r"(?:,|;| -| –)\s+(?=(?:and |but |so )?(?:i|i'm|i've|i'd|i'll|you|you're|you've|we|we're|"
                     r"they|they're|it|it's|that|that's|this|he|she|my|your|there's)\s)|\s+(?=(?:but|so) (?:i|you|we|"
                     r"it|that)\b)")


_MAY_RUN_ON = re.compile(r"[,;–]|\s-|\b(?:but|so)\b")


def run_on_clauses(sentence: str) -> list[tuple[int, int]]:
    """(start, end) of the clauses of an informal run-on sentence ("i get it, i went through the same").

    Splits at a comma (or dash) or a "but"/"so" that starts a new clause with its own subject; a piece of fewer
    than three words stays with the clause that follows it (or, at the end, the one before).
    """
    if not _MAY_RUN_ON.search(sentence):
        return [(0, len(sentence))] if sentence.strip() else []
    bounds = [0] + [m.end() for m in _RUN_ON.finditer(sentence)] + [len(sentence) + 1]
    clauses, begin = [], None
    for start, end in zip(bounds, bounds[1:]):
        begin = start if begin is None else begin
        if len(sentence[begin:end - 1].split()) >= 3:
            clauses.append((begin, end - 1))
            begin = None
    if begin is not None:
        if clauses:
            clauses[-1] = (clauses[-1][0], len(sentence))
        else:
            clauses.append((begin, len(sentence)))
    return [(start, end) for start, end in clauses if sentence[start:end].strip()]


def split_run_on(sentence: str) -> list[str]:
    """The clauses of an informal run-on sentence (``run_on_clauses``), as text."""
    return [sentence[start:end].strip(" ,;-–") for start, end in run_on_clauses(sentence)]


def compile_patterns(table: list[tuple[str, float, str]]) -> list[tuple[re.Pattern, float, str]]:
    return [(re.compile(pattern, re.IGNORECASE), weight, reason) for pattern, weight, reason in table]


_DOUBLED_L = {"cancell": "cancel", "travell": "travel", "labell": "label", "fuell": "fuel", "totall": "total"}


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light stem that meets in the middle: pause, paused and pausing give "paus"; stopped "stop"; cancelled and
    cancellation "cancel"."""
    word = word.lower().strip("'")
    for suffix in ("ations", "ation", "ments", "ment", "ings", "ing", "edly", "ed", "ies", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not (suffix in ("s", "es") and
                                                                           word.endswith("ss")):
            word = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
            if suffix in ("ing", "ings", "ed", "edly") and word[-1] == word[-2] and word[-1] not in "aeiouslz":
                word = word[:-1]  # stopped, stopping: stop (but not passed, filled, buzzed)
            break
    word = _DOUBLED_L.get(word, word)
    return word[:-1] if len(word) >= 5 and word.endswith("e") else word


def content_terms(text: str) -> set[str]:
    """Content words of a text, stemmed and folded onto synonym groups."""
    terms = set()
    for m in WORD_RE.finditer(text):
        word = m.group().lower().replace("’", "'")
        if word in STOPWORDS or len(word) < 3:
            continue
        terms.add(_SYNONYM.get(word, stem(word)))
    return terms


def context_overlap(prepared: PreparedReply) -> float:
    """Share of the customer's content words (after folding synonyms) that the reply takes up."""
    if not prepared.context_terms:
        return 0.0
    shared = prepared.context_terms & prepared.reply_terms
    return len(shared) / min(len(prepared.context_terms), 12)


def overlap_spans(prepared: PreparedReply) -> list[tuple[int, int, str]]:
    """Spans of reply words that echo the customer's own content words."""
    spans = []
    for m in WORD_RE.finditer(prepared.analysed):
        word = m.group().lower().replace("’", "'")
        if word in STOPWORDS or len(word) < 3:
            continue
        if _SYNONYM.get(word, stem(word)) in prepared.context_terms:
            spans.append((m.start(), m.end(), m.group()))
    return spans


SECOND_PERSON = {"i": "you", "i'm": "you're", "im": "you're", "my": "your", "me": "you", "mine": "yours",
                 "myself": "yourself", "i've": "you've", "i'd": "you'd", "i'll": "you'll", "am": "are",
                 "we": "you", "our": "your", "us": "you", "was": "were"}


def customer_concern(context: str, limit: int = 12) -> str:
    """The customer's main complaint as a second-person clause ("your order still hasn't arrived")."""
    text = MARKUP_RE.sub(" ", context)
    clauses = [c.strip(" .!?\n-") for c in re.split(r"[.!?\n;,:()]+|\b(?:and|but|because|though)\b", text)]
    clauses = [c for c in clauses if len(c.split()) >= 3]
    if not clauses:
        return ""
    best = max(clauses, key=lambda c: (len(_CONCERN_SIGNAL.findall(c)), -abs(len(c.split()) - 8)))
    words = [SECOND_PERSON.get(w.lower().replace("’", "'"), w) for w in re.findall(r"[\w'’#]+", best)]
    while words and words[0].lower() in _LEADING:
        words.pop(0)
    phrase = " ".join(words[:limit])
    return phrase[:1].lower() + phrase[1:] if not phrase.startswith("I ") else phrase


_CONCERN_SIGNAL = re.compile(r"\b(not|never|no|still|can't|cannot|won't|didn't|doesn't|hasn't|haven't|broken|wrong|"
                             r"charged|late|missing|lost|again|problem|issue|need|feel|upset|angry|twice|cancel\w*|"
                             r"refund\w*|stuck|locked|fail\w*)\b", re.I)
_LEADING = {"hi", "hello", "hey", "well", "um", "also", "ok", "okay", "yes", "yeah", "then", "now", "just", "really"}


def word_spans(text: str, words: list[TimedWord]) -> list[tuple[int, int]]:
    """Character span of each timed word in ``text``, found in order; (-1, -1) where a word is not found."""
    spans, cursor, lower = [], 0, text.lower()
    for timed in words:
        token = timed.word.strip().lower().strip(".,!?;:\"'")
        position = lower.find(token, cursor) if token else -1
        if position < 0 or position - cursor > 200:
            spans.append((-1, -1))
            continue
        spans.append((position, position + len(token)))
        cursor = position + len(token)
    return spans


_NEXT_ACTIONS = (
    (r"refund|money back|reimburs", "I'll process your refund"),
    (r"charged|billed|double|twice|overcharg", "I'll reverse the extra charge"),
    (r"deliver|arriv|parcel|package|shipping|courier|tracking", "I'll chase the courier"),
    (r"broken|damaged|faulty|cracked|defect|stopped working", "I'll arrange a replacement"),
    (r"appointment|book(?:ing|ed)|reservation|flight", "I'll rebook it for you"),
    (r"cancel", "I'll cancel it for you"),
    (r"log ?in|password|locked|account|sign in", "I'll get you back into your account"),
    (r"internet|wifi|wi-fi|connection|signal|outage", "I'll run a check on your line"),
)


def next_action(context: str) -> str:
    """A first-person next step that fits the customer's problem, for example phrasings."""
    lower = context.lower()
    for pattern, action in _NEXT_ACTIONS:
        if re.search(pattern, lower):
            return action
    return "I'll look into this myself"
