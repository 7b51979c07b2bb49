"""What Consul 1.8.7 (Community Edition, older than admin partitions and cluster peering) does with
the options a current agent expects, under asyncio, trio and sync: it refuses a namespace with
400 (`BadRequest`), on every endpoint that takes one, per call or from the client, and so the
namespace of an auth method whose tokens are listed; it ignores a partition, a peer and
``merge-central-config``; and its agent cache honours ``max_age``.
"""

from __future__ import annotations

from typing import Any

import pytest

from consul_core import BadRequest, NotFound
from consul_transports.testing import ConsulAgent

NO_NAMESPACES = 'Invalid query parameter: "ns" - Namespaces are a Consul Enterprise feature'


async def test_a_namespace_is_refused_and_nothing_is_written(client: Any, unique: str) -> None:
    key = f"{unique}/k"
    assert await client.kv.set(key, b"v") is True
    for call in (
        lambda: client.kv.get(key, ns="default"),
        lambda: client.kv.set(f"{unique}/other", b"v", ns="team-a"),
        lambda: client.health.service("consul", ns="team-a"),
        lambda: client.catalog.services(ns="team-a"),
        lambda: client.session.items(ns="team-a"),
        lambda: client.services.items(ns="team-a"),
        lambda: client.acl.tokens.items(ns="team-a"),
        lambda: client.discovery_chain.get(unique, ns="team-a"),
        lambda: client.discovery_chain.get(unique, override_protocol="http", ns="team-a"),
        lambda: client.services.health_status(unique, ns="team-a"),
        lambda: client.services.health_status_by_name(unique, ns="team-a"),
        lambda: client.services.health(unique, ns="team-a"),
    ):
        with pytest.raises(BadRequest, match=NO_NAMESPACES) as refused:
            await call()
        assert refused.value.status == 400
    with pytest.raises(NotFound):
        await client.kv.get(f"{unique}/other")
    entry, _ = await client.kv.get(key)
    assert entry.value == b"v"


async def test_the_namespace_of_an_auth_method_is_refused(client: Any) -> None:
    # The token listing's authmethod-ns (Consul Enterprise): 1.8.7 parses it, and refuses it.
    refusal = 'Invalid query parameter: "authmethod-ns" - Namespaces are a Consul Enterprise'
    with pytest.raises(BadRequest, match=refusal) as refused:
        await client.acl.tokens.items(auth_method="m", auth_method_ns="team-a")
    assert refused.value.status == 400


@pytest.mark.parametrize("source", ["constructor", "CONSUL_NAMESPACE"])
async def test_a_client_namespace_goes_only_to_the_endpoints_that_take_one(
    new_client: Any,
    consul_agent: ConsulAgent,
    unique: str,
    source: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    options: dict[str, Any] = {"token": consul_agent.master_token}
    if source == "constructor":
        options["namespace"] = "team-a"
    else:
        monkeypatch.setenv("CONSUL_NAMESPACE", "team-a")
    async with new_client(**options) as scoped:
        for call in (
            lambda: scoped.kv.get(f"{unique}/k"),
            lambda: scoped.discovery_chain.get(unique),
            lambda: scoped.services.health_status_by_name(unique),
        ):
            with pytest.raises(BadRequest, match=NO_NAMESPACES):
                await call()
        # The agent's own endpoints, prepared queries and the status take no namespace.
        assert (await scoped.agent.info()).config.node_name == consul_agent.node_name
        queries, _ = await scoped.query.items()
        assert isinstance(queries, list)
        assert await scoped.status.leader()
        # Nodes live in a partition, not a namespace.
        nodes, _ = await scoped.catalog.nodes()
        assert consul_agent.node_name in {node.node for node in nodes}


async def test_a_partition_is_ignored_by_the_1_8_agent(
    new_client: Any, consul_agent: ConsulAgent, unique: str
) -> None:
    # Admin partitions came with Consul 1.11; 1.8 ignores the parameter it does not know.
    async with new_client(token=consul_agent.master_token, partition="part-1") as scoped:
        assert await scoped.kv.set(f"{unique}/k", b"v") is True
        entry, _ = await scoped.kv.get(f"{unique}/k", partition="part-2")
        assert entry.value == b"v"
        nodes, _ = await scoped.catalog.nodes()
        assert consul_agent.node_name in {node.node for node in nodes}
        members = await scoped.members.items()
        assert consul_agent.node_name in {member.name for member in members}
        chain, _ = await scoped.discovery_chain.get(unique, partition="part-2")
        assert chain.service_name == unique
        assert await scoped.services.register({"ID": unique, "Name": unique}) is True
        try:
            assert await scoped.services.health_status(unique) == "passing"
            assert await scoped.services.health_status_by_name(unique) == "passing"
        finally:
            assert await scoped.services.deregister(unique) is True
        await scoped.kv.delete_tree(f"{unique}/")


async def test_peer_and_merge_central_config_are_ignored_by_the_1_8_agent(client: Any) -> None:
    # Cluster peering (1.13) and merged central configuration (1.14) are newer than 1.8.
    plain, _ = await client.health.service("consul")
    entries, _ = await client.health.service("consul", peer="east", merge_central_config=True)
    assert [e.node.node for e in entries] == [e.node.node for e in plain]
    instances, _ = await client.catalog.service("consul", merge_central_config=True)
    assert len(instances) == 1


async def test_max_age_decides_whether_a_cached_read_is_refetched(client: Any, unique: str) -> None:
    # A prepared query's execution has Consul's "simple" agent cache, which honours max-age
    # (background-refresh caches, as health.service's, ignore it).
    qid = await client.query.create({"Name": unique, "Service": {"Service": "consul"}})
    try:
        _, first = await client.query.execute(qid, cached=True)
        _, young = await client.query.execute(qid, cached=True, max_age=3600)
        _, refetched = await client.query.execute(qid, cached=True, max_age=0)
        _, fresh = await client.query.execute(qid, cached=True, max_age=0, stale_if_error=60)
        _, again = await client.query.execute(qid, cached=True, max_age="1h")
    finally:
        await client.query.delete(qid)
    assert first.cache_hit is False and first.cache_age is None
    assert young.cache_hit is True and young.cache_age is not None
    assert (refetched.cache_hit, fresh.cache_hit) == (False, False)
    assert again.cache_hit is True
