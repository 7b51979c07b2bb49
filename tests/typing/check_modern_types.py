# pyright: reportUnnecessaryTypeIgnoreComment=true
"""Static checks (mypy --strict and pyright) for peering, the discovery chain, the exported
services, namespaces, admin partitions, the Enterprise operator endpoints and the agent's text
and version endpoints.

The lines marked ``# type: ignore[...]`` must be errors (see check_option_bundles.py).
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

from typing_extensions import assert_type

from consul_core import QueryMeta
from consul_core.call import Call
from consul_core.endpoints import discovery_chain, exported_services, namespace, peering
from consul_core.endpoints._named import NamedObjects
from consul_core.endpoints._options import (
    NamespacedReadOptions,
    PartitionedReadOptions,
    PartitionedWriteOptions,
    ReadOptions,
    WriteOptions,
)
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


def the_scope_each_endpoint_takes(client: SyncConsul, t: TrioConsul) -> None:
    assert_type(client.peering.read("peer", partition="p1"), tuple[Peering, QueryMeta])
    assert_type(client.peering.generate_token("peer", partition="p1"), str)
    assert_type(client.namespaces.update("team", partition="p1"), ConsulNamespace)
    assert_type(
        client.exported_services(partition="p1"), tuple[list[ResolvedExportedService], QueryMeta]
    )
    assert_type(
        client.discovery_chain.get("web", ns="team", partition="p1"),
        tuple[CompiledDiscoveryChain, QueryMeta],
    )
    assert_type(client.services.health_status("web-1", ns="team"), AggregatedStatus)
    assert_type(client.services.health_status_by_name("web", ns="team"), AggregatedStatus)
    client.peering.items(ns="team")  # type: ignore[call-arg]
    client.namespaces.create("team", ns="other")  # type: ignore[call-arg]
    client.exported_services(ns="team")  # type: ignore[call-arg]
    client.partitions.read("part", partition="p1")  # type: ignore[call-arg]
    client.operator.area_list(partition="p1")  # type: ignore[call-arg]
    client.agent.version(ns="team")  # type: ignore[call-arg]
    client.peering.delete("peer", partition=1)  # type: ignore[arg-type]
    t.services.health_status("web-1", ns=1).close()  # type: ignore[arg-type]


def a_kind_s_builders_hand_on_its_bundles(
    scoped: PartitionedReadOptions,
    scoped_write: PartitionedWriteOptions,
    namespaced: NamespacedReadOptions,
    plain: ReadOptions,
    plain_write: WriteOptions,
) -> None:
    kind = NamedObjects[Peering, PartitionedReadOptions, PartitionedWriteOptions](
        "peering", "peerings", Peering, "peering"
    )
    assert_type(kind.read("peer", scoped), Call[tuple[Peering, QueryMeta]])
    assert_type(kind.items(namespaced), Call[tuple[list[Peering], QueryMeta]])
    assert_type(kind.delete("peer", scoped_write), Call[bool])
    kind.read("peer", plain)  # type: ignore[arg-type]
    kind.delete("peer", plain_write)  # type: ignore[arg-type]
