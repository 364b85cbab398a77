"""Which moves a reply makes, judged by meaning: each clause against the moves' example phrasings.

A reply is cut into clauses, and each clause into fragments: the clause itself, its leading words up to each
conjunction or preposition ("you can leave at any point" out of "you can leave at any point from the app in a
couple of taps"), and its parts between commas and conjunctions, so that trailing detail does not dilute the
main statement. Each fragment and every example is embedded with the real sentence encoder, all-MiniLM-L6-v2
(``scoring.encoder``, run in NumPy: a few milliseconds a clause), and a clause's likeness to an example is the
best cosine over its fragments. A clause makes a move when its closest example belongs to that move, is similar
enough, and beats the closest example of a move of another kind, or of talk that makes no move (describing the
situation, small talk), by a margin. Rules keep meaning that similarity cannot see: a clause whose main
statement is negated where the example is not ("I can't refund you" against "I'll refund you") does not make the
move; ``asks_for`` needs a question or a request, while a question makes no other move unless it is an offer
("Do you want a refund?" offers nothing; "Shall I send a new one?" does); an offer worded as a commitment is made
only by fragments that commit to something ("it's with the courier" shares the nouns of "I'll send it by courier"
and offers nothing), and a fragment counts only for the offer it is closest to; handing the next step to the
customer ("you'd need to check with the manufacturer") is a deflection, and the agent's own act ("I'll email you")
never is; an example that names its day is not made by a fragment naming another; an apology needs a word of
apology; a condition on the customer ("if you cancel today") is left out; amounts are heard as money. Every
decision says why.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import lru_cache

import numpy as np

from scoring.encoder import shipped_encoder
from scoring.ownership import DAYS, HAND_OFF

BUILT_IN = ("apologises", "explains_policy", "deflects")
POLAR = ("offers", "acknowledges", "asks_for", "apologises", "deflects")  # a negation turns these into their opposite
THRESHOLD = 0.45  # cosine a clause needs with its closest example of the move
DOMINANCE = 0.12  # a part of a clause this much closer to one offer than to another makes only the closer one
MARGIN = 0.03  # and its lead over the closest example of a move of another kind, or of small talk

# Phrasings of the moves every scenario shares, and of talk that makes no move: rivals, so that a clause is
# matched to the move it is closest to rather than to the only move on offer.
BUILT_IN_EXAMPLES = {
    "apologises": [
        "I'm so sorry", "I'm really sorry about this", "I apologise for the trouble",
        "I'm sorry we let you down", "sorry you've had to go through this", "my apologies for the mix-up",
    ],
    "explains_policy": [
        "our policy is that we wait for the warehouse", "the rules say I have to follow the process",
        "company policy doesn't allow that", "that's how our system works", "terms and conditions apply",
        "the process is that the claim goes to the team first", "that's our policy",
        "refunds are processed once the return is scanned", "it has to go through the normal procedure",
        "those are non-refundable under our terms", "it was in the terms and conditions when you booked",
    ],
    "deflects": [
        "there's nothing I can do", "that's not my department", "you'll have to call back later",
        "I don't make the rules", "you need to contact someone else", "it's not our fault",
        "you'll just have to wait",
        "you'll have to contact them yourself", "that's one for your bank, not us", "you'll need to take that up with them",
        "you could try contacting them directly",
    ],
}
NO_MOVE = [
    "hello, thanks for calling", "okay", "right", "let me see", "is there anything else",
    "have a nice day", "thanks for waiting", "one moment please", "I see", "bye for now",
    "that's a fair question", "let me check that for you",
    "I'm looking at your account now", "thank you for telling me", "good question",
    # describing the situation is not acting on it
    "the payment is still pending", "it's a temporary hold on the account", "the system shows it as dispatched",
    "that charge comes from the payment provider", "the order is in the queue", "it's a technical issue on our side",
    "these things happen, jobs sometimes overrun", "the usual wait is ten to fifteen working days",
    "most people who leave end up regretting it",
    "you should hear something soon", "someone will be in touch at some point",
    "it will be processed in the next cycle", "our records show we tried to contact you",
]

_CLAUSE_END = re.compile(r"(?<=[.!?;:])\s+|\s+(?:but|and then|so)\s+(?=(?:i|we|you|it)\b)|"
                         r",\s+(?=(?:and\s+)?(?:i|we|you|it|that|this|they)(?:'ll|'m|'ve|'d|'s|'re|\s+will|\s+can)\b)",
                         re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:not|never|cannot|unable)\b|n't\b")
# a negation after these belongs to a side remark ("..., so it doesn't go to waste"), not to the move itself
_SIDE_REMARK = re.compile(r",|;|\s(?:so|because|since|which|as long as|without|and no)\s")
_QUESTION_START = re.compile(r"^(?:what|when|where|which|who|whose|how|why|do|does|did|is|are|was|were|have|"
                             r"has|can|could|would|will|shall|should|may)\b")
_REQUEST = re.compile(r"\b(?:could you|can you|would you|will you|please|tell me|give me|read me|let me have|"
                      r"send me|may i (?:have|take|get|ask)|can i (?:have|take|get|ask)|what's|what is|"
                      r"i'll need|i need|confirm)\b")
# an agent's commitment: an act in the first person, or what will happen ("the new bike will arrive Friday")
_COMMITS = re.compile(r"\b(?:i|we)(?:'m|'d|'ve(?! no\b))\b|'ll\b|\b(?:will|shall|won't)\b|"
                      r"\b(?:i|we) (?:am|are|have|had|(?:can|could)(?! (?:see|tell|hear|imagine|understand)\b)|"
                      r"would|just|also|already|personally|myself|sent|put|made|took|got|gave|set|paid|rang|found|"
                      r"[a-z]+ed)\b|\blet me\b|\bleave it with me\b|\b(?:is|are|'s|'re) (?:being|on (?:its|their|the) "
                      r"way|going out|going to|coming|booked|scheduled|arranged)\b|(?<!\bwas )(?<!\bwere )(?<!\bbeen )"
                      r"\b(?:booked|scheduled|arranged) (?:to|for|in)\b|\bgoes out\b|\bexpect\b|\bon us\b|\bthat's done\b")
# or a plan stated as a fact with its time ("it's with you on Thursday", "they leave today and arrive tomorrow")
_SCHEDULED = re.compile(r"\b(?:is|are|'s|'re|be|arrives?|leaves?|leave|goes|go|ships?|comes?|lands?|reach(?:es)?)\b"
                        rf"[^.;?]*\b(?:{DAYS}|this (?:morning|afternoon|evening|week)|next (?:week|day)|in time|within|"
                        r"in (?:\d+|one|two|three|four|five) (?:working )?(?:days?|hours?))\b")
_HAND_OFF = re.compile(HAND_OFF)
_APOLOGY = re.compile(r"\b(?:sorry|apologi[sz]e[sd]?|apologies|apology|regret|my bad)\b")
_AMOUNT = re.compile(r"[£$€]\s?\d[\d,]*(?:\.\d+)?")
# when an offer happens: an example set for one day is not made by a clause that names another ("next week")
_WHEN = re.compile(rf"\b(?:{DAYS}|(?:this|next) (?:week|month)|within the hour)\b")
# what the customer might do ("if you cancel today"): a condition, not something the agent does
_CUSTOMER_CONDITION = re.compile(r"^(?:if|unless) you\b")
_CONDITION_TAIL = re.compile(r",?\s*\b(?:if|unless) you\b[^,;]*")
_AGENT_SUBJECT = re.compile(r"^(?:(?:and|so|then|but|also|okay|right),?\s+)?(?:i|we)\b")
_OFFER_QUESTION = re.compile(r"^(?:would you like|shall i|should i|do you want me to|can i|could i|may i|"
                             r"how about|would it help|would that help|what if i|if you like)\b")


@dataclass(frozen=True)
class Move:
    """A move a scenario cares about: its name, kind and example phrasings."""

    name: str
    kind: str
    examples: tuple[str, ...]


@dataclass(frozen=True)
class MoveDecision:
    """Whether a reply made one move, and why: the clause, the example it matched and how closely."""

    move: str
    kind: str
    made: bool
    sentence: str
    example: str
    similarity: float
    why: str

    def to_dict(self) -> dict:
        return asdict(self)


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2019", "'").replace("\u2018", "'").lower()).strip()


def _as_heard(text: str) -> str:
    """The text as the encoder should hear it: an amount is money ("releasing the £89.99" -> "releasing the money");
    the encoder reads "£89.99" as noise and misses the act around it."""
    return _AMOUNT.sub("money", text)


def clauses(reply: str) -> list[str]:
    """The reply's sentences, long ones cut at a new subject ("..., and I'll ...")."""
    parts = [part.strip(" ,") for part in _CLAUSE_END.split(reply.strip()) if part and part.strip(" ,")]
    return parts[:40] or ([reply.strip()] if reply.strip() else [])


