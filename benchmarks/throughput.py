"""Requests a second a server answers: a small load tool with no dependencies outside the standard library.

    .venv/bin/python benchmarks/throughput.py http://127.0.0.1:8000/healthz --connections 8 --seconds 10
    .venv/bin/python benchmarks/throughput.py http://127.0.0.1:8000 --path /pupils/12/ --cookie sessionid=...

Each connection sends one request after another (never two at once) for the given time, cycling
through the paths, over HTTP/1.1 keep-alive (``http.client``); a server that closes the connection
after each answer (gunicorn's sync workers do) is reconnected to, as a browser would. An answer
that is not 2xx or 3xx, or a request that fails (refused, reset, timed out), counts as an error.

The GIL: the tool spends 0.2-0.3 ms of CPU a request (a new TCP connection each time included);
one process with eight threads reached 2,600 requests a second against a gunicorn "hello world" on
2 cores, two processes 4,600. The connections
are therefore shared out over up to ``--processes`` worker processes (by default one per CPU,
never more than there are connections), each running one thread per connection it holds, and the
CLI prints the CPU time the tool itself used, so that a run can show it was not the bottleneck.
On a small machine the tool and the server share the CPUs: the fewer the tool uses, the better.

``run_load`` is what other scripts call (the benchmark runner); the CLI prints the same figures.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import multiprocessing
import multiprocessing.connection
import os
import resource
import sys
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

__all__ = ["run_load"]


@dataclass
class _Tally:
    """What one process's connections did: each request's latency (seconds) and the errors."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""


def _connection_loop(
    scheme: str, host: str, port: int, paths: list[str], offset: int, headers: dict[str, str],
    start_at: float, stop_at: float, tally: _Tally, lock: threading.Lock,
) -> None:  # fmt: skip
    connection_class = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
    connection = connection_class(host, port, timeout=30)
    latencies: list[float] = []
    errors = 0
    first_error = ""
    index = offset
    now = time.monotonic()
    if now < start_at:
        time.sleep(start_at - now)
    while True:
        path = paths[index % len(paths)]
        index += 1
        began = time.monotonic()
        if began >= stop_at:
            break
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            ok = 200 <= response.status < 400
            if response.will_close:
                connection.close()  # the next request opens a new connection
            if not ok and not first_error:
                first_error = f"{path}: HTTP {response.status}"
        except (OSError, http.client.HTTPException) as error:
            ok = False
            connection.close()
            if not first_error:
                first_error = f"{path}: {type(error).__name__}: {error}"
        ended = time.monotonic()
        if ended > stop_at:
            break  # answered after the window closed: neither counted nor timed
        if ok:
            latencies.append(ended - began)
        else:
            errors += 1
    connection.close()
    with lock:
        tally.latencies.extend(latencies)
        tally.errors += errors
        tally.first_error = tally.first_error or first_error


