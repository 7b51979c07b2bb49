"""Builders for ACL roles: ``/v1/acl/role`` and ``/v1/acl/roles`` (Consul >= 1.5)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from consul_core.call import Call
from consul_core.endpoints import _acl
from consul_core.endpoints._options import ReadOptions, WriteOptions, builder
from consul_core.meta import QueryMeta
from consul_core.models.acl import ACLNodeIdentity, ACLPolicy, ACLRole, ACLServiceIdentity

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["create", "delete", "items", "read", "read_by_name", "update"]

RoleRef = str | Mapping[str, Any] | ACLRole
_ROLES = _acl.ObjectEndpoints("role", "roles", ACLRole, lambda ref: _acl.segment(ref, "role"))


def _spec(
    role: object,
    name: object,
    description: object,
    policies: object,
    service_identities: object,
    node_identities: object,
) -> dict[str, Any]:
    return _acl.merged(
        _acl.spec_of(role, "role", ACLRole),
        Name=_acl.opt_str(name, "name", empty=False),
        Description=_acl.opt_str(description, "description"),
        Policies=_acl.links(policies, "policies"),
        ServiceIdentities=_acl.identities(
            service_identities, "service_identities", ACLServiceIdentity, by_name="ServiceName"
        ),
        NodeIdentities=_acl.identities(node_identities, "node_identities", ACLNodeIdentity),
    )


@builder(needs="acl:write")
def create(
    role: Mapping[str, Any] | ACLRole | None = None,
    *,
    name: str | None = None,
    description: str | None = None,
    policies: Sequence[_acl.LinkLike] | None = None,
    service_identities: Sequence[_acl.ServiceIdentityLike] | None = None,
    node_identities: Sequence[_acl.NodeIdentityLike] | None = None,
    **options: Unpack[WriteOptions],
) -> Call[ACLRole]:
    """Create a role.

    Args:
        role: A spec in Consul's shape or an `ACLRole` without an ID; the keyword arguments
            override it.
        name: The role's unique name.
        description: A human-readable description.
        policies: The policies to grant: each an ID, a name, a mapping with ``"ID"`` or
            ``"Name"``, or an `ACLPolicy`/`ACLLink` (a UUID-shaped string is an ID).
        service_identities: Service identities: each a service name, a mapping or an
            `ACLServiceIdentity`.
        node_identities: Node identities: each a mapping or an `ACLNodeIdentity`.

    Returns:
        The new role.

    Raises:
        UsageError: An argument is invalid, or the spec has an ID.
    """
    spec = _spec(role, name, description, policies, service_identities, node_identities)
    return _ROLES.create(_acl.new_spec(spec, "role"), **options)


@builder(needs="acl:read")
def read(role: RoleRef, **options: Unpack[ReadOptions]) -> Call[tuple[ACLRole, QueryMeta]]:
    """Read a role by ID.

    Args:
        role: The role: its ID, a mapping with ``"ID"``, or an `ACLRole`.

    Returns:
        The role and the read's metadata.

    Raises:
        NotFound: The role does not exist.
    """
    segment = _acl.segment(role, "role")
    return _ROLES.read(segment, **options)


@builder(needs="acl:read")
def read_by_name(name: str, **options: Unpack[ReadOptions]) -> Call[tuple[ACLRole, QueryMeta]]:
    """Read a role by name.

    Args:
        name: The role's name.

    Returns:
        The role and the read's metadata.

    Raises:
        NotFound: No role has that name.
    """
    segment = f"name/{_acl.name_segment(name)}"
    return _ROLES.read(segment, **options)


@builder(needs="acl:write")
def update(
    role: Mapping[str, Any] | ACLRole,
    *,
    name: str | None = None,
    description: str | None = None,
    policies: Sequence[_acl.LinkLike] | None = None,
    service_identities: Sequence[_acl.ServiceIdentityLike] | None = None,
    node_identities: Sequence[_acl.NodeIdentityLike] | None = None,
    **options: Unpack[WriteOptions],
) -> Call[ACLRole]:
    """Replace a role (what the spec leaves out is cleared).

    Args:
        role: The whole role, with its ``"ID"``: a mapping in Consul's shape or an `ACLRole`;
            the keyword arguments override it.
        name: The role's unique name.
        description: A human-readable description.
        policies: The policies to grant, as for `create`.
        service_identities: The service identities, as for `create`.
        node_identities: The node identities, as for `create`.

    Returns:
        The updated role.

    Raises:
        UsageError: An argument is invalid, or the spec has no ID.
    """
    spec = _spec(role, name, description, policies, service_identities, node_identities)
    return _ROLES.update(spec, **options)


@builder(needs="acl:write")
def delete(role: RoleRef, **options: Unpack[WriteOptions]) -> Call[bool]:
    """Delete a role.

    Args:
        role: The role: its ID, a mapping with ``"ID"``, or an `ACLRole`.

    Returns:
        True (Consul 1.8 also answers True for a role that does not exist).
    """
    return _ROLES.delete(role, **options)


@builder(needs="acl:read")
def items(
    *, policy: str | Mapping[str, Any] | ACLPolicy | None = None, **options: Unpack[ReadOptions]
) -> Call[tuple[list[ACLRole], QueryMeta]]:
    """List roles.

    Args:
        policy: Only roles that link this policy: its ID, a mapping with ``"ID"``, or an
            `ACLPolicy`.

    Returns:
        The roles and the read's metadata.
    """
    params = [] if policy is None else [("policy", _acl.ref(policy, "policy"))]
    return _ROLES.items(params, **options)
