"""PII redaction before anything is stored or shown: card numbers (Luhn-checked), national ID numbers,
e-mail addresses and phone numbers, in digits or spoken as Whisper writes them ("4539, 1-4-8-8", "oh seven").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from coach.calls.transcript import CallSegment, CallWord, segment_text

LABELS = {"card": "[card number]", "national_id": "[ID number]", "email": "[e-mail]", "phone": "[phone number]",
          "account_number": "[number]"}
DIGIT_WORDS = {"zero": "0", "oh": "0", "o": "0", "nought": "0", "one": "1", "two": "2", "three": "3", "four": "4",
               "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9"}
TEENS = {"ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14", "fifteen": "15",
         "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19"}
TENS = {"twenty": "2", "thirty": "3", "forty": "4", "fifty": "5", "sixty": "6", "seventy": "7", "eighty": "8", "ninety": "9"}
HOMOPHONES = {"to": "2", "too": "2", "for": "4", "won": "1", "ate": "8"}  # digits only between other digits
NUMBER_LEADS = {"is", "was", "number", "it's", "its"}
REPEATS = {"double": 2, "triple": 3}
JOINERS = {"dash", "hyphen", "space", "and", "uh", "um"}
PLUS = {"plus", "+"}  # "plus four four ...": an international prefix
SPELLED_LETTER = re.compile(r"^[b-hj-z]$")  # a lone letter inside a spelled number ("a" and "i" are words)
SENTENCE_END = (".", "?", "!")
CARD_FIRST_DIGITS = "23456"  # card networks' first digits (Mastercard 2, Amex 3, Visa 4, Mastercard 5, Discover 6)
ID_CUES = {"social", "security", "ssn", "national", "insurance", "identification", "id", "passport", "tax", "licence", "license"}
PHONE_CUES = {"call", "phone", "mobile", "cell", "reach", "ring", "text", "telephone", "landline", "number"}
EMAIL_CUES = {"email", "e-mail", "mail", "address"}
CUE_WINDOW = 8
MAX_DIGIT_GAP_S = 2.5
DOMAIN = re.compile(r"^[\w.-]+\.(com|net|org|co|uk|io|edu|gov|info|biz|us|ca|de|fr|au)\.?$", re.IGNORECASE)
EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(\.[\w-]+)+\.?$")
NINO = re.compile(r"\b[A-CEGHJ-PR-TW-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", re.IGNORECASE)
SSN = re.compile(r"^\d{3}-\d{2}-\d{4}$")


@dataclass(frozen=True)
class Redaction:
    kind: str
    start: float
    end: float

    def to_dict(self) -> dict:
        return {"kind": self.kind, "start": round(self.start, 2), "end": round(self.end, 2)}


@dataclass(frozen=True)
class RedactedWords:
    words: list[CallWord]
    redactions: list[Redaction]

    @property
    def text(self) -> str:
        return segment_text(self.words)


def luhn_valid(digits: str) -> bool:
    """The payment-card check digit test."""
    if not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def redact_words(words: Sequence[CallWord]) -> RedactedWords:
    """Find PII in one speaker's words (time order) and replace each finding by one placeholder word."""
    words = list(words)
    kinds: list[str | None] = [None] * len(words)
    for kind, first, last in _extended(words, _digit_findings(words)) + _email_findings(words) + _text_findings(words):
        for index in range(first, last + 1):
            kinds[index] = kinds[index] or kind
    out, redactions, index = [], [], 0
    while index < len(words):
        kind = kinds[index]
        if kind is None:
            out.append(words[index])
            index += 1
            continue
        last = index
        while last + 1 < len(words) and kinds[last + 1] == kind:
            last += 1
        out.append(CallWord(LABELS[kind], words[index].start, words[last].end))
        redactions.append(Redaction(kind, words[index].start, words[last].end))
        index = last + 1
    return RedactedWords(out, redactions)


def redact_segments(segments: Sequence[CallSegment]) -> tuple[list[CallSegment], list[Redaction]]:
    """Redact each channel's talk as one stream in time order: a number may run across segments, and on a mono
    call across a speaker change the voice clustering put in the middle of it."""
    redactions: list[Redaction] = []
    replaced: dict[int, list[CallWord]] = {i: [] for i in range(len(segments))}
    for channel in sorted({s.channel for s in segments}):
        owned = sorted(((i, w) for i, s in enumerate(segments) if s.channel == channel for w in s.words),
                       key=lambda pair: (pair[1].start, pair[0]))
        result = redact_words([w for _, w in owned])
        redactions += result.redactions
        for word in result.words:
            replaced[_owner(owned, word)].append(word)
    out = [CallSegment(s.start, max(s.end, replaced[i][-1].end), s.speaker, segment_text(replaced[i]), replaced[i], s.channel)
           for i, s in enumerate(segments) if replaced[i]]
    return out, sorted(redactions, key=lambda r: r.start)


