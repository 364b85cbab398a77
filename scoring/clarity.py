"""Clarity: short, ordered sentences with a concrete next step; pace, pauses, fillers and pitch when spoken."""
from __future__ import annotations

import re

from .assess import capped_sum, clamp, evidence_from
from .evidence_codes import NEXT_STEP, match_codes
from .language import Match, PreparedReply, compile_patterns, next_action, word_spans
from .scorecard import Assessment, Evidence
from .tips import Tip

DIMENSION = "clarity"
LONG_SENTENCE = 28
LONG_PAUSE_S = 2.0

PATTERNS = compile_patterns([
    (r"\b(?:first|firstly|second|then|next|after that|finally|step \d|once that's done)\b|^\s*(?:\d+[.)]|[-*•])\s",
     6, "orders the steps"),
    (r"\b(?:i'll|i will|we'll|we will|please|you'll (?:receive|get|see))\b[^.?!]{0,60}\b(?:by|within|before|today|"
     r"tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|hours?|minutes?|days?)\b", 14,
     "gives a concrete next step"),
    (r"\b(?:the next step is|here's what (?:happens|i'll do|we'll do) next|what happens now is|here is what)\b", 14,
     "signposts the next step"),
    (r"\b(?:kind of|sort of|somehow|something like that|stuff|and so on|etc\.?|whatever(?! you| works| is best| helps)|i guess|i think maybe|"
     r"more or less|basically|to be honest|at the end of the day|per se)\b", -6, "vague wording"),
    (r"\b(?:um+|uh+|erm+|er|hmm+)\b|\byou know,|\blike,|\bi mean,", -6, "filler words"),
    (r"!{2,}|\?{2,}|\.{4,}", -5, "repeated punctuation"),
])
FILLER_WORDS = {"um", "umm", "uh", "uhh", "er", "erm", "hmm", "like", "basically", "actually", "literally"}


def assess(prepared: PreparedReply) -> Assessment:
    matches = prepared.find(PATTERNS)
    matches += _caps(prepared)
    evidence = evidence_from(DIMENSION, matches)
    lengths = [len(re.findall(r"\w+", prepared.analysed[s:e])) for s, e in prepared.sentences] or [0]
    mean_length = sum(lengths) / len(lengths)
    score = 72 + capped_sum(matches, positive_cap=18, negative_cap=30)
    for (start, end), length in zip(prepared.sentences, lengths):
        if length > LONG_SENTENCE:
            score -= min(18, (length - LONG_SENTENCE) * 0.8 + 6)
            text = prepared.text[start:end].strip()
            offset = prepared.text.find(text, start)
            evidence.append(Evidence(DIMENSION, offset, offset + len(text), text, "-",
                                     f"long sentence ({length} words); split it", code="clarity.long_sentence"))
    ease = reading_ease(prepared)
    score += max(-18, min(6, (ease - 60) / 3))
    if prepared.word_count > 180:
        score -= min(15, (prepared.word_count - 180) / 20)
    if 0 < prepared.word_count < 4:
        score -= 12
    voice_score, voice_evidence = _voice(prepared)
    score += voice_score
    evidence += voice_evidence
    features = {
        "cl_mean_sentence": mean_length / 20,
        "cl_long_sentences": sum(length > LONG_SENTENCE for length in lengths),
        "cl_ease": ease / 100,
        "cl_next_step": float(bool(NEXT_STEP.intersection(match_codes(DIMENSION, matches)))),
        "cl_vague": float(sum(m.weight < 0 for m in matches)),
        "cl_words": min(prepared.word_count, 300) / 100,
    }
    score = clamp(score)
    return Assessment(DIMENSION, score, sorted(evidence, key=lambda e: e.start), tip(prepared, score, evidence),
                      features)


def syllables(word: str) -> int:
    groups = re.findall(r"[aeiouy]+", word.lower())
    count = len(groups) - (1 if word.lower().endswith("e") and len(groups) > 1 else 0)
    return max(1, count)


def reading_ease(prepared: PreparedReply) -> float:
    """Flesch reading ease (higher is easier), 60-70 is plain English."""
    words = prepared.tokens
    if not words:
        return 60.0
    sentences = max(1, len(prepared.sentences))
    per_word = sum(syllables(w) for w in words) / len(words)
    return max(0.0, min(100.0, 206.835 - 1.015 * len(words) / sentences - 84.6 * per_word))


def _caps(prepared: PreparedReply) -> list[Match]:
    return [Match(m.start(), m.end(), m.group(), "shouting in capitals", -6)
            for m in re.finditer(r"\b[A-Z]{3,}(?:\s+[A-Z]{3,}){2,}\b", prepared.text)]


