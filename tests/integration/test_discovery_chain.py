"""The compiled discovery chain on the real agent, under asyncio, trio and sync."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

from consul_core import PermissionDenied

BOGUS_TOKEN = "00000000-0000-0000-0000-000000000001"


@pytest.fixture
async def web(client: Any, unique: str) -> AsyncIterator[str]:
    """A service whose chain has a splitter (90% to a "v1" subset) and failover to dc3."""
    entries = [
        {"Kind": "service-defaults", "Name": unique, "Protocol": "http"},
        {
            "Kind": "service-resolver",
            "Name": unique,
            "ConnectTimeout": "15s",
            "Subsets": {"v1": {"Filter": "Service.Meta.version == v1"}},
            "Failover": {"*": {"Datacenters": ["dc3"]}},
        },
        {
            "Kind": "service-splitter",
            "Name": unique,
            "Splits": [{"Weight": 90, "ServiceSubset": "v1"}, {"Weight": 10}],
        },
    ]
    for entry in entries:
        assert await client.config.set(entry) is True
    try:
        yield unique
    finally:
        for entry in reversed(entries):
            assert await client.config.delete(entry["Kind"], unique) is True


async def test_a_compiled_chain(client: Any, web: str) -> None:
    chain, meta = await client.discovery_chain.get(web)
    assert meta.index > 0 and meta.known_leader
    assert (chain.service_name, chain.datacenter, chain.protocol) == (web, "dc1", "http")
    splitter = chain.nodes[chain.start_node]
    assert splitter.type == "splitter"
    assert [(split.weight, split.next_node) for split in splitter.splits] == [
        (90, f"resolver:v1.{web}.default.dc1"),
        (10, f"resolver:{web}.default.dc1"),
    ]
    resolver = chain.nodes[f"resolver:v1.{web}.default.dc1"].resolver
    assert resolver is not None
    assert resolver.connect_timeout == timedelta(seconds=15)
    assert resolver.failover is not None
    assert resolver.failover.targets == [f"v1.{web}.default.dc3"]
    target = chain.targets[f"v1.{web}.default.dc1"]
    assert target.service_subset == "v1"
    assert target.subset == {"Filter": "Service.Meta.version == v1"}
    elsewhere, _ = await client.discovery_chain.get(web, compile_dc="dc2")
    assert elsewhere.datacenter == "dc2"
    assert f"v1.{web}.default.dc2" in elsewhere.targets


async def test_overrides_are_a_post_that_compiles_another_chain(client: Any, web: str) -> None:
    chain, _ = await client.discovery_chain.get(
        web,
        override_connect_timeout="7s",
        override_protocol="tcp",
        override_mesh_gateway="remote",
    )
    # A TCP chain has no splitter: it starts at the resolver, with the overrides applied.
    assert chain.protocol == "tcp" and chain.customization_hash
    resolver = chain.nodes[chain.start_node].resolver
    assert resolver is not None and resolver.connect_timeout == timedelta(seconds=7)
    assert chain.targets[f"{web}.default.dc3"].mesh_gateway.mode == "remote"
    plain, _ = await client.discovery_chain.get(web)
    assert plain.customization_hash == "" and plain.protocol == "http"


async def test_a_blocking_read_returns_when_an_entry_changes(client: Any, web: str) -> None:
    chain, meta = await client.discovery_chain.get(web)
    unchanged, same = await client.discovery_chain.get(web, watch=(meta, "100ms"))
    assert (unchanged, same.index) == (chain, meta.index)
    entry = {"Kind": "service-defaults", "Name": web, "Protocol": "grpc"}
    assert await client.config.set(entry) is True
    # The index moved past the one sent, so the read returns at once with the new chain.
    changed, after = await client.discovery_chain.get(web, watch=(meta, "30s"))
    assert after.index > meta.index
    assert changed.protocol == "grpc"
    with_override, _ = await client.discovery_chain.get(
        web, override_protocol="http", watch=(after, "100ms")
    )
    assert with_override.protocol == "http"


async def test_a_chain_needs_service_read(new_client: Any, web: str) -> None:
    async with new_client(token=BOGUS_TOKEN) as stranger:
        with pytest.raises(PermissionDenied):
            await stranger.discovery_chain.get(web)
