"""Builders for ACL auth methods: ``/v1/acl/auth-method`` and ``/v1/acl/auth-methods``
(Consul >= 1.5). An auth method is named by its name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from consul_core import _params
from consul_core.call import Call
from consul_core.endpoints import _acl
from consul_core.endpoints._options import (
    NamespacedReadOptions,
    NamespacedWriteOptions,
    Unpack,
    builder,
)
from consul_core.errors import UsageError
from consul_core.meta import QueryMeta
from consul_core.models.acl import ACLAuthMethod

__all__ = ["create", "delete", "items", "read", "update"]

_LOCALITIES = ("local", "global")


_METHODS = _acl.ObjectEndpoints(
    "auth-method", "auth-methods", ACLAuthMethod, "auth_method", key="Name", attr="name"
)


class _Fields(NamespacedWriteOptions, total=False):
    type: str | None
    display_name: str | None
    description: str | None
    max_token_ttl: _params.Duration | None
    token_locality: str | None
    config: Mapping[str, Any] | None


class _NewFields(_Fields, total=False):
    name: str | None


def _spec(auth_method: object, fields: _Fields) -> dict[str, Any]:
    locality, config, ttl = (fields.get(k) for k in ("token_locality", "config", "max_token_ttl"))
    if locality is not None and locality not in _LOCALITIES:
        raise UsageError(f"token_locality must be 'local' or 'global', not {locality!r}")
    if config is not None and not isinstance(config, Mapping):
        raise UsageError("config must be a mapping of the auth method type's settings")
    return _METHODS.spec(
        auth_method,
        fields,
        Type=_acl.opt_str(fields.get("type"), "type", empty=False),
        DisplayName=_acl.opt_str(fields.get("display_name"), "display_name"),
        MaxTokenTTL=None if ttl is None else _params.duration_param(ttl, "max_token_ttl"),
        TokenLocality=locality,
        Config=None if config is None else dict(config),
    )


@builder(needs="acl:write", like=_METHODS.docs.create)
def create(
    auth_method: Mapping[str, Any] | ACLAuthMethod | None = None, **fields: Unpack[_NewFields]
) -> Call[ACLAuthMethod]:
    """Create an auth method.

    Args:
        type: ``"kubernetes"``, ``"jwt"``, ``"oidc"`` (Enterprise) or ``"aws-iam"``.
        display_name: A name to show to users.
        max_token_ttl: The lifetime of the tokens it creates.
        token_locality: ``"local"`` (default) or ``"global"`` tokens.
        config: The settings of its type (for ``"jwt"``: ``{"JWTValidationPubKeys": [...],
            "BoundAudiences": [...], "ClaimMappings": {...}}``, ...).
    """
    return _METHODS.create(_spec(auth_method, fields), fields)


@builder(needs="acl:read", like=_METHODS.docs.read)
def read(
    auth_method: _acl.AuthMethodRef, **options: Unpack[NamespacedReadOptions]
) -> Call[tuple[ACLAuthMethod, QueryMeta]]:
    """Read an auth method."""
    return _METHODS.read(auth_method, **options)


@builder(needs="acl:write", like=(create, _METHODS.docs.update))
def update(
    auth_method: Mapping[str, Any] | ACLAuthMethod, **fields: Unpack[_Fields]
) -> Call[ACLAuthMethod]:
    """Replace an auth method (what the spec leaves out is cleared; its type cannot change).

    Args:
        type: Its type, which must stay the same.
    """
    return _METHODS.update(_spec(auth_method, fields), fields)


@builder(needs="acl:write", like=_METHODS.docs.delete)
def delete(
    auth_method: _acl.AuthMethodRef, **options: Unpack[NamespacedWriteOptions]
) -> Call[bool]:
    """Delete an auth method, with the binding rules and the tokens it created."""
    return _METHODS.delete(auth_method, **options)


@builder(needs="acl:read", like=_METHODS.docs.items)
def items(**options: Unpack[NamespacedReadOptions]) -> Call[tuple[list[ACLAuthMethod], QueryMeta]]:
    """List auth methods (without their config)."""
    return _METHODS.items([], **options)
