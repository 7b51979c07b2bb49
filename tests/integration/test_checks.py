"""The local agent's checks on the real agent, under asyncio, trio and sync."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from consul_core import BadRequest, NotFound, PermissionDenied, ServerError
from consul_core.models.agent_checks import CheckRegistration
from consul_core.models.catalog import HealthCheck
from consul_transports.testing import ConsulAgent

BOGUS_TOKEN = "00000000-0000-0000-0000-000000000001"


async def test_ttl_check_lifecycle(client: Any, consul_agent: ConsulAgent, unique: str) -> None:
    check = {"ID": unique, "Name": "Memory utilization", "TTL": "15s"}
    assert await client.checks.register(check) is True
    try:
        mapping = await client.checks.items()
        registered = mapping[unique]
        assert isinstance(registered, HealthCheck)
        assert (registered.node, registered.name, registered.type) == (
            consul_agent.node_name,
            "Memory utilization",
            "ttl",
        )
        assert registered.status == "critical"
        for mark, status, note in [
            (client.checks.passing, "passing", "Back to normal"),
            (client.checks.warning, "warning", "Warning"),
            (client.checks.critical, "critical", "Fatal"),
        ]:
            assert await mark(check, note=note) is True
            now = (await client.checks.items())[unique]
            assert (now.status, now.output) == (status, note)
        assert await client.checks.update(registered, "warning", output="91% used") is True
        now = (await client.checks.items())[unique]
        assert (now.status, now.output) == ("warning", "91% used")
    finally:
        assert await client.checks.deregister(check) is True
    assert unique not in await client.checks.items()
    with pytest.raises(NotFound):
        await client.checks.passing(unique)
    with pytest.raises(NotFound):
        await client.checks.update(unique, "passing")
    with pytest.raises(NotFound):
        await client.checks.deregister(unique)


async def test_typed_http_and_tcp_checks_with_filter(client: Any, unique: str) -> None:
    http = CheckRegistration(
        name="http",
        id=f"{unique}-http",
        http="http://127.0.0.1:1/health",
        method="HEAD",
        header={"X-Probe": ["1"]},
        interval=timedelta(seconds=30),
        timeout=2,
        notes="probes /health",
    )
    tcp = {"CheckID": f"{unique}-tcp", "Name": "tcp", "TCP": "127.0.0.1:1", "Interval": 30.0}
    assert await client.checks.register(http) is True
    assert await client.checks.register(tcp) is True
    try:
        found = await client.checks.items(filter=f'CheckID matches "^{unique}"')
        assert sorted(found) == [f"{unique}-http", f"{unique}-tcp"]
        assert found[f"{unique}-http"].type == "http"
        assert found[f"{unique}-http"].notes == "probes /health"
        assert found[f"{unique}-tcp"].type == "tcp"
        with pytest.raises(ServerError, match="TTL"):
            await client.checks.passing(http)
    finally:
        await client.checks.deregister(http)
        await client.checks.deregister(tcp)


async def test_initial_status_and_consul_side_refusals(client: Any, unique: str) -> None:
    check = CheckRegistration(name=unique, ttl="30s", status="passing")
    assert await client.checks.register(check) is True
    try:
        assert (await client.checks.items())[unique].status == "passing"
    finally:
        await client.checks.deregister(check)
    with pytest.raises(NotFound, match="does not exist"):
        await client.checks.register({"Name": unique, "TTL": "5s", "ServiceID": f"{unique}-no"})
    with pytest.raises(BadRequest, match="TTL must be > 0"):
        await client.checks.register({"Name": unique})


async def test_a_token_without_rights_is_denied(new_client: Any, unique: str) -> None:
    async with new_client(token=BOGUS_TOKEN) as denied:
        with pytest.raises(PermissionDenied):
            await denied.checks.register({"Name": unique, "TTL": "5s"})
        with pytest.raises(PermissionDenied):
            await denied.checks.items()
