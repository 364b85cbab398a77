"""A web worker warms up before serving: every template compiled, one reply scored in every scenario, nothing stored."""
import logging

from sqlmodel import select

from coach.cli.core_commands import warm_up
from coach.models import Attempt, AttemptTurn
from coach.roleplay.scenario_store import sync_scenarios
from scenarios import LIBRARY_DIR, load_library


def test_warm_up_compiles_every_template_and_scores_in_each_scenario_without_storing(app, session, caplog):
    sync_scenarios(session, load_library(LIBRARY_DIR))
    with caplog.at_level(logging.WARNING):
        warm_up(app)
    assert not [r for r in caplog.records if "not warm" in r.getMessage()]
    compiled = {template.name for template in app.jinja_env.cache.values()}
    assert set(app.jinja_env.list_templates(extensions=("html",))) <= compiled
    assert session.exec(select(Attempt)).first() is None and session.exec(select(AttemptTurn)).first() is None
