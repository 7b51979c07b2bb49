"""Builders for ACL roles: ``/v1/acl/role`` and ``/v1/acl/roles`` (Consul >= 1.5)."""

from __future__ import annotations

from collections.abc import Mapping
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
from consul_core.models.acl import ACLPolicy, ACLRole

__all__ = ["create", "delete", "items", "read", "read_by_name", "update"]

_ROLES = _acl.ObjectEndpoints("role", "roles", ACLRole, "role")


class _Fields(_acl.Grants, total=False):
    name: str | None
    description: str | None


def _spec(role: object, fields: _Fields) -> dict[str, Any]:
    return _ROLES.spec(role, fields, **_acl.grants(fields))


@builder(needs="acl:write", like=_ROLES.docs.create)
def create(
    role: Mapping[str, Any] | ACLRole | None = None, **fields: Unpack[_Fields]
) -> Call[ACLRole]:
    """Create a role.

    Args:
        policies: The policies to grant: each an ID, a name, a mapping with ``"ID"`` or
            ``"Name"``, or an `ACLPolicy`/`ACLLink` (a UUID-shaped string is an ID).
        service_identities: Service identities: each a service name, a mapping or an
            `ACLServiceIdentity`.
        node_identities: Node identities: each a mapping or an `ACLNodeIdentity`.
    """
    return _ROLES.create(_spec(role, fields), fields)


@builder(needs="acl:read", like=_ROLES.docs.read)
def read(
    role: Ref[ACLRole], **options: Unpack[NamespacedReadOptions]
) -> Call[tuple[ACLRole, QueryMeta]]:
    """Read a role by ID."""
    return _ROLES.read(role, **options)


@builder(needs="acl:read", like=_ROLES.docs.read_by_name)
def read_by_name(
    name: str, **options: Unpack[NamespacedReadOptions]
) -> Call[tuple[ACLRole, QueryMeta]]:
    """Read a role by name."""
    return _ROLES.read_by_name(name, **options)


@builder(needs="acl:write", like=(create, _ROLES.docs.update))
def update(role: Mapping[str, Any] | ACLRole, **fields: Unpack[_Fields]) -> Call[ACLRole]:
    """Replace a role (what the spec leaves out is cleared)."""
    return _ROLES.update(_spec(role, fields), fields)


@builder(needs="acl:write", like=_ROLES.docs.delete)
def delete(role: Ref[ACLRole], **options: Unpack[NamespacedWriteOptions]) -> Call[bool]:
    """Delete a role."""
    return _ROLES.delete(role, **options)


@builder(needs="acl:read", like=_ROLES.docs.items)
def items(
    *,
    policy: Ref[ACLPolicy] | None = None,
    **options: Unpack[NamespacedReadOptions],
) -> Call[tuple[list[ACLRole], QueryMeta]]:
    """List roles."""
    return _ROLES.items(_acl.listing(policy=policy), **options)
