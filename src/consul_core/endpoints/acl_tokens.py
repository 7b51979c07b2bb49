"""Builders for ACL tokens: ``/v1/acl/token`` and ``/v1/acl/tokens`` (Consul >= 1.4).

A token is named by its accessor ID (never its secret): a string, a mapping with
``"AccessorID"``, or an `ACLToken`. A missing token raises `ACLNotFound` (a `NotFound`), whether
Consul says so with 404 or, as 1.8 does, with 403 "ACL not found".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from consul_core import _params
from consul_core._codec import format_time
from consul_core.call import Call
from consul_core.endpoints import _acl
from consul_core.endpoints._common import Ref, dc_call, indexed_read, model
from consul_core.endpoints._options import (
    NamespacedReadOptions,
    NamespacedWriteOptions,
    ReadOptions,
    Unpack,
    builder,
)
from consul_core.errors import UsageError
from consul_core.meta import QueryMeta
from consul_core.models.acl import (
    ACLPolicy,
    ACLRole,
    ACLToken,
    ACLTokenExpanded,
)

__all__ = ["clone", "create", "delete", "items", "read", "read_expanded", "read_self", "update"]

_TOKENS = _acl.ObjectEndpoints(
    "token",
    "tokens",
    ACLToken,
    "acl_token",
    "AccessorID",
    "accessor_id",
    ACLToken.to_json,
    _acl.TOKEN_WORDS,
)
_EXPIRATION = ("ExpirationTTL", "ExpirationTime")


class _Fields(_acl.Grants, total=False):
    description: str | None
    roles: Sequence[_acl.LinkLike] | None
    local: bool | None


class _NewFields(_Fields, total=False):
    expiration_ttl: _params.Duration | None
    expiration_time: datetime | None


def _spec(acl_token: object, fields: _Fields) -> dict[str, Any]:
    spec = _TOKENS.spec(
        acl_token,
        fields,
        Roles=_acl.links(fields.get("roles"), "roles"),
        Local=_acl.opt_bool(fields.get("local"), "local"),
        **_acl.grants(fields),
    )
    if spec.get("Rules"):
        # Consul's token API refuses them; a token written without them would lose them.
        raise UsageError(
            "a legacy token's Rules cannot be written through the token API: move them into "
            "a policy and link it instead, or use acl.update"
        )
    return spec


@builder(needs="acl:write")
def create(
    acl_token: Mapping[str, Any] | ACLToken | None = None, **fields: Unpack[_NewFields]
) -> Call[ACLToken]:
    """Create a token.

    Args:
        acl_token: A spec in Consul's shape or an `ACLToken` (its ``AccessorID`` and
            ``SecretID`` are used if set, else Consul makes them); the keyword arguments
            override it.
        description: A human-readable description.
        policies: The policies to grant: each an ID, a name, a mapping with ``"ID"`` or
            ``"Name"``, or an `ACLPolicy`/`ACLLink` (a UUID-shaped string is an ID).
        roles: The roles to grant, named like `policies`.
        service_identities: Service identities: each a service name, a mapping
            (``{"ServiceName": ..., "Datacenters": [...]}``) or an `ACLServiceIdentity`.
        node_identities: Node identities: each a mapping (``{"NodeName": ...,
            "Datacenter": ...}``) or an `ACLNodeIdentity`.
        local: Make the token valid only in this datacenter.
        expiration_ttl: How long the token lives.
        expiration_time: When the token expires (a timezone-aware `datetime`).

    Returns:
        The new token, with its secret.

    Raises:
        UsageError: The spec is a legacy token with rules, which Consul's token API cannot
            write (a token without them would lose them): move them into a policy, or use
            `acl.update`.
    """
    spec = _spec(acl_token, fields)
    if (ttl := fields.get("expiration_ttl")) is not None:
        spec["ExpirationTTL"] = _params.duration_param(ttl, "expiration_ttl")
    if (time := fields.get("expiration_time")) is not None:
        spec["ExpirationTime"] = format_time(time, "expiration_time")
    return _TOKENS.create(spec, fields)


@builder(needs="acl:read", like=_TOKENS.docs.read)
def read(
    acl_token: Ref[ACLToken], **options: Unpack[NamespacedReadOptions]
) -> Call[tuple[ACLToken, QueryMeta]]:
    """Read a token.

    Returns:
        The token (with its secret) and the read's metadata.
    """
    return _TOKENS.read(acl_token, **options)


@builder(needs="acl:read", like=read)
def read_expanded(
    acl_token: Ref[ACLToken], **options: Unpack[NamespacedReadOptions]
) -> Call[tuple[ACLTokenExpanded, QueryMeta]]:
    """Read a token with what decides its privileges: the policies and roles that apply to it,
    read whole, and the ACL defaults of the agent that resolved it (``?expanded``, Consul 1.12
    and later; Go's ``TokenReadExpanded``).

    A Consul before 1.12 ignores ``expanded`` and answers the token alone: the expansion's
    fields are then empty.

    Returns:
        The token (with its secret) and its expansion, and the read's metadata.
    """
    path = _TOKENS.path(acl_token)
    call = indexed_read(path, model(ACLTokenExpanded), params=(("expanded", "true"),), **options)
    return _acl.naming_an_object(call)


@builder
def read_self(**options: Unpack[ReadOptions]) -> Call[tuple[ACLToken, QueryMeta]]:
    """Read the token the call is made with (``token=``, else the client's).

    Args:
        token: The token to read, for this call only.

    Returns:
        The token and the read's metadata.

    Raises:
        ACLNotFound: The token does not exist (403 "ACL not found").
    """
    return _TOKENS.read_self(**options)


@builder(needs="acl:write", like=(create, _TOKENS.docs.update))
def update(acl_token: Mapping[str, Any] | ACLToken, **fields: Unpack[_Fields]) -> Call[ACLToken]:
    """Replace a token's description, policies, roles and identities.

    What the spec leaves out is cleared (an update is not a patch): to change one field, read
    the token, then pass it back with that field as a keyword argument. A token's expiration
    never changes, so none is sent (a `datetime` would also lose Consul's nanoseconds, which
    Consul would take for a change).

    Args:
        local: Whether the token is local (Consul refuses to change it).

    Raises:
        UsageError: The token is a legacy one with rules (see `create`).
    """
    spec = _spec(acl_token, fields)
    for fixed in _EXPIRATION:
        spec.pop(fixed, None)
    return _TOKENS.update(spec, fields)


@builder(needs="acl:write")
def clone(
    acl_token: Ref[ACLToken],
    *,
    description: str | None = None,
    **options: Unpack[NamespacedWriteOptions],
) -> Call[ACLToken]:
    """Create a token with the same policies, roles, identities and locality as another.

    Args:
        acl_token: The token to copy: its accessor ID, a mapping with ``"AccessorID"``, or an
            `ACLToken`.
        description: The new token's description; default the original's.

    Returns:
        The new token, with its own accessor ID and secret.

    Raises:
        ACLNotFound: The token to copy does not exist.
    """
    body = _acl.merged({}, Description=_acl.opt_str(description, "description"))
    path = _TOKENS.path(acl_token, "/clone")
    return _acl.naming_an_object(dc_call("PUT", path, _acl.decode_token, body=body, **options))


@builder(needs="acl:write", like=_TOKENS.docs.delete)
def delete(acl_token: Ref[ACLToken], **options: Unpack[NamespacedWriteOptions]) -> Call[bool]:
    """Delete a token."""
    return _TOKENS.delete(acl_token, **options)


@builder(needs="acl:read", like=_TOKENS.docs.items)
def items(
    *,
    policy: Ref[ACLPolicy] | None = None,
    role: Ref[ACLRole] | None = None,
    service_name: str | None = None,
    auth_method: _acl.AuthMethodRef | None = None,
    auth_method_ns: str | None = None,
    **options: Unpack[NamespacedReadOptions],
) -> Call[tuple[list[ACLToken], QueryMeta]]:
    """List tokens (without their secrets).

    Args:
        service_name: Only the tokens with a service identity of this service (later
            versions match a ``builtin/service`` templated policy too). Consul 1.17 added it
            (and backported it to 1.14-1.16 patch releases); an older Consul ignores it and
            lists every token.
        auth_method_ns: With `auth_method`: the namespace of the auth method (Consul
            Enterprise; default the listing's namespace).

    Raises:
        BadRequest: A namespace, partition or `auth_method_ns` was given to an agent that has
            none (Consul Community Edition; 1.8 ignores ``partition``).
        UsageError: An argument is invalid, or `auth_method_ns` is given without
            `auth_method`.
    """
    filters = _acl.listing(policy=policy, role=role, auth_method=auth_method)
    if service_name is not None:
        filters.append(("servicename", _params.check_str(service_name, "service_name")))
    if auth_method_ns is not None:
        if auth_method is None:
            raise UsageError("auth_method_ns names the auth method's namespace: give auth_method")
        filters.append(("authmethod-ns", _params.check_str(auth_method_ns, "auth_method_ns")))
    return _TOKENS.items(filters, **options)
