"""Jargon: internal and technical terms and unexplained acronyms; an explained term is not penalised."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .assess import clamp
from .language import PreparedReply
from .scorecard import Assessment, Evidence
from .tips import Tip

DIMENSION = "jargon"
BUILTIN_LEXICON = Path(__file__).resolve().parent / "lexicons" / "jargon.yaml"
ACRONYM_RE = re.compile(r"\b(?=[A-Z0-9&]*[A-Z]{2})[A-Z0-9&]{2,6}s?\b")
EXPLAINED_AFTER = re.compile(
    r"^\s*(?:\(|[,:\-–—]\s*(?:the|a|an|which|that|meaning|i\.?e\.?|in other words|basically|or|our|your)\b|"
    r"\s*(?:means|stands for|is (?:the|a|an|our|your|just|simply|how|where|when|what)|refers to|is short for))",
    re.IGNORECASE)
EXPLAINED_BEFORE = re.compile(r"\(\s*$|(?:called|known as|also called|so-called)\s+(?:an?\s+|the\s+)?$", re.IGNORECASE)


class LexiconError(ValueError):
    """A jargon lexicon file is missing or malformed."""


@dataclass(frozen=True)
class JargonLexicon:
    """Terms to flag and words never to flag; ``pattern`` matches any term as a whole word."""

    terms: frozenset[str]
    allow: frozenset[str] = frozenset()
    sources: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        ordered = sorted(self.terms, key=len, reverse=True)
        body = "|".join(re.escape(term) for term in ordered) or r"(?!x)x"
        object.__setattr__(self, "pattern", re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE))

    def merged(self, other: "JargonLexicon") -> "JargonLexicon":
        return JargonLexicon(self.terms | other.terms, (self.allow | other.allow) - other.terms,
                             self.sources + other.sources)


def _read_lexicon(path: Path) -> JargonLexicon:
    if not path.is_file():
        raise LexiconError(f"{path}: jargon lexicon not found")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise LexiconError(f"{path}: not valid YAML ({error})") from error
    if not isinstance(raw, dict) or not isinstance(raw.get("terms", []), list):
        raise LexiconError(f"{path}: expected 'terms:' (a list) and optionally 'allow:' (a list)")
    terms = set()
    for entry in raw.get("terms") or []:
        term = entry.get("term") if isinstance(entry, dict) else entry
        if not isinstance(term, (str, int)) or not str(term).strip():
            raise LexiconError(f"{path}: every term must be text, got {entry!r}")
        terms.add(str(term).strip())
    allow = {str(word).strip() for word in raw.get("allow") or []}
    return JargonLexicon(frozenset(terms), frozenset(allow), (str(path),))


_BUILTIN: JargonLexicon | None = None


def builtin_lexicon() -> JargonLexicon:
    global _BUILTIN
    if _BUILTIN is None:
        _BUILTIN = _read_lexicon(BUILTIN_LEXICON)
    return _BUILTIN


def load_jargon_lexicon(path: str | Path | None = None) -> JargonLexicon:
    """The built-in lexicon, extended by an organisation's YAML file when a path is given."""
    lexicon = builtin_lexicon()
    return lexicon.merged(_read_lexicon(Path(path))) if path else lexicon


def find_terms(prepared: PreparedReply, lexicon: JargonLexicon, term_detector=None) -> list[tuple[int, int, str, str]]:
    """Spans of jargon in the reply: (start, end, text, source) where source is lexicon/acronym/detector."""
    allow = {word.lower() for word in lexicon.allow}
    found: list[tuple[int, int, str, str]] = []

    def add(start: int, end: int, source: str) -> None:
        text = prepared.text[start:end]
        if text.lower() in allow or any(start < e and s < end for s, e, _, _ in found):
            return
        found.append((start, end, text, source))

    for m in lexicon.pattern.finditer(prepared.analysed):
        if m.group().isupper() or m.group().lower() not in {"ticket", "build", "node", "patch", "instance",
                                                           "settlement", "cache", "cookies", "token", "sync"}:
            add(m.start(), m.end(), "lexicon")
        elif _technical_neighbourhood(prepared, m.start()):
            add(m.start(), m.end(), "lexicon")
    shouting = _shouting_sentences(prepared)
    for m in ACRONYM_RE.finditer(prepared.analysed):
        if not _inside(shouting, m.start()):
            add(m.start(), m.end(), "acronym")
    if term_detector is not None:
        for start, end in term_detector.find(prepared.analysed):
            add(start, end, "detector")
    return sorted(found)


