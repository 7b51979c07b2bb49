"""Draw the results of ``bench.py`` as a PNG chart and write ``docs/benchmarks.md`` from them.

    python benchmarks/report.py [results.json]

The chart (beside the document, ``docs/benchmarks.png``, where the site finds it) has the
calls per second of each client in each small-call workload, its client CPU per call, and the
time of the big reads (``tree`` and ``health``).
Needs matplotlib.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
from pathlib import Path
from typing import Any

import matplotlib as mpl

mpl.use("Agg")
import matplotlib.pyplot as plt

HERE = Path(__file__).parent
RESULTS = HERE / "results" / "bench.json"
DECODE_RESULTS = HERE / "results" / "decode.json"  # decode_cost.py's
COLD_RESULTS = HERE / "results" / "cold.json"  # cold_cost.py's
DOC = HERE.parent / "docs" / "benchmarks.md"
SMALL = ("get", "get x16", "put", "put x16")
BIG = ("tree", "health")


def _median(values: list[float]) -> float:
    return statistics.median(values)


def draw(results: dict[str, Any], path: Path) -> None:
    """The chart: calls/s and CPU per call of the small calls, and the big read's time."""
    clients = list(results["clients"])
    figure, (rates, cpu, tree) = plt.subplots(
        1, 3, figsize=(18, 0.42 * len(clients) + 2.5), sharey=True
    )
    height = 0.8 / len(SMALL)
    rows = range(len(clients))
    for number, workload in enumerate(SMALL):
        offsets = [row + (number - (len(SMALL) - 1) / 2) * height for row in rows]
        figures = results["clients"]
        rates.barh(
            offsets,
            [_median(figures[c]["rates"][workload]) for c in clients],
            height,
            label=workload,
        )
        cpu.barh(offsets, [_median(figures[c]["cpu_us"][workload]) for c in clients], height)
    for number, workload in enumerate(BIG):
        offsets = [row + (number - 0.5) * 0.4 for row in rows]
        times = [1e3 / _median(results["clients"][c]["rates"][workload]) for c in clients]
        tree.barh(offsets, times, 0.4, label=_big_read(results, workload))
    rates.set_yticks(list(rows), clients)
    rates.invert_yaxis()
    rates.set_xlabel("calls per second (median of the rounds; more is better)")
    cpu.set_xscale("log")
    cpu.set_xlabel("client CPU per call, µs, log scale (less is better)")
    tree.set_xlabel("big reads, ms per read (less is better)")
    tree.legend(loc="best")
    rates.legend(loc="best")
    for axes in (rates, cpu, tree):
        axes.grid(axis="x", alpha=0.3)
    about = results["machine"]
    figure.suptitle(
        f"KV calls against one Consul {about['consul']} agent: {about['cpu']}, "
        f"{about['cores']} cores, Python {about['python']}, {results['rounds']} rounds"
    )
    figure.tight_layout()
    figure.savefig(path, dpi=80)
    plt.close(figure)


def _big_read(results: dict[str, Any], workload: str) -> str:
    """What big read `workload` is: its size, in words."""
    size = results[workload]["bytes"] / 1e6
    if workload == "tree":
        return f"tree: {results['tree']['keys']:,} keys, {size:.1f} MB"
    return f"health: {results['health']['instances']:,} instances, {size:.1f} MB"


def _ratio_text(target: dict[str, Any]) -> str:
    if "low" in target:
        return f"{target['measured']:.2f} ({target['low']:.2f}-{target['high']:.2f})"
    return f"{target['measured']:.2f}"


