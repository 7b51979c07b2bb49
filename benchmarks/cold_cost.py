"""What the sync client's CPU per KV GET is made of, apart from waiting for the agent: the
whole call (``client.kv.get`` on the native transport) against the floor's
(`floor_client.SyncConnection`), each over a kept-alive loopback connection to a listener that
has written the reply before the call is made, so that no call waits and both make the same
system calls (one send, one receive); and the client's own parts: the transport alone
(``transport.send`` of the request) and the core with the driver (``client.kv.get`` over a
transport that returns the recorded reply, no socket).

Each is timed per call (process CPU, median) twice: warm, calls one after another; and cold,
with 8 MB written between calls, so that the call starts with caches that hold none of its code
or data. A real call waits ~40 µs for the agent, in which the agent, the kernel and the host
run: its cost lies between the two, nearer cold the more code and data it touches. That is why
the bench's sync ratio to the floor moves with the machine far more than the asynchronous ones
(16 calls share a wake-up there): see docs/benchmarks.md. What each part runs in Python is
counted once (`sys.settrace`): the functions it enters and the bytecode instructions it
executes.

Usage:
    python benchmarks/cold_cost.py              # a markdown table; results/cold.json
"""

from __future__ import annotations

import argparse
import contextlib
import json
import socket
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

from _kv_read import GET_BODY, READ_FIELDS  # beside this file
from floor_client import SyncConnection  # beside this file

from consul_core import Headers, Request, Response
from consul_transports.sync import Consul

