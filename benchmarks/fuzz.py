"""Fuzz benchmark (issue 13): the full run of the seeded fuzz suite (quick part: tests/security/test_fuzz_quick.py).

    python benchmarks/fuzz.py                       # 2,000 uploads, 2,000 scenario files, 1,000 score-text lines,
                                                    # 1,000 rubrics
    python benchmarks/fuzz.py --only lines --lines 200 --seed 7

Each kind of outside input goes to the code that reads it, one case at a time under an alarm at 15 s of CPU:
uploads to the two upload routes of a real app (Flask test client; their jobs run inline, decoding for real, with a
speech engine that hears nothing), scenario files to ``coach scenarios check`` and the role-play player, score-text
lines (and the three ``known_slow_lines``) to the line scorer, rubrics to the loader and the scorer; then ``coach
scenarios check`` over a folder of every scenario case and ``coach score-text`` over every line that scored in under
a second of CPU alone. A
crash is a 500, a traceback, a logged exception or a refusal that names no file or line (see
``tests/security/fuzzing.py`` and ``fuzz_uploads.py``); a hang is a case over 10 s of CPU time, which a busy
shared machine does not inflate (the wall time is shown beside it).

Prints per kind the cases, crashes (with the case and its last words), hangs and the slowest case, the process's
peak memory (server and worker both run here) and the time taken; exits 1 on a crash, a hang or a peak of 1 GB or
more. Bounded: counts are fixed, every case has its alarm and the run stops at ``--budget`` seconds. No network:
while it runs, any socket to an address other than 127.0.0.1 / ::1 is refused and counted.
"""
from __future__ import annotations

import argparse
import logging
import socket
import sys
import tempfile
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.security import fuzz_uploads, fuzzing  # noqa: E402  (after the path is set)

KINDS = ("uploads", "scenarios", "lines", "rubrics")
MEMORY_LIMIT_MB = 1024
LOOPBACK = ("127.0.0.1", "::1", "localhost")


