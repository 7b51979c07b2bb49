"""The agent's Serf members: join, list, force-leave (aioconsul's examples, kept on this host:
the agent joins its own gossip addresses, and force-leaves a node that does not exist).
"""

from __future__ import annotations

from typing import Any

from _runner import main, step

from consul_core import NotFound
from consul_core.models.agent import MemberStatus


async def run_async(client: Any) -> None:
    member = (await client.agent.info()).member
    address = f"{member.addr}:{member.port}"
    step(f"join {address}", await client.members.join(address))
    members = await client.members.items()
    step("items", [(m.name, m.addr, MemberStatus(m.status).name) for m in members])
    members = await client.members.items(wan=True)
    address = f"{members[0].addr}:{members[0].port}"
    step(f"join {address} (WAN)", await client.members.join(address, wan=True))
    try:
        await client.members.force_leave("my-node")
    except NotFound as error:
        step("force_leave", error)


# Generated from run_async by scripts/unasync.py: do not edit by hand.
def run_sync(client: Any) -> None:
    member = client.agent.info().member
    address = f"{member.addr}:{member.port}"
    step(f"join {address}", client.members.join(address))
    members = client.members.items()
    step("items", [(m.name, m.addr, MemberStatus(m.status).name) for m in members])
    members = client.members.items(wan=True)
    address = f"{members[0].addr}:{members[0].port}"
    step(f"join {address} (WAN)", client.members.join(address, wan=True))
    try:
        client.members.force_leave("my-node")
    except NotFound as error:
        step("force_leave", error)


if __name__ == "__main__":
    main(run_async, run_sync)
