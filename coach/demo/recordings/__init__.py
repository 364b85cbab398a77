"""Demo call recordings for ``coach init --demo``: synthetic espeak-ng speech, made by ``make_calls.py``.

The OGG/Opus files beside this module are committed, so loading the demo needs neither espeak-ng nor the script.
"""
from pathlib import Path

FOLDER = Path(__file__).resolve().parent