def document(
    results: dict[str, Any],
    chart: Path,
    path: Path,
    decode: dict[str, Any] | None = None,
    cold: dict[str, Any] | None = None,
) -> str:
    """The text of ``docs/benchmarks.md``: the machine, the table, the targets, the chart, the
    typed parses against `json.loads` (`decode`, ``decode_cost.py``'s results) and the parts of
    a sync call, warm and cold (`cold`, ``cold_cost.py``'s), if given.
    """
    about = results["machine"]
    load = about["load_average"]
    packages = ", ".join(f"{name} {v}" for name, v in about["packages"].items())
    lines = [
        "# Benchmarks",
        "",
        "Written by `nox -s bench` (`benchmarks/bench.py`, then `benchmarks/report.py`) from "
        "its last run; the raw figures of every round are in "
        "`benchmarks/results/bench.json`.",
        "",
        f"- Machine: {about['cpu']}, {about['cores']} cores; {about['platform']}",
        f"- Python {about['python']}; Consul {about['consul']} (one dev agent on loopback)",
        f"- Packages: {packages}",
        f"- Load average (1 min) before and after the run: {load['before'][0]:.2f}, "
        f"{load['after'][0]:.2f}; the run took {results['seconds']:.0f} s",
        f"- {results['rounds']} interleaved rounds: each round runs every client once, so a "
        "change in the machine's load touches all alike, starting one client further on than "
        "the round before, with garbage collected before each client; figures are medians "
        "over the rounds, ratios are taken round by round (median and range).",
        "- Client CPU per call is the client process's CPU time (user and system, "
        "`time.process_time`) over the calls: the agent's work is not counted.",
        "- The floor (`benchmarks/floor_client.py`) is keep-alive HTTP/1.1 framed by httptools "
        "and nothing else: no pool, no JSON, no typed results. A client call also builds and "
        "checks its request, decodes the JSON into a typed entry and reads the reply's "
        "`QueryMeta`: on the sync path that work alone costs about as much CPU as the floor's "
        "whole call, so the CPU ratios to the floor measure it as much as the transport. The "
        "row `consul_core on the floor's socket` is that work on the floor's blocking client: "
        "the core's requests sent and its typed results parsed as a library embedding the "
        "core over a bare socket would, with no pool, deadline, driver or error mapping; the "
        "sync client's CPU per call against it (a figure beside the targets, not one) is what "
        "those add.",
        "",
        "![calls per second, CPU per call and big-read time per client]"
        f"({os.path.relpath(chart, path.parent)})",
        "",
        "## Calls/s (client CPU µs per call), and the big reads' time",
        "",
        "| client | "
        + " | ".join(SMALL)
        + "".join(f" | {_big_read(results, workload)}, ms" for workload in BIG)
        + " |",
        "| --- | " + " | ".join("---:" for _ in (*SMALL, *BIG)) + " |",
    ]
    for name, figures in results["clients"].items():
        cells = [
            f"{_median(figures['rates'][w]):,.0f} ({_median(figures['cpu_us'][w]):,.0f})"
            for w in SMALL
        ]
        cells += [f"{1e3 / _median(figures['rates'][workload]):,.1f}" for workload in BIG]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "## Wake-up of a blocking GET after a write (ms, median)",
        "",
        "| client | ms |",
        "| --- | ---: |",
    ]
    for name, figures in results["clients"].items():
        if figures["wakeup_ms"]:
            lines.append(f"| {name} | {_median(figures['wakeup_ms']):.2f} |")
    lines += [
        "",
        "## Targets (issue 10)",
        "",
        "| target | measured (per-round range) | bound | met |",
        "| --- | ---: | --- | :---: |",
    ]
    for target in results["targets"]:
        met = "-" if target["met"] is None else "yes" if target["met"] else "**no**"
        lines.append(f"| {target['target']} | {_ratio_text(target)} | {target['bound']} | {met} |")
    if decode is not None:
        lines += _decode_section(decode)
    if cold is not None:
        lines += _cold_section(cold)
    return "\n".join(lines) + "\n"


def _decode_section(decode: dict[str, Any]) -> list[str]:
    """The typed parses against `json.loads` of the same body (``decode_cost.py``)."""
    lines = [
        "",
        "## Typed parse against json.loads of the same body",
        "",
        f"`benchmarks/decode_cost.py`, in one process, {decode['rounds']} interleaved rounds: "
        "the endpoint's own parse into typed models, against `json.loads` into dicts and lists "
        "(the target: at most 1.0x; the rows marked as not targets show other shapes of the "
        "same read).",
        "",
        "| body | json.loads, ms | typed parse, ms | ratio (per-round range) | met |",
        "| --- | ---: | ---: | ---: | :---: |",
    ]
    for body in decode["bodies"]:
        met = ("yes" if body["ratio"] <= 1.0 else "**no**") if body["target"] else "not a target"
        lines.append(
            f"| {body['body']} | {_median(body['loads_ms']):.2f} | "
            f"{_median(body['parses_ms']):.2f} | "
            f"{body['ratio']:.2f} ({body['low']:.2f}-{body['high']:.2f}) | {met} |"
        )
    return lines


def _cold_section(cold: dict[str, Any]) -> list[str]:
    """The parts of a sync KV GET, warm and with cold caches (``cold_cost.py``)."""
    from cold_cost import table  # beside this file

    return [
        "",
        "## What the sync client's CPU per call is made of",
        "",
        f"`benchmarks/cold_cost.py`, {cold['rounds']} rounds of {cold['calls']:,} calls per "
        "part: a KV GET against a loopback listener that wrote the reply before the call, so "
        "that no call waits and ours and the floor make the same two system calls; process CPU "
        "per call, median. Warm: calls one after another. Cold: 8 MB written between calls, so "
        "that each call starts with caches that hold none of its code or data. A real call "
        "waits for the agent, in which the agent, the kernel and the host run, so its cost "
        "lies between the two: the more Python code a call runs, the more of it is fetched "
        "again after each wait. That is why the sync CPU ratio to the floor above moves with "
        "the machine far more than the asynchronous ones, whose 16 callers share a wake-up. The "
        "last two columns count what each part runs in Python, once (`sys.settrace`): the "
        "functions it enters and the bytecode instructions it executes. The floor's code is a "
        "handful of small functions (one per header among them); ours is the layers of a typed "
        "client (the endpoint's builder, the options, the driver, the pool's rules, the "
        "exchange, the typed results), the code that is fetched again after each wait.",
        "",
        *table(cold),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("results", type=Path, nargs="?", default=RESULTS)
    parser.add_argument("--doc", type=Path, default=DOC, help="the markdown file to write")
    options = parser.parse_args()
    results = json.loads(options.results.read_text())
    chart = options.doc.with_suffix(".png")
    draw(results, chart)
    decode = json.loads(DECODE_RESULTS.read_text()) if DECODE_RESULTS.exists() else None
    cold = json.loads(COLD_RESULTS.read_text()) if COLD_RESULTS.exists() else None
    options.doc.write_text(document(results, chart.resolve(), options.doc.resolve(), decode, cold))
    print(f"chart: {chart}; document: {options.doc}")


if __name__ == "__main__":
    main()
