"""The sans-IO core's own cost per call: building a request as a user does (``client.kv.get``,
through the namespace, with the client's defaults applied) and parsing the agent's reply, with
no I/O at all (what every transport pays on top of moving bytes).

Usage:
    python benchmarks/core_cost.py                 # µs per call (min of repeats), markdown
    python benchmarks/core_cost.py --profile get   # cProfile of the kv.get round
    python benchmarks/core_cost.py --instructions  # instructions per call (valgrind)
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import timeit
from collections.abc import Callable
from typing import Any, TypeVar

from _callgrind import per_call  # beside this file
from _kv_read import GET_BODY, READ_FIELDS, VALUE  # beside this file

from consul_core import Call, ClientDefaults, Headers, Response
from consul_core.namespaces.kv import KV

T = TypeVar("T")

# The headers of a write as Consul 1.8.7 sends them, as a native transport hands them over.
_WRITE_FIELDS = {
    b"Content-Type": b"application/json",
    b"Vary": b"Accept-Encoding",
    b"Date": b"Wed, 02 Dec 2026 04:00:00 GMT",
    b"Content-Length": b"5",
}
TREE_BODY = json.dumps(
    [
        {
            "LockIndex": 0,
            "Key": f"bench/tree/{i:05d}",
            "Flags": 0,
            "Value": VALUE,
            "CreateIndex": i,
            "ModifyIndex": i,
        }
        for i in range(10_000)
    ]
).encode()
# What a client built with a token (and nothing else) applies to every request.
DEFAULTS = ClientDefaults(token="00000000-0000-0000-0000-000000000000")


class _CannedDriver:
    """A driver that does what a transport needs of the core (the defaults applied, the target
    encoded) and answers every call with one canned reply, parsed as a driver parses it.
    """

    def __init__(self, defaults: ClientDefaults, fields: dict[bytes, bytes], body: bytes) -> None:
        self.defaults = defaults
        self.fields = fields
        self.body = body

    def execute(self, call: Call[T]) -> T:
        request = self.defaults.apply(call.request)
        request.target  # noqa: B018 - what a transport reads
        request.headers.items()  # what a transport writes
        # A fresh `Headers` per reply, as a transport makes one per response.
        return call.parse(Response.of(200, Headers.from_fields(self.fields), self.body))


# What ``client.kv.get`` and the others are: the builders bound to a driver by the namespace.
_get = KV[Any](_CannedDriver(DEFAULTS, READ_FIELDS, GET_BODY)).get
_set = KV[Any](_CannedDriver(DEFAULTS, _WRITE_FIELDS, b"true\n")).set
_get_tree = KV[Any](_CannedDriver(DEFAULTS, READ_FIELDS, TREE_BODY)).get_tree
PUT_VALUE = b"x" * 100

ROUNDS: dict[str, tuple[Callable[[], object], str, int]] = {
    "get": (lambda: _get("bench/key"), "kv.get (100-byte value)", 20_000),
    "set": (lambda: _set("bench/key", PUT_VALUE), "kv.set (100-byte value)", 20_000),
    "tree": (lambda: _get_tree("bench/tree/"), "kv.get_tree (10,000 keys, ~1 MB)", 5),
}


def microseconds(work: Callable[[], object], number: int, repeat: int = 7) -> float:
    """The best of `repeat` runs of `work`, in microseconds per call."""
    return min(timeit.repeat(work, number=number, repeat=repeat)) / number * 1e6


def main() -> None:
    """Print the core's build+parse cost per call as a markdown table (or profile a round)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", choices=ROUNDS, help="profile one round with cProfile")
    parser.add_argument("--instructions", action="store_true", help="count with valgrind")
    parser.add_argument("--run", nargs=2, metavar=("ROUND", "CALLS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:  # under valgrind: the rounds only
        work = ROUNDS[args.run[0]][0]
        for _ in range(int(args.run[1])):
            work()
        return
    if args.profile:
        work, _, number = ROUNDS[args.profile]
        profile = cProfile.Profile()
        profile.runcall(lambda: [work() for _ in range(number)])
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)
        return
    if args.instructions:
        print("| core build+parse | instructions per call |")
        print("| --- | ---: |")
        for name in ("get", "set"):
            count = per_call(__file__, "--run", name, calls=(1000, 3000))
            print(f"| {ROUNDS[name][1]} | {count:,.0f} |")
        return
    print("| core build+parse | µs per call |")
    print("| --- | ---: |")
    for work, label, number in ROUNDS.values():
        digits = 1 if number > 100 else 0
        print(f"| {label} | {microseconds(work, number):.{digits}f} |")


if __name__ == "__main__":
    main()
