"""User events: fire them and list those the agent received (aioconsul's examples)."""

from __future__ import annotations

from typing import Any

from _runner import main, step


async def run_async(client: Any) -> None:
    collection, meta = await client.event.items("my-event")
    step("items before", len(collection))
    obj = await client.event.fire("my-event", b"deploy v2")
    step("fire", (obj.name, obj.payload))
    # Only the agents with a service named my-service process this one: not this agent.
    other = await client.event.fire("my-event", service="my-service")
    step("fire to my-service", other.service_filter)
    # Events travel by gossip: wait (at most 5s) for the list to change.
    collection, meta = await client.event.items("my-event", watch=(meta, "5s"))
    step("items", [(e.payload, e.id == obj.id) for e in collection[-1:]])


# Generated from run_async by scripts/unasync.py: do not edit by hand.
def run_sync(client: Any) -> None:
    collection, meta = client.event.items("my-event")
    step("items before", len(collection))
    obj = client.event.fire("my-event", b"deploy v2")
    step("fire", (obj.name, obj.payload))
    # Only the agents with a service named my-service process this one: not this agent.
    other = client.event.fire("my-event", service="my-service")
    step("fire to my-service", other.service_filter)
    # Events travel by gossip: wait (at most 5s) for the list to change.
    collection, meta = client.event.items("my-event", watch=(meta, "5s"))
    step("items", [(e.payload, e.id == obj.id) for e in collection[-1:]])


if __name__ == "__main__":
    main(run_async, run_sync)
