"""Static checks (mypy --strict and pyright): catalog, health, coordinate and event methods are
typed exactly on every client, from their one definition each."""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

from typing_extensions import assert_type

from consul_core import QueryMeta
from consul_core.call import Call
from consul_core.endpoints import catalog, health
from consul_core.models.catalog import CatalogService, GatewayService, Node, NodeServices
from consul_core.models.coordinate import CoordinateEntry, DatacenterCoordinates
from consul_core.models.event import Event
from consul_core.models.health import HealthCheck, ServiceEntry
from consul_transports.asyncio import Consul as AsyncioConsul
from consul_transports.sync import Consul as SyncConsul
from consul_transports.trio import Consul as TrioConsul


def sync_client(client: SyncConsul) -> None:
    assert_type(client.catalog.register({"Node": "n", "Address": "a"}), bool)
    assert_type(client.catalog.datacenters(), list[str])
    assert_type(client.catalog.nodes(near="_self"), tuple[list[Node], QueryMeta])
    assert_type(client.catalog.node("n"), tuple[NodeServices, QueryMeta])
    assert_type(client.catalog.services(), tuple[dict[str, list[str]], QueryMeta])
    assert_type(client.catalog.service("s", tag=["a", "b"]), tuple[list[CatalogService], QueryMeta])
    assert_type(client.health.service("s", passing=True), tuple[list[ServiceEntry], QueryMeta])
    assert_type(client.health.state("critical"), tuple[list[HealthCheck], QueryMeta])
    assert_type(client.coordinate.datacenters(), list[DatacenterCoordinates])
    assert_type(client.coordinate.nodes(), tuple[list[CoordinateEntry], QueryMeta])
    assert_type(client.event.fire("e", b"payload"), Event)
    assert_type(client.event.items("e"), tuple[list[Event], QueryMeta])


async def async_clients(a: AsyncioConsul, t: TrioConsul) -> None:
    assert_type(a.catalog.datacenters(), Coroutine[Any, Any, list[str]]).close()
    assert_type(await a.catalog.nodes(), tuple[list[Node], QueryMeta])
    assert_type(await t.catalog.node("n", watch=(3, "30s")), tuple[NodeServices, QueryMeta])
    assert_type(await t.catalog.gateway_services("g"), tuple[list[GatewayService], QueryMeta])
    assert_type(await a.health.node("n"), tuple[list[HealthCheck], QueryMeta])
    assert_type(await t.health.ingress("s"), tuple[list[ServiceEntry], QueryMeta])
    assert_type(await a.coordinate.update({"Node": "n"}), bool)
    assert_type(await t.coordinate.node("n"), tuple[list[CoordinateEntry], QueryMeta])
    assert_type(await a.event.fire("e", service="s"), Event)
    assert_type(await t.event.items(), tuple[list[Event], QueryMeta])


def sans_io() -> None:
    assert_type(catalog.nodes(near="_agent"), Call[tuple[list[Node], QueryMeta]])
    assert_type(health.checks("s"), Call[tuple[list[HealthCheck], QueryMeta]])
