"""Prepared queries on the real agent, under asyncio, trio and sync."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from msgspec.structs import replace

from consul_core import NotFound, PermissionDenied
from consul_core.models.query import PreparedQuery, QueryDNS, QueryService
from consul_transports.testing import ConsulAgent

BOGUS_TOKEN = "00000000-0000-0000-0000-000000000001"


async def test_query_lifecycle(client: Any, consul_agent: ConsulAgent, unique: str) -> None:
    definition = PreparedQuery(
        QueryService("consul", only_passing=True, near="_agent"),
        name=unique,
        dns=QueryDNS(ttl=timedelta(seconds=10)),
    )
    qid = await client.query.create(definition)
    try:
        read, meta = await client.query.read(qid)
        assert (read.id, read.name, read.service) == (qid, unique, definition.service)
        assert read.dns.ttl == timedelta(seconds=10)
        assert meta.index >= read.create_index > 0
        listed, _ = await client.query.items()
        assert qid in [q.id for q in listed]
        explained, _ = await client.query.explain(unique)
        assert explained.query.id == qid

        result, _ = await client.query.execute(unique, limit=1)
        assert (result.service, result.datacenter, result.failovers) == ("consul", "dc1", 0)
        assert [entry.node.node for entry in result.nodes] == [consul_agent.node_name]
        assert result.dns.ttl == timedelta(seconds=10)
        connect_only, _ = await client.query.execute(read, connect=True)
        assert connect_only.nodes == []

        tagged = replace(read, service=replace(read.service, tags=["no-such-tag"]))
        assert await client.query.update(tagged) is True
        updated, _ = await client.query.read(read)
        assert updated.service.tags == ["no-such-tag"]
        assert updated.modify_index > read.modify_index
        result, _ = await client.query.execute(qid)
        assert result.nodes == []
    finally:
        assert await client.query.delete(qid) is True
    with pytest.raises(NotFound):
        await client.query.read(qid)
    with pytest.raises(NotFound):
        await client.query.execute(qid)
    with pytest.raises(NotFound):
        await client.query.update(read)
    with pytest.raises(NotFound):
        await client.query.delete({"ID": qid})


async def test_a_name_holding_slashes_is_executed_and_explained_by_name(
    client: Any, unique: str
) -> None:
    # The agent takes all before the trailing /execute or /explain as the name: even a name
    # that ends in another of its words.
    names = [f"team/{unique}", f"{unique}/explain", f"{unique}/execute"]
    ids = [
        await client.query.create({"Name": name, "Service": {"Service": "consul"}})
        for name in names
    ]
    try:
        for name, qid in zip(names, ids, strict=True):
            explained, _ = await client.query.explain(name)
            assert (explained.query.id, explained.query.name) == (qid, name)
            result, _ = await client.query.execute(name)
            assert result.service == "consul" and len(result.nodes) == 1
    finally:
        for qid in ids:
            await client.query.delete(qid)


async def test_template_query_from_a_mapping(client: Any, unique: str) -> None:
    qid = await client.query.create(
        {
            "Name": f"{unique}-",
            "Template": {"Type": "name_prefix_match"},
            "Service": {"Service": "${name.suffix}"},
        }
    )
    try:
        explained, _ = await client.query.explain(f"{unique}-consul")
        assert explained.query.service.service == "consul"
        assert explained.query.template.type == "name_prefix_match"
        result, _ = await client.query.execute(f"{unique}-consul", cached=True)
        assert result.service == "consul" and len(result.nodes) == 1
        with pytest.raises(NotFound):
            await client.query.explain(f"other-{unique}")
    finally:
        await client.query.delete(qid)


async def test_reading_by_name_is_not_found(client: Any, unique: str) -> None:
    with pytest.raises(NotFound, match="UUID"):
        await client.query.read(unique)


async def test_an_unknown_token_is_denied(new_client: Any) -> None:
    async with new_client(token=BOGUS_TOKEN) as client:
        with pytest.raises(PermissionDenied):
            await client.query.items()
        with pytest.raises(PermissionDenied):
            await client.query.create({"Service": {"Service": "consul"}})
