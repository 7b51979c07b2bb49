"""User events on the real agent, under asyncio, trio and sync.

An event reaches the agent by gossip, a moment after the fire: the tests wait for it with a
blocking list, which returns as soon as the list changes.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from consul_core import PermissionDenied, QueryMeta, UsageError
from consul_core.endpoints import event
from consul_core.models.event import Event
from consul_transports.testing import ConsulAgent
from tests.integration.raw import send, with_params

BOGUS_TOKEN = "00000000-0000-0000-0000-000000000001"
DEADLINE = 20.0


async def _wait_for(client: Any, name: str, event_id: str) -> tuple[list[Event], QueryMeta]:
    events, meta = await client.event.items(name)
    started = time.monotonic()
    while event_id not in [e.id for e in events]:
        assert time.monotonic() - started < DEADLINE, f"event {event_id} never arrived"
        events, meta = await client.event.items(name, watch=(meta, "5s"))
    return events, meta


async def test_fire_and_list(client: Any, consul_agent: ConsulAgent, unique: str) -> None:
    empty, meta = await client.event.items(unique)
    assert (empty, meta.index) == ([], 1)  # Consul's index of an empty list

    fired = await client.event.fire(unique, b"\x00payload\xff", node=consul_agent.node_name)
    assert isinstance(fired, Event)
    assert (fired.name, fired.payload, fired.node_filter) == (
        unique,
        b"\x00payload\xff",
        consul_agent.node_name,
    )
    assert len(fired.id) == 36

    events, meta = await _wait_for(client, unique, fired.id)
    (received,) = events
    assert (received.id, received.payload, received.version) == (fired.id, fired.payload, 1)
    assert received.l_time > 0
    assert meta.index not in (0, 1)  # a hash of the newest event's ID

    everything, _ = await client.event.items()
    assert fired.id in [e.id for e in everything]


async def test_filters_keep_events_from_agents_that_do_not_match(client: Any, unique: str) -> None:
    # The aioconsul example: no agent runs "my-service" here, so this one is never delivered.
    filtered = await client.event.fire(unique, service=f"{unique}-my-service", tag="v1")
    assert (filtered.service_filter, filtered.tag_filter, filtered.payload) == (
        f"{unique}-my-service",
        "v1",
        None,
    )
    delivered = await client.event.fire(unique, "marker")
    events, _ = await _wait_for(client, unique, delivered.id)
    assert [(e.id, e.payload) for e in events] == [(delivered.id, b"marker")]


async def test_the_list_takes_no_fire_filters(client: Any, flavor: str, unique: str) -> None:
    # The docs list node, service and tag for GET /v1/event/list too, but Consul's handler reads
    # name alone (so event.items takes name only): filters that match nothing still list it.
    delivered = await client.event.fire(unique)
    await _wait_for(client, unique, delivered.id)
    nothing = f"{unique}-matches-nothing"
    filters = (("node", nothing), ("service", nothing), ("tag", nothing))
    response = await send(client, flavor, with_params(event.items(unique), *filters))
    assert response.status == 200
    assert delivered.id in [listed["ID"] for listed in json.loads(response.body)]


async def test_unknown_token_is_denied(new_client: Any, unique: str) -> None:
    async with new_client(token=BOGUS_TOKEN) as bad:
        with pytest.raises(PermissionDenied):
            await bad.event.fire(unique)
        with pytest.raises(PermissionDenied):
            await bad.event.items()


async def test_bad_arguments_raise_usage_error_before_any_request(new_client: Any) -> None:
    async with new_client(address="127.0.0.1:9") as c:
        for bad in (
            lambda: c.event.fire(""),
            lambda: c.event.fire("_reserved"),
            lambda: c.event.fire("x", tag="v1"),
            lambda: c.event.fire("x", 42),
            lambda: c.event.items(watch="soon"),
        ):
            with pytest.raises(UsageError):
                await bad()