def _technical_neighbourhood(prepared: PreparedReply, position: int) -> bool:
    """Common words that are jargon only among other technical words ("clear the cache")."""
    window = prepared.lower[max(0, position - 40): position + 40]
    return bool(re.search(r"\b(?:clear|flush|refresh|server|system|browser|queue|raised|open(?:ed)? a|generate|"
                          r"expired|invalid|deploy|version|rolled|applied)\b", window))


def _shouting_sentences(prepared: PreparedReply) -> tuple[list[int], list[int]]:
    """The sentences typed in capitals (shouting, so their capitals are not acronyms): their starts and ends."""
    starts, ends = [], []
    for s, e in prepared.sentences:
        letters = [c for c in prepared.text[s:e] if c.isalpha()]
        if len(prepared.text[s:e].split()) >= 3 and sum(c.isupper() for c in letters) > 0.6 * len(letters):
            starts.append(s)
            ends.append(e)
    return starts, ends


def _inside(spans: tuple[list[int], list[int]], position: int) -> bool:
    starts, ends = spans
    index = bisect.bisect_right(starts, position) - 1
    return index >= 0 and position < ends[index]


def explained(prepared: PreparedReply, start: int, end: int) -> bool:
    after = prepared.text[end:end + 60]
    before = prepared.text[max(0, start - 30):start]
    return bool(EXPLAINED_AFTER.search(after) or EXPLAINED_BEFORE.search(before))


def assess(prepared: PreparedReply, lexicon: JargonLexicon | None = None, term_detector=None) -> Assessment:
    lexicon = lexicon or builtin_lexicon()
    evidence, unexplained = [], 0
    customer_words = prepared.context_lower
    for start, end, text, source in find_terms(prepared, lexicon, term_detector):
        if explained(prepared, start, end):
            evidence.append(Evidence(DIMENSION, start, end, text, "+", f"explains the term \"{text}\"",
                                     code="jargon.explained"))
            continue
        if re.search(rf"(?<!\w){re.escape(text.lower())}(?!\w)", customer_words):
            continue  # the customer used it first, so they know it
        unexplained += 1
        reason = {"lexicon": "internal or technical term", "acronym": "unexplained acronym",
                  "detector": "looks like technical jargon"}[source]
        evidence.append(Evidence(DIMENSION, start, end, text, "-", f"{reason} \"{text}\"", code=TERM_CODES[source]))
    words = max(prepared.word_count, 1)
    density = unexplained / words
    score = 95 - 22 * min(unexplained, 4) - 150 * density if prepared.word_count else 0
    features = {"jg_unexplained": float(unexplained), "jg_density": density * 10,
                "jg_explained": float(sum(e.effect == "+" for e in evidence))}
    score = clamp(score)
    return Assessment(DIMENSION, score, evidence, tip(evidence, score), features)


TERM_CODES = {"lexicon": "jargon.term", "acronym": "jargon.acronym", "detector": "jargon.detected_term"}

PLAIN_WORDS = {
    "ticket": "your request", "tier 2": "our specialist team", "tier 3": "our specialist team", "rma": "a return",
    "sku": "the product code", "sla": "the time we promise to reply in", "eta": "when it will arrive",
    "chargeback": "a payment reversal through your bank", "prorated": "charged only for the days you used",
    "provisioning": "setting up", "provisioned": "set up", "escalation queue": "our specialist team",
    "backend": "our system", "back end": "our system", "imei": "the serial number on the back of your phone",
    "authorization hold": "a temporary hold on the money", "authorisation hold": "a temporary hold on the money",
    "backordered": "out of stock until more arrives", "backorder": "out of stock until more arrives",
    "cache": "saved browsing data", "firmware": "the device's built-in software", "apn": "the mobile data settings",
}


def tip(evidence: list[Evidence], score: float) -> Tip:
    """Swap the first unexplained term for everyday words, or explain it the first time."""
    flagged = [e for e in evidence if e.effect == "-" and e.text]
    if flagged:
        term = flagged[0].text
        plain = PLAIN_WORDS.get(term.lower())
        if plain:
            return Tip("jargon.swap_term", (f"Say \"{plain}\" instead of \"{term}\"",
                                            f"Swap \"{term}\" for everyday words such as \"{plain}\""))
        return Tip("jargon.explain_term", (f"Explain \"{term}\" in everyday words the first time you use it, or leave "
                                           "it out",
                                           f"Say what \"{term}\" means in words the customer would use"))
    return Tip("jargon.everyday_words", ("Use everyday words the customer would use, such as \"your refund\" rather "
                                         "than \"the credit memo\"",))
