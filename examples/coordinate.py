"""Network coordinates: of the datacenters' servers and of the nodes (aioconsul's examples)."""

from __future__ import annotations

from typing import Any

from _runner import main, step


async def run_async(client: Any) -> None:
    datacenters = await client.coordinate.datacenters()
    step("datacenters", [(d.datacenter, [c.node for c in d.coordinates]) for d in datacenters])
    # An agent sends its first coordinate some seconds after it starts: the list may be empty.
    collection, meta = await client.coordinate.nodes()
    step("nodes", [(c.node, len(c.coord.vec)) for c in collection])


# Generated from run_async by scripts/unasync.py: do not edit by hand.
def run_sync(client: Any) -> None:
    datacenters = client.coordinate.datacenters()
    step("datacenters", [(d.datacenter, [c.node for c in d.coordinates]) for d in datacenters])
    # An agent sends its first coordinate some seconds after it starts: the list may be empty.
    collection, meta = client.coordinate.nodes()
    step("nodes", [(c.node, len(c.coord.vec)) for c in collection])


if __name__ == "__main__":
    main(run_async, run_sync)
