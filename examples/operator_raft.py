"""The operator's Raft endpoints: read the peer set, and try to remove a peer (aioconsul's
examples; the peer removed here does not exist, so the agent keeps its one server).
"""

from __future__ import annotations

from typing import Any

from _runner import main, step

from consul_core import NotFound


async def run_async(client: Any) -> None:
    obj = await client.operator.configuration()
    step("configuration", [(s.node, s.address, s.leader, s.voter) for s in obj.servers])
    try:
        await client.operator.peer_delete("127.0.0.1:1")
    except NotFound as error:
        step("peer_delete", error)
    obj = await client.operator.autopilot_health()
    step("autopilot_health", (obj.healthy, obj.failure_tolerance))


# Generated from run_async by scripts/unasync.py: do not edit by hand.
def run_sync(client: Any) -> None:
    obj = client.operator.configuration()
    step("configuration", [(s.node, s.address, s.leader, s.voter) for s in obj.servers])
    try:
        client.operator.peer_delete("127.0.0.1:1")
    except NotFound as error:
        step("peer_delete", error)
    obj = client.operator.autopilot_health()
    step("autopilot_health", (obj.healthy, obj.failure_tolerance))


if __name__ == "__main__":
    main(run_async, run_sync)
