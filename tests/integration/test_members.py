"""The agent's Serf members on the real agent, under asyncio, trio and sync.

A join that changes membership runs between two private dev servers, never the shared agent.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from consul_core import NotFound, PermissionDenied, ServerError
from consul_core.models.agent import Member, MemberStatus
from consul_transports.testing import ConsulAgent
from tests.integration.waiting import members_settle

BOGUS_TOKEN = "00000000-0000-0000-0000-000000000001"


@pytest.fixture
def two_servers() -> Iterator[tuple[ConsulAgent, ConsulAgent]]:
    """Two private dev servers that know nothing of each other."""
    with ConsulAgent() as first, ConsulAgent() as second:
        yield first, second


async def test_items_lan_and_wan(client: Any, consul_agent: ConsulAgent) -> None:
    lan = await client.members.items()
    assert [m.name for m in lan] == [consul_agent.node_name]
    assert isinstance(lan[0], Member) and lan[0].status == MemberStatus.ALIVE
    wan = await client.members.items(wan=True)
    assert [m.name for m in wan] == [f"{consul_agent.node_name}.dc1"]
    assert wan[0].port == int(lan[0].tags["wan_join_port"]) != lan[0].port


async def test_join_itself_and_failed_join(client: Any, consul_agent: ConsulAgent) -> None:
    (me,) = await client.members.items()
    assert await client.members.join(f"{me.addr}:{me.port}") is True
    assert await client.members.join(f"{me.addr}:{me.tags['wan_join_port']}", wan=True) is True
    assert [m.name for m in await client.members.items()] == [consul_agent.node_name]
    with pytest.raises(ServerError, match="Failed to join"):
        await client.members.join("127.0.0.1:1")


async def test_join_another_server(
    new_client: Any, two_servers: tuple[ConsulAgent, ConsulAgent]
) -> None:
    first, second = two_servers
    async with new_client(address=first.address) as one, new_client(address=second.address) as two:
        (target,) = await one.members.items()
        assert await two.members.join(f"{target.addr}:{target.port}") is True
        both = {first.node_name: MemberStatus.ALIVE, second.node_name: MemberStatus.ALIVE}
        for view in (one, two):  # gossip spreads the news over a moment
            assert await members_settle(view, lambda states: states == both)


async def test_force_leave_of_an_unknown_node_is_not_found(client: Any, unique: str) -> None:
    with pytest.raises(NotFound, match="No node found"):
        await client.members.force_leave(unique)
    with pytest.raises(NotFound):
        await client.members.force_leave({"Name": unique}, prune=True)


async def test_a_token_without_rights_is_denied(new_client: Any, unique: str) -> None:
    async with new_client(token=BOGUS_TOKEN) as denied:
        with pytest.raises(PermissionDenied):
            await denied.members.items()
        with pytest.raises(PermissionDenied):
            await denied.members.force_leave(unique)
