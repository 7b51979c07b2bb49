"""Config entries on the real agent, under asyncio, trio and sync."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import anyio
import pytest
from msgspec.structs import replace

from consul_core import BadRequest, NotFound, PermissionDenied, UnexpectedResponse
from consul_core.models.catalog import ExposeConfig, ExposePath, MeshGatewayConfig
from consul_core.models.config import ProxyDefaults, ServiceDefaults, ServiceResolver

BOGUS_TOKEN = "00000000-0000-0000-0000-000000000001"


async def test_service_defaults_lifecycle_with_cas(client: Any, unique: str) -> None:
    entry = ServiceDefaults(
        unique,
        protocol="http",
        mesh_gateway=MeshGatewayConfig("local"),
        expose=ExposeConfig(True, [ExposePath(21500, "/health", 8080, "http")]),
        external_sni=f"{unique}.example",
        meta={"team": "a"},
    )
    try:
        assert await client.config.set(entry, cas=0) is True
        assert await client.config.set(entry, cas=0) is False
        stored, meta = await client.config.get("service-defaults", unique)
        assert replace(stored, create_index=0, modify_index=0) == entry
        assert meta.index >= stored.modify_index > 0
        changed = replace(stored, protocol="grpc")
        assert await client.config.set(changed, cas=stored) is True
        assert await client.config.set(changed, cas=stored) is False
        listed, _ = await client.config.items("service-defaults")
        [mine] = [e for e in listed if e.name == unique]
        assert isinstance(mine, ServiceDefaults) and mine.protocol == "grpc"
    finally:
        assert await client.config.delete("service-defaults", unique) is True
    with pytest.raises(NotFound) as missing:
        await client.config.get("service-defaults", unique)
    assert missing.value.meta.index > 0
    assert await client.config.delete("service-defaults", unique) is True


async def test_consul_1_8_7_takes_a_cas_delete_for_a_plain_one(client: Any, unique: str) -> None:
    # ?cas on a delete arrived in Consul 1.11 (golden: tests/core/test_config.py). 1.8.7 ignores
    # it: it deletes the entry whatever its index and answers {}, not the boolean of a CAS
    # delete, which the call reports as an UnexpectedResponse.
    assert await client.config.set(ServiceDefaults(unique, protocol="http")) is True
    try:
        stored, _ = await client.config.get("service-defaults", unique)
        with pytest.raises(UnexpectedResponse):
            await client.config.delete("service-defaults", unique, cas=stored.modify_index + 1)
        with pytest.raises(NotFound):
            await client.config.get("service-defaults", unique)
    finally:
        assert await client.config.delete("service-defaults", unique) is True


async def test_proxy_defaults(client: Any) -> None:
    settings = {"protocol": "http", "local_connect_timeout_ms": 1000, "nested": {"a": [1, 2]}}
    try:
        assert await client.config.set(ProxyDefaults(config=settings)) is True
        stored, _ = await client.config.get("proxy-defaults", "global")
        assert isinstance(stored, ProxyDefaults)
        assert (stored.name, stored.config) == ("global", settings)
        [listed], _ = await client.config.items("proxy-defaults")
        assert listed == stored
    finally:
        assert await client.config.delete("proxy-defaults", "global") is True


async def test_an_entry_written_as_a_mapping_reads_back_typed(client: Any, unique: str) -> None:
    mapping = {
        "Kind": "service-resolver",
        "Name": unique,
        "DefaultSubset": "v1",
        "Subsets": {"v1": {"Filter": "Service.Meta.version == v1"}},
    }
    try:
        assert await client.config.set(mapping) is True
        stored, _ = await client.config.get("service-resolver", unique)
        assert isinstance(stored, ServiceResolver)
        assert (stored.kind, stored.name, stored.default_subset) == (
            "service-resolver",
            unique,
            "v1",
        )
        assert stored.subsets["v1"].filter == "Service.Meta.version == v1"
        changed = replace(stored, connect_timeout=timedelta(seconds=5))
        assert await client.config.set(changed, cas=stored) is True
        assert await client.config.set(changed, cas=stored) is False
        again, _ = await client.config.get("service-resolver", unique)
        assert again.connect_timeout == timedelta(seconds=5)
    finally:
        await client.config.delete("service-resolver", unique)


async def test_watch_returns_when_the_entry_changes(client: Any, unique: str) -> None:
    await client.config.set(ServiceDefaults(unique, protocol="tcp"))
    try:
        _, meta = await client.config.get("service-defaults", unique)
        seen: list[Any] = []

        async def watch() -> None:
            seen.append(await client.config.get("service-defaults", unique, watch=(meta, "10s")))

        with anyio.fail_after(8):
            async with anyio.create_task_group() as tg:
                tg.start_soon(watch)
                await anyio.sleep(0.3)
                assert seen == []
                await client.config.set(ServiceDefaults(unique, protocol="http"))
        [(entry, new_meta)] = seen
        assert entry.protocol == "http" and new_meta.index > meta.index
    finally:
        await client.config.delete("service-defaults", unique)


async def test_unknown_kind_is_a_bad_request(client: Any, unique: str) -> None:
    with pytest.raises(BadRequest, match="invalid config entry kind"):
        await client.config.items("no-such-kind")
    with pytest.raises(BadRequest):
        await client.config.set({"Kind": "no-such-kind", "Name": unique})


async def test_an_unknown_token_is_denied(new_client: Any, unique: str) -> None:
    async with new_client(token=BOGUS_TOKEN) as client:
        with pytest.raises(PermissionDenied):
            await client.config.set(ServiceDefaults(unique))
        with pytest.raises(PermissionDenied):
            await client.config.get("proxy-defaults", "global")