def _voice(prepared: PreparedReply) -> tuple[float, list[Evidence]]:
    """Score change and evidence from delivery: pace, long pauses, fillers and monotone pitch."""
    adjust, evidence = 0.0, []
    voice, words = prepared.voice, prepared.words
    if words:
        spans = word_spans(prepared.text, words)
        for index, (before, after) in enumerate(zip(words, words[1:])):
            gap = after.start - before.end
            if gap >= LONG_PAUSE_S:
                adjust -= 4
                start, end = max(spans[index][1], 0), max(spans[index + 1][0], spans[index][1], 0)
                evidence.append(Evidence(DIMENSION, start, end, prepared.text[start:end], "-",
                                         f"{gap:.1f} s pause mid-reply", start_s=before.end, end_s=after.start,
                                         code="clarity.long_pause"))
        fillers = [(w, s) for w, s in zip(words, spans)
                   if w.word.lower().strip(".,!?") in FILLER_WORDS - {"like", "actually"}]
        for filler, (start, end) in fillers[:5]:
            start, end = max(start, 0), max(end, 0)
            evidence.append(Evidence(DIMENSION, start, end, prepared.text[start:end], "-", "filler word",
                                     start_s=filler.start, end_s=filler.end, code="clarity.filler"))
        adjust -= min(12, 3 * len(fillers))
    if voice is None:
        return adjust, evidence
    if voice.words_per_minute:
        wpm = voice.words_per_minute
        if wpm > 180 or wpm < 110:
            adjust -= min(15, abs(wpm - (180 if wpm > 180 else 110)) / 4 + 5)
            evidence.append(Evidence(DIMENSION, 0, 0, "", "-", f"pace {wpm:.0f} words a minute "
                                     f"({'too fast' if wpm > 180 else 'too slow'}; aim for 130-170)",
                                     code="clarity.pace_fast" if wpm > 180 else "clarity.pace_slow"))
        elif 130 <= wpm <= 170:
            adjust += 3
    if voice.long_pauses and not words:
        adjust -= min(12, 4 * voice.long_pauses)
        evidence.append(Evidence(DIMENSION, 0, 0, "", "-", f"{voice.long_pauses} long pause(s)",
                                 code="clarity.long_pause"))
    if voice.filler_count and not words:
        adjust -= min(12, 3 * voice.filler_count)
        evidence.append(Evidence(DIMENSION, 0, 0, "", "-", f"{voice.filler_count} filler word(s)",
                                 code="clarity.filler"))
    monotone = voice.monotone if voice.monotone is not None else (
        voice.pitch_variation is not None and voice.pitch_variation < 2.0)
    if monotone:
        adjust -= 8
        evidence.append(Evidence(DIMENSION, 0, 0, "", "-", "flat, monotone pitch", code="clarity.monotone"))
    return adjust, evidence


DELIVERY_ADVICE = {
    "clarity.pace_fast": "Slow down to about 130-170 words a minute and pause between points",
    "clarity.pace_slow": "Pick up the pace a little, to about 130-170 words a minute",
    "clarity.long_pause": "Pause between points, not in the middle of a sentence",
    "clarity.filler": "Replace filler words with a short, silent pause",
    "clarity.monotone": "Vary your tone so the customer hears that you are engaged",
}


def tip(prepared: PreparedReply, score: float, evidence: list[Evidence]) -> Tip:
    """Fix the first problem found (long sentences, delivery, vague wording), always ending on a next step."""
    action = next_action(prepared.context)
    examples = (f"Here's what happens next: {action} now. You'll get an e-mail by 5 pm today.",
                f"First, {action} now. Then you'll get a confirmation e-mail by 5 pm today.")
    codes = [e.code for e in evidence if e.effect == "-"]
    if codes and codes[0] == "clarity.long_sentence":
        return Tip("clarity.split_sentences", ("Split long sentences and end with one clear next step",
                                               "Keep to one point a sentence and finish with the next step"), examples)
    if codes and codes[0] in DELIVERY_ADVICE:
        return Tip("clarity.delivery", (f"Work on delivery: {DELIVERY_ADVICE[codes[0]][:1].lower()}"
                                        f"{DELIVERY_ADVICE[codes[0]][1:]}",), examples)
    if codes and codes[0] in ("clarity.vague", "clarity.filler", "clarity.capitals", "clarity.repeated_punctuation"):
        return Tip("clarity.plain_statement", ("Say exactly what will happen, without vague words or fillers",), examples)
    return Tip("clarity.next_step", ("Use short sentences and finish with a concrete next step and a time",
                                     "Close with one concrete next step and when it will happen"), examples)
