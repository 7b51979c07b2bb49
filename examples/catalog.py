"""The catalog: register an external node with a service and a check, read it back in several
ways, deregister it (aioconsul's examples; the node's address is only data).
"""

from __future__ import annotations

from typing import Any

from _runner import main, step

DEFINITIONS = {
    "Node": "foobar",
    "Address": "127.0.0.10",
    "Service": {
        "ID": "redis1",
        "Service": "redis",
        "Tags": ["master", "v1"],
        "Address": "127.0.0.1",
        "Port": 8000,
    },
    "Check": {
        "Node": "foobar",
        "CheckID": "service:redis1",
        "Name": "Redis health check",
        "Notes": "Script based health check",
        "Status": "passing",
        "ServiceID": "redis1",
    },
}


async def run_async(client: Any) -> None:
    step("register", await client.catalog.register(DEFINITIONS))
    step("datacenters", await client.catalog.datacenters())
    nodes, meta = await client.catalog.nodes(near="_self")
    step("nodes", [(n.node, n.address) for n in nodes])
    obj, meta = await client.catalog.node("foobar")
    step("node", {sid: (s.service, s.port) for sid, s in obj.services.items()})
    # A blocking read: nothing changes, so it returns after 1s with the same index.
    obj, again = await client.catalog.node("foobar", watch=(meta, "1s"))
    step("node, watched for 1s", again.index == meta.index)
    services, meta = await client.catalog.services(consistency="stale")
    step("services", services)
    instances, meta = await client.catalog.service("redis", tag="master")
    step("service", [(s.node, s.service_id, s.service_port) for s in instances])
    step("deregister", await client.catalog.deregister({"Node": "foobar"}))


# Generated from run_async by scripts/unasync.py: do not edit by hand.
def run_sync(client: Any) -> None:
    step("register", client.catalog.register(DEFINITIONS))
    step("datacenters", client.catalog.datacenters())
    nodes, meta = client.catalog.nodes(near="_self")
    step("nodes", [(n.node, n.address) for n in nodes])
    obj, meta = client.catalog.node("foobar")
    step("node", {sid: (s.service, s.port) for sid, s in obj.services.items()})
    # A blocking read: nothing changes, so it returns after 1s with the same index.
    obj, again = client.catalog.node("foobar", watch=(meta, "1s"))
    step("node, watched for 1s", again.index == meta.index)
    services, meta = client.catalog.services(consistency="stale")
    step("services", services)
    instances, meta = client.catalog.service("redis", tag="master")
    step("service", [(s.node, s.service_id, s.service_port) for s in instances])
    step("deregister", client.catalog.deregister({"Node": "foobar"}))


if __name__ == "__main__":
    main(run_async, run_sync)
