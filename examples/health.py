"""Health: the checks of a node, of a service, and in a state (aioconsul's examples, on an
external node registered in the catalog first; its address is only data).
"""

from __future__ import annotations

from typing import Any

from _runner import main, step

NODE = {
    "Node": "my-node",
    "Address": "127.0.0.11",
    "Service": {"ID": "my-service1", "Service": "my-service", "Port": 8080},
    "Checks": [
        {"CheckID": "my-node-alive", "Name": "Node alive", "Status": "passing"},
        {
            "CheckID": "service:my-service1",
            "Name": "HTTP on 8080",
            "Status": "warning",
            "ServiceID": "my-service1",
        },
    ],
}


async def run_async(client: Any) -> None:
    step("catalog.register", await client.catalog.register(NODE))
    collection, meta = await client.health.node("my-node")
    step("node", [(c.check_id, c.status) for c in collection])
    collection, meta = await client.health.checks("my-service")
    step("checks", [(c.check_id, c.status) for c in collection])
    collection, meta = await client.health.state("passing", near="_self")
    step("state", sorted({c.node for c in collection}))
    entries, meta = await client.health.service("my-service")
    step("service", [(e.node.node, e.service.port) for e in entries])
    entries, meta = await client.health.service("my-service", passing=True)
    step("service, passing only", len(entries))
    step("catalog.deregister", await client.catalog.deregister({"Node": "my-node"}))


# Generated from run_async by scripts/unasync.py: do not edit by hand.
def run_sync(client: Any) -> None:
    step("catalog.register", client.catalog.register(NODE))
    collection, meta = client.health.node("my-node")
    step("node", [(c.check_id, c.status) for c in collection])
    collection, meta = client.health.checks("my-service")
    step("checks", [(c.check_id, c.status) for c in collection])
    collection, meta = client.health.state("passing", near="_self")
    step("state", sorted({c.node for c in collection}))
    entries, meta = client.health.service("my-service")
    step("service", [(e.node.node, e.service.port) for e in entries])
    entries, meta = client.health.service("my-service", passing=True)
    step("service, passing only", len(entries))
    step("catalog.deregister", client.catalog.deregister({"Node": "my-node"}))


if __name__ == "__main__":
    main(run_async, run_sync)
