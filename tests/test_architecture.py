"""The house rules of the code, kept by tools: import contracts and where role rules may live."""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROOT_MODULES = {"__init__.py", "config.py", "db.py", "models.py", "permissions.py"}


def test_import_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and " 0 broken" in result.stdout, result.stdout[-4000:] + result.stderr[-2000:]


def test_coach_root_holds_only_the_app_factory_config_db_models_and_permissions():
    modules = {p.name for p in (ROOT / "coach").glob("*.py")}
    assert modules == ROOT_MODULES


def test_role_rules_live_only_in_permissions_and_models():
    pattern = re.compile(r"role ==|Role\.")
    offenders = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
                 for path in (ROOT / "coach").rglob("*.py")
                 if path.name not in {"permissions.py", "models.py"} and "migrations" not in path.parts
                 for number, line in enumerate(path.read_text().splitlines(), 1) if pattern.search(line)]
    assert offenders == []
