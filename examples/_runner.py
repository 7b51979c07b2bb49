"""Runs one example under the driver named on the command line: asyncio, trio or sync.

Each example defines ``async def run_async(client)`` and ``def run_sync(client)`` (generated
from the former by scripts/unasync.py, unless it says otherwise); the agent's address and token
come from CONSUL_HTTP_ADDR and CONSUL_HTTP_TOKEN, as for the consul CLI.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from typing import Any

DRIVERS = ("asyncio", "trio", "sync")


def main(run_async: Callable[[Any], Awaitable[None]], run_sync: Callable[[Any], None]) -> None:
    """Run the example with the driver named by ``sys.argv[1]`` (default asyncio)."""
    driver = sys.argv[1] if len(sys.argv) > 1 else "asyncio"
    if driver not in DRIVERS:
        raise SystemExit(f"usage: {sys.argv[0]} [{'|'.join(DRIVERS)}]")
    if driver == "sync":
        from consul_transports.sync import Consul as SyncConsul

        with SyncConsul() as client:
            run_sync(client)
        return

    import anyio

    if driver == "trio":
        from consul_transports.trio import Consul as AsyncConsul
    else:
        from consul_transports.asyncio import Consul as AsyncConsul

    async def run() -> None:
        async with AsyncConsul() as client:
            await run_async(client)

    anyio.run(run, backend=driver)


def step(what: str, result: object) -> None:
    """Print one step of an example."""
    print(f"  {what}: {result!r}")
