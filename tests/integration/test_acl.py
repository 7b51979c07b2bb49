"""The legacy ACL system, replication, rule translation, bootstrap and login on a real agent,
under asyncio, trio and sync."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from consul_core import NotFound, PermissionDenied, ServerError
from consul_core.models.acl import ACLAuthMethod, ACLLegacyToken, ACLReplicationStatus, ACLToken
from consul_transports.testing import ConsulAgent
from tests.conftest import make_client

ISSUER = "consul-sansio-tests"
RULES = 'key "" { policy = "read" } key "private/" { policy = "deny" }'


async def test_legacy_token_lifecycle(client: Any, unique: str) -> None:
    # The example of the aioconsul documentation.
    token: dict[str, Any] = {"Name": unique}
    token_id = await client.acl.create(token)
    assert isinstance(token_id, str) and len(token_id) == 36
    token.update({"ID": token_id, "Rules": RULES})
    assert await client.acl.update(token) == token_id
    clone_id = None
    try:
        info, meta = await client.acl.info(token_id)
        assert info == ACLLegacyToken(
            id=token_id,
            name=unique,
            type="client",
            rules=RULES,
            create_index=info.create_index,
            modify_index=info.modify_index,
        )
        assert meta.index >= info.modify_index > info.create_index > 0
        clone_id, _ = await client.acl.clone(token_id)
        assert clone_id != token_id
        tokens, meta = await client.acl.items()
        listed = {t.id: t for t in tokens}
        assert listed[clone_id].rules == RULES
        assert listed[clone_id].name == unique
        assert meta.index > 0
    finally:
        assert await client.acl.destroy(token_id) is True
        if clone_id:
            assert await client.acl.destroy(ACLLegacyToken(id=clone_id)) is True
    with pytest.raises(NotFound) as missing:
        await client.acl.info({"ID": token_id})
    assert token_id not in str(missing.value)


async def test_replication_status(client: Any) -> None:
    status = await client.acl.replication()
    # A single-datacenter agent replicates nothing.
    assert status == ACLReplicationStatus()


async def test_translate_rules(client: Any, unique: str) -> None:
    translated = await client.acl.translate_rules('key "" { policy = "read" }')
    assert translated.split() == ["key_prefix", '""', "{", "policy", "=", '"read"', "}"]
    token_id = await client.acl.create({"Name": unique, "Rules": 'service "" { policy = "write" }'})
    try:
        rules = await client.acl.translate_token_rules(await _upgraded(client, unique))
        assert rules.split() == ["service_prefix", '""', "{", "policy", "=", '"write"', "}"]
    finally:
        await client.acl.destroy(token_id)


async def _upgraded(client: Any, name: str) -> ACLToken:
    """The legacy token named `name`, once the leader has given it an accessor ID (which it
    does in the background): watch the token list until then.
    """
    deadline = time.monotonic() + 30
    tokens, meta = await client.acl.tokens.items()
    while time.monotonic() < deadline:
        found = [t for t in tokens if t.legacy and t.description == name and t.accessor_id]
        if found:
            return found[0]
        tokens, meta = await client.acl.tokens.items(watch=(meta, "2s"))
    raise AssertionError(f"legacy token {name} got no accessor ID")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _signed_jwt(key: ec.EllipticCurvePrivateKey, claims: dict[str, Any]) -> str:
    """An ES256 JWT, signed as RFC 7515 says (the signature is r || s, 32 bytes each)."""
    signing_input = ".".join(
        _b64(json.dumps(part).encode()) for part in ({"alg": "ES256", "typ": "JWT"}, claims)
    )
    r, s = decode_dss_signature(key.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256())))
    return f"{signing_input}.{_b64(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"


def _jwt_config(key: ec.EllipticCurvePrivateKey) -> dict[str, Any]:
    pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return {
        "JWTValidationPubKeys": [pem.decode()],
        "BoundIssuer": ISSUER,
        "BoundAudiences": ["consul"],
        "ClaimMappings": {"service": "service"},
    }


@pytest.fixture
async def jwt_auth_method(client: Any, unique: str) -> AsyncIterator[tuple[ACLAuthMethod, str]]:
    """A "jwt" auth method that trusts a fresh key, with a binding rule that grants the
    service identity named in the JWT; yields it and a valid JWT for service "web".
    """
    key = ec.generate_private_key(ec.SECP256R1())
    method = await client.acl.auth_methods.create(name=unique, type="jwt", config=_jwt_config(key))
    await client.acl.binding_rules.create(
        auth_method=method,
        selector="value.service==web",
        bind_type="service",
        bind_name="${value.service}",
    )
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": "consul",
        "sub": "web",
        "service": "web",
        "iat": now,
        "nbf": now,
        "exp": now + 600,
    }
    try:
        yield method, _signed_jwt(key, claims)
    finally:
        # Deleting the method deletes its binding rules and the tokens it created.
        await client.acl.auth_methods.delete(method)


async def test_auth_method_lifecycle(client: Any, unique: str) -> None:
    config = _jwt_config(ec.generate_private_key(ec.SECP256R1()))
    method = await client.acl.auth_methods.create(
        {"Name": unique, "Type": "jwt"},
        display_name="Tests",
        description="d",
        max_token_ttl="1h",
        token_locality="global",
        config=config,
    )
    try:
        assert (method.name, method.type, method.display_name) == (unique, "jwt", "Tests")
        assert (method.max_token_ttl, method.token_locality) == (timedelta(hours=1), "global")
        assert method.config["BoundIssuer"] == ISSUER
        read, meta = await client.acl.auth_methods.read(unique)
        assert read == method
        assert meta.index >= method.modify_index
        listed, _ = await client.acl.auth_methods.items()
        assert unique in [m.name for m in listed]
        updated = await client.acl.auth_methods.update(method, description="changed")
        assert (updated.description, updated.config) == ("changed", method.config)
        assert updated.modify_index > method.modify_index
    finally:
        assert await client.acl.auth_methods.delete({"Name": unique}) is True
    with pytest.raises(NotFound):
        await client.acl.auth_methods.read(method)


async def test_binding_rule_lifecycle(
    client: Any, jwt_auth_method: tuple[ACLAuthMethod, str]
) -> None:
    method, _ = jwt_auth_method
    rule = await client.acl.binding_rules.create(
        {"Description": "tests"}, auth_method=method.name, bind_type="role", bind_name="r"
    )
    try:
        assert (rule.auth_method, rule.bind_type, rule.bind_name) == (method.name, "role", "r")
        read, _ = await client.acl.binding_rules.read(rule.id)
        assert read == rule
        listed, _ = await client.acl.binding_rules.items(auth_method=method)
        assert rule.id in [r.id for r in listed]
        assert len(listed) == 2  # with the fixture's
        updated = await client.acl.binding_rules.update(rule, selector="value.service==db")
        assert (updated.id, updated.selector) == (rule.id, "value.service==db")
    finally:
        assert await client.acl.binding_rules.delete(rule) is True
    with pytest.raises(NotFound):
        await client.acl.binding_rules.read({"ID": rule.id})


async def test_login_and_logout(client: Any, jwt_auth_method: tuple[ACLAuthMethod, str]) -> None:
    method, jwt = jwt_auth_method
    token = await client.acl.login(method, jwt, {"pod": "web-1"})
    assert isinstance(token, ACLToken)
    assert (token.auth_method, token.local) == (method.name, True)
    assert [identity.service_name for identity in token.service_identities] == ["web"]
    assert "web-1" in token.description
    itself, _ = await client.acl.tokens.read_self(token=token.secret_id)
    assert itself.accessor_id == token.accessor_id
    assert await client.acl.logout(token=token.secret_id) is True
    with pytest.raises(PermissionDenied) as gone:
        await client.acl.logout(token=token.secret_id)
    assert token.secret_id not in str(gone.value)


async def test_login_with_a_bad_credential(
    client: Any, jwt_auth_method: tuple[ACLAuthMethod, str]
) -> None:
    method, _ = jwt_auth_method
    with pytest.raises(ServerError):
        await client.acl.login(method, "not.a.jwt")
    with pytest.raises(PermissionDenied):
        await client.acl.login(method.name + "-missing", "not.a.jwt")


async def test_bootstrap_on_a_fresh_cluster(flavor: str, anyio_backend: str) -> None:
    # ACLs on, no master token: the cluster waits for its first management token.
    config = {
        "primary_datacenter": "dc1",
        "acl": {"enabled": True, "default_policy": "allow", "tokens": {}},
    }
    with ConsulAgent(extra_config=config) as agent:
        async with make_client(flavor, agent.address) as fresh:
            token = await _bootstrap(fresh)
            assert [p.name for p in token.policies] == ["global-management"]
            assert token.secret_id and token.secret_id not in repr(token)
            itself, _ = await fresh.acl.tokens.read_self(token=token.secret_id)
            assert itself.accessor_id == token.accessor_id
            with pytest.raises(PermissionDenied, match="no longer allowed"):
                await fresh.acl.bootstrap()


async def _bootstrap(client: Any) -> ACLToken:
    # Right after its election the leader may still run ACLs in legacy mode for a moment.
    deadline = time.monotonic() + 10
    while True:
        try:
            token: ACLToken = await client.acl.bootstrap()
            return token
        except ServerError as error:
            if "legacy mode" not in str(error) or time.monotonic() > deadline:
                raise
