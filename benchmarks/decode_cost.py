"""Typed decoding against ``json.loads``: what parsing a big reply into models costs, as a ratio
to parsing the same body into dicts and lists with the standard library, timed in one process.

The bodies: a 500-instance ``/v1/health/service`` reply recorded from Consul 1.8.7
(``data/health-service-500.json.gz``, 1.1 MB), and two generated here, the same on every run:
``/v1/catalog/services`` with 2,000 services and a 10,000-key ``/v1/kv/?recurse``. Two more
rows, not targets, show the recorded reply with the fields a newer Consul (Enterprise 1.17) adds,
which the models know, and as Consul 1.8.7 sends it for nodes and instances registered without
metadata (Go's nil maps, null). Each parse is the endpoint builder's own `Call.parse` of a
`Response`. Times are the process's CPU time;
rounds interleave the two timings so that both see the same machine load; the ratio of each round
is printed as the median and range.

Run ``python benchmarks/decode_cost.py``; ``--rounds`` trades time for stability. The figures
are written to ``benchmarks/results/decode.json`` too, which ``report.py`` shows in
``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from consul_core import Response
from consul_core.call import Call
from consul_core.endpoints import catalog, health, kv

HEALTH_BODY = Path(__file__).with_name("data") / "health-service-500.json.gz"
RESULTS = Path(__file__).with_name("results") / "decode.json"
HEADERS = {"X-Consul-Index": "42", "X-Consul-KnownLeader": "true", "X-Consul-LastContact": "0"}
# The target: a typed parse costs no more than json.loads of the same body.
TARGET = 1.0


def health_service_body() -> bytes:
    """The recorded 500-instance ``health.service`` reply (1.1 MB)."""
    return gzip.decompress(HEALTH_BODY.read_bytes())


def newer_health_service_body() -> bytes:
    """The recorded reply with the fields a newer Consul (Enterprise 1.17, as its Go structs
    write them) adds to each node, instance and check.
    """
    entries = json.loads(health_service_body())
    tenancy = {"Partition": "default", "Namespace": "default"}
    locality = {"Region": "r", "Zone": "z"}
    for entry in entries:
        entry["Node"].update(Partition="default", Locality=locality)
        entry["Service"].update(tenancy, PeerName="", SocketPath="", Locality=locality)
        for check in entry["Checks"]:
            check.update(tenancy, Interval="10s", Timeout="1s", ExposedPort=21500)
    return json.dumps(entries).encode()


def nil_health_service_body() -> bytes:
    """The recorded reply as Consul 1.8.7 sends it for nodes and instances registered without
    metadata or tagged addresses: Go's nil maps, as null.
    """
    entries = json.loads(health_service_body())
    for entry in entries:
        entry["Node"].update(TaggedAddresses=None, Meta=None)
        entry["Service"]["Meta"] = None
    return json.dumps(entries).encode()


def catalog_services_body(count: int = 2_000) -> bytes:
    """A ``catalog.services`` reply: `count` services with zero to four tags each."""
    services = {f"service-{i:04d}": [f"tag-{j}" for j in range(i % 5)] for i in range(count)}
    services["consul"] = []
    return json.dumps(services).encode()


def kv_tree_body(count: int = 10_000) -> bytes:
    """A ``kv.get_tree`` reply: `count` keys holding 100-byte values (about 2 MB)."""
    entries: list[dict[str, Any]] = [
        {
            "LockIndex": 0,
            "Key": f"bench/tree/{i:05d}",
            "Flags": 0,
            "Value": base64.b64encode(f"value {i:05d} ".encode() * 8).decode(),
            "CreateIndex": 100 + i,
            "ModifyIndex": 200 + i,
        }
        for i in range(count)
    ]
    return json.dumps(entries).encode()


CASES: dict[str, tuple[Callable[[], Call[Any]], Callable[[], bytes]]] = {
    "health.service (500 instances)": (lambda: health.service("big"), health_service_body),
    "catalog.services (2,000 services)": (catalog.services, catalog_services_body),
    "kv.get_tree (10,000 keys)": (lambda: kv.get_tree("bench/tree/"), kv_tree_body),
}
# Not targets: the same read from a newer Consul, with the fields it adds, and with Go's nils.
EXTRA_CASES = {
    "health.service, a newer Consul's fields": (
        lambda: health.service("big"),
        newer_health_service_body,
    ),
    "health.service, Consul 1.8.7's nulls": (
        lambda: health.service("big"),
        nil_health_service_body,
    ),
}


def _seconds(work: Callable[[], object], number: int) -> float:
    """The CPU seconds of one `work()`: this process's own, which other load does not inflate
    as much as it does the wall clock's."""
    start = time.process_time()
    for _ in range(number):
        work()
    return (time.process_time() - start) / number


def measure(call: Call[Any], body: bytes, rounds: int) -> tuple[list[float], list[float]]:
    """Per round, the seconds of one ``json.loads(body)`` and of one ``call.parse``."""
    response = Response(200, HEADERS, body)
    loads, parses = [], []
    number = max(3, int(0.2 / max(_seconds(lambda: json.loads(body), 1), 1e-6)))  # 0.2 s a timing
    for _ in range(rounds):
        loads.append(_seconds(lambda: json.loads(body), number))
        parses.append(_seconds(lambda: call.parse(response), number))
    return loads, parses


def main() -> None:
    """Print, per body, json.loads and the typed parse in ms, and their ratio; write them to
    ``results/decode.json`` for ``report.py``.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--results", type=Path, default=RESULTS, help="the JSON file to write")
    options = parser.parse_args()
    rounds = options.rounds
    print(f"| typed parse vs json.loads ({rounds} rounds) | json.loads ms | parse ms | ratio |")
    print("| --- | ---: | ---: | --- |")
    bodies = []
    for name, (build, body) in {**CASES, **EXTRA_CASES}.items():
        loads, parses = measure(build(), body(), rounds)
        ratios = [parse / load for load, parse in zip(loads, parses, strict=True)]
        ratio = statistics.median(ratios)
        bodies.append(
            {
                "body": name,
                "target": name in CASES,
                "loads_ms": [load * 1e3 for load in loads],
                "parses_ms": [parse * 1e3 for parse in parses],
                "ratio": ratio,
                "low": min(ratios),
                "high": max(ratios),
            }
        )
        print(
            f"| {name} | {statistics.median(loads) * 1e3:.2f} | "
            f"{statistics.median(parses) * 1e3:.2f} | {ratio:.2f}x "
            f"({min(ratios):.2f}-{max(ratios):.2f}) |"
        )
    met = all(body["ratio"] <= TARGET for body in bodies if body["target"])
    options.results.write_text(json.dumps({"rounds": rounds, "bodies": bodies}, indent=1) + "\n")
    print(
        f"\ntarget: every parse <= {TARGET:.1f}x json.loads (median): {'met' if met else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
