"""Peak memory of a snapshot saved and restored whole (bytes) and streamed (a file), and of a
large ``kv.get_tree``, with the sync client on one dev agent.

The agent's KV is filled with ``--megabytes`` of random values (incompressible, so the
snapshot is about as large), in 500 kB values (Consul's limit is 512 kB). Each measurement runs
in a fresh process that reports how far its peak resident memory (``ru_maxrss``) rose above
what it held once connected: for the bytes forms, ``save()`` then ``restore(data)``; for the
streamed ones, ``save_to(path)`` then ``restore(path)``; then ``get_tree`` of every value.
Run ``python benchmarks/snapshot_memory.py``; it prints a markdown table and writes
``benchmarks/results/snapshot_memory.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from consul_transports.sync import Consul
from consul_transports.testing import ConsulAgent

VALUE_SIZE = 500_000
PREFIX = "bench/snapshot/"
RESULTS = Path(__file__).parent / "results" / "snapshot_memory.json"
# Whole-call timeout of the bytes forms (the streamed ones bound each wait instead).
TIMEOUT = 600.0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def measure(mode: str, address: str, folder: str) -> dict[str, float]:
    """Run one measurement in this process (a fresh one): its peak memory above its start."""
    with Consul(address, timeout=TIMEOUT) as client:
        client.status.leader()
        base = _peak_mb()
        start = time.perf_counter()
        if mode == "bytes":
            data, _ = client.snapshot.save()
            size = len(data)
            saved = time.perf_counter()
            client.snapshot.restore(data)
            del data
        elif mode == "streamed":
            path = Path(folder) / "consul.snap"
            client.snapshot.save_to(path)
            size = path.stat().st_size
            saved = time.perf_counter()
            client.snapshot.restore(path)
        else:
            entries, _ = client.kv.get_tree(PREFIX)
            size = sum(len(entry.value or b"") for entry in entries)
            saved = time.perf_counter()
            del entries
        done = time.perf_counter()
    return {
        "size_mb": size / 1e6,
        "peak_above_start_mb": _peak_mb() - base,
        "peak_mb": _peak_mb(),
        "first_s": saved - start,
        "second_s": done - saved,
    }


def fill(client: Consul, megabytes: int) -> None:
    """Write `megabytes` of random values under PREFIX."""
    for index in range(megabytes * 1_000_000 // VALUE_SIZE):
        client.kv.set(f"{PREFIX}{index:05d}", os.urandom(VALUE_SIZE))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--megabytes", type=int, default=300)
    parser.add_argument("--measure", nargs=3, metavar=("MODE", "ADDRESS", "FOLDER"))
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(*args.measure)))
        return
    results: dict[str, dict[str, float]] = {}
    with ConsulAgent(log_level="warn") as agent, tempfile.TemporaryDirectory() as folder:
        with Consul(agent.address, timeout=TIMEOUT) as client:
            started = time.perf_counter()
            fill(client, args.megabytes)
            print(f"filled {args.megabytes} MB in {time.perf_counter() - started:.0f}s")
        for mode in ("bytes", "streamed", "get_tree"):
            command = [sys.executable, __file__, "--measure", mode, agent.address, folder]
            output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            results[mode] = json.loads(output)
    print(
        "| form | body (MB) | peak memory above start (MB) | peak memory (MB) "
        "| save / read (s) | restore (s) |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for mode, figures in results.items():
        second = f"{figures['second_s']:.1f}" if mode != "get_tree" else "-"
        print(
            f"| {mode} | {figures['size_mb']:.0f} | {figures['peak_above_start_mb']:.0f} | "
            f"{figures['peak_mb']:.0f} | {figures['first_s']:.1f} | {second} |"
        )
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({"megabytes": args.megabytes, **results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