@contextmanager
def loopback_only(refused: list[str]):
    """Refuse (and note) every connection to an address that is not this machine's loopback."""
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def check(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in LOOPBACK:
            refused.append(str(address[0]))
            raise ConnectionRefusedError(f"benchmarks/fuzz.py allows only 127.0.0.1, not {address[0]}")

    socket.socket.connect = lambda sock, address: (check(sock, address), real_connect(sock, address))[1]
    socket.socket.connect_ex = lambda sock, address: (check(sock, address), real_connect_ex(sock, address))[1]
    try:
        yield
    finally:
        socket.socket.connect, socket.socket.connect_ex = real_connect, real_connect_ex


@dataclass
class Command:
    """One run of a command over a whole batch (its time grows with the batch, so it has no per-case alarm)."""

    label: str
    seconds: float = 0.0
    crash: str | None = None


def whole(label: str, check) -> Command:
    started = time.perf_counter()
    try:
        check()
    except Exception:  # noqa: BLE001  anything the command let escape is the finding
        return Command(label, time.perf_counter() - started, traceback.format_exc(limit=-3))
    return Command(label, time.perf_counter() - started)


def fuzz_uploads_kind(count: int, seed: int, folder: Path, deadline: float) -> tuple[fuzzing.Report, Command | None]:
    uploads = {upload.name: upload for upload in fuzz_uploads.upload_cases(count, seed)}
    with fuzz_uploads.upload_target(folder / "app") as target:
        return fuzzing.run("uploads", [fuzz_uploads.as_case(u) for u in uploads.values()],
                           lambda case: fuzz_uploads.check_upload(target, uploads[case.name]), deadline), None


def fuzz_scenarios(count: int, seed: int, folder: Path, deadline: float) -> tuple[fuzzing.Report, Command | None]:
    cases = fuzzing.scenario_cases(count, seed)
    report = fuzzing.run("scenario files", cases, lambda case: fuzzing.check_scenario(case, folder), deadline)
    done = [o.case for o in report.outcomes]
    return report, whole(f"coach scenarios check over a folder of {len(done)} files",
                         lambda: fuzzing.check_scenario_folder(done, folder / "all"))


def fuzz_lines(count: int, seed: int, folder: Path, deadline: float) -> tuple[fuzzing.Report, Command | None]:
    cases = fuzzing.score_text_lines(count, seed) + fuzzing.known_slow_lines()
    report = fuzzing.run("score-text lines", cases, fuzzing.check_score_line, deadline)
    quick = [o.case for o in report.outcomes if o.crash is None and o.cpu_seconds < 1.0]
    return report, whole(f"coach score-text over the {len(quick)} lines scored in under 1 s",
                         lambda: fuzzing.check_score_text_file(quick))


def fuzz_rubrics(count: int, seed: int, folder: Path, deadline: float) -> tuple[fuzzing.Report, Command | None]:
    return fuzzing.run("rubrics", fuzzing.rubric_cases(count, seed), lambda case: fuzzing.check_rubric(case, folder),
                       deadline), None


RUNNERS = {"uploads": fuzz_uploads_kind, "scenarios": fuzz_scenarios, "lines": fuzz_lines, "rubrics": fuzz_rubrics}


def last_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[-1][:300] if lines else "?"


def print_report(report: fuzzing.Report, wanted: int, seconds: float, command: Command | None) -> None:
    print(f"{report.summary()}; {seconds:.0f} s; peak memory so far {fuzzing.peak_memory_mb():.0f} MB", flush=True)
    if len(report.outcomes) < wanted:
        print(f"  stopped at the budget after {len(report.outcomes)} of {wanted} cases")
    for outcome in report.crashes[:20]:
        print(f"  crash: {outcome.case.name[:110]}\n         {last_line(outcome.crash)}")
    for outcome in report.hangs[:60]:
        print(f"  hang: {outcome.case.name[:100]} ({outcome.seconds:.1f} s, {outcome.cpu_seconds:.1f} s of CPU)")
    if command is not None:
        verdict = f"crash: {last_line(command.crash)}" if command.crash else "as promised"
        print(f"  {command.label}: {verdict} ({command.seconds:.1f} s)", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=2000)
    parser.add_argument("--scenarios", type=int, default=2000)
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--rubrics", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=fuzzing.SEED)
    parser.add_argument("--only", choices=KINDS, action="append", help="run only these kinds (repeatable)")
    parser.add_argument("--budget", type=float, default=3600, help="stop starting cases after this many seconds")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR, format="%(name)s: %(message)s")  # a pattern that gave up is no news
    started = time.monotonic()
    deadline = started + args.budget
    refused: list[str] = []
    failed = False
    print(f"fuzz: seed {args.seed}, hang over {fuzzing.HANG_S:.0f} s, memory limit {MEMORY_LIMIT_MB} MB", flush=True)
    with tempfile.TemporaryDirectory(prefix="coach-fuzz-") as tmp, loopback_only(refused):
        for kind in args.only or KINDS:
            folder = Path(tmp) / kind
            folder.mkdir()
            wanted = getattr(args, kind) + (len(fuzzing.known_slow_lines()) if kind == "lines" else 0)
            kind_started = time.monotonic()
            report, command = RUNNERS[kind](getattr(args, kind), args.seed, folder, deadline)
            print_report(report, wanted, time.monotonic() - kind_started, command)
            failed |= bool(report.crashes or report.hangs or (command and command.crash))
    peak = fuzzing.peak_memory_mb()
    print(f"peak memory {peak:.0f} MB (limit {MEMORY_LIMIT_MB}); connections refused outside 127.0.0.1: "
          f"{len(refused)}; total {time.monotonic() - started:.0f} s")
    return 1 if failed or peak >= MEMORY_LIMIT_MB or refused else 0


if __name__ == "__main__":
    sys.exit(main())