def redact_text(text: str) -> tuple[str, list[str]]:
    """Redact free text (no timings): the redacted text and the kinds found."""
    words = [CallWord(token, float(i), float(i) + 0.5) for i, token in enumerate(text.split())]
    result = redact_words(words)
    return result.text, [r.kind for r in result.redactions]


def bleep(channels: np.ndarray, redactions: Sequence[Redaction], sample_rate: int, frequency: float = 1000.0) -> np.ndarray:
    """A copy of the audio with every redacted stretch replaced by a tone, on every channel."""
    bleeped = np.array(channels, dtype=np.float32, copy=True)
    for item in redactions:
        a, b = int(item.start * sample_rate), int(np.ceil(item.end * sample_rate))
        t = np.arange(b - a) / sample_rate
        bleeped[:, a:b] = (0.25 * np.sin(2 * np.pi * frequency * t)).astype(np.float32)[: bleeped[:, a:b].shape[1]]
    return bleeped


def write_bleeped(channels: np.ndarray, redactions: Sequence[Redaction], sample_rate: int, path: Path) -> Path:
    """Write the bleeped copy as a 16-bit WAV next to (never over) the original."""
    import soundfile

    soundfile.write(str(path), bleep(channels, redactions, sample_rate).T, sample_rate, subtype="PCM_16")
    return path


def _owner(owned: list[tuple[int, CallWord]], word: CallWord) -> int:
    """The segment a (possibly merged placeholder) word starts in."""
    for segment_index, original in owned:
        if original.start >= word.start - 1e-6:
            return segment_index
    return owned[-1][0]


def _clean(token: str) -> str:
    return token.strip().strip(",;:!?\"'()[]").rstrip(".").lower()


def _digits_of(token: str) -> str | None:
    """The digits a word stands for ("4539,", "-0", "seven", "twelve", "fifty-two"), or None when it is not one."""
    cleaned = _clean(token)
    if cleaned in DIGIT_WORDS:
        return DIGIT_WORDS[cleaned]
    if cleaned in TEENS:
        return TEENS[cleaned]
    if cleaned in TENS:
        return TENS[cleaned] + "0"
    tens, _, unit = cleaned.partition("-")
    if tens in TENS and DIGIT_WORDS.get(unit, "0") != "0":
        return TENS[tens] + DIGIT_WORDS[unit]
    if cleaned.startswith(("$", "£", "€")) or cleaned.endswith("%") or ":" in cleaned:
        return None
    if re.fullmatch(r"[+\-(]*\d[\d\-,.()]*", cleaned):
        return re.sub(r"\D", "", cleaned)
    return None


def _digit_runs(words: list[CallWord]) -> list[list[tuple[int, str]]]:
    """Stretches of digit words, allowing "dash", "double four" and homophones ("to") between digits."""
    tokens = [_digits_of(w.word) for w in words]
    for i, w in enumerate(words):
        cleaned = _clean(w.word)
        if tokens[i] is None and cleaned in HOMOPHONES and 0 < i < len(words) - 1 and tokens[i + 1] \
                and (tokens[i - 1] or _clean(words[i - 1].word) in NUMBER_LEADS):
            tokens[i] = HOMOPHONES[cleaned]
        if cleaned in REPEATS and i + 1 < len(words) and (nxt := _digits_of(words[i + 1].word)) and len(nxt) == 1:
            tokens[i], tokens[i + 1] = "", nxt * REPEATS[cleaned]
        if cleaned in PLUS and i + 1 < len(words) and _digits_of(words[i + 1].word):
            tokens[i] = ""
        if cleaned in TENS and i + 1 < len(words) and tokens[i] and (unit := DIGIT_WORDS.get(_clean(words[i + 1].word))) \
                and unit != "0" and _clean(words[i + 1].word) != "oh":
            tokens[i], tokens[i + 1] = "", TENS[cleaned] + unit  # "fifty two" is 52, not 502
    runs, current, last_end = [], [], None
    for i, (w, digits) in enumerate(zip(words, tokens)):
        if digits is not None:
            if current and last_end is not None and w.start - last_end > MAX_DIGIT_GAP_S:
                runs.append(current)
                current = []
            current.append((i, digits))
            last_end = w.end
        elif current and _clean(w.word) in JOINERS:
            continue
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _digit_findings(words: list[CallWord]) -> list[tuple[str, int, int]]:
    findings = []
    for run in _digit_runs(words):
        findings += _classify_run(words, run)
    return findings