def is_question(clause: str) -> bool:
    text = _normal(clause)
    return text.endswith("?") or bool(_QUESTION_START.match(text))


def commits(text: str) -> bool:
    """Whether the text commits the agent to something, rather than describing the situation or handing it back."""
    normal = _normal(text)
    if _CUSTOMER_CONDITION.match(normal):
        return False
    return bool(_COMMITS.search(normal) or _SCHEDULED.search(normal)) and not _HAND_OFF.search(normal)


def when(text: str) -> frozenset[str]:
    """The days and times a text names ("tomorrow", "next week")."""
    return frozenset(_WHEN.findall(_normal(text)))


def agent_subject(text: str) -> bool:
    """Whether the text's subject is the agent, "I" or "we" ("I'll phone you", "and we'll waive it")."""
    return bool(_AGENT_SUBJECT.match(_normal(text)))


def hands_off(text: str) -> bool:
    """Whether the clause hands the next move to the customer ("you'd need to check with the manufacturer")."""
    return bool(_HAND_OFF.search(_normal(text)))


def negated(text: str) -> bool:
    """Whether the clause's main statement is negated ("I can't refund you"); "no cost" or a side remark is not."""
    head = _SIDE_REMARK.split(_normal(text), maxsplit=1)[0]
    return bool(_NEGATION.search(head))


