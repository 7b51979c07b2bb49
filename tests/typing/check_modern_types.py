"""Static checks (mypy --strict and pyright) for peering, the discovery chain, the exported
services, namespaces, admin partitions, the Enterprise operator endpoints and the agent's text
and version endpoints.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

from typing_extensions import assert_type

from consul_core import QueryMeta
from consul_core.call import Call
from consul_core.endpoints import discovery_chain, exported_services, namespace, peering
from consul_core.models import (
    AdminPartition,
    AgentVersion,
    Area,
    AreaJoinResponse,
    CompiledDiscoveryChain,
    ConsulNamespace,
    LicenseReply,
    Peering,
    ResolvedExportedService,
    SerfMember,
)
from consul_core.models.agent_services import AggregatedStatus
from consul_transports.asyncio import Consul as AsyncioConsul
from consul_transports.sync import Consul as SyncConsul
from consul_transports.trio import Consul as TrioConsul


def sync_client(client: SyncConsul) -> None:
    assert_type(client.peering.generate_token("peer", meta={"env": "prod"}), str)
    assert_type(client.peering.establish("peer", "token"), bool)
    assert_type(client.peering.read("peer", watch=3), tuple[Peering, QueryMeta])
    assert_type(client.peering.items(), tuple[list[Peering], QueryMeta])
    assert_type(
        client.discovery_chain.get("web", override_mesh_gateway="local"),
        tuple[CompiledDiscoveryChain, QueryMeta],
    )
    assert_type(client.exported_services(), tuple[list[ResolvedExportedService], QueryMeta])
    assert_type(client.namespaces.create("team", description="d"), ConsulNamespace)
    assert_type(client.namespaces.items(), tuple[list[ConsulNamespace], QueryMeta])
    assert_type(client.partitions.update("part", disable_gossip=True), AdminPartition)
    assert_type(client.partitions.delete("part"), bool)
    assert_type(client.operator.area_create("dc2", use_tls=True), str)
    assert_type(client.operator.area_get("id"), tuple[Area, QueryMeta])
    assert_type(client.operator.area_join("id", ["10.0.0.1"]), list[AreaJoinResponse])
    assert_type(client.operator.area_members("id"), tuple[list[SerfMember], QueryMeta])
    assert_type(client.operator.segment_list(), tuple[list[str], QueryMeta])
    assert_type(client.operator.license_get(), tuple[LicenseReply, QueryMeta])
    assert_type(client.operator.audit_hash("secret"), str)
    assert_type(client.operator.utilization(today_only=True), tuple[bytes, QueryMeta])
    assert_type(client.agent.version(), AgentVersion)
    assert_type(client.agent.metrics_prometheus(), str)
    assert_type(client.services.health_status("web-1"), AggregatedStatus)


async def async_clients(a: AsyncioConsul, t: TrioConsul) -> None:
    assert_type(a.peering.delete("peer"), Coroutine[Any, Any, bool]).close()
    assert_type(await t.discovery_chain.get("web"), tuple[CompiledDiscoveryChain, QueryMeta])
    assert_type(await a.exported_services(watch=1), tuple[list[ResolvedExportedService], QueryMeta])
    assert_type(await t.namespaces.read("team"), tuple[ConsulNamespace, QueryMeta])
    assert_type(
        await a.partitions.items(consistency="consistent"), tuple[list[AdminPartition], QueryMeta]
    )
    assert_type(await t.operator.area_list(), tuple[list[Area], QueryMeta])
    assert_type(await a.agent.version(), AgentVersion)
    assert_type(await t.services.health_status_by_name("web"), AggregatedStatus)


def sans_io() -> None:
    assert_type(peering.items(), Call[tuple[list[Peering], QueryMeta]])
    assert_type(
        discovery_chain.get("web", compile_dc="dc2"), Call[tuple[CompiledDiscoveryChain, QueryMeta]]
    )
    assert_type(
        exported_services.exported_services(),
        Call[tuple[list[ResolvedExportedService], QueryMeta]],
    )
    assert_type(namespace.delete("team"), Call[bool])
