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
from tests.hooks import recording
from tests.integration.leftovers import running
from tests.integration.waiting import closed_from_elsewhere

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


@pytest.mark.parametrize("watched", ["watch_ca_roots", "watch_agent_ca_roots"])
async def test_a_ca_roots_watch_wakes_on_a_configuration_change_and_skips_the_same_roots(
    flavor: str, new_client: Any, consul_agent: ConsulAgent, watched: str
) -> None:
    events: list[tuple[Any, ...]] = []
    hooks = recording(flavor, events)
    async with new_client(token=consul_agent.master_token, event_hooks=hooks) as client:
        configuration = await client.connect.ca_configuration()
        roots = getattr(client.connect, watched)(watch=(0, WAIT))
        first, meta = await next_value(roots)
        assert first.active_root is not None

        def blocks_on_a_new_index() -> bool:
            return any(
                kind == "request" and int(request.param("index") or 0) > meta.index
                for kind, request, *_ in events
            )

        # A new configuration (the same CA) commits the roots again: the blocked read wakes
        # with a new index, but the same roots, which are not handed out again (as Go's watch
        # plan does): the watch blocks on the new index.
        ttl = "47h" if configuration.config.get("LeafCertTTL") != "47h" else "71h"
        changed = replace(configuration, config={**configuration.config, "LeafCertTTL": ttl})
        assert await client.connect.ca_update(changed) is True
        try:
            assert await closed_from_elsewhere(roots, blocks_on_a_new_index) == []
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
