"""Static checks (mypy --strict and pyright) of the ACL namespace and its sub-namespaces."""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

from typing_extensions import assert_type

from consul_core import QueryMeta
from consul_core.call import Call
from consul_core.endpoints import acl, acl_tokens
from consul_core.models.acl import (
    ACLAuthMethod,
    ACLBindingRule,
    ACLLegacyToken,
    ACLPolicy,
    ACLPolicyTemplate,
    ACLReplicationStatus,
    ACLRole,
    ACLToken,
    ACLTokenExpanded,
)
from consul_transports.asyncio import Consul as AsyncioConsul
from consul_transports.sync import Consul as SyncConsul
from consul_transports.trio import Consul as TrioConsul


def sync_client(client: SyncConsul) -> None:
    assert_type(client.acl.create({"Name": "n"}), str)
    assert_type(client.acl.info("id"), tuple[ACLLegacyToken, QueryMeta])
    assert_type(client.acl.clone("id"), tuple[str, QueryMeta])
    assert_type(client.acl.destroy("id"), bool)
    assert_type(client.acl.items(), tuple[list[ACLLegacyToken], QueryMeta])
    assert_type(client.acl.replication(), ACLReplicationStatus)
    assert_type(client.acl.bootstrap(), ACLToken)
    assert_type(client.acl.login("method", "jwt"), ACLToken)
    assert_type(client.acl.logout(token="secret"), bool)
    assert_type(client.acl.tokens.create(description="d", policies=["p"]), ACLToken)
    assert_type(client.acl.tokens.read("accessor"), tuple[ACLToken, QueryMeta])
    expanded = client.acl.tokens.read_expanded("accessor", consistency="stale")
    assert_type(expanded, tuple[ACLTokenExpanded, QueryMeta])
    assert_type(client.acl.tokens.items(policy="p"), tuple[list[ACLToken], QueryMeta])
    assert_type(client.acl.tokens.items(service_name="web"), tuple[list[ACLToken], QueryMeta])
    listed = client.acl.tokens.items(auth_method="m", auth_method_ns="team-a")
    assert_type(listed, tuple[list[ACLToken], QueryMeta])
    assert_type(client.acl.policies.read_by_name("p"), tuple[ACLPolicy, QueryMeta])
    assert_type(client.acl.roles.create(name="r"), ACLRole)
    assert_type(client.acl.auth_methods.delete("m"), bool)
    assert_type(client.acl.binding_rules.items(), tuple[list[ACLBindingRule], QueryMeta])
    assert_type(client.acl.templated_policies.items(), dict[str, ACLPolicyTemplate])


async def async_clients(a: AsyncioConsul, t: TrioConsul) -> None:
    assert_type(a.acl.tokens.create(), Coroutine[Any, Any, ACLToken]).close()
    assert_type(await a.acl.tokens.create(description="d"), ACLToken)
    assert_type(await a.acl.update({"ID": "id"}), str)
    assert_type(await a.acl.policies.create(name="p"), ACLPolicy)
    assert_type(await t.acl.tokens.read_self(), tuple[ACLToken, QueryMeta])
    assert_type(await a.acl.tokens.read_expanded("a"), tuple[ACLTokenExpanded, QueryMeta])
    assert_type(await t.acl.auth_methods.read("m"), tuple[ACLAuthMethod, QueryMeta])
    assert_type(await t.acl.roles.items(), tuple[list[ACLRole], QueryMeta])
    assert_type(await t.acl.translate_rules('key "" { policy = "read" }'), str)


def sans_io() -> None:
    assert_type(acl.info("id", consistency="stale"), Call[tuple[ACLLegacyToken, QueryMeta]])
    assert_type(acl_tokens.clone("accessor"), Call[ACLToken])
    assert_type(acl_tokens.read_expanded("a"), Call[tuple[ACLTokenExpanded, QueryMeta]])
