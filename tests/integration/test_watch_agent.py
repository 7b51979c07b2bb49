"""Watches of the Connect CA roots, a Connect leaf certificate and a local agent service (Go's
``connect_roots``, ``connect_leaf`` and ``agent_service`` watch plans) on the real agent, under
asyncio, trio and sync.
"""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from msgspec.structs import replace

from consul_core.backoff import Backoff
from consul_core.flows import Pacing
from consul_transports.testing import ConsulAgent
from tests.integration.leftovers import running

# Short blocking reads and backoff, so that the sync flavor's worker threads never linger.
WAIT = "2s"
FAST = Pacing(min_interval=0.01, backoff=Backoff(initial=0.05, maximum=0.2))


async def next_value(watch: Any, limit: float = 10) -> tuple[Any, Any]:
    """The next ``(value, meta)`` a watch hands out."""
    with anyio.fail_after(limit):
        async for item in watch:
            return item
    pytest.fail("the watch ended")


async def test_an_agent_service_watch_follows_its_content_hash(
    new_client: Any, consul_agent: ConsulAgent, unique: str
) -> None:
    service = {"ID": unique, "Name": "web", "Port": 8080, "Tags": ["v1"]}
    async with new_client(token=consul_agent.master_token, pacing=FAST) as client:
        await client.services.register(service)
        try:
            async with client.services.watch(unique, watch=("", WAIT)) as w:
                first, meta = await next_value(w)
                assert (first.id, first.tags, meta.index) == (unique, ["v1"], 0)
                assert first.content_hash
                # A re-registration with a change wakes the blocked read at once.
                await client.services.register({**service, "Tags": ["v2"]})
                changed, _ = await next_value(w)
                assert changed.tags == ["v2"] and changed.content_hash != first.content_hash
                await client.services.deregister(unique)
                gone, _ = await next_value(w)
                assert gone is None
                await client.services.register(service)
                back, _ = await next_value(w)
                assert back.tags == ["v1"] and back.content_hash == first.content_hash
        finally:
            await client.services.deregister(unique)


async def test_an_agent_service_watch_starts_after_the_instance_it_is_given(
    client: Any, unique: str
) -> None:
    await client.services.register({"ID": unique, "Name": "api", "Port": 9090})
    try:
        current = await client.services.info(unique)
        async with client.services.watch(unique, watch=(current, WAIT)) as watch:
            # Nothing is handed out for the instance the watch starts after: the first value
            # is the next definition.
            await client.services.register({"ID": unique, "Name": "api", "Port": 9091})
            changed, _ = await next_value(watch)
            assert changed.port == 9091
    finally:
        await client.services.deregister(unique)


async def test_ca_roots_watches_wake_on_a_ca_configuration_change(client: Any) -> None:
    configuration = await client.connect.ca_configuration()
    async with (
        client.connect.watch_ca_roots(watch=(0, WAIT)) as roots,
        client.connect.watch_agent_ca_roots(watch=(0, WAIT)) as agent_roots,
    ):
        first, meta = await next_value(roots)
        cached, agent_meta = await next_value(agent_roots)
        assert first.active_root is not None and first.active_root_id == cached.active_root_id
        # A new configuration (the same CA) commits the roots again: their index advances.
        ttl = "47h" if configuration.config.get("LeafCertTTL") != "47h" else "71h"
        changed = replace(configuration, config={**configuration.config, "LeafCertTTL": ttl})
        try:
            assert await client.connect.ca_update(changed) is True
            again, new_meta = await next_value(roots)
            assert new_meta.index > meta.index and again.active_root_id == first.active_root_id
            _, new_agent_meta = await next_value(agent_roots)
            assert new_agent_meta.index > agent_meta.index
        finally:
            assert await client.connect.ca_update(configuration) is True


async def test_a_leaf_watch_hands_out_the_certificate_and_leaves_cleanly(
    client: Any, unique: str
) -> None:
    leaf, meta = await client.connect.agent_leaf(unique)
    before = running()
    watch = client.connect.watch_agent_leaf(unique, watch=(0, WAIT))
    watched, watched_meta = await next_value(watch)
    # The agent's cache hands the same certificate to both, until it renews it (a CA rotation,
    # or most of its TTL, later).
    assert watched.serial_number == leaf.serial_number and watched.service == unique
    assert watched_meta.index == meta.index > 0
    await watch.aclose()
    with pytest.raises(StopAsyncIteration):
        await anext(watch)
    assert running() == before
