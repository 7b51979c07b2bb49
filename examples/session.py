"""Sessions and status (aioconsul's examples)."""

from __future__ import annotations

from typing import Any

from _runner import main, step


async def run_async(client: Any) -> None:
    step("status.leader", await client.status.leader())
    step("status.peers", await client.status.peers())
    session_id = await client.session.create({"Name": "example"}, ttl="30s")
    step("session.create", session_id)
    obj, meta = await client.session.info(session_id)
    step("session.info", (obj.name, obj.ttl))
    obj, meta = await client.session.renew(session_id)
    step("session.renew", obj.id == session_id)
    collection, meta = await client.session.node(obj.node)
    step("session.node", len(collection))
    collection, meta = await client.session.items()
    step("session.items", [s.name for s in collection])
    step("session.destroy", await client.session.destroy(session_id))


# Generated from run_async by scripts/unasync.py: do not edit by hand.
def run_sync(client: Any) -> None:
    step("status.leader", client.status.leader())
    step("status.peers", client.status.peers())
    session_id = client.session.create({"Name": "example"}, ttl="30s")
    step("session.create", session_id)
    obj, meta = client.session.info(session_id)
    step("session.info", (obj.name, obj.ttl))
    obj, meta = client.session.renew(session_id)
    step("session.renew", obj.id == session_id)
    collection, meta = client.session.node(obj.node)
    step("session.node", len(collection))
    collection, meta = client.session.items()
    step("session.items", [s.name for s in collection])
    step("session.destroy", client.session.destroy(session_id))


if __name__ == "__main__":
    main(run_async, run_sync)
