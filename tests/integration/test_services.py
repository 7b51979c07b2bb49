"""The local agent's services on the real agent, under asyncio, trio and sync."""

from __future__ import annotations

from typing import Any

import pytest

from consul_core import NotFound, PermissionDenied
from consul_core.models.agent_checks import CheckRegistration
from consul_core.models.agent_services import AgentService, ServiceRegistration
from consul_core.models.catalog import ServiceAddress, Weights

BOGUS_TOKEN = "00000000-0000-0000-0000-000000000001"


async def test_service_lifecycle(client: Any, unique: str) -> None:
    service = {"ID": unique, "Name": f"{unique}-redis", "Tags": ["master", "v1"]}
    assert await client.services.register(service) is True
    try:
        listed = await client.services.items()
        assert listed[unique].service == f"{unique}-redis"
        assert listed[unique].tags == ["master", "v1"]
        info = await client.services.info(service)
        assert isinstance(info, AgentService)
        assert (info.id, info.weights) == (unique, Weights(1, 1))
        assert info.content_hash
        unchanged = await client.services.info(unique, watch=(info, "100ms"))
        assert unchanged.content_hash == info.content_hash
        stale = await client.services.info(unique, watch=("0000", "10s"))
        assert stale.content_hash == info.content_hash

        assert await client.services.disable(service, reason="migrating") is True
        maintenance = (await client.checks.items())[f"_service_maintenance:{unique}"]
        assert (maintenance.status, maintenance.notes) == ("critical", "migrating")
        assert (await client.services.health(unique)).aggregated_status == "maintenance"
        assert await client.services.enable(service, reason="migration done") is True
        assert f"_service_maintenance:{unique}" not in await client.checks.items()
    finally:
        assert await client.services.deregister(service) is True
    assert unique not in await client.services.items()
    for call in (client.services.info, client.services.disable, client.services.deregister):
        with pytest.raises(NotFound):
            await call(unique)


async def test_a_definition_spelled_in_lowercase_registers(client: Any, unique: str) -> None:
    # As in an agent's configuration file; Consul's own decoding reads it (it was refused).
    service = {"id": unique, "name": f"{unique}-web", "port": 82, "check": {"ttl": "15s"}}
    assert await client.services.register(service) is True
    try:
        registered = (await client.services.items())[unique]
        assert (registered.service, registered.port) == (f"{unique}-web", 82)
        assert f"service:{unique}" in await client.checks.items()
    finally:
        await client.services.deregister(unique)


async def test_typed_registration_with_checks_and_replace(client: Any, unique: str) -> None:
    registration = ServiceRegistration(
        name=unique,
        port=6379,
        address="127.0.0.2",
        meta={"version": "7"},
        weights=Weights(passing=5, warning=2),
        tagged_addresses={"wan": ServiceAddress("10.0.0.9", 16379)},
        enable_tag_override=True,
        check=CheckRegistration(name="ttl", id=f"{unique}-ttl", ttl="30s"),
        checks=[CheckRegistration(name="second", id=f"{unique}-2", ttl=60, status="passing")],
    )
    assert await client.services.register(registration) is True
    try:
        info = await client.services.info({"Name": unique})
        assert (info.port, info.address, info.meta) == (6379, "127.0.0.2", {"version": "7"})
        assert info.weights == Weights(5, 2)
        assert info.tagged_addresses["wan"] == ServiceAddress("10.0.0.9", 16379)
        assert info.enable_tag_override is True
        mine = await client.checks.items(filter=f'ServiceID == "{unique}"')
        assert sorted(mine) == [f"{unique}-2", f"{unique}-ttl"]

        health = await client.services.health(info)
        assert health.aggregated_status == "critical"
        assert {c.check_id for c in health.checks} >= {f"{unique}-2", f"{unique}-ttl"}
        assert await client.checks.passing(f"{unique}-ttl") is True
        by_name = await client.services.health_by_name(unique)
        assert [(e.service.id, e.aggregated_status) for e in by_name] == [(unique, "passing")]

        only_second = {"Name": unique, "Checks": [{"ID": f"{unique}-2", "TTL": "60s"}]}
        assert await client.services.register(only_second, replace_existing_checks=True)
        mine = await client.checks.items(filter=f'ServiceID == "{unique}"')
        assert sorted(mine) == [f"{unique}-2"]
    finally:
        await client.services.deregister(registration)
    assert await client.checks.items(filter=f'ServiceID == "{unique}"') == {}
    assert await client.services.health_by_name(unique) == []
    with pytest.raises(NotFound):
        await client.services.health(unique)


async def test_connect_sidecar_registration(client: Any, unique: str) -> None:
    web = {"ID": unique, "Name": unique, "Port": 8080, "Connect": {"SidecarService": {}}}
    assert await client.services.register(web) is True
    try:
        listed = await client.services.items(filter=f'Service matches "^{unique}"')
        sidecar = listed[f"{unique}-sidecar-proxy"]
        assert sidecar.kind == "connect-proxy"
        assert (sidecar.proxy.destination_service_id, sidecar.proxy.local_service_port) == (
            unique,
            8080,
        )
    finally:
        await client.services.deregister(web)
    assert await client.services.items(filter=f'Service matches "^{unique}"') == {}


async def test_a_token_without_rights_is_denied(new_client: Any, unique: str) -> None:
    async with new_client(token=BOGUS_TOKEN) as denied:
        with pytest.raises(PermissionDenied):
            await denied.services.register({"Name": unique})
        with pytest.raises(PermissionDenied):
            await denied.services.items()
