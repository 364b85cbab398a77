"""Load benchmark: signed-in sessions hitting their main pages against `coach serve` with a scaled demo.

    python benchmarks/load.py --scale 1 --users 50 --seconds 60
    python benchmarks/load.py --scale 1,2,4 --seconds 30     # how cost grows with the data

For each scale it builds a fresh instance under a temporary folder (`coach init --demo --scale N`: the demo, then
N x 200 trainees, 10,000 attempts copied from played ones and 2,000 calls reusing the demo calls' real first
passes; see coach/demo/scale.py), starts `coach serve` on 127.0.0.1 with a free port, signs in USERS sessions
(trainees, trainers, reviewers, admins) before the clock starts, and lets each one open its main pages with 0.1-0.4 s think time; trainees
also type replies into a role-play. It then prints p50/p95/p99 per page, throughput, errors, the typed replies'
p95 and the RSS of the server processes (idle and peak), and at the end one line per scale. Traffic goes only to
127.0.0.1, and every session stops at the deadline.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
COACH = Path(sys.executable).with_name("coach")
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
REPLIES = ("I'm so sorry about this. I'll check your order right now and call you back by 5 pm today.",
           "I understand how frustrating that is. Let me sort the refund out for you myself.",
           "Thanks for waiting. I can see the payment went out twice; I'll reverse one today and email you.")


def pages_for(role: str, who: str, team_id: int, curriculum_id: int, trainee: str) -> list[tuple[str, str]]:
    """(label, path) of a person's main pages."""
    if role == "trainee":
        return [("dashboard", "/dashboard"), ("progress", "/progress/"), ("next panel", "/progress/panels/next"),
                ("assigned panel", "/progress/panels/assigned"), ("practice", "/practice/"),
                ("practice history", "/practice/history")]
    if role == "trainer":
        return [("dashboard", "/dashboard"), ("team dashboard", f"/curricula/teams/{team_id}"),
                ("trainee progress", f"/progress/people/{trainee}"),
                ("trainee page", f"/curricula/teams/{team_id}/trainees/{trainee}"),
                ("curriculum detail", f"/curricula/{curriculum_id}"), ("teams panel", "/curricula/teams/panel")]
    if role == "reviewer":
        return [("dashboard", "/dashboard"), ("my calls panel", "/calls/panels/queue"), ("trainee progress", f"/progress/people/{trainee}")]
    return [("dashboard", "/dashboard"), ("team dashboard", f"/curricula/teams/{team_id}"), ("curricula", "/curricula/"),
            ("trainee progress", f"/progress/people/{trainee}"), ("admin users", "/admin/users"),
            ("admin teams", "/admin/teams"), ("team progress", "/curricula/teams")]


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.reasons: dict[str, int] = defaultdict(int)  # "label: HTTP 500" or "label: ReadTimeout", for the report

    def add(self, label: str, seconds: float, ok: bool, reason: str = "") -> None:
        with self.lock:
            self.times[label].append(seconds)
            if not ok:
                self.errors[label] += 1
                self.reasons[f"{label}: {reason or 'failed'}"] += 1


def sign_in(base: str, username: str) -> requests.Session:
    client = requests.Session()
    token = CSRF.search(client.get(f"{base}/login", timeout=30).text).group(1)
    answer = client.post(f"{base}/login", data={"username": username, "password": "coach-demo", "csrf_token": token},
                         timeout=30, allow_redirects=False)
    if answer.status_code not in (302, 303):
        raise SystemExit(f"sign-in failed for {username}: {answer.status_code}")
    return client


def timed(recorder: Recorder, label: str, call) -> requests.Response | None:
    start = time.perf_counter()
    try:
        answer = call()
    except requests.RequestException as error:
        recorder.add(label, time.perf_counter() - start, False, type(error).__name__)
        return None
    recorder.add(label, time.perf_counter() - start, answer.status_code < 400, f"HTTP {answer.status_code}")
    return answer


def practise(base: str, client: requests.Session, recorder: Recorder, rng: random.Random, state: dict) -> None:
    """Type one reply into the session's role-play, starting a new attempt when there is none or it ended."""
    if state.get("attempt") is None:
        page = client.get(f"{base}/practice/scenarios/late-delivery", timeout=30)
        token = CSRF.search(page.text)
        started = client.post(f"{base}/practice/scenarios/late-delivery/start", timeout=30, allow_redirects=False,
                              data={"csrf_token": token.group(1) if token else ""})
        match = re.search(r"/practice/attempts/(\d+)", started.headers.get("Location", ""))
        if not match:
            recorder.add("start attempt", 0.0, False)
            return
        state["attempt"] = match.group(1)
        state["token"] = CSRF.search(client.get(f"{base}/practice/attempts/{state['attempt']}", timeout=30).text)
    token = state["token"].group(1) if state.get("token") else ""
    answer = timed(recorder, "typed reply", lambda: client.post(
        f"{base}/practice/attempts/{state['attempt']}/reply", timeout=30, allow_redirects=False,
        data={"reply": rng.choice(REPLIES), "csrf_token": token}))
    state["replies"] = state.get("replies", 0) + 1
    # an ended attempt answers 400 (then it counts as an error) - start a fresh one every few replies instead
    if answer is None or answer.status_code >= 400 or state["replies"] % 3 == 0:
        state["attempt"] = None


