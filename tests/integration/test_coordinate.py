"""Network coordinates on the real agent, under asyncio, trio and sync.

A single dev agent has no peers to measure, so the only LAN coordinates it is sure to hold are
the ones a test sets: these tests update the coordinate of an external catalog node and read it
back. Consul applies coordinate updates in batches every few seconds, so the reads block on the
coordinate index until the update lands.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import anyio
import pytest

from consul_core import NotFound, PermissionDenied, UsageError
from consul_core.models.coordinate import CoordinateEntry, DatacenterCoordinates, NetworkCoordinate
from consul_transports.testing import ConsulAgent

BOGUS_TOKEN = "00000000-0000-0000-0000-000000000001"
VEC = [0.5, -0.25, 0.0, 0.0, 0.0, 0.0, 0.0, 0.125]
DEADLINE = 30.0


@pytest.fixture
async def node(client: Any, unique: str) -> AsyncIterator[str]:
    """An external catalog node, deregistered (with its coordinate) after the test."""
    name = f"{unique}-node"
    await client.catalog.register({"Node": name, "Address": "10.0.2.1"})
    yield name
    await client.catalog.deregister({"Node": name})


async def test_update_then_read_back(client: Any, node: str) -> None:
    with pytest.raises(NotFound):
        await client.coordinate.node(node)
    entries, meta = await client.coordinate.nodes()
    coordinate = CoordinateEntry(
        node=node, coord=NetworkCoordinate(vec=VEC, error=1.5, adjustment=0.01, height=0.001)
    )
    assert await client.coordinate.update(coordinate) is True

    started = time.monotonic()
    while node not in [e.node for e in entries]:
        assert time.monotonic() - started < DEADLINE, "the coordinate update never landed"
        entries, meta = await client.coordinate.nodes(watch=(meta, "5s"))
    assert next(e for e in entries if e.node == node) == coordinate
    assert meta.index > 0

    read, node_meta = await client.coordinate.node(node)
    assert read == [coordinate]
    assert node_meta.index > 0


async def test_update_from_a_mapping(client: Any, node: str) -> None:
    body = {"Node": node, "Coord": {"Vec": [0.1] * 8, "Error": 1.0, "Height": 0.0001}}
    assert await client.coordinate.update(body) is True
    started = time.monotonic()
    while True:
        try:
            (entry,), _ = await client.coordinate.node(node)
            break
        except NotFound:
            assert time.monotonic() - started < DEADLINE, "the coordinate update never landed"
            await anyio.sleep(0.5)
    assert entry.coord.vec == [0.1] * 8
    assert (entry.coord.error, entry.coord.adjustment, entry.coord.height) == (1.0, 0.0, 0.0001)


async def test_datacenters(client: Any, consul_agent: ConsulAgent) -> None:
    # The server's WAN coordinate is there from the start, but allow it a moment.
    started = time.monotonic()
    while not (datacenters := await client.coordinate.datacenters())[0].coordinates:
        assert time.monotonic() - started < DEADLINE, "the server never had a WAN coordinate"
        await anyio.sleep(0.5)
    assert all(isinstance(d, DatacenterCoordinates) for d in datacenters)
    (dc1,) = datacenters
    assert (dc1.datacenter, dc1.area_id) == ("dc1", "wan")
    assert [e.node for e in dc1.coordinates] == [consul_agent.node_name]
    assert len(dc1.coordinates[0].coord.vec) == 8


async def test_unknown_token_is_denied(new_client: Any, node: str) -> None:
    async with new_client(token=BOGUS_TOKEN) as bad:
        with pytest.raises(PermissionDenied):
            await bad.coordinate.nodes()
        with pytest.raises(PermissionDenied):
            await bad.coordinate.update({"Node": node, "Coord": {"Vec": [0.0] * 8}})


async def test_bad_coordinate_raises_usage_error_before_any_request(new_client: Any) -> None:
    async with new_client(address="127.0.0.1:9") as c:
        for bad in (
            lambda: c.coordinate.update({"Node": "n", "Coord": {"Vec": [0.1]}}),
            lambda: c.coordinate.update({"Coord": {"Vec": [0.0] * 8}}),
            lambda: c.coordinate.node(""),
        ):
            with pytest.raises(UsageError):
                await bad()
