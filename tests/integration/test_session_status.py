"""Sessions and status on the real agent, under asyncio, trio and sync."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from consul_core import NotFound, Session
from consul_transports.testing import ConsulAgent


async def test_session_lifecycle(client: Any, consul_agent: ConsulAgent, unique: str) -> None:
    sid = await client.session.create(
        {"Name": unique}, ttl=timedelta(seconds=20), lock_delay="5s", behavior="delete"
    )
    assert isinstance(sid, str) and len(sid) == 36
    info, meta = await client.session.info(sid)
    assert isinstance(info, Session)
    assert (info.id, info.name, info.node) == (sid, unique, consul_agent.node_name)
    assert info.ttl == timedelta(seconds=20)
    assert info.lock_delay == timedelta(seconds=5)
    assert info.behavior == "delete"
    assert meta.index >= info.create_index > 0
    renewed, _ = await client.session.renew(info)
    assert renewed.id == sid
    listed, _ = await client.session.items()
    assert sid in [s.id for s in listed]
    on_node, _ = await client.session.node(consul_agent.node_name)
    assert sid in [s.id for s in on_node]
    assert await client.session.destroy({"ID": sid}) is True
    with pytest.raises(NotFound):
        await client.session.info(sid)
    with pytest.raises(NotFound):
        await client.session.renew(sid)


async def test_session_without_checks_or_ttl(client: Any) -> None:
    sid = await client.session.create(checks=[], name="bare")
    try:
        info, _ = await client.session.info(sid)
        assert info.ttl is None and info.node_checks == [] and info.checks == []
    finally:
        await client.session.destroy(sid)


async def test_a_sub_millisecond_lock_delay_reaches_the_agent_whole(client: Any) -> None:
    # Sent as "1500us": rounded to milliseconds it would read back as 2 ms.
    sid = await client.session.create(lock_delay=timedelta(microseconds=1500), checks=[])
    try:
        info, _ = await client.session.info(sid)
        assert info.lock_delay == timedelta(microseconds=1500)
    finally:
        await client.session.destroy(sid)


@pytest.mark.parametrize("call", ["info", "renew", "destroy"])
async def test_a_session_id_that_is_no_uuid_names_no_session(client: Any, call: str) -> None:
    # Consul answers a 500 ("UUID must be 36 characters"), which means no such session.
    with pytest.raises(NotFound, match="UUID must be 36 characters"):
        await getattr(client.session, call)("not-a-uuid")


async def test_status(client: Any) -> None:
    leader = await client.status.leader()
    peers = await client.status.peers()
    assert leader.startswith("127.0.0.1:")
    assert peers == [leader]