# where a clause's main statement may end: its leading words up to one of these are a fragment of their own
_MAJOR_BREAK = re.compile(r",|;|\b(?:and|but|or|so|which|because)\b")
_MINOR_BREAK = re.compile(r"\b(?:from|in|at|on|with|by|within|for|to)\b")
MIN_FRAGMENT_WORDS = 3


def fragments(clause: str) -> list[str]:
    """The clause, its leading words up to each conjunction or preposition, and its parts between conjunctions;
    a condition on the customer inside it ("..., if you cancel today") is left out."""
    text = _normal(clause)
    main = _CONDITION_TAIL.sub("", text).strip(" ,;")
    text = main if len(main.split()) >= MIN_FRAGMENT_WORDS else text
    found = {text}
    for pattern in (_MAJOR_BREAK, _MINOR_BREAK):
        found.update(text[:match.start()].strip(" ,;") for match in pattern.finditer(text))
    found.update(part.strip(" ,;") for part in _MAJOR_BREAK.split(text))
    kept = sorted(part for part in found if len(part.split()) >= MIN_FRAGMENT_WORDS)
    return kept or [text]


_VECTORS: dict[str, np.ndarray] = {}  # example phrasing -> its vector, shared by every scenario's matcher


def _example_vectors(texts: list[str]) -> np.ndarray:
    missing = [text for text in dict.fromkeys(_normal(t) for t in texts) if text not in _VECTORS]
    if missing:
        _VECTORS.update(zip(missing, shipped_encoder().encode([_as_heard(text) for text in missing])))
    return np.vstack([_VECTORS[_normal(text)] for text in texts])


