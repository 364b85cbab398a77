import pytest

from coach.roleplay.scenario_store import sync_scenarios
from scenarios import LIBRARY_DIR, load_library


@pytest.fixture(scope="session")
def library():
    return load_library(LIBRARY_DIR)


@pytest.fixture
def scenarios(session, library):
    sync_scenarios(session, library)
