"""The results, as JSON (everything) and as Markdown tables (for docs/scaling.md and reviews)."""

import json
import os
import platform
import sqlite3
from pathlib import Path
from typing import Any


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    memory_gb = 0.0
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
                break
    except OSError:
        pass
    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory_gb": memory_gb, "system": platform.platform(),
        "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
    }  # fmt: skip


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _loads(results: dict[str, Any], when: str) -> str:
    """The machine's load average then: on a machine shared with other work, the figures read with it."""
    values = results.get("load_average", {}).get(when)
    return " / ".join(f"{value:.1f}" for value in values) if values else "–"


def markdown(results: dict[str, Any]) -> str:
    m, db, scale = results["machine"], results["database"], results["scale"]
    lines = [
        f"# Benchmark: {scale['name']} scale on {db['vendor']}",
        "",
        *([f"**Incomplete: {results['interrupted']}.**", ""] if results.get("interrupted") else []),
        f"- Run: {results['date']}, {results['seconds']:.0f} s; {results['repeat']} timed requests a page after "
        f"{results['warmup']} to warm up, one after another; gunicorn with {results['workers']} workers, DEBUG off.",
        f"- Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB; {m['system']}; Python {m['python']}. "
        f"Load average (1, 5, 15 min) at the start {_loads(results, 'start')}, at the end {_loads(results, 'end')}.",
        f"- Database: {db['vendor']} {db['version']}. Data: {scale['pupils']:,} pupils in {scale['settings']} "
        f"settings, {scale['register']:,} on the SEN register, {scale['ehc_plans']:,} EHC plans, "
        f"{scale['cycles']:,} cycles, {scale['deliveries']:,} delivery records, "
        f"{scale['audit_events']:,} audit events.",
        f"- Sample school: {scale['setting_name']} ({scale['setting_pupils']:,} pupils, {scale['setting_register']:,} "
        f"on the register); sample pupil with {scale['pupil_cycles']} cycles.",
        f"- /healthz on the same server: p50 {_ms(results['healthz'].get('p50_ms'))} ms, "
        f"p95 {_ms(results['healthz'].get('p95_ms'))} ms.",
        "",
        "Queries: SQL statements of one request to the page (the second, in-process, same database), middleware "
        "and audit write included. Times are each request's whole round trip on the loopback, p50 and p95 of the "
        "timed requests. × healthz: the page's p50 over /healthz's p50.",
        "",
        "| Page | Queries | p50 ms | p95 ms | × healthz | Budget (p95) | Result |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for page in results["pages"]:
        queries = page["queries"] if page["queries"] is not None else "–"
        if page["status"] != 200:
            why = [page["error"]] if page["error"] else []
            if page["queries"] is not None:
                why.append(f"in this process it took {page['in_process_ms'] / 1000:.1f} s")
            verdict = f"**error: HTTP {page['status']}**" + (f" ({'; '.join(why)})" if why else "")
        else:
            verdict = "pass" if page["passed"] else "**over budget**"
        ratio = f"{page['ratio']:.1f}" if page["ratio"] is not None else "–"
        lines.append(
            f"| {page['name']} (`{page['path']}`) | {queries} | {_ms(page['p50_ms'])} | {_ms(page['p95_ms'])} | "
            f"{ratio} | {page['budget_ms']:.0f} ms | {verdict} |"
        )
    if results["throughput"]:
        lines += [
            "",
            "Requests a second, each connection sending one request after another for "
            f"{results['throughput_seconds']:g} s (school pages: the six named school pages in turn, as the SENCO).",
            "",
            "| Paths | Connections | Requests a second | p50 ms | p95 ms | Requests | Errors |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for row in results["throughput"]:
            lines.append(
                f"| {row['label']} | {row['connections']} | {row['rps']:.1f} | {_ms(row['p50_ms'])} | "
                f"{_ms(row['p95_ms'])} | {row['requests']} | {row['errors']} |"
            )
    if results["load"]:
        lines += [
            "",
            "Concurrent users, mixed: a tenth of them (at least one) writing (a delivery logged or a concern raised, "
            "each a form opened then sent), the others reading the school pages, all as the sample SENCO.",
            "",
            "| Users | Seconds | Reads: requests | errors | a second | p95 ms | Writes: requests | errors | p95 ms |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for row in results["load"]:
            reads, writes = row["reads"], row["writes"]
            lines.append(
                f"| {row['users']} | {row['seconds']:g} | {reads['requests']} | {reads['errors']} | "
                f"{reads['rps']:.1f} | {_ms(reads['p95_ms'])} | {writes['requests']} | {writes['errors']} | "
                f"{_ms(writes['p95_ms'])} |"
            )
    over = [p["name"] for p in results["pages"] if p["status"] == 200 and not p["passed"]]
    failed = [p["name"] for p in results["pages"] if p["status"] != 200]
    lines += [
        "",
        f"Over budget: {', '.join(over) if over else 'none'}. Errors: {', '.join(failed) if failed else 'none'}.",
    ]
    if results.get("unmeasured_la_routes"):
        routes = ", ".join(f"`{route}`" for route in results["unmeasured_la_routes"])
        lines += ["", f"LA-wide addresses not measured (forms, or pages added since the list was written): {routes}."]
    return "\n".join(lines) + "\n"


def write(results: dict[str, Any], directory: Path, name: str) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    as_json, as_markdown = directory / f"{name}.json", directory / f"{name}.md"
    as_json.write_text(json.dumps(results, indent=2) + "\n")
    as_markdown.write_text(markdown(results))
    return as_json, as_markdown
