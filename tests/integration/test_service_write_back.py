"""A service read from the real agent registers back unchanged, under asyncio, trio and sync."""

from __future__ import annotations

from typing import Any

from msgspec.structs import replace

from consul_core.models.agent_services import AgentService


async def _round_trip(client: Any, registration: dict[str, Any]) -> tuple[AgentService, Any]:
    """Register, read, register the read model back, read again: both reads."""
    assert await client.services.register(registration) is True
    first = await client.services.info(registration["ID"])
    assert await client.services.register(first) is True
    return first, await client.services.info(registration["ID"])


async def test_a_read_service_registers_back_unchanged(client: Any, unique: str) -> None:
    registration = {
        "ID": unique,
        "Name": f"{unique}-api",
        "Tags": ["v2", "primary"],
        "Port": 8080,
        "Address": "127.0.0.9",
        "Meta": {"team": "web"},
        "Weights": {"Passing": 5, "Warning": 2},
        "TaggedAddresses": {"wan": {"Address": "10.0.0.9", "Port": 18080}},
        "EnableTagOverride": True,
        "Check": {"CheckID": f"{unique}-ttl", "Name": "ttl", "TTL": "30s"},
    }
    try:
        first, second = await _round_trip(client, registration)
        assert (first.service, first.tags, first.weights.passing) == (
            f"{unique}-api",
            ["v2", "primary"],
            5,
        )
        # The agent's own hash of the definition: the same definition was registered again.
        assert second.content_hash == first.content_hash
        assert second == first
        # A registration without checks keeps the instance's checks.
        assert f"{unique}-ttl" in await client.checks.items(filter=f'ServiceID == "{unique}"')
    finally:
        assert await client.services.deregister(unique) is True


async def test_a_read_proxy_registers_back_with_its_upstreams(client: Any, unique: str) -> None:
    registration = {
        "ID": f"{unique}-proxy",
        "Name": f"{unique}-proxy",
        "Kind": "connect-proxy",
        "Port": 21000,
        "Proxy": {
            "DestinationServiceName": unique,
            "DestinationServiceID": unique,
            "LocalServicePort": 8080,
            "Config": {"protocol": "http"},
            "Upstreams": [
                {"DestinationName": f"{unique}-db", "LocalBindPort": 9191, "Config": {"x": 1}}
            ],
        },
    }
    try:
        first, second = await _round_trip(client, registration)
        assert first.kind == "connect-proxy"
        assert [u.destination_name for u in first.proxy.upstreams] == [f"{unique}-db"]
        assert second.content_hash == first.content_hash
        assert replace(second, content_hash="") == replace(first, content_hash="")
    finally:
        assert await client.services.deregister(f"{unique}-proxy") is True
