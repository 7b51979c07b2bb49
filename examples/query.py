"""Prepared queries: create one for a service, read, explain, update, run and delete it
(aioconsul's examples, with a real definition; the service's node is registered in the catalog
first, its address is only data).
"""

from __future__ import annotations

from typing import Any

from _runner import main, step
from msgspec.structs import replace

NODE = {
    "Node": "db1",
    "Address": "127.0.0.12",
    "Service": {"ID": "redis1", "Service": "redis", "Tags": ["master", "v1"], "Port": 6379},
}
QUERY = {
    "Name": "redis-master",
    "Service": {"Service": "redis", "Tags": ["master"], "OnlyPassing": True},
    "DNS": {"TTL": "10s"},
}


async def run_async(client: Any) -> None:
    step("catalog.register", await client.catalog.register(NODE))
    query_id = await client.query.create(QUERY)
    step("create", query_id)
    collection, meta = await client.query.items()
    step("items", [q.name for q in collection])
    obj, meta = await client.query.read(query_id)
    step("read", (obj.name, obj.service.service, obj.service.tags))
    explanation, meta = await client.query.explain("redis-master")
    step("explain", explanation.query.service.tags)
    obj = replace(obj, service=replace(obj.service, tags=["v1"]))
    step("update", await client.query.update(obj))
    obj, meta = await client.query.read(query_id)
    step("read after the update", obj.service.tags)
    result, meta = await client.query.execute("redis-master")
    step("execute", [(e.node.node, e.service.port) for e in result.nodes])
    step("delete", await client.query.delete(query_id))
    step("catalog.deregister", await client.catalog.deregister({"Node": "db1"}))


# Generated from run_async by scripts/unasync.py: do not edit by hand.
def run_sync(client: Any) -> None:
    step("catalog.register", client.catalog.register(NODE))
    query_id = client.query.create(QUERY)
    step("create", query_id)
    collection, meta = client.query.items()
    step("items", [q.name for q in collection])
    obj, meta = client.query.read(query_id)
    step("read", (obj.name, obj.service.service, obj.service.tags))
    explanation, meta = client.query.explain("redis-master")
    step("explain", explanation.query.service.tags)
    obj = replace(obj, service=replace(obj.service, tags=["v1"]))
    step("update", client.query.update(obj))
    obj, meta = client.query.read(query_id)
    step("read after the update", obj.service.tags)
    result, meta = client.query.execute("redis-master")
    step("execute", [(e.node.node, e.service.port) for e in result.nodes])
    step("delete", client.query.delete(query_id))
    step("catalog.deregister", client.catalog.deregister({"Node": "db1"}))


if __name__ == "__main__":
    main(run_async, run_sync)