def _classify_run(words: list[CallWord], run: list[tuple[int, str]]) -> list[tuple[str, int, int]]:
    digits = "".join(d for _, d in run)
    card = _card_window(run)
    if card is not None:
        first, last = card
        rest = [run[:first], run[last + 1:]]
        return [("card", run[first][0], run[last][0])] + [f for part in rest if part for f in _classify_run(words, part)]
    n, first, last = len(digits), run[0][0], run[-1][0]
    cues = {_clean(w.word) for w in words[max(0, first - CUE_WINDOW): first]}
    raw = "".join(words[i].word.strip(" ,.") for i, _ in run)
    raw = "+" + raw if _clean(words[first].word) in PLUS else raw
    if (n == 9 and (cues & ID_CUES or SSN.match(raw))) or (8 <= n <= 12 and cues & ID_CUES and not cues & PHONE_CUES - {"number"}):
        return [("national_id", first, last)]
    if 7 <= n <= 15 and (cues & PHONE_CUES or n in (10, 11) or raw.startswith(("+", "0")) or digits.startswith("0")):
        return [("phone", first, last)]
    if n >= 12:
        return [("account_number", first, last)]
    return []


def _extended(words: list[CallWord], findings: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Each number finding grown over the digit words and spelled letters right beside it: what is left of a run
    after its card number ("[card number] 1, 1, 1") and a prefix the run missed ("0, m, m, m, [phone number]")."""
    grown = []
    for kind, first, last in findings:
        while first > 0 and _part_of_number(words[first - 1]) and words[first].start - words[first - 1].end <= MAX_DIGIT_GAP_S \
                and not words[first - 1].word.strip().endswith(SENTENCE_END):
            first -= 1
        while last + 1 < len(words) and _part_of_number(words[last + 1]) \
                and words[last + 1].start - words[last].end <= MAX_DIGIT_GAP_S and not words[last].word.strip().endswith(SENTENCE_END):
            last += 1
        grown.append((kind, first, last))
    return grown


def _part_of_number(word: CallWord) -> bool:
    cleaned = _clean(word.word)
    return _digits_of(word.word) is not None or bool(SPELLED_LETTER.match(cleaned)) or cleaned in REPEATS or cleaned in PLUS


def _card_window(run: list[tuple[int, str]]) -> tuple[int, int] | None:
    """The longest stretch of whole words with 13-19 digits that passes the Luhn check."""
    best = None
    for a in range(len(run)):
        digits = ""
        for b in range(a, len(run)):
            digits += run[b][1]
            if len(digits) > 19:
                break
            if len(digits) >= 13 and digits[0] in CARD_FIRST_DIGITS and luhn_valid(digits) and (best is None or b - a > best[1] - best[0]):
                best = (a, b)
    return best


def _email_findings(words: list[CallWord]) -> list[tuple[str, int, int]]:
    """Written addresses, and spoken ones: "jane dot doe at example dot com", "jane at example.com"."""
    findings = []
    lowered = [_clean(w.word) for w in words]
    for i, token in enumerate(lowered):
        if EMAIL.match(words[i].word.strip(" ,;")):
            findings.append(("email", i, i))
            continue
        if token != "at" or i == 0 or i + 1 >= len(words):
            continue
        end = _domain_end(lowered, i + 1)
        if end is None:
            continue
        start = i - 1
        while start - 2 >= 0 and lowered[start - 1] == "dot":
            start -= 2
        findings.append(("email", start, end))
    for i, token in enumerate(lowered):  # a garbled address still ends in a domain after "e-mail ... at"
        if DOMAIN.match(token) and set(lowered[max(0, i - 4): i]) & EMAIL_CUES and "at" not in lowered[max(0, i - 3): i]:
            findings.append(("email", i, i))
    return findings


def _domain_end(lowered: list[str], index: int) -> int | None:
    """Where a domain that starts at ``index`` ends ("example dot com", "example.com"), or None."""
    if DOMAIN.match(lowered[index]):
        return index
    end = index
    while end + 2 < len(lowered) and lowered[end + 1] == "dot" and re.fullmatch(r"[\w-]+", lowered[end + 2]):
        end += 2
    return end if end > index else None


def _text_findings(words: list[CallWord]) -> list[tuple[str, int, int]]:
    """Patterns over the joined text: UK National Insurance numbers (letters and digits)."""
    joined, offsets = "", []
    for w in words:
        offsets.append(len(joined))
        joined += w.word.strip() + " "
    findings = []
    for match in NINO.finditer(joined):
        covered = [i for i, offset in enumerate(offsets) if match.start() <= offset + len(words[i].word.strip()) and offset < match.end()]
        if covered:
            findings.append(("national_id", covered[0], covered[-1]))
    return findings
