"""The agent's answers in plain text on the real agent, under asyncio, trio and sync: its
Prometheus metrics and its services' aggregated health status.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from consul_core import NotFound, PermissionDenied, ResponseError
from consul_transports.testing import ConsulAgent

BOGUS_TOKEN = "00000000-0000-0000-0000-000000000001"


@pytest.fixture(scope="module")
def prometheus_agent() -> Iterator[ConsulAgent]:
    """A private agent that keeps its metrics for Prometheus."""
    config = {"telemetry": {"prometheus_retention_time": "60s"}}
    with ConsulAgent(acl=True, extra_config=config) as agent:
        yield agent


async def test_prometheus_metrics(new_client: Any, prometheus_agent: ConsulAgent) -> None:
    address, token = prometheus_agent.address, prometheus_agent.master_token
    async with new_client(address=address, token=token) as client:
        text = await client.agent.metrics_prometheus()
        # The Go runtime's collector is there from the start, in the exposition format.
        assert "# TYPE go_goroutines gauge" in text
        assert re.search(r"^go_goroutines \d+$", text, re.MULTILINE)
    async with new_client(address=address, token=BOGUS_TOKEN) as stranger:
        with pytest.raises(PermissionDenied):
            await stranger.agent.metrics_prometheus()


async def test_prometheus_metrics_need_a_retention_time(client: Any) -> None:
    with pytest.raises(ResponseError, match="Prometheus is not enabled") as caught:
        await client.agent.metrics_prometheus()
    assert caught.value.status == 415


async def test_health_status_of_instances(client: Any, unique: str) -> None:
    first = {"ID": f"{unique}-1", "Name": unique, "Check": {"TTL": "60s"}}
    second = {"ID": f"{unique}-2", "Name": unique}
    for service in (first, second):
        assert await client.services.register(service) is True
    try:
        # A TTL check starts critical; the service's status is its worst instance's.
        assert await client.services.health_status(first) == "critical"
        assert await client.services.health_status(second) == "passing"
        assert await client.services.health_status_by_name(unique) == "critical"
        assert await client.checks.passing(f"service:{unique}-1") is True
        assert await client.services.health_status(f"{unique}-1") == "passing"
        assert await client.services.health_status_by_name({"Name": unique}) == "passing"
        assert await client.checks.warning(f"service:{unique}-1") is True
        assert await client.services.health_status_by_name(unique) == "warning"
        assert await client.services.disable(second) is True
        assert await client.services.health_status(second) == "maintenance"
        assert await client.services.health_status_by_name(unique) == "maintenance"
    finally:
        for service in (first, second):
            assert await client.services.deregister(service) is True
    with pytest.raises(NotFound):
        await client.services.health_status(first)
    with pytest.raises(NotFound):
        await client.services.health_status_by_name(unique)
