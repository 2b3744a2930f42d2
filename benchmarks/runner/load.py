"""Load: requests a second over a number of connections (``benchmarks/throughput.py``'s
``run_load``), and the concurrent mixed run, in which some of the users write while the others
read: each writer opens a form and sends it, one after another, logging a session in a pupil's
delivery log (its status turned over each time, so each is a change) or raising a concern.
"""

import multiprocessing
import multiprocessing.connection
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from benchmarks.runner.browser import Browser, form_fields
from benchmarks.throughput import run_load

LONDON = ZoneInfo("Europe/London")


@dataclass
class WriteTargets:
    deliveries: list[tuple[int, int, int]]  # (pupil, cycle, provision) of open cycles in Do
    concerns: list[int]  # pupils not on the register, to raise a concern about


@dataclass
class _Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile, in milliseconds (0 for no values), as throughput.py reports it."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return round(ordered[rank - 1] * 1000, 2)


def _write_once(browser: Browser, targets: WriteTargets, turn: int) -> tuple[bool, float, str]:
    if turn % 3 == 2 and targets.concerns:
        pupil = targets.concerns[turn % len(targets.concerns)]
        path = f"/pupils/{pupil}/concerns/new/"
        today = datetime.now(LONDON).date()
        changes = {"areas": "CL", "what_is_seen": "Finding the new topic hard (benchmark).",
                   "already_tried": "Pre-teaching the vocabulary.", "raised_on_0": str(today.day),
                   "raised_on_1": str(today.month), "raised_on_2": str(today.year)}  # fmt: skip
    else:
        pupil, cycle, provision = targets.deliveries[turn % len(targets.deliveries)]
        path = f"/pupils/{pupil}/cycles/{cycle}/provision/{provision}/log/"
        missed = (turn // len(targets.deliveries)) % 2 == 1
        changes = {"status": "missed" if missed else "delivered", "missed_reason": "pupil_absent" if missed else ""}
    try:
        page = browser.get(path)
        if page.status != 200:
            return False, 0.0, f"GET {path}: HTTP {page.status}"
        answer = browser.request("POST", path, {**form_fields(page.body, path), **changes})
    except OSError as error:
        return False, 0.0, f"{path}: {type(error).__name__}: {error}"
    if answer.status != 302:
        return False, answer.seconds, f"POST {path}: HTTP {answer.status}"
    return True, answer.seconds, ""


def _writer(browser: Browser, targets: WriteTargets, first_turn: int, step: int, stop_at: float, tally: _Tally,
            lock: threading.Lock) -> None:  # fmt: skip
    turn = first_turn
    while time.monotonic() < stop_at:
        ok, seconds, error = _write_once(browser, targets, turn)
        turn += step
        if time.monotonic() > stop_at:
            break
        with lock:
            if ok:
                tally.latencies.append(seconds)
            else:
                tally.errors += 1
                tally.first_error = tally.first_error or error


def _writers(send: multiprocessing.connection.Connection, browser: Browser, targets: WriteTargets, count: int,
             start_at: float, stop_at: float) -> None:  # fmt: skip
    time.sleep(max(0.0, start_at - time.monotonic()))
    tally, lock = _Tally(), threading.Lock()
    threads = [
        threading.Thread(
            target=_writer,
            args=(Browser(browser.host, browser.port, dict(browser.cookies)), targets, i, count, stop_at, tally, lock),
        )
        for i in range(count)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    send.send((tally.latencies, tally.errors, tally.first_error))
    send.close()


def load(base_url: str, paths: list[str], connections: int, seconds: float, headers: dict[str, str]) -> dict[str, Any]:
    """Requests a second over ``connections`` connections: {"requests", "errors", "rps", "p50_ms", "p95_ms"}."""
    return run_load(base_url, paths, connections, seconds, headers)


def mixed(
    base_url: str, read_paths: list[str], browser: Browser, targets: WriteTargets, users: int, seconds: float
) -> dict[str, Any]:
    """``users`` at once for ``seconds``: a tenth of them (at least one) writing, the rest reading."""
    writers = max(1, users // 10) if targets.deliveries else 0
    context = multiprocessing.get_context("fork")
    # The writers are a process of their own, started before run_load forks its own, so that no
    # thread is running in this process when it forks.
    receive, send = context.Pipe(duplex=False)
    start_at = time.monotonic() + 0.3
    process = None
    if writers:
        process = context.Process(target=_writers, args=(send, browser, targets, writers, start_at, start_at + seconds),
                                  daemon=True)  # fmt: skip
        process.start()
    send.close()
    reads = load(base_url, read_paths, users - writers, seconds, browser.headers())
    latencies, errors, first_error = receive.recv() if process else ([], 0, "")
    if process:
        process.join()
    return {
        "users": users, "seconds": seconds, "readers": users - writers, "writers": writers, "reads": reads,
        "writes": {"requests": len(latencies) + errors, "errors": errors, "rps": round(len(latencies) / seconds, 1),
                   "p50_ms": percentile(latencies, 0.5), "p95_ms": percentile(latencies, 0.95),
                   "first_error": first_error},
    }  # fmt: skip
