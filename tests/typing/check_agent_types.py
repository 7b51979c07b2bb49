"""Static checks (mypy --strict and pyright) for the local agent's namespaces."""

from __future__ import annotations

from collections.abc import Coroutine, Mapping
from typing import Any

from typing_extensions import assert_type

from consul_core.call import Call
from consul_core.endpoints import checks, services
from consul_core.models.agent import AgentInfo, HostInfo, Member, MetricsInfo
from consul_core.models.agent_services import AgentService, ServiceHealth, ServiceRegistration
from consul_core.models.catalog import HealthCheck
from consul_transports.asyncio import Consul as AsyncioConsul
from consul_transports.sync import Consul as SyncConsul
from consul_transports.trio import Consul as TrioConsul


def sync_client(client: SyncConsul) -> None:
    assert_type(client.agent.info(), AgentInfo)
    assert_type(client.agent.disable(reason="migrating"), bool)
    assert_type(client.agent.metrics(), MetricsInfo)
    assert_type(client.agent.host(), HostInfo)
    assert_type(client.agent.update_token("default", ""), bool)
    assert_type(client.checks.register({"ID": "mem", "Name": "m", "TTL": "15s"}), bool)
    assert_type(client.checks.items(), dict[str, HealthCheck])
    assert_type(client.checks.critical("mem", note="Fatal"), bool)
    assert_type(client.services.items(filter="Port == 80"), dict[str, AgentService])
    assert_type(client.services.info("redis1"), AgentService)
    assert_type(client.services.health_by_name("redis"), list[ServiceHealth])
    # A service read back registers as it was, with the fields this version does not know.
    service = client.services.info("redis1")
    assert_type(client.services.register(service), bool)
    assert_type(service.to_registration(), ServiceRegistration)
    assert_type(service.unknown_fields, Mapping[str, Any])
    assert_type(client.members.items(wan=True), list[Member])
    assert_type(client.members.force_leave("node", prune=True), bool)
    assert_type(client.members.force_leave("node.dc2", wan=True), bool)


async def async_clients(a: AsyncioConsul, t: TrioConsul) -> None:
    assert_type(a.agent.info(), Coroutine[Any, Any, AgentInfo]).close()
    assert_type(await a.agent.enable(), bool)
    assert_type(await t.checks.update("mem", "passing", output="ok"), bool)
    assert_type(await a.services.register({"Name": "redis"}), bool)
    assert_type(await t.services.health("redis1"), ServiceHealth)
    assert_type(await a.members.join("127.0.0.1:8301"), bool)
    assert_type(await t.members.items(), list[Member])


def sans_io() -> None:
    assert_type(checks.items(), Call[dict[str, HealthCheck]])
    assert_type(services.info("redis1", watch=("hash", "30s")), Call[AgentService])
