"""The local agent's services: register, list, maintenance, deregister (aioconsul's examples)."""

from __future__ import annotations

from typing import Any

from _runner import main, step

SERVICE = {"ID": "redis1", "Name": "redis", "Tags": ["master", "v1"]}


async def run_async(client: Any) -> None:
    step("register", await client.services.register(SERVICE))
    services = await client.services.items()
    step("items", {service_id: (s.service, s.tags) for service_id, s in services.items()})
    step("disable", await client.services.disable(SERVICE, reason="migrating"))
    health = await client.services.health(SERVICE)
    step("health", (health.aggregated_status, [c.notes for c in health.checks]))
    step("enable", await client.services.enable(SERVICE, reason="migration done"))
    health = await client.services.health(SERVICE)
    step("health", health.aggregated_status)
    step("deregister", await client.services.deregister(SERVICE))


# Generated from run_async by scripts/unasync.py: do not edit by hand.
def run_sync(client: Any) -> None:
    step("register", client.services.register(SERVICE))
    services = client.services.items()
    step("items", {service_id: (s.service, s.tags) for service_id, s in services.items()})
    step("disable", client.services.disable(SERVICE, reason="migrating"))
    health = client.services.health(SERVICE)
    step("health", (health.aggregated_status, [c.notes for c in health.checks]))
    step("enable", client.services.enable(SERVICE, reason="migration done"))
    health = client.services.health(SERVICE)
    step("health", health.aggregated_status)
    step("deregister", client.services.deregister(SERVICE))


if __name__ == "__main__":
    main(run_async, run_sync)