RESULTS = Path(__file__).with_name("results") / "cold.json"
KEY = "bench/key"
TARGET = f"/v1/kv/{KEY}"
# The reply on the wire.
REPLY = (
    b"HTTP/1.1 200 OK\r\n"
    + b"".join(b"%s: %s\r\n" % field for field in READ_FIELDS.items())
    + b"\r\n"
    + GET_BODY
)
# Written between cold calls: more than this machine's per-core cache (2 MB on the bench's).
_FLUSH = bytearray(8 << 20)
_LINES = b"\x01" * (len(_FLUSH) // 64)


def _flush_caches() -> None:
    _FLUSH[::64] = _LINES  # one byte in every 64-byte line


class _Listener:
    """A loopback listener whose connections are kept to answer on (the accepting side)."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.socket.getsockname()[1]

    def answer(
        self, call: Callable[[], object], server: socket.socket | None = None
    ) -> socket.socket:
        """Make `call` (one request) in a thread, answer its request once it has come, and
        return the accepting side of its connection: `server`, or (None) the connection the
        call opens. Answered after the request, not before: a connection idle for long (a
        second, for ours) is checked for bytes come unasked before it is reused, so a reply
        written before the call would close it.
        """
        caller = threading.Thread(target=call)
        caller.start()
        if server is None:
            server, _ = self.socket.accept()
        server.recv(65536)
        server.sendall(REPLY)
        caller.join()
        return server

    def close(self) -> None:
        self.socket.close()


@contextlib.contextmanager
def _answered(server: socket.socket | None) -> Iterator[None]:
    """Around one call: the reply written on `server` before it, and the request it sent read
    after it (None: the call makes no request).
    """
    if server is not None:
        server.sendall(REPLY)
    yield
    if server is not None:
        server.recv(65536)


def per_call(
    listener: _Listener,
    call: Callable[[], object],
    server: socket.socket | None,
    calls: int,
    cold: bool,
) -> float:
    """The median process CPU of `call`, in µs, over `calls` calls; before each, the reply is
    written on `server` (None: the call makes no request) and, `cold`, the caches are flushed.
    """
    if server is not None:
        listener.answer(call, server)  # after a long idle, checked once (see `answer`)
    clock = time.process_time_ns
    samples = []
    for _ in range(calls):
        with _answered(server):
            if cold:
                _flush_caches()
            start = clock()
            call()
            samples.append(clock() - start)
    return statistics.median(samples) / 1e3


def python_run(call: Callable[[], object], server: socket.socket | None) -> dict[str, int]:
    """What one `call` runs in Python (after `per_call` warmed it): the functions it enters
    (``calls``) and the bytecode instructions it executes (``instructions``), `call`'s own
    frame (the part's lambda) not counted. Before it, the reply is written on `server` (None:
    the call makes no request).
    """
    own = getattr(call, "__code__", None)
    calls = instructions = 0

    def trace(frame: FrameType, event: str, _: object) -> Any:
        nonlocal calls, instructions
        if event == "opcode":
            instructions += 1
        elif event == "call":
            if frame.f_code is own:
                return None  # no events from the lambda's own frame; its calls still come
            frame.f_trace_opcodes = True
            calls += 1
        return trace

    with _answered(server):
        sys.settrace(trace)
        try:
            call()
        finally:
            sys.settrace(None)
    return {"calls": calls, "instructions": instructions}


class _Recorded:
    """A transport that answers every request with the recorded reply (a new `Headers` per
    reply, as the native transport makes one per response).
    """

    def send(self, request: Request) -> Response:
        return Response.of(200, Headers.from_fields(READ_FIELDS), GET_BODY)

    def close(self) -> None:
        pass


def measure(calls: int, rounds: int) -> dict[str, Any]:
    """Time each part warm and cold, in `rounds` interleaved rounds; then count what it runs
    in Python.
    """
    listener = _Listener()
    client = Consul(f"http://127.0.0.1:{listener.port}")
    ours_server = listener.answer(lambda: client.kv.get(KEY))
    floor: list[SyncConnection] = []

    def connect_floor() -> None:
        floor.append(SyncConnection("127.0.0.1", listener.port))
        floor[0].request("GET", TARGET)

    floor_server = listener.answer(connect_floor)
    core = Consul(f"http://127.0.0.1:{listener.port}", transport=_Recorded())
    request = Request("GET", TARGET)
    parts: dict[str, tuple[Callable[[], object], socket.socket | None]] = {
        "floor: the whole call": (lambda: floor[0].request("GET", TARGET), floor_server),
        "ours: the whole call": (lambda: client.kv.get(KEY), ours_server),
        "ours: the transport (send)": (lambda: client.transport.send(request), ours_server),
        "ours: the core and the driver": (lambda: core.kv.get(KEY), None),
    }
    found: dict[str, dict[str, list[float]]] = {
        name: {"warm_us": [], "cold_us": []} for name in parts
    }
    try:
        for _ in range(rounds):
            for name, (call, server) in parts.items():
                found[name]["warm_us"].append(per_call(listener, call, server, calls, cold=False))
                found[name]["cold_us"].append(per_call(listener, call, server, calls, cold=True))
        ran = {name: python_run(call, server) for name, (call, server) in parts.items()}
    finally:
        client.close()
        core.close()
        floor[0].close()
        for server in (ours_server, floor_server):
            server.close()
        listener.close()
    return {"calls": calls, "rounds": rounds, "parts": found, "python": ran}


def table(results: dict[str, Any]) -> list[str]:
    """The results as markdown rows: each part's median warm and cold µs, and as a ratio to
    the floor's whole call; and the Python functions it enters and bytecode instructions it
    executes.
    """
    parts = results["parts"]
    floor = parts["floor: the whole call"]
    floor_warm = statistics.median(floor["warm_us"])
    floor_cold = statistics.median(floor["cold_us"])
    ran = results["python"]
    lines = [
        "| part of a sync KV GET | warm, µs | / floor | cold, µs | / floor "
        "| Python functions entered | bytecode instructions |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, times in parts.items():
        warm, cold = statistics.median(times["warm_us"]), statistics.median(times["cold_us"])
        lines.append(
            f"| {name} | {warm:.1f} | {warm / floor_warm:.2f}x | {cold:.1f} | "
            f"{cold / floor_cold:.2f}x | {ran[name]['calls']} | {ran[name]['instructions']:,} |"
        )
    return lines


def main() -> None:
    """Print the table; write the results to ``results/cold.json`` for ``report.py``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000, help="calls per part and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--results", type=Path, default=RESULTS, help="the JSON file to write")
    options = parser.parse_args()
    results = measure(options.calls, options.rounds)
    print("\n".join(table(results)))
    options.results.parent.mkdir(exist_ok=True)
    options.results.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
