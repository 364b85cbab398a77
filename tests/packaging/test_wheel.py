"""A wheel built from the repo carries its templates, static files and migrations, and renders a page."""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

RENDER_LOGIN = """
import coach, sys
from pathlib import Path
assert Path(coach.__file__).is_relative_to(Path(sys.argv[1])), coach.__file__
from coach import create_app, db
app = create_app({"instance_dir": sys.argv[2], "recordings_dir": sys.argv[2] + "/r", "queue_url": "memory://",
                  "database_url": "sqlite:///" + sys.argv[2] + "/c.sqlite3", "secret_key": "k"})
db.upgrade(app.extensions["coach.engine"])
client = app.test_client()
page = client.get("/login")
assert page.status_code == 200 and b"csrf_token" in page.data, page.status_code
assert client.get("/static/vendor/htmx/htmx.min.js").status_code == 200
print("rendered")
"""


@pytest.mark.slow
def test_the_built_wheel_renders_the_sign_in_page_outside_the_repo(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w",
                    str(tmp_path / "dist"), str(ROOT)], check=True, timeout=600)
    wheel = next((tmp_path / "dist").glob("coach-*.whl"))
    target = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, timeout=600)
    (tmp_path / "instance").mkdir()
    result = subprocess.run([sys.executable, "-c", RENDER_LOGIN, str(target), str(tmp_path / "instance")],
                            cwd=tmp_path, env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and "rendered" in result.stdout, result.stderr[-3000:]
