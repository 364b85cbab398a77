"""The reply text cut into pieces, each marked with the evidence that covers it, for the player to highlight."""
from __future__ import annotations

from dataclasses import dataclass

from scoring.skills import skill_name


@dataclass(frozen=True)
class Piece:
    """A stretch of the reply; ``effect`` is "+", "-" or None (no evidence), ``reasons`` goes in the mark's title."""

    text: str
    effect: str | None = None
    reasons: str = ""


def highlight(text: str, evidence: list[dict]) -> list[Piece]:
    """Split ``text`` at every evidence boundary; a piece any "-" evidence covers counts as "-"."""
    spans = [e for e in evidence if isinstance(e.get("start"), int) and isinstance(e.get("end"), int)
             and 0 <= e["start"] < e["end"] <= len(text)]
    cuts = sorted({0, len(text)} | {e["start"] for e in spans} | {e["end"] for e in spans})
    pieces: list[Piece] = []
    for start, end in zip(cuts, cuts[1:]):
        covering = [e for e in spans if e["start"] <= start and end <= e["end"]]
        if covering:
            effect = "-" if any(e.get("effect") == "-" for e in covering) else "+"
            reasons = "; ".join(dict.fromkeys(
                f"{skill_name(e.get('dimension', ''))} {e.get('effect', '')} {e.get('reason', '')}".strip()
                for e in covering))
            piece = Piece(text[start:end], effect, reasons)
        else:
            piece = Piece(text[start:end])
        if pieces and (pieces[-1].effect, pieces[-1].reasons) == (piece.effect, piece.reasons):
            pieces[-1] = Piece(pieces[-1].text + piece.text, piece.effect, piece.reasons)
        else:
            pieces.append(piece)
    return pieces