def signed_in(base: str, users: list[tuple], recorder: Recorder) -> list[tuple]:
    """Sign every session in before the clock starts (each sign-in hashes a password): (user, client) pairs."""
    clients: list = [None] * len(users)

    def sign(index: int) -> None:
        try:
            clients[index] = sign_in(base, users[index][0])
        except (requests.RequestException, AttributeError):
            recorder.add("sign in", 0.0, False, "refused")

    threads = [threading.Thread(target=sign, args=(i,)) for i in range(len(users))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [(user, client) for user, client in zip(users, clients) if client is not None]


def session_loop(base: str, user: tuple, client: requests.Session, deadline: float, recorder: Recorder, seed: int) -> None:
    _username, role, pages = user
    rng = random.Random(seed)
    state: dict = {}
    while time.monotonic() < deadline:
        if role == "trainee" and rng.random() < 0.2:
            practise(base, client, recorder, rng, state)
        else:
            label, path = rng.choice(pages)
            timed(recorder, label, lambda path=path: client.get(f"{base}{path}", timeout=30))
        time.sleep(rng.uniform(0.1, 0.4))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rss_mb(pid: int) -> float:
    """RSS of a process and its children (the gunicorn master and workers), from /proc."""
    total = 0
    pids = [pid] + [int(p) for p in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False).stdout.split()]
    for each in pids:
        try:
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by a process and its children that are alive (the gunicorn workers)."""
    total = 0
    pids = [pid] + [int(p) for p in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False).stdout.split()]
    for each in pids:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


def build_instance(folder: Path, scale: int, env: dict) -> None:
    print(f"building the demo x{scale} in {folder} ...", flush=True)
    built = subprocess.run([str(COACH), "init", "--demo", "--scale", str(scale)], env=env, cwd=ROOT,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=3600)
    if built.returncode != 0:
        raise SystemExit(f"coach init --demo --scale {scale} failed:\n{built.stderr[-2000:]}")


def people(env: dict, users: int) -> list[tuple]:
    """USERS sessions: mostly trainees, then trainers, reviewers and admins (about 70/16/8/6 %)."""
    script = ("from coach import create_app;from coach.models import *;from sqlmodel import Session,select\n"
              "app=create_app();e=app.extensions['coach.engine']\n"
              "with Session(e) as s:\n"
              " c=s.exec(select(Curriculum)).first().id\n"
              " for u in s.exec(select(User).where(User.active==True)):\n"
              "  m=s.exec(select(User.username).where(User.team_id==u.team_id,User.role=='trainee')).first() if u.team_id else None\n"
              "  print(u.username,u.role.value,u.team_id or 0,c,m or 'alex')\n")
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True, cwd=ROOT).stdout
    rows = [line.split() for line in out.splitlines()]
    by_role = defaultdict(list)
    for username, role, team_id, curriculum_id, trainee in rows:
        by_role[role].append((username, role, pages_for(role, username, int(team_id) or 1, int(curriculum_id), trainee)))
    wanted = {"trainer": max(1, users * 16 // 100), "reviewer": max(1, users * 8 // 100), "admin": max(1, users * 6 // 100)}
    wanted["trainee"] = users - sum(wanted.values())
    chosen = []
    for role, count in wanted.items():
        pool = by_role[role] or by_role["trainee"]
        chosen += [pool[i % len(pool)] for i in range(count)]
    return chosen


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def run_scale(scale: int, args) -> dict:
    folder = Path(tempfile.mkdtemp(prefix=f"coach-load-{scale}-"))
    env = {**os.environ, "COACH_INSTANCE_DIR": str(folder / "instance"), "COACH_RECORDINGS_DIR": str(folder / "recordings"),
           "COACH_QUEUE_URL": f"sqlite:///{folder / 'queue.sqlite3'}"}
    env.pop("COACH_DATABASE_URL", None)
    if args.workers:
        env["COACH_WEB_WORKERS"] = str(args.workers)
    server = None
    try:
        build_instance(folder, scale, env)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([str(COACH), "serve", "--host", "127.0.0.1", "--port", str(port)], env=env, cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        for _ in range(300):
            try:
                requests.get(f"{base}/login", timeout=2)
                break
            except requests.RequestException:
                time.sleep(0.2)
        chosen = people(env, args.users)
        idle = rss_mb(server.pid)
        recorder = Recorder()
        sessions = signed_in(base, chosen, recorder)
        deadline = time.monotonic() + args.seconds
        threads = [threading.Thread(target=session_loop, args=(base, user, client, deadline, recorder, i), daemon=True)
                   for i, (user, client) in enumerate(sessions)]
        started = time.monotonic()
        server_cpu, client_cpu = cpu_seconds(server.pid), time.process_time()
        for thread in threads:
            thread.start()
        peak = 0.0
        while any(t.is_alive() for t in threads) and time.monotonic() < deadline + 40:
            peak = max(peak, rss_mb(server.pid))
            time.sleep(1)
        elapsed = time.monotonic() - started
        return {"scale": scale, "recorder": recorder, "elapsed": elapsed, "rss": peak, "idle_rss": idle,
                "server_cpu": cpu_seconds(server.pid) - server_cpu, "client_cpu": time.process_time() - client_cpu}
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


def report(result: dict) -> dict:
    """Print one scale's table; return its summary line for the comparison of scales."""
    recorder = result["recorder"]
    every = [t for times in recorder.times.values() for t in times]
    pages = [t for label, times in recorder.times.items() if label != "typed reply" for t in times]
    replies = recorder.times.get("typed reply", [])
    errors = sum(recorder.errors.values())
    print(f"\nscale {result['scale']}: {len(every)} requests in {result['elapsed']:.0f} s "
          f"({len(every) / result['elapsed']:.1f}/s), errors {errors}, "
          f"server RSS {result['idle_rss']:.0f} MB idle, {result['rss']:.0f} MB peak (all processes)")
    print(f"CPU: server {result['server_cpu']:.0f} s ({1000 * result['server_cpu'] / max(1, len(every)):.1f} ms a request, "
          f"{result['server_cpu'] / result['elapsed']:.2f} cores), this load client {result['client_cpu']:.0f} s "
          f"({result['client_cpu'] / result['elapsed']:.2f} cores), load average {os.getloadavg()[0]:.1f}")
    print(f"{'page':<20} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for label in sorted(recorder.times):
        times = recorder.times[label]
        print(f"{label:<20} {len(times):>6} {percentile(times, .5):>8.0f} {percentile(times, .95):>8.0f} "
              f"{percentile(times, .99):>8.0f} {recorder.errors[label]:>7}")
    if recorder.reasons:
        print("errors: " + ", ".join(f"{reason} x{count}" for reason, count in sorted(recorder.reasons.items())))
    if pages:
        print(f"{'all page views':<20} {len(pages):>6} {percentile(pages, .5):>8.0f} {percentile(pages, .95):>8.0f} "
              f"{percentile(pages, .99):>8.0f}")
    return {"scale": result["scale"], "throughput": len(every) / result["elapsed"], "errors": errors,
            "pages_p95": percentile(pages, .95) if pages else None, "pages_p99": percentile(pages, .99) if pages else None,
            "reply_p95": percentile(replies, .95) if replies else None, "rss": result["rss"],
            "cpu_ms": 1000 * result["server_cpu"] / max(1, len(every))}


def compare(summaries: list[dict]) -> None:
    """How cost grows with the data: one line per scale."""
    def ms(value):
        return f"{value:.0f}" if value is not None else "-"
    print(f"\n{'scale':>5} {'req/s':>7} {'errors':>7} {'pages p95':>10} {'pages p99':>10} {'typed p95':>10} {'RSS MB':>7} "
          f"{'CPU ms/req':>11}")
    for line in summaries:
        print(f"{line['scale']:>5} {line['throughput']:>7.1f} {line['errors']:>7} {ms(line['pages_p95']):>10} "
              f"{ms(line['pages_p99']):>10} {ms(line['reply_p95']):>10} {line['rss']:>7.0f} {line['cpu_ms']:>11.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="1", help="comma-separated scales, e.g. 1,2,4 (each: 200 trainees, 10,000 "
                        "copied attempts, 2,000 calls reusing real first passes)")
    parser.add_argument("--users", type=int, default=50, help="signed-in sessions (at most 500)")
    parser.add_argument("--seconds", type=float, default=60, help="how long the sessions run (at most 600)")
    parser.add_argument("--workers", type=int, default=0, help="COACH_WEB_WORKERS for the server (default: per CPU)")
    args = parser.parse_args()
    args.users = max(1, min(args.users, 500))
    args.seconds = max(1.0, min(args.seconds, 600.0))
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    summaries = [report(run_scale(int(scale), args)) for scale in args.scale.split(",") if scale.strip()]
    compare(summaries)


if __name__ == "__main__":
    main()
