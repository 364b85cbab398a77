"""Coach's scoring engine: five soft-skill dimensions with evidence, tips and rubric-weighted overall scores.

Pure Python: no Flask, no database. See docs/ARCHITECTURE.md for the contract.
"""
from .call_scoring import score_call
from .engine import ScoringError, score_reply
from .inputs import CallTurn, TimedWord, VoiceFeatures
from .jargon import JargonLexicon, LexiconError, load_jargon_lexicon
from .learned import ModelsError, ScoringModels, load_models
from .rubric import Rubric, RubricError, default_rubric, load_rubric
from .scorecard import DIMENSIONS, Evidence, Scorecard

__all__ = [
    "DIMENSIONS", "CallTurn", "Evidence", "JargonLexicon", "LexiconError", "ModelsError", "Rubric", "RubricError",
    "Scorecard", "ScoringError", "ScoringModels", "TimedWord", "VoiceFeatures", "default_rubric",
    "load_jargon_lexicon", "load_models", "load_rubric", "score_call", "score_reply",
]
