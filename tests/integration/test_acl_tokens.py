"""ACL tokens, policies and roles on a real agent, under asyncio, trio and sync."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from consul_core import ACLNotFound, NotFound, PermissionDenied
from consul_core.models.acl import (
    ACLLink,
    ACLPolicy,
    ACLServiceIdentity,
    ACLToken,
    ACLTokenExpanded,
)

READ_ONLY = 'key_prefix "" { policy = "read" }'


@pytest.fixture
async def policy(client: Any, unique: str) -> AsyncIterator[ACLPolicy]:
    """A policy that grants reading every key."""
    created: ACLPolicy = await client.acl.policies.create(name=unique, rules=READ_ONLY)
    try:
        yield created
    finally:
        await client.acl.policies.delete(created)


async def test_policy_lifecycle(client: Any, unique: str) -> None:
    policy = await client.acl.policies.create(
        {"Name": unique, "Description": "tests"}, rules=READ_ONLY, datacenters=["dc1"]
    )
    try:
        assert (policy.name, policy.description, policy.rules) == (unique, "tests", READ_ONLY)
        assert policy.datacenters == ["dc1"] and len(policy.hash) == 32
        read, meta = await client.acl.policies.read(policy.id)
        assert read == policy
        assert meta.index >= policy.modify_index
        by_name, _ = await client.acl.policies.read_by_name(unique)
        assert by_name == policy
        listed, _ = await client.acl.policies.items()
        assert {p.name for p in listed} >= {unique, "global-management"}
        rules = 'key_prefix "" { policy = "write" }'
        updated = await client.acl.policies.update(policy, rules=rules, datacenters=[])
        assert (updated.id, updated.rules, updated.datacenters) == (policy.id, rules, [])
    finally:
        assert await client.acl.policies.delete({"ID": policy.id}) is True
    # Consul 1.8 answers a read of a missing policy with 403 "ACL not found", an update with
    # 500 "cannot find policy".
    with pytest.raises(ACLNotFound, match="ACL not found") as missing:
        await client.acl.policies.read(policy)
    assert missing.value.status == 403
    with pytest.raises(ACLNotFound, match="cannot find policy"):
        await client.acl.policies.update(policy, rules="")
    with pytest.raises(ACLNotFound) as missing:
        await client.acl.policies.read_by_name(unique)
    assert missing.value.status == 403


async def test_role_lifecycle(client: Any, unique: str, policy: ACLPolicy) -> None:
    role = await client.acl.roles.create(
        name=unique,
        description="tests",
        policies=[policy.name],
        service_identities=["web"],
        node_identities=[{"NodeName": "n1", "Datacenter": "dc1"}],
    )
    try:
        assert role.policies == [ACLLink(policy.id, policy.name)]
        assert role.service_identities == [ACLServiceIdentity("web")]
        assert [n.node_name for n in role.node_identities] == ["n1"]
        read, meta = await client.acl.roles.read(role)
        assert read == role
        assert meta.index >= role.modify_index
        by_name, _ = await client.acl.roles.read_by_name(unique)
        assert by_name.id == role.id
        listed, _ = await client.acl.roles.items(policy=policy)
        assert [r.id for r in listed] == [role.id]
        updated = await client.acl.roles.update(role, description="changed", node_identities=[])
        assert (updated.description, updated.node_identities) == ("changed", [])
        assert updated.policies == role.policies
    finally:
        assert await client.acl.roles.delete(role.id) is True
    # Consul 1.8 answers a missing role with 404: the same error as a missing token's 403.
    with pytest.raises(ACLNotFound) as missing:
        await client.acl.roles.read_by_name(unique)
    assert missing.value.status == 404
    with pytest.raises(ACLNotFound, match="cannot find role"):
        await client.acl.roles.update(role, description="gone")


async def test_token_lifecycle(client: Any, unique: str, policy: ACLPolicy) -> None:
    token = await client.acl.tokens.create(
        description=unique,
        policies=[policy],
        service_identities=["api"],
        expiration_ttl=timedelta(hours=1),
    )
    clone = None
    try:
        assert isinstance(token, ACLToken)
        assert token.policies == [ACLLink(policy.id, policy.name)]
        assert token.secret_id and token.secret_id not in repr(token)
        assert token.create_time is not None and token.expiration_time is not None
        lifetime = token.expiration_time - token.create_time
        assert lifetime == timedelta(hours=1)
        assert abs(datetime.now(timezone.utc) - token.create_time) < timedelta(minutes=5)
        read, meta = await client.acl.tokens.read(token.accessor_id)
        assert read == token
        again, _ = await client.acl.tokens.read(
            {"AccessorID": token.accessor_id}, watch=(meta, 0.1)
        )
        assert again == token
        # Consul 1.8.7 ignores ?expanded (Consul 1.12 added it): the token alone, nothing
        # expanded (the expansion is golden-tested in tests/core/test_acl_tokens.py).
        expanded, _ = await client.acl.tokens.read_expanded(token)
        assert isinstance(expanded, ACLTokenExpanded)
        assert ACLToken.to_json(expanded) == read.to_json()
        assert (expanded.expanded_policies, expanded.resolved_by_agent) == ([], "")
        itself, _ = await client.acl.tokens.read_self(token=token.secret_id)
        assert itself.accessor_id == token.accessor_id
        listed, _ = await client.acl.tokens.items(policy=policy)
        assert [t.accessor_id for t in listed] == [token.accessor_id]
        assert listed[0].secret_id == ""
        updated = await client.acl.tokens.update(read, description="changed")
        assert (updated.description, updated.policies) == ("changed", token.policies)
        assert updated.expiration_time == token.expiration_time
        clone = await client.acl.tokens.clone(updated, description="clone")
        assert clone.accessor_id != token.accessor_id
        assert (clone.description, clone.policies) == ("clone", token.policies)
    finally:
        assert await client.acl.tokens.delete(token) is True
        if clone is not None:
            assert await client.acl.tokens.delete(clone.accessor_id) is True
    # Consul 1.8 answers a read (or a clone) of a missing token with 403 "ACL not found": one
    # error with a missing role's 404, a NotFound that keeps the status.
    for missing_token in (client.acl.tokens.read, client.acl.tokens.clone):
        with pytest.raises(ACLNotFound, match="ACL not found") as missing:
            await missing_token(token)
        assert isinstance(missing.value, NotFound) and missing.value.status == 403
    # An update of a missing token: 500 "Cannot find token".
    with pytest.raises(ACLNotFound, match="Cannot find token") as missing:
        await client.acl.tokens.update(token, description="gone")
    assert missing.value.status == 500


async def test_a_token_without_rights_is_denied(
    client: Any, new_client: Any, unique: str, policy: ACLPolicy
) -> None:
    token = await client.acl.tokens.create(description=unique, policies=[policy.id])
    try:
        await client.kv.set(f"{unique}/k", b"v")
        async with new_client(token=token.secret_id) as restricted:
            entry, _ = await restricted.kv.get(f"{unique}/k")
            assert entry.value == b"v"
            with pytest.raises(PermissionDenied) as write:
                await restricted.kv.set(f"{unique}/k", b"w")
            with pytest.raises(PermissionDenied) as manage:
                await restricted.acl.tokens.items()
        for denied in (write.value, manage.value):
            assert denied.status == 403
            assert token.secret_id not in str(denied)
            assert token.secret_id not in denied.text
    finally:
        await client.kv.delete_tree(f"{unique}/")
        await client.acl.tokens.delete(token)
