"""Config entries, Connect's CA and intentions, and a snapshot of the servers' state."""

from __future__ import annotations

from typing import Any

from _runner import main, step

ENTRY = {"Kind": "service-defaults", "Name": "web", "Protocol": "http"}
INTENTION = {"SourceName": "web", "DestinationName": "db", "Action": "deny"}


async def run_async(client: Any) -> None:
    step("config.set", await client.config.set(ENTRY))
    entry, meta = await client.config.get("service-defaults", "web")
    step("config.get", (type(entry).__name__, entry.name, entry.protocol))
    entries, meta = await client.config.items("service-defaults")
    step("config.items", [e.name for e in entries])
    step("config.delete", await client.config.delete("service-defaults", "web"))
    roots, meta = await client.connect.ca_roots()
    step("connect.ca_roots", [(r.name, r.active) for r in roots.roots])
    step("connect.intention_check", await client.connect.intention_check("web", "db"))
    intention_id = await client.connect.intention_create(INTENTION)
    step("connect.intention_create", intention_id)
    step("connect.intention_check", await client.connect.intention_check("web", "db"))
    step("connect.intention_delete", await client.connect.intention_delete(intention_id))
    # Restoring a snapshot replaces everything written since: this example only takes one.
    data, meta = await client.snapshot.save()
    step("snapshot.save", f"{len(data)} bytes at index {meta.index}")


# Generated from run_async by scripts/unasync.py: do not edit by hand.
def run_sync(client: Any) -> None:
    step("config.set", client.config.set(ENTRY))
    entry, meta = client.config.get("service-defaults", "web")
    step("config.get", (type(entry).__name__, entry.name, entry.protocol))
    entries, meta = client.config.items("service-defaults")
    step("config.items", [e.name for e in entries])
    step("config.delete", client.config.delete("service-defaults", "web"))
    roots, meta = client.connect.ca_roots()
    step("connect.ca_roots", [(r.name, r.active) for r in roots.roots])
    step("connect.intention_check", client.connect.intention_check("web", "db"))
    intention_id = client.connect.intention_create(INTENTION)
    step("connect.intention_create", intention_id)
    step("connect.intention_check", client.connect.intention_check("web", "db"))
    step("connect.intention_delete", client.connect.intention_delete(intention_id))
    # Restoring a snapshot replaces everything written since: this example only takes one.
    data, meta = client.snapshot.save()
    step("snapshot.save", f"{len(data)} bytes at index {meta.index}")


if __name__ == "__main__":
    main(run_async, run_sync)