def _run_connections(
    base_url: str, paths: list[str], offsets: list[int], headers: dict[str, str], start_at: float, stop_at: float
) -> tuple[list[float], int, str, float]:
    """Run one thread per offset (one connection each) in this process; returns the tally and the CPU used."""
    parts = urlsplit(base_url)
    scheme = parts.scheme or "http"
    host = parts.hostname or "127.0.0.1"
    port = parts.port or (443 if scheme == "https" else 80)
    prefix = parts.path.rstrip("/")
    full_paths = [prefix + (path if path.startswith("/") else "/" + path) for path in paths]
    request_headers = {"Host": parts.netloc, "User-Agent": "graduated-throughput/1", **headers}
    cpu_before = time.process_time()
    tally = _Tally()
    lock = threading.Lock()
    threads = [
        threading.Thread(
            target=_connection_loop,
            args=(scheme, host, port, full_paths, offset, request_headers, start_at, stop_at, tally, lock),
            daemon=True,
        )
        for offset in offsets
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally.latencies, tally.errors, tally.first_error, time.process_time() - cpu_before


def _child(
    send: multiprocessing.connection.Connection,
    arguments: tuple[str, list[str], list[int], dict[str, str], float, float],
) -> None:
    send.send(_run_connections(*arguments))
    send.close()


def _percentile(ordered: list[float], fraction: float) -> float:
    """The nearest-rank percentile of sorted values, in milliseconds (0 when there are none)."""
    if not ordered:
        return 0.0
    rank = max(1, min(len(ordered), math.ceil(fraction * len(ordered))))
    return ordered[rank - 1] * 1000


@dataclass
class Result:
    requests: int
    errors: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    seconds: float
    client_cpu_seconds: float
    processes: int
    first_error: str

    def summary(self) -> dict[str, float | int]:
        return {"requests": self.requests, "errors": self.errors, "rps": self.rps, "p50_ms": self.p50_ms,
                "p95_ms": self.p95_ms}  # fmt: skip


def measure(
    base_url: str,
    paths: list[str],
    connections: int,
    seconds: float,
    headers: dict[str, str],
    *,
    processes: int | None = None,
    warmup: float = 0.0,
) -> Result:
    """``run_load`` with more detail: p99, the CPU the tool used, the first error seen."""
    if connections < 1:
        raise ValueError("connections must be at least 1")
    if not paths:
        raise ValueError("paths must name at least one path")
    if processes is None:
        processes = os.cpu_count() or 1
    processes = max(1, min(processes, connections))
    # Connection i starts at path i, so that with several paths every one is in flight at once.
    shares = [list(range(index, connections, processes)) for index in range(processes)]
    if warmup > 0:
        measure(base_url, paths, connections, warmup, headers, processes=processes)
    # Every connection starts at the same moment, once the processes are up.
    start_at = time.monotonic() + (0.3 if processes > 1 else 0.01)
    stop_at = start_at + seconds
    latencies: list[float] = []
    errors = 0
    first_error = ""
    cpu = 0.0
    if processes == 1:
        latencies, errors, first_error, cpu = _run_connections(base_url, paths, shares[0], headers, start_at, stop_at)
    else:
        # Forked: nothing is imported again, and time.monotonic() is the same clock in every process.
        context = multiprocessing.get_context("fork")
        pipes = []
        children = []
        for share in shares:
            receive, send = context.Pipe(duplex=False)
            child = context.Process(
                target=_child, args=(send, (base_url, paths, share, headers, start_at, stop_at)), daemon=True
            )
            child.start()
            send.close()
            pipes.append(receive)
            children.append(child)
        for receive in pipes:
            child_latencies, child_errors, child_first_error, child_cpu = receive.recv()
            latencies.extend(child_latencies)
            errors += child_errors
            first_error = first_error or child_first_error
            cpu += child_cpu
        for child in children:
            child.join()
    latencies.sort()
    return Result(
        requests=len(latencies) + errors,
        errors=errors,
        rps=round(len(latencies) / seconds, 1),
        p50_ms=round(_percentile(latencies, 0.50), 2),
        p95_ms=round(_percentile(latencies, 0.95), 2),
        p99_ms=round(_percentile(latencies, 0.99), 2),
        seconds=seconds,
        client_cpu_seconds=round(cpu, 2),
        processes=processes,
        first_error=first_error,
    )


def run_load(base_url: str, paths: list[str], connections: int, seconds: float, headers: dict[str, str]) -> dict:
    """Load ``base_url`` over ``connections`` connections for ``seconds``, each cycling through ``paths``.

    Returns {"requests", "errors", "rps", "p50_ms", "p95_ms"}: every request sent (errors among
    them); ``rps`` counts successful answers only; latencies are of successful answers.
    """
    return measure(base_url, paths, connections, seconds, headers).summary()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="the base URL, with a path to load unless --path is given")
    parser.add_argument("--path", action="append", default=[], help="a path to request (repeat for several)")
    parser.add_argument("--connections", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds of load before the measured run")
    parser.add_argument("--cookie", help="a Cookie header, e.g. sessionid=...")
    parser.add_argument("--header", action="append", default=[], metavar="NAME:VALUE")
    parser.add_argument("--processes", type=int, default=None, help="worker processes (default: one per CPU)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    arguments = parser.parse_args(argv)

    parts = urlsplit(arguments.url)
    paths = arguments.path or [(parts.path or "/") + (f"?{parts.query}" if parts.query else "")]
    base_url = f"{parts.scheme}://{parts.netloc}" if arguments.path == [] else arguments.url
    headers: dict[str, str] = {}
    for header in arguments.header:
        name, _, value = header.partition(":")
        headers[name.strip()] = value.strip()
    if arguments.cookie:
        headers["Cookie"] = arguments.cookie
    result = measure(
        base_url, paths, arguments.connections, arguments.seconds, headers,
        processes=arguments.processes, warmup=arguments.warmup,
    )  # fmt: skip
    own = resource.getrusage(resource.RUSAGE_SELF)
    if arguments.json:
        print(json.dumps(result.__dict__))
    else:
        per_request = result.client_cpu_seconds / result.requests * 1000 if result.requests else 0.0
        print(
            f"{', '.join(paths)} over {arguments.connections} connection(s), {result.seconds:g} s: "
            f"{result.rps:.1f} requests/s, p50 {result.p50_ms:.1f} ms, p95 {result.p95_ms:.1f} ms, "
            f"p99 {result.p99_ms:.1f} ms; {result.requests} requests, {result.errors} errors"
        )
        print(
            f"  the tool itself: {result.client_cpu_seconds:.2f} s of CPU in {result.processes} process(es) "
            f"({per_request:.3f} ms a request, {result.client_cpu_seconds / result.seconds * 100:.0f}% of one core); "
            f"parent {own.ru_utime + own.ru_stime:.2f} s"
        )
        if result.first_error:
            print(f"  first error: {result.first_error}")
    sys.exit(1 if result.errors and not result.requests - result.errors else 0)


if __name__ == "__main__":
    main()
