"""Which moves a reply makes, judged by meaning: each clause against the moves' example phrasings.

A reply is cut into clauses. Each is compared with every example using the scorer's static word-piece embedding
(``scoring.embedding``, distilled from all-MiniLM-L6-v2; about a millisecond a reply, so typed replies stay fast;
the transformer itself takes most of a second a reply on two cores): half the cosine of the mean vectors (function
words left out, centred on the mean of all examples, since mean vectors share one large common direction), half
how well each word of the example finds a close word in the clause (so a long clause is not diluted). A clause
makes a move when its closest example belongs to that move, is similar enough, and beats the closest move of
another kind (or small talk) by a margin. Two rules keep meaning the embedding cannot see: a clause whose main
statement is negated where the example is not ("I can't refund you" against "I'll refund you") does not make the
move, and ``asks_for`` needs a question or a request, while a question makes no other move unless it is an offer
("Do you want a refund?" offers nothing; "Shall I send a new one?" does). Every decision says why.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import lru_cache

import numpy as np

from scoring.training import shipped_embedding

BUILT_IN = ("apologises", "explains_policy", "deflects")
POLAR = ("offers", "acknowledges", "asks_for", "apologises", "deflects")  # a negation turns these into their opposite
THRESHOLD = 0.45  # similarity a clause needs with its closest example of the move
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
    ],
    "deflects": [
        "there's nothing I can do", "that's not my department", "you'll have to call back later",
        "I don't make the rules", "you need to contact someone else", "it's not our fault",
        "you'll just have to wait", "that's the courier's problem, not ours",
    ],
}
NO_MOVE = [
    "hello, thanks for calling", "okay", "right", "let me see", "is there anything else",
    "have a nice day", "thanks for waiting", "one moment please", "I see", "bye for now",
    "that's a fair question", "I'll email you the confirmation", "let me check that for you",
    "I'm looking at your account now", "thank you for telling me", "good question",
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


_FUNCTION_WORDS = frozenset(
    "a an the i i'm i'll i've i'd me my we we'll we're we've our us you you'll you're you've your it it's its "
    "is are was were be been am will would shall should can could may might to of for on in at by with from "
    "this that these those and or so then just really very also there here as do does did have has had "
    "he she they them his her their what which who right now okay ok".split())


_AMOUNT = re.compile(r"[£$€]\s?\d[\d,.]*\d|[£$€]\s?\d")  # "£89.99" means money to the embedding, not "89"


def content(text: str) -> str:
    """The clause without the function words that make every mean vector alike (negation is judged apart)."""
    words = re.findall(r"[\w£$.,'-]+", _AMOUNT.sub(" money ", _normal(text)))
    kept = [word.strip(".,") for word in words if word.strip(".,") not in _FUNCTION_WORDS]
    return " ".join(kept) or _normal(text)


def clauses(reply: str) -> list[str]:
    """The reply's sentences, long ones cut at a new subject ("..., and I'll ...")."""
    parts = [part.strip(" ,") for part in _CLAUSE_END.split(reply.strip()) if part and part.strip(" ,")]
    return parts[:40] or ([reply.strip()] if reply.strip() else [])


def is_question(clause: str) -> bool:
    text = _normal(clause)
    return text.endswith("?") or bool(_QUESTION_START.match(text))


def negated(text: str) -> bool:
    """Whether the clause's main statement is negated ("I can't refund you"); "no cost" or a side remark is not."""
    head = _SIDE_REMARK.split(_normal(text), maxsplit=1)[0]
    return bool(_NEGATION.search(head))


@lru_cache(maxsize=1)
def _embedding():
    embedding = shipped_embedding()
    if embedding is None:
        raise RuntimeError("scoring/trained/static_embedding.npz is missing; the move matcher needs it")
    return embedding


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
        raw = np.vstack([_embedding().encode_cached(content(text)) for text in texts])
        self._centre = raw.mean(axis=0)
        self._examples = self._unit(raw)
        self._owner_array = np.array(self._owners)
        self._kind_array = np.array([self.moves[owner].kind if owner >= 0 else "" for owner in self._owners])
        self._negated = np.array([negated(text) for text in texts])
        words = [content(text).split() for text in texts]
        raw_words = np.vstack([_embedding().encode_cached(word) for group in words for word in group])
        self._word_centre = raw_words.mean(axis=0)
        self._example_words = self._unit(raw_words, self._word_centre)
        self._word_starts = np.cumsum([0] + [len(group) for group in words[:-1]])
        self._word_counts = np.array([len(group) for group in words])

    def _unit(self, vectors: np.ndarray, centre: np.ndarray | None = None) -> np.ndarray:
        centred = vectors - (self._centre if centre is None else centre)
        norms = np.linalg.norm(centred, axis=1, keepdims=True)
        return centred / np.where(norms == 0, 1, norms)

    def decide(self, reply: str) -> dict[str, MoveDecision]:
        """Move name -> the decision for this reply (the best clause for a move made, the nearest miss otherwise)."""
        parts = clauses(reply)
        if not parts:
            return {m.name: MoveDecision(m.name, m.kind, False, "", "", 0.0, "the reply is empty") for m in self.moves}
        similarity = np.vstack([self._similarity(part) for part in parts])  # clause x example
        decisions: dict[str, MoveDecision] = {}
        for index, move in enumerate(self.moves):
            own = self._owner_array == index
            best: MoveDecision | None = None
            for row, clause in enumerate(parts):
                decision = self._judge(move, clause, similarity[row], own)
                if best is None or (decision.made, decision.similarity) > (best.made, best.similarity):
                    best = decision
            decisions[move.name] = best
        return decisions

    def _similarity(self, clause: str) -> np.ndarray:
        """How like each example the clause is: half the centred cosine of the mean vectors, half how well the
        example's words each find a close word in the clause (so a long clause is not diluted)."""
        text = content(clause)
        sentence = self._unit(_embedding().encode_cached(text)[None, :])[0] @ self._examples.T
        words = self._unit(np.vstack([_embedding().encode_cached(word) for word in text.split()]), self._word_centre)
        closest = (self._example_words @ words.T).max(axis=1)
        recall = np.add.reduceat(closest, self._word_starts) / self._word_counts
        return 0.5 * sentence + 0.5 * recall

    def _judge(self, move: Move, clause: str, row: np.ndarray, own: np.ndarray) -> MoveDecision:
        polarity = negated(clause)
        same = own & (self._negated == polarity) if move.kind in POLAR else own
        column = int(np.argmax(np.where(same, row, -np.inf))) if same.any() else -1
        score, example = (float(row[column]), self._texts[column]) if column >= 0 else (-1.0, "")
        opposite = own & ~same
        flipped = float(np.max(np.where(opposite, row, -np.inf))) if opposite.any() else -1.0
        # moves of the same kind are no rivals: one clause can offer the money back and say when it arrives
        others = self._kind_array != move.kind
        rival = float(np.max(np.where(others, row, -np.inf)))
        rival_name = self._name_of(int(np.argmax(np.where(others, row, -np.inf))))

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
