"""Role-play scenarios: the YAML format, its loader and checks, and the player (``scenarios.play``).

The package is pure Python (no Flask, no database). ``scenarios.play`` imports ``scoring``;
the loader does not, so checking files stays quick.
"""
from pathlib import Path

from scenarios.loader import (
    ScenarioError,
    ScenarioLibrary,
    ScenarioProblem,
    check_paths,
    check_warnings,
    load_library,
    load_scenario,
    scenario_files,
)
from scenarios.schema import DIMENSIONS, GOOD_OUTCOMES, OUTCOMES, Ending, Scenario, Turn

LIBRARY_DIR = Path(__file__).resolve().parent

__all__ = [
    "DIMENSIONS", "GOOD_OUTCOMES", "LIBRARY_DIR", "OUTCOMES", "Ending", "Scenario", "ScenarioError",
    "ScenarioLibrary", "ScenarioProblem", "Turn", "check_paths", "check_warnings", "load_library", "load_scenario",
    "scenario_files",
]
