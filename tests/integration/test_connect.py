"""Connect (CA, intentions, the agent's endpoints) on the real agent, under asyncio, trio and
sync. A dev agent runs Connect with its built-in CA."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import anyio
import pytest
from msgspec.structs import replace

from consul_core import Conflict, NotFound, PermissionDenied, ServerError
from consul_core.endpoints import connect
from consul_core.models.connect import Intention
from tests.integration.raw import send, with_params

BOGUS_TOKEN = "00000000-0000-0000-0000-000000000001"


async def test_ca_roots(client: Any) -> None:
    roots, meta = await client.connect.ca_roots()
    active = roots.active_root
    assert active is not None and active.active
    assert active.root_cert.startswith("-----BEGIN CERTIFICATE-----")
    assert roots.trust_domain.endswith(".consul")
    assert active.not_before is not None and active.not_after is not None
    assert active.not_before < datetime.now(timezone.utc) < active.not_after
    assert meta.index >= active.modify_index > 0
    cached, cached_meta = await client.connect.agent_ca_roots()
    assert cached.active_root_id == roots.active_root_id
    assert cached_meta.cache_hit is not None


async def test_the_ca_configuration_read_does_not_block(client: Any, flavor: str) -> None:
    # The docs' table says this read blocks, but Consul's handler (ConnectCA.ConfigurationGet)
    # reads the state once and its reply carries no index: an index and a wait change nothing,
    # so connect.ca_configuration takes no watch=.
    plain = connect.ca_configuration()
    # An index far ahead of the agent's: a blocking read would wait the whole 5 s.
    blocking = with_params(plain, ("index", str(10**12)), ("wait", "5s"))
    with anyio.fail_after(2.5):
        response = await send(client, flavor, blocking)
    assert response.status == 200
    assert "X-Consul-Index" not in response.headers
    assert (await send(client, flavor, plain)).body == response.body


async def test_ca_configuration_update_and_restore(client: Any) -> None:
    original = await client.connect.ca_configuration()
    assert original.provider == "consul"
    roots_before, _ = await client.connect.ca_roots()
    changed = replace(original, config={**original.config, "LeafCertTTL": "48h"})
    try:
        assert await client.connect.ca_update(changed) is True
        current = await client.connect.ca_configuration(consistency="consistent")
        assert current.config["LeafCertTTL"] == "48h"
        assert current.modify_index > original.modify_index
        roots_after, _ = await client.connect.ca_roots()
        assert roots_after.active_root_id == roots_before.active_root_id
    finally:
        assert await client.connect.ca_update(original) is True
    with pytest.raises(ServerError, match="unknown CA provider"):
        await client.connect.ca_update({"Provider": "no-such-provider", "Config": {}})


async def test_intention_lifecycle(client: Any, unique: str) -> None:
    source, destination = f"{unique}-web", f"{unique}-db"
    intention = Intention(source, destination, "deny", description="no", meta={"by": "test"})
    iid = await client.connect.intention_create(intention)
    try:
        read, _ = await client.connect.intention_read(iid)
        assert (read.id, read.source_name, read.destination_name) == (iid, source, destination)
        assert (read.action, read.description, read.meta) == ("deny", "no", {"by": "test"})
        assert read.source_type == "consul" and read.precedence > 0 and read.hash
        assert read.created_at is not None and read.created_at.tzinfo is not None
        listed, meta = await client.connect.intentions(filter=f'SourceName == "{source}"')
        assert listed == [read] and meta.index >= read.modify_index
        assert await client.connect.intention_check(source, destination) is False
        by_source, _ = await client.connect.intention_match("source", source)
        assert by_source == {source: [read]}
        by_destination, _ = await client.connect.intention_match(
            "destination", [destination, f"{unique}-other"]
        )
        assert by_destination == {destination: [read], f"{unique}-other": []}
        with pytest.raises(Conflict, match="duplicate intention"):
            await client.connect.intention_create(intention)

        assert await client.connect.intention_update(replace(read, action="allow")) is True
        assert await client.connect.intention_check(source, destination, source_type="consul")
        updated, _ = await client.connect.intention_read({"ID": iid})
        assert updated.action == "allow" and updated.modify_index > read.modify_index
        assert updated.updated_at is not None and read.updated_at is not None
        assert updated.updated_at >= read.updated_at
    finally:
        assert await client.connect.intention_delete(iid) is True
    with pytest.raises(NotFound):
        await client.connect.intention_read(iid)
    with pytest.raises(NotFound):
        await client.connect.intention_update(read)
    with pytest.raises(NotFound):
        await client.connect.intention_delete(read)
    with pytest.raises(NotFound):
        await client.connect.intention_read(unique)


async def _authorized(client: Any, target: str, uri: str, serial: str, expected: bool) -> Any:
    # The agent answers from a cache that follows intention changes within moments.
    with anyio.fail_after(10):
        while (
            answer := await client.connect.authorize(target, uri, serial)
        ).authorized != expected:
            await anyio.sleep(0.1)
    return answer


async def test_leaf_certificate_and_authorize(client: Any, unique: str) -> None:
    leaf, meta = await client.connect.agent_leaf(unique)
    assert leaf.service == unique
    assert leaf.service_uri.startswith("spiffe://") and leaf.service_uri.endswith(f"/svc/{unique}")
    assert leaf.cert_pem.startswith("-----BEGIN CERTIFICATE-----")
    assert "PRIVATE KEY" in leaf.private_key_pem
    assert leaf.valid_after is not None and leaf.valid_before is not None
    assert leaf.valid_after < datetime.now(timezone.utc) < leaf.valid_before
    assert meta.index > 0
    again, _ = await client.connect.agent_leaf({"Service": unique})
    assert again.serial_number == leaf.serial_number

    target = f"{unique}-db"
    allowed = await _authorized(client, target, leaf.service_uri, leaf.serial_number, True)
    assert "ACL" in allowed.reason
    iid = await client.connect.intention_create(Intention(unique, target, "deny"))
    try:
        denied = await _authorized(client, target, leaf.service_uri, leaf.serial_number, False)
        assert "Matched intention" in denied.reason
    finally:
        await client.connect.intention_delete(iid)


async def test_an_unknown_token_is_denied(new_client: Any, unique: str) -> None:
    async with new_client(token=BOGUS_TOKEN) as client:
        with pytest.raises(PermissionDenied):
            await client.connect.intentions()
        with pytest.raises(PermissionDenied):
            await client.connect.agent_leaf(unique)