class MoveMatcher:
    """Decides which of a scenario's moves (and the shared ones) a reply makes. Build once per scenario."""

    def __init__(self, moves: list[Move]):
        self.moves = [*moves, *(Move(kind, kind, tuple(BUILT_IN_EXAMPLES[kind])) for kind in BUILT_IN
                                if kind not in {m.name for m in moves})]
        self._owners: list[int] = []  # example row -> index in self.moves (-1: no move)
        texts: list[str] = []
        for index, move in enumerate(self.moves):
            for example in move.examples:
                texts.append(example)
                self._owners.append(index)
        for phrase in NO_MOVE:
            texts.append(phrase)
            self._owners.append(-1)
        self._texts = texts
        self._examples = _example_vectors(texts)
        self._owner_array = np.array(self._owners)
        self._kind_array = np.array([self.moves[owner].kind if owner >= 0 else "" for owner in self._owners])
        self._negated = np.array([negated(text) for text in texts])
        self._committing = np.array([commits(text) for text in texts])
        self._when = [when(text) for text in texts]
        self._handing_back = (self._kind_array == "deflects") & ~np.array([agent_subject(text) for text in texts])

    def decide(self, reply: str) -> dict[str, MoveDecision]:
        """Move name -> the decision for this reply (the best clause for a move made, the nearest miss otherwise)."""
        parts = clauses(reply)
        if not parts:
            return {m.name: MoveDecision(m.name, m.kind, False, "", "", 0.0, "the reply is empty") for m in self.moves}
        similarity, offered, offer_rivals, deflecting = self._similarity(parts)  # clause x example (see there)
        decisions: dict[str, MoveDecision] = {}
        for index, move in enumerate(self.moves):
            own = self._owner_array == index
            counted, rivals = {"offers": (offered, offer_rivals), "deflects": (deflecting, similarity)}.get(
                move.kind, (similarity, similarity))
            best: MoveDecision | None = None
            for row, clause in enumerate(parts):
                decision = self._judge(move, clause, counted[row], rivals[row], own)
                if best is None or (decision.made, decision.similarity) > (best.made, best.similarity):
                    best = decision
            decisions[move.name] = best
        return decisions

    def _similarity(self, parts: list[str]) -> tuple[np.ndarray, ...]:
        """Clause x example, the best cosine over the clause's fragments, four ways.

        ``similarity``: over every fragment. ``offered``, as offers count it: an example worded as a commitment
        ("I'll send a new bike") only by fragments that commit to something, since describing the situation ("it's
        with the courier") shares an offer's nouns but not its act; and an offer only on fragments it is (nearly)
        the closest offer to, so "I can book another engineer visit" makes the visit and not also "this time I'll
        send a senior engineer". ``offer_rivals``, as rivals of an offer count: a description of the situation
        only by fragments that do not commit, so a commitment is not outdone by the description beside it, and a
        deflection that puts the next step on someone else ("you'll have to contact them yourself") not by the
        agent's own act ("I will contact you myself"), which it resembles word for word. ``deflecting``, as the
        deflection itself counts: the same, so "I'll email you when they've gone" hands nothing back."""
        pieces = [fragments(part) for part in parts]
        flat = [piece for group in pieces for piece in group]
        cosine = shipped_encoder().encode([_as_heard(piece) for piece in flat]) @ self._examples.T
        # an apology says so: "it's gone through from my end" is no "sorry you've had to go through this"
        unapologetic = np.array([not _APOLOGY.search(piece) for piece in flat])
        cosine[np.ix_(unapologetic, self._kind_array == "apologises")] = -1.0
        starts = np.cumsum([0] + [len(group) for group in pieces[:-1]])
        committing = np.array([commits(piece) for piece in flat])
        offered = np.where(~committing[:, None] & self._committing[None, :], -1.0, cosine)
        offered[self._other_time(flat)] = -1.0
        offers = [index for index, move in enumerate(self.moves) if move.kind == "offers"]
        if len(offers) > 1:
            best = np.stack([offered[:, self._owner_array == index].max(axis=1) for index in offers], axis=1)
            outdone = best < best.max(axis=1, keepdims=True) - DOMINANCE  # fragment x offer
            for slot, index in enumerate(offers):
                offered[np.ix_(outdone[:, slot], self._owner_array == index)] = -1.0
        description = (self._owner_array == -1) & ~self._committing
        offer_rivals = np.where(committing[:, None] & description[None, :], -1.0, cosine)
        # the agent acting: a commitment with "I" or "we" as its subject, not negated
        acting = committing & np.array([agent_subject(piece) and not negated(piece) for piece in flat])
        own_act = np.ix_(acting, self._handing_back)
        offer_rivals[own_act] = -1.0
        deflecting = cosine.copy()
        deflecting[own_act] = -1.0
        return tuple(np.maximum.reduceat(matrix, starts, axis=0)
                     for matrix in (cosine, offered, offer_rivals, deflecting))

    def _other_time(self, flat: list[str]) -> np.ndarray:
        """Fragment x example: both name when, and not the same time."""
        mask = np.zeros((len(flat), len(self._texts)), dtype=bool)
        for row, piece in enumerate(flat):
            said = when(piece)
            if said:
                mask[row] = [bool(named) and not (named & said) for named in self._when]
        return mask

    def _judge(self, move: Move, clause: str, row: np.ndarray, rivals: np.ndarray, own: np.ndarray) -> MoveDecision:
        """``row``: the clause's likeness to each example as this move may count it; ``rivals``: as rivals count."""
        if move.kind == "deflects" and hands_off(clause) and not is_question(clause):
            closest = round(float(np.max(np.where(own, row, -1.0))), 2)
            return MoveDecision(move.name, move.kind, True, clause, "", closest,
                                "it hands the next step to the customer")
        polarity = negated(clause)
        same = own & (self._negated == polarity) if move.kind in POLAR else own
        column = int(np.argmax(np.where(same, row, -np.inf))) if same.any() else -1
        score, example = (float(row[column]), self._texts[column]) if column >= 0 else (-1.0, "")
        opposite = own & ~same
        flipped = float(np.max(np.where(opposite, row, -np.inf))) if opposite.any() else -1.0
        # moves of the same kind are no rivals: one clause can offer the money back and say when it arrives
        others = self._kind_array != move.kind
        rival = float(np.max(np.where(others, rivals, -np.inf)))
        rival_name = self._name_of(int(np.argmax(np.where(others, rivals, -np.inf))))

        def decision(made: bool, why: str) -> MoveDecision:
            return MoveDecision(move.name, move.kind, made, clause, example, round(score, 2), why)

        if score < THRESHOLD and flipped >= THRESHOLD:
            return decision(False, f"the clause says the opposite of '{self._texts[int(np.argmax(np.where(opposite, row, -np.inf)))]}' (a negation)")
        if score < THRESHOLD:
            return decision(False, f"closest clause is only {score:.2f} like '{example}' (needs {THRESHOLD})")
        if score < rival + MARGIN:
            return decision(False, f"reads more like {rival_name} ({rival:.2f}) than this move ({score:.2f})")
        question = is_question(clause)
        if move.kind == "asks_for":
            if not (question or _REQUEST.search(_normal(clause))):
                return decision(False, "it states this rather than asking for it")
        elif question and not _OFFER_QUESTION.match(_normal(clause)):
            return decision(False, "it is a question, which does not make this move")
        return decision(True, f"{score:.2f} like '{example}'")

    def _name_of(self, column: int) -> str:
        owner = self._owners[column]
        return "small talk" if owner < 0 else self.moves[owner].name


def matcher_for(scenario) -> MoveMatcher:
    """The matcher for a scenario's moves, built once per set of moves (the example vectors are reused)."""
    return _matcher(tuple((name, spec.kind, tuple(spec.examples)) for name, spec in scenario.moves.items()))


@lru_cache(maxsize=64)
def _matcher(moves: tuple) -> MoveMatcher:
    return MoveMatcher([Move(name, kind, examples) for name, kind, examples in moves])
