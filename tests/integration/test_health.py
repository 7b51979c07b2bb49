"""Health on the real agent, under asyncio, trio and sync.

Each test registers an external node (catalog data only: nothing connects to its address) with
checks whose statuses it sets itself.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from consul_core import PermissionDenied, UsageError
from consul_core.models.health import HealthCheck, ServiceEntry

BOGUS_TOKEN = "00000000-0000-0000-0000-000000000001"


def _check(check_id: str, status: str, service_id: str = "") -> dict[str, str]:
    return {"CheckID": check_id, "Name": check_id, "Status": status, "ServiceID": service_id}


@pytest.fixture
async def node(client: Any, unique: str) -> AsyncIterator[str]:
    """An external node with two instances of the service `unique`: ``good`` (tagged
    ``primary``, its check passing) and ``bad`` (its check critical), and a node check warning.
    """
    name = f"{unique}-node"
    await client.catalog.register(
        {
            "Node": name,
            "Address": "10.0.1.1",
            "NodeMeta": {"suite": unique},
            "Check": _check("node-check", "warning"),
        }
    )
    for instance, tags, status in (("good", ["primary"], "passing"), ("bad", [], "critical")):
        await client.catalog.register(
            {
                "Node": name,
                "SkipNodeUpdate": True,
                "Service": {"ID": instance, "Service": unique, "Tags": tags, "Port": 80},
                "Check": _check(f"{instance}-check", status, instance),
            }
        )
    yield name
    await client.catalog.deregister({"Node": name})


async def test_node_checks(client: Any, node: str) -> None:
    checks, meta = await client.health.node(node)
    assert all(isinstance(c, HealthCheck) for c in checks)
    assert sorted((c.check_id, c.status, c.service_id) for c in checks) == [
        ("bad-check", "critical", "bad"),
        ("good-check", "passing", "good"),
        ("node-check", "warning", ""),
    ]
    assert meta.index > 0
    only_critical, _ = await client.health.node(node, filter='Status == "critical"')
    assert [c.check_id for c in only_critical] == ["bad-check"]


async def test_service_checks(client: Any, node: str, unique: str) -> None:
    checks, _ = await client.health.checks(unique)
    assert sorted((c.node, c.check_id) for c in checks) == [
        (node, "bad-check"),
        (node, "good-check"),
    ]
    by_meta, _ = await client.health.checks(unique, node_meta={"suite": "other"})
    assert by_meta == []


async def test_service_entries(client: Any, node: str, unique: str) -> None:
    entries, meta = await client.health.service(unique)
    assert all(isinstance(e, ServiceEntry) for e in entries)
    assert sorted(e.service.id for e in entries) == ["bad", "good"]
    good = next(e for e in entries if e.service.id == "good")
    assert (good.node.node, good.node.address, good.service.tags) == (node, "10.0.1.1", ["primary"])
    # An entry carries the node's checks as well as the instance's.
    assert sorted(c.check_id for c in good.checks) == ["good-check", "node-check"]
    assert meta.index > 0

    # The node check is only warning, so not even `good` passes everywhere.
    assert (await client.health.service(unique, passing=True))[0] == []
    tagged, _ = await client.health.service(unique, tag="primary")
    assert [e.service.id for e in tagged] == ["good"]
    cached, meta = await client.health.service(unique, False, ["primary"], cached=True)
    assert [e.service.id for e in cached] == ["good"]
    assert meta.cache_hit is not None

    await client.catalog.register(
        {
            "Node": node,
            "SkipNodeUpdate": True,
            "Check": _check("node-check", "passing"),
        }
    )
    passing, _ = await client.health.service(unique, passing=True)
    assert [e.service.id for e in passing] == ["good"]


async def test_state(client: Any, node: str, unique: str) -> None:
    critical, meta = await client.health.state("critical")
    assert ("bad-check", "critical") in [(c.check_id, c.status) for c in critical if c.node == node]
    assert meta.index > 0
    passing, _ = await client.health.state("passing", near="_self")
    assert [c.check_id for c in passing if c.node == node] == ["good-check"]
    ours, _ = await client.health.state("any", node_meta={"suite": unique})
    assert sorted(c.check_id for c in ours) == ["bad-check", "good-check", "node-check"]
    warning, _ = await client.health.state("warning", filter=f'Node == "{node}"')
    assert [c.check_id for c in warning] == ["node-check"]


async def test_connect_entries(client: Any, node: str, unique: str) -> None:
    await client.catalog.register(
        {
            "Node": node,
            "SkipNodeUpdate": True,
            "Service": {
                "Kind": "connect-proxy",
                "ID": "good-proxy",
                "Service": f"{unique}-sidecar-proxy",
                "Port": 21000,
                "Proxy": {"DestinationServiceName": unique, "DestinationServiceID": "good"},
            },
        }
    )
    entries, _ = await client.health.connect(unique)
    assert [(e.service.kind, e.service.id) for e in entries] == [("connect-proxy", "good-proxy")]
    assert entries[0].service.proxy.destination_service_id == "good"
    assert [c.check_id for c in entries[0].checks] == ["node-check"]


async def test_ingress_gateway_links(client: Any, node: str, unique: str) -> None:
    """`health.ingress` and `catalog.gateway_services` both read an ingress gateway's links."""
    gateway = f"{unique}-ingress"
    entry = {
        "Kind": "ingress-gateway",
        "Name": gateway,
        "Listeners": [{"Port": 8888, "Protocol": "tcp", "Services": [{"Name": unique}]}],
    }
    assert await client.config.set(entry) is True
    try:
        await client.catalog.register(
            {
                "Node": node,
                "SkipNodeUpdate": True,
                "Service": {
                    "Kind": "ingress-gateway",
                    "ID": "gw1",
                    "Service": gateway,
                    "Port": 8888,
                },
            }
        )
        links, _ = await client.catalog.gateway_services(gateway)
        assert [
            (g.gateway.name, g.service.name, g.gateway_kind, g.port, g.protocol) for g in links
        ] == [(gateway, unique, "ingress-gateway", 8888, "tcp")]
        gateways, meta = await client.health.ingress(unique)
        assert [(e.node.node, e.service.id, e.service.kind) for e in gateways] == [
            (node, "gw1", "ingress-gateway")
        ]
        assert meta.index > 0
    finally:
        await client.config.delete("ingress-gateway", gateway)


async def test_unknown_token_is_denied(new_client: Any) -> None:
    async with new_client(token=BOGUS_TOKEN) as bad:
        with pytest.raises(PermissionDenied):
            await bad.health.state("any")


async def test_bad_state_raises_usage_error_before_any_request(new_client: Any) -> None:
    async with new_client(address="127.0.0.1:9") as c:
        for bad in (
            lambda: c.health.state("bogus"),
            lambda: c.health.service("web", passing="yes"),
            lambda: c.health.node(""),
        ):
            with pytest.raises(UsageError):
                await bad()
