"""The whole path of a KV GET in instructions, the client against the floor: what each call
costs from ``client.kv.get`` to the socket and back, counted by valgrind (user space), so that
a change is seen apart from this machine's noise. ``nox -s bench`` gives the CPU time.

Usage:
    python benchmarks/path_cost.py            # a dev agent is started; markdown table

Each row runs 16 concurrent callers (tasks) for asyncio, uvloop and trio, one caller for
sync, against one agent outside valgrind.
"""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
from _callgrind import per_call  # beside this file
from floor_client import AsyncFloor, SyncFloor

from consul_transports.asyncio import Consul as AsyncioConsul
from consul_transports.sync import Consul as SyncConsul
from consul_transports.testing import ConsulAgent
from consul_transports.trio import Consul as TrioConsul

KEY = "bench/key"
CONCURRENCY = 16
LOOPS = ("asyncio", "uvloop", "trio", "sync")


async def _callers(call: Callable[[], Awaitable[object]], calls: int) -> None:
    async def caller() -> None:
        for _ in range(calls // CONCURRENCY):
            await call()

    async with anyio.create_task_group() as group:
        for _ in range(CONCURRENCY):
            group.start_soon(caller)


async def _run_async(address: str, loop: str, client: str, calls: int) -> None:
    host, port = address.removeprefix("http://").rsplit(":", 1)
    consul = TrioConsul(address) if loop == "trio" else AsyncioConsul(address)
    floor = AsyncFloor(host, int(port))
    async with consul:
        call: Callable[[], Awaitable[Any]] = (
            (lambda: consul.kv.get(KEY))
            if client == "ours"
            else (lambda: floor.call("GET", f"/v1/kv/{KEY}"))
        )
        await _callers(call, CONCURRENCY * 10)  # connections opened, caches warm
        await _callers(call, calls)
        await floor.aclose()


def _run_sync(address: str, client: str, calls: int) -> None:
    host, port = address.removeprefix("http://").rsplit(":", 1)
    floor = SyncFloor(host, int(port))
    with SyncConsul(address) as consul:
        call = (
            (lambda: consul.kv.get(KEY))
            if client == "ours"
            else (lambda: floor.call("GET", f"/v1/kv/{KEY}"))
        )
        for _ in range(10 + calls):
            call()
    floor.close()


def _run(address: str, loop: str, client: str, calls: int) -> None:
    """Make `calls` GETs (after a warm-up) with `client` on `loop`."""
    if loop == "sync":
        _run_sync(address, client, calls)
        return
    backend_options = {"use_uvloop": True} if loop == "uvloop" else {}
    backend = "trio" if loop == "trio" else "asyncio"
    anyio.run(
        _run_async, address, loop, client, calls, backend=backend, backend_options=backend_options
    )


def main() -> None:
    """Print instructions per GET, the client's and the floor's, and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--run", nargs=4, metavar=("ADDRESS", "LOOP", "CLIENT", "CALLS"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.run:  # under valgrind
        address, loop, client, calls = args.run
        _run(address, loop, client, int(calls))
        return
    with ConsulAgent() as agent:
        with SyncConsul(agent.address) as consul:
            consul.kv.set(KEY, b"x" * 100)
        print("| GET, instructions per call | consul-sansio native | floor | ratio |")
        print("| --- | ---: | ---: | ---: |")
        for loop in LOOPS:
            ours, floor = (
                per_call(__file__, "--run", agent.address, loop, client, calls=(320, 1920))
                for client in ("ours", "floor")
            )
            label = f"{loop}, {CONCURRENCY} concurrent" if loop != "sync" else "sync, sequential"
            print(f"| {label} | {ours:,.0f} | {floor:,.0f} | {ours / floor:.2f}x |", flush=True)


if __name__ == "__main__":
    main()
