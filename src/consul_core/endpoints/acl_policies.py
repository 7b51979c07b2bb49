"""Builders for ACL policies: ``/v1/acl/policy`` and ``/v1/acl/policies`` (Consul >= 1.4).

A missing policy raises `ACLNotFound` (a `NotFound`), whether Consul says so with 404 or, as 1.8
does, with 403 "ACL not found".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from consul_core.call import Call
from consul_core.endpoints import _acl
from consul_core.endpoints._common import Ref
from consul_core.endpoints._options import (
    NamespacedReadOptions,
    NamespacedWriteOptions,
    Unpack,
    builder,
)
from consul_core.meta import QueryMeta
from consul_core.models.acl import ACLPolicy

__all__ = ["create", "delete", "items", "read", "read_by_name", "update"]

_POLICIES = _acl.ObjectEndpoints("policy", "policies", ACLPolicy, "policy")


class _Fields(NamespacedWriteOptions, total=False):
    name: str | None
    description: str | None
    rules: str | None
    datacenters: Sequence[str] | None


def _spec(policy: object, fields: _Fields) -> dict[str, Any]:
    return _POLICIES.spec(
        policy,
        fields,
        Rules=_acl.opt_str(fields.get("rules"), "rules"),
        Datacenters=_acl.str_list(fields.get("datacenters"), "datacenters"),
    )


@builder(needs="acl:write", like=_POLICIES.docs.create)
def create(
    policy: Mapping[str, Any] | ACLPolicy | None = None, **fields: Unpack[_Fields]
) -> Call[ACLPolicy]:
    """Create a policy.

    Args:
        policy: A spec in Consul's shape (``{"Name": ..., "Rules": ...}``) or an `ACLPolicy`
            without an ID; the keyword arguments override it.
        rules: Its rules, in HCL or JSON (``'key_prefix "" { policy = "read" }'``).
        datacenters: The datacenters where it applies; default all.
    """
    return _POLICIES.create(_spec(policy, fields), fields)


@builder(needs="acl:read", like=_POLICIES.docs.read)
def read(
    policy: Ref[ACLPolicy], **options: Unpack[NamespacedReadOptions]
) -> Call[tuple[ACLPolicy, QueryMeta]]:
    """Read a policy by ID."""
    return _POLICIES.read(policy, **options)


@builder(needs="acl:read", like=_POLICIES.docs.read_by_name)
def read_by_name(
    name: str, **options: Unpack[NamespacedReadOptions]
) -> Call[tuple[ACLPolicy, QueryMeta]]:
    """Read a policy by name (Consul >= 1.8)."""
    return _POLICIES.read_by_name(name, **options)


@builder(needs="acl:write", like=(create, _POLICIES.docs.update))
def update(policy: Mapping[str, Any] | ACLPolicy, **fields: Unpack[_Fields]) -> Call[ACLPolicy]:
    """Replace a policy (what the spec leaves out is cleared)."""
    return _POLICIES.update(_spec(policy, fields), fields)


@builder(needs="acl:write", like=_POLICIES.docs.delete)
def delete(policy: Ref[ACLPolicy], **options: Unpack[NamespacedWriteOptions]) -> Call[bool]:
    """Delete a policy."""
    return _POLICIES.delete(policy, **options)


@builder(needs="acl:read", like=_POLICIES.docs.items)
def items(**options: Unpack[NamespacedReadOptions]) -> Call[tuple[list[ACLPolicy], QueryMeta]]:
    """List policies (without their rules)."""
    return _POLICIES.items([], **options)
