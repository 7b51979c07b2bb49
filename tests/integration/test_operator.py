"""Operator endpoints on the real agent, under asyncio, trio and sync."""

from __future__ import annotations

import base64
import os
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import anyio
import pytest
from msgspec.structs import replace

from consul_core import Conflict, NotFound, PermissionDenied, ServerError
from consul_transports.testing import ConsulAgent

BOGUS_TOKEN = "00000000-0000-0000-0000-000000000001"
GOSSIP_KEY = base64.b64encode(os.urandom(32)).decode()


@pytest.fixture(scope="module")
def encrypted_agent() -> Iterator[ConsulAgent]:
    """A private agent with gossip encryption, whose keyring the tests may change."""
    with ConsulAgent(acl=True, extra_config={"encrypt": GOSSIP_KEY}) as agent:
        yield agent


async def test_raft_configuration(client: Any, consul_agent: ConsulAgent) -> None:
    conf = await client.operator.configuration()
    assert [server.node for server in conf.servers] == [consul_agent.node_name]
    server = conf.servers[0]
    assert server.leader and server.voter
    assert server.address == await client.status.leader()
    stale = await client.operator.configuration(stale=True)
    assert stale.servers == conf.servers


async def test_deleting_an_unknown_peer_is_not_found(client: Any) -> None:
    with pytest.raises(NotFound, match="was not found in the Raft configuration"):
        await client.operator.peer_delete("127.0.0.1:1")
    with pytest.raises(NotFound):
        await client.operator.peer_delete(id=str(uuid.uuid4()))
    conf = await client.operator.configuration()
    assert len(conf.servers) == 1


async def test_autopilot_configuration_round_trip_with_cas(client: Any) -> None:
    original = await client.operator.autopilot_configuration()
    assert original.cleanup_dead_servers is True
    assert original.last_contact_threshold == timedelta(milliseconds=200)
    assert original.server_stabilization_time == timedelta(seconds=10)
    changed = replace(original, max_trailing_logs=original.max_trailing_logs + 7)
    try:
        assert await client.operator.autopilot_update(changed, cas=original) is True
        assert await client.operator.autopilot_update(changed, cas=original) is False
        current = await client.operator.autopilot_configuration(stale=True)
        assert current.max_trailing_logs == original.max_trailing_logs + 7
        assert current.last_contact_threshold == original.last_contact_threshold
        assert current.modify_index > original.modify_index
    finally:
        assert await client.operator.autopilot_update(original) is True
    restored = await client.operator.autopilot_configuration()
    assert replace(restored, modify_index=0) == replace(original, modify_index=0)


async def test_autopilot_health(client: Any, consul_agent: ConsulAgent) -> None:
    # Until autopilot's first round a fresh server is reported unhealthy (with a 429).
    with anyio.fail_after(30):
        while not (health := await client.operator.autopilot_health()).healthy:
            await anyio.sleep(0.2)
    assert health.failure_tolerance == 0
    [server] = health.servers
    assert (server.name, server.version, server.serf_status) == (
        consul_agent.node_name,
        "1.8.7",
        "alive",
    )
    assert server.leader and server.voter and server.healthy
    assert server.last_contact == timedelta(0)
    assert server.stable_since is not None
    # Consul rounds it to the second.
    assert server.stable_since <= datetime.now(timezone.utc) + timedelta(seconds=1)


async def test_keyring_without_gossip_encryption_is_a_server_error(client: Any) -> None:
    with pytest.raises(ServerError, match="encryption not enabled"):
        await client.operator.keyring_list()


async def test_keyring_install_use_and_remove(
    new_client: Any, encrypted_agent: ConsulAgent
) -> None:
    new_key = base64.b64encode(os.urandom(32)).decode()
    address, token = encrypted_agent.address, encrypted_agent.master_token
    async with new_client(address=address, token=token) as client:
        rings = await client.operator.keyring_list()
        assert sorted(ring.wan for ring in rings) == [False, True]
        assert all(ring.primary_keys == {GOSSIP_KEY: 1} for ring in rings)
        assert await client.operator.keyring_install(new_key) is True
        [lan] = await client.operator.keyring_list(local_only=True)
        assert lan.wan is False and lan.keys == {GOSSIP_KEY: 1, new_key: 1}
        assert await client.operator.keyring_use(new_key, relay_factor=1) is True
        rings = await client.operator.keyring_list(relay_factor=1)
        assert all(ring.primary_keys == {new_key: 1} for ring in rings)
        with pytest.raises(Conflict, match="primary key"):
            await client.operator.keyring_remove(new_key)
        assert await client.operator.keyring_use(GOSSIP_KEY) is True
        assert await client.operator.keyring_remove(new_key) is True
        rings = await client.operator.keyring_list()
        assert all(ring.keys == {GOSSIP_KEY: 1} for ring in rings)


async def test_an_unknown_token_is_denied(new_client: Any) -> None:
    async with new_client(token=BOGUS_TOKEN) as client:
        with pytest.raises(PermissionDenied):
            await client.operator.configuration()
        with pytest.raises(PermissionDenied):
            await client.operator.autopilot_configuration()
