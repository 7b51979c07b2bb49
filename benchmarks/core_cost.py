"""The sans-IO core's own cost per call: building a request and parsing its response, in
microseconds, with no I/O at all (what every transport pays on top of moving bytes)."""

from __future__ import annotations

import base64
import json
import timeit
from collections.abc import Callable

from consul_core import ClientDefaults, Response
from consul_core.endpoints import kv

HEADERS = {"X-Consul-Index": "42", "X-Consul-KnownLeader": "true", "X-Consul-LastContact": "0"}
VALUE = base64.b64encode(b"x" * 100).decode()  # 100 bytes, as Consul encodes them
GET_BODY = json.dumps(
    [
        {
            "Key": "bench/key",
            "Value": VALUE,
            "Flags": 0,
            "LockIndex": 0,
            "CreateIndex": 5,
            "ModifyIndex": 42,
        }
    ]
).encode()
TREE_BODY = json.dumps(
    [
        {
            "Key": f"bench/tree/{i:05d}",
            "Value": VALUE,
            "Flags": 0,
            "CreateIndex": i,
            "ModifyIndex": i,
        }
        for i in range(10_000)
    ]
).encode()
DEFAULTS = ClientDefaults(token="00000000-0000-0000-0000-000000000000")


def _get() -> None:
    call = kv.get("bench/key")
    DEFAULTS.apply(call.request).target  # noqa: B018 - what a transport reads
    call.parse(Response(200, HEADERS, GET_BODY))


def _put() -> None:
    call = kv.set("bench/key", b"x" * 100)
    DEFAULTS.apply(call.request).target  # noqa: B018
    call.parse(Response(200, HEADERS, b"true"))


def _tree() -> None:
    call = kv.get_tree("bench/tree/")
    DEFAULTS.apply(call.request).target  # noqa: B018
    call.parse(Response(200, HEADERS, TREE_BODY))


def microseconds(work: Callable[[], None], number: int) -> float:
    """The best of five runs of `work`, in microseconds per call."""
    return min(timeit.repeat(work, number=number, repeat=5)) / number * 1e6


def main() -> None:
    """Print the core's build+parse cost per call as a markdown table."""
    print("| core build+parse | µs per call |")
    print("| --- | ---: |")
    print(f"| kv.get (100-byte value) | {microseconds(_get, 20_000):.1f} |")
    print(f"| kv.set | {microseconds(_put, 20_000):.1f} |")
    print(f"| kv.get_tree (10,000 keys, ~1 MB) | {microseconds(_tree, 5):.0f} |")


if __name__ == "__main__":
    main()
