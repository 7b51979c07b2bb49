"""The catalog on the real agent, under asyncio, trio and sync.

The nodes registered here are external nodes that exist only as catalog data: nothing connects
to their addresses.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import anyio
import pytest

from consul_core import BadRequest, NotFound, PermissionDenied, UsageError
from consul_core.models.catalog import (
    CatalogDeregistration,
    CatalogRegistration,
    CatalogService,
    Node,
    NodeService,
    NodeServices,
    ServiceConnect,
)
from consul_transports.testing import ConsulAgent

BOGUS_TOKEN = "00000000-0000-0000-0000-000000000001"


@pytest.fixture
async def node(client: Any, unique: str) -> AsyncIterator[str]:
    """The name of an external node, deregistered after the test."""
    name = f"{unique}-node"
    yield name
    await client.catalog.deregister({"Node": name})


async def test_aioconsul_example(client: Any, node: str, unique: str) -> None:
    redis = f"{unique}-redis"
    definitions = {
        "Node": node,
        "Address": "192.168.10.10",
        "Service": {
            "ID": "redis1",
            "Service": redis,
            "Tags": ["master", "v1"],
            "Address": "127.0.0.1",
            "Port": 8000,
        },
        "Check": {
            "Node": node,
            "CheckID": "service:redis1",
            "Name": "Redis health check",
            "Notes": "Script based health check",
            "Status": "passing",
            "ServiceID": "redis1",
        },
    }
    assert await client.catalog.register(definitions) is True
    assert await client.catalog.datacenters() == ["dc1"]

    nodes, meta = await client.catalog.nodes(near="_self")
    assert node in [n.node for n in nodes]
    assert all(isinstance(n, Node) for n in nodes)
    ours = next(n for n in nodes if n.node == node)
    assert (ours.address, ours.datacenter) == ("192.168.10.10", "dc1")
    assert meta.index >= ours.modify_index > 0

    # The example waits 30s for a change; nothing changes here, so wait 1s.
    services, meta = await client.catalog.node(node, watch=(meta, "1s"))
    assert isinstance(services, NodeServices)
    assert services.node.node == node
    assert list(services.services) == ["redis1"]
    assert services.services["redis1"].service == redis
    assert services.services["redis1"].port == 8000

    names, meta = await client.catalog.services(consistency="stale")
    assert sorted(names[redis]) == ["master", "v1"]  # a union of tags, in no order
    assert meta.index > 0

    instances, _ = await client.catalog.service(redis, tag="master")
    assert [(i.node, i.service_id, i.service_address) for i in instances] == [
        (node, "redis1", "127.0.0.1")
    ]
    assert all(isinstance(i, CatalogService) for i in instances)
    none_tagged, _ = await client.catalog.service(redis, tag="prod")
    assert none_tagged == []
    both, _ = await client.catalog.service(redis, tag=["master", "v1"])
    assert len(both) == 1

    deregistered = await client.catalog.deregister({"Node": node, "Address": "192.168.10.10"})
    assert deregistered is True
    with pytest.raises(NotFound) as caught:
        await client.catalog.node(node)
    assert caught.value.meta.index > 0


async def test_typed_registration_meta_and_filters(client: Any, node: str, unique: str) -> None:
    api = f"{unique}-api"
    registration = CatalogRegistration(
        node=node,
        address="10.0.0.1",
        node_meta={"rack": unique},
        service=NodeService(
            service=api, id="api1", port=9000, tags=["v2"], connect=ServiceConnect(native=True)
        ),
    )
    assert await client.catalog.register(registration) is True
    other = NodeService(service=f"{api}-other", id="other1", port=9001)
    assert await client.catalog.register(
        CatalogRegistration(node=node, skip_node_update=True, service=other)
    )

    by_meta, _ = await client.catalog.nodes(node_meta={"rack": unique})
    assert [n.node for n in by_meta] == [node]
    assert by_meta[0].meta == {"rack": unique}
    by_filter, _ = await client.catalog.nodes(filter=f'Node == "{node}"')
    assert [n.address for n in by_filter] == ["10.0.0.1"]

    listed, _ = await client.catalog.node_services(node)
    assert sorted(s.id for s in listed.services) == ["api1", "other1"]
    filtered, _ = await client.catalog.node(node, filter="Port == 9001")
    assert list(filtered.services) == ["other1"]

    names, _ = await client.catalog.services(node_meta={"rack": unique})
    assert names == {api: ["v2"], f"{api}-other": []}

    # A Connect-native instance is listed as Connect-capable.
    capable, _ = await client.catalog.connect(api)
    assert [(c.service_id, c.service_connect.native) for c in capable] == [("api1", True)]

    assert await client.catalog.deregister(CatalogDeregistration(node=node, service_id="api1"))
    remaining, _ = await client.catalog.node(node)
    assert list(remaining.services) == ["other1"]


async def test_connect_lists_proxies(client: Any, node: str, unique: str) -> None:
    web = f"{unique}-web"
    proxy = {
        "Kind": "connect-proxy",
        "ID": "web-proxy",
        "Service": f"{web}-sidecar-proxy",
        "Port": 21000,
        "Proxy": {
            "DestinationServiceName": web,
            "DestinationServiceID": "web1",
            "LocalServicePort": 8080,
            "Upstreams": [{"DestinationName": "db", "LocalBindPort": 9191}],
        },
    }
    await client.catalog.register({"Node": node, "Address": "10.0.0.2", "Service": proxy})
    proxies, meta = await client.catalog.connect(web)
    assert [p.service_kind for p in proxies] == ["connect-proxy"]
    (found,) = proxies
    assert found.service_proxy.destination_service_name == web
    assert found.service_proxy.local_service_port == 8080
    assert [(u.destination_name, u.local_bind_port) for u in found.service_proxy.upstreams] == [
        ("db", 9191)
    ]
    assert meta.index > 0
    plain, _ = await client.catalog.service(web)
    assert plain == []


async def test_cached_read_reports_the_cache(client: Any, node: str, unique: str) -> None:
    await client.catalog.register(
        {"Node": node, "Address": "10.0.0.3", "Service": {"Service": unique}}
    )
    _, meta = await client.catalog.services(cached=True)
    assert meta.cache_hit is not None
    instances, meta = await client.catalog.service(unique, cached=True)
    assert [i.node for i in instances] == [node]
    assert meta.cache_hit is not None


async def test_blocking_node_read_wakes_on_a_change(client: Any, node: str, unique: str) -> None:
    await client.catalog.register({"Node": node, "Address": "10.0.0.4"})
    _, meta = await client.catalog.node(node)
    woke: list[float] = []

    async def watcher() -> None:
        services, _ = await client.catalog.node(node, watch=(meta, "30s"))
        woke.append(time.monotonic())
        assert list(services.services) == ["late"]

    async with anyio.create_task_group() as tg:
        tg.start_soon(watcher)
        await anyio.sleep(0.5)
        written = time.monotonic()
        await client.catalog.register(
            {
                "Node": node,
                "SkipNodeUpdate": True,
                "Service": {"ID": "late", "Service": unique},
            }
        )
    assert woke and woke[0] - written < 5.0


async def test_a_filter_consul_cannot_parse_is_a_bad_request(client: Any) -> None:
    # Consul 1.8 answers it with a 500; every read that takes a filter raises BadRequest.
    for read in (
        lambda: client.catalog.nodes(filter='Node ==== "x"'),
        lambda: client.health.state("any", filter="ServiceName !!= x"),
        lambda: client.services.items(filter="Port ==="),
    ):
        with pytest.raises(BadRequest, match="boolean expression"):
            await read()


async def test_unknown_token_is_denied(new_client: Any, unique: str) -> None:
    async with new_client(token=BOGUS_TOKEN) as bad:
        with pytest.raises(PermissionDenied):
            await bad.catalog.nodes()
        with pytest.raises(PermissionDenied):
            await bad.catalog.register({"Node": unique, "Address": "10.0.0.5"})


async def test_bad_arguments_raise_usage_error_before_any_request(new_client: Any) -> None:
    # Port 9 on loopback has no agent: had any request been sent, this would be a TransportError.
    async with new_client(address="127.0.0.1:9") as c:
        for bad in (
            lambda: c.catalog.register({"Node": "n"}),
            lambda: c.catalog.deregister({"Address": "10.0.0.1"}),
            lambda: c.catalog.nodes(consistency="eventual"),
            lambda: c.catalog.service("web", tag=7),
            lambda: c.catalog.node(""),
            lambda: c.catalog.services(cached=True, consistency="consistent"),
        ):
            with pytest.raises(UsageError):
                await bad()


@pytest.fixture(scope="module")
def translating_agent() -> Iterator[ConsulAgent]:
    """A private agent with ``translate_wan_addrs`` on."""
    with ConsulAgent(extra_config={"translate_wan_addrs": True}) as agent:
        yield agent


async def test_the_meta_says_when_the_agent_translates_addresses(
    new_client: Any, consul_agent: ConsulAgent, translating_agent: ConsulAgent
) -> None:
    # Go's QueryMeta.AddressTranslationEnabled, from X-Consul-Translate-Addresses.
    async with new_client(address=translating_agent.address) as client:
        _, meta = await client.catalog.nodes()
        assert meta.address_translation_enabled is True
    async with new_client(token=consul_agent.master_token) as client:
        _, meta = await client.catalog.nodes()
        assert meta.address_translation_enabled is False
