"""Typed config entries of the kinds Consul 1.8.7 has (the discovery chain's and the gateways'),
written, read back and changed with check-and-set on the real agent, under asyncio, trio and
sync. The kinds of later versions are golden: tests/core/test_config_kinds.py.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from msgspec.structs import replace

from consul_core.models import (
    GatewayTLSConfig,
    HTTPHeaderMatch,
    IngressGateway,
    IngressListener,
    IngressService,
    LinkedService,
    ServiceDefaults,
    ServiceResolver,
    ServiceResolverFailover,
    ServiceResolverSubset,
    ServiceRoute,
    ServiceRouteDestination,
    ServiceRouteHTTPMatch,
    ServiceRouteMatch,
    ServiceRouteQueryParamMatch,
    ServiceRouter,
    ServiceSplit,
    ServiceSplitter,
    TerminatingGateway,
)


def _unindexed(entry: Any) -> Any:
    return replace(entry, create_index=0, modify_index=0)


async def test_discovery_chain_entries_round_trip(client: Any, unique: str) -> None:
    resolver = ServiceResolver(
        unique,
        default_subset="v1",
        subsets={
            "v1": ServiceResolverSubset(filter="Service.Meta.version == v1", only_passing=True),
            "v2": ServiceResolverSubset(filter="Service.Meta.version == v2"),
        },
        failover={"*": ServiceResolverFailover(datacenters=["dc2"])},
        connect_timeout=timedelta(seconds=5),
    )
    splitter = ServiceSplitter(
        unique,
        splits=[ServiceSplit(weight=89.5, service_subset="v1"), ServiceSplit(weight=10.5)],
    )
    http = ServiceRouteHTTPMatch(
        path_prefix="/admin",
        header=[HTTPHeaderMatch(name="x-debug", exact="1")],
        query_param=[ServiceRouteQueryParamMatch(name="trace", present=True)],
        methods=["GET", "PUT"],
    )
    destination = ServiceRouteDestination(
        service_subset="v2",
        namespace="default",  # what Consul 1.8 stores for an empty one
        prefix_rewrite="/",
        request_timeout=timedelta(seconds=15),
        num_retries=2,
        retry_on_connect_failure=True,
        retry_on_status_codes=[503],
    )
    router = ServiceRouter(
        unique,
        routes=[ServiceRoute(match=ServiceRouteMatch(http=http), destination=destination)],
    )
    written = [resolver, splitter, router]
    try:
        # Splitters and routers need an L7 protocol, which service-defaults gives.
        assert await client.config.set(ServiceDefaults(unique, protocol="http")) is True
        for entry in written:
            assert await client.config.set(entry, cas=0) is True
        for entry in written:
            stored, meta = await client.config.get(entry.kind, unique)
            assert type(stored) is type(entry)
            assert _unindexed(stored) == entry
            assert meta.index >= stored.modify_index > 0
        stored, _ = await client.config.get("service-splitter", unique)
        even = replace(stored, splits=[replace(split, weight=50) for split in stored.splits])
        assert await client.config.set(even, cas=stored) is True
        assert await client.config.set(even, cas=stored) is False
        listed, _ = await client.config.items("service-splitter")
        [mine] = [entry for entry in listed if entry.name == unique]
        assert [split.weight for split in mine.splits] == [50.0, 50.0]
    finally:
        for kind in ("service-router", "service-splitter", "service-resolver", "service-defaults"):
            assert await client.config.delete(kind, unique) is True


async def test_gateway_entries_round_trip(client: Any, unique: str) -> None:
    ingress = IngressGateway(
        f"{unique}-in",
        tls=GatewayTLSConfig(enabled=True),
        listeners=[
            IngressListener(
                port=8080,
                protocol="tcp",
                services=[IngressService(name=unique)],
            )
        ],
        meta={"team": "edge"},
    )
    terminating = TerminatingGateway(
        f"{unique}-out",
        services=[
            LinkedService(
                name="billing",
                ca_file="/etc/ca.pem",
                cert_file="/etc/cert.pem",
                key_file="/etc/key.pem",
                sni="billing.example",
            )
        ],
    )
    try:
        for entry in (ingress, terminating):
            assert await client.config.set(entry) is True
            stored, _ = await client.config.get(entry.kind, entry.name)
            assert _unindexed(stored) == entry
        stored, _ = await client.config.get("ingress-gateway", ingress.name)
        listener = replace(stored.listeners[0], port=9090)
        assert await client.config.set(replace(stored, listeners=[listener]), cas=stored) is True
        again, _ = await client.config.get("ingress-gateway", ingress.name)
        assert again.listeners[0].port == 9090 and again.tls.enabled
    finally:
        assert await client.config.delete("ingress-gateway", ingress.name) is True
        assert await client.config.delete("terminating-gateway", terminating.name) is True
