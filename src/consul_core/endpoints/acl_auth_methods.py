"""Builders for ACL auth methods: ``/v1/acl/auth-method`` and ``/v1/acl/auth-methods``
(Consul >= 1.5). An auth method is named by its name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from consul_core import _params
from consul_core.call import Call
from consul_core.endpoints import _acl
from consul_core.endpoints._options import ReadOptions, WriteOptions, builder
from consul_core.errors import UsageError
from consul_core.meta import QueryMeta
from consul_core.models.acl import ACLAuthMethod

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["create", "delete", "items", "read", "update"]

_LOCALITIES = ("local", "global")


def _segment(auth_method: object) -> str:
    return _acl.name_segment(_acl.auth_method_name(auth_method))


_METHODS = _acl.ObjectEndpoints("auth-method", "auth-methods", ACLAuthMethod, _segment)


def _spec(
    auth_method: object,
    name: object,
    type: object,
    display_name: object,
    description: object,
    max_token_ttl: object,
    token_locality: object,
    config: object,
) -> dict[str, Any]:
    if token_locality is not None and token_locality not in _LOCALITIES:
        raise UsageError(f"token_locality must be 'local' or 'global', not {token_locality!r}")
    if config is not None and not isinstance(config, Mapping):
        raise UsageError("config must be a mapping of the auth method type's settings")
    return _acl.merged(
        _acl.spec_of(auth_method, "auth_method", ACLAuthMethod),
        Name=_acl.opt_str(name, "name", empty=False),
        Type=_acl.opt_str(type, "type", empty=False),
        DisplayName=_acl.opt_str(display_name, "display_name"),
        Description=_acl.opt_str(description, "description"),
        MaxTokenTTL=None
        if max_token_ttl is None
        else _params.duration_param(max_token_ttl, "max_token_ttl"),
        TokenLocality=token_locality,
        Config=None if config is None else dict(config),
    )


@builder(needs="acl:write")
def create(
    auth_method: Mapping[str, Any] | ACLAuthMethod | None = None,
    *,
    name: str | None = None,
    type: str | None = None,
    display_name: str | None = None,
    description: str | None = None,
    max_token_ttl: _params.Duration | None = None,
    token_locality: str | None = None,
    config: Mapping[str, Any] | None = None,
    **options: Unpack[WriteOptions],
) -> Call[ACLAuthMethod]:
    """Create an auth method.

    Args:
        auth_method: A spec in Consul's shape or an `ACLAuthMethod`; the keyword arguments
            override it.
        name: The method's unique name.
        type: ``"kubernetes"``, ``"jwt"``, ``"oidc"`` (Enterprise) or ``"aws-iam"``.
        display_name: A name to show to users.
        description: A human-readable description.
        max_token_ttl: The lifetime of the tokens it creates.
        token_locality: ``"local"`` (default) or ``"global"`` tokens.
        config: The settings of its type (for ``"jwt"``: ``{"JWTValidationPubKeys": [...],
            "BoundAudiences": [...], "ClaimMappings": {...}}``, ...).

    Returns:
        The new auth method.
    """
    spec = _spec(
        auth_method, name, type, display_name, description, max_token_ttl, token_locality, config
    )
    _acl.auth_method_name(spec)
    return _METHODS.create(spec, **options)


@builder(needs="acl:read")
def read(
    auth_method: _acl.AuthMethodRef, **options: Unpack[ReadOptions]
) -> Call[tuple[ACLAuthMethod, QueryMeta]]:
    """Read an auth method.

    Args:
        auth_method: The method: its name, a mapping with ``"Name"``, or an `ACLAuthMethod`.

    Returns:
        The auth method and the read's metadata.

    Raises:
        NotFound: The auth method does not exist.
    """
    segment = _segment(auth_method)
    return _METHODS.read(segment, **options)


@builder(needs="acl:write")
def update(
    auth_method: Mapping[str, Any] | ACLAuthMethod,
    *,
    type: str | None = None,
    display_name: str | None = None,
    description: str | None = None,
    max_token_ttl: _params.Duration | None = None,
    token_locality: str | None = None,
    config: Mapping[str, Any] | None = None,
    **options: Unpack[WriteOptions],
) -> Call[ACLAuthMethod]:
    """Replace an auth method (what the spec leaves out is cleared; its type cannot change).

    Args:
        auth_method: The whole method, with its ``"Name"``: a mapping in Consul's shape or an
            `ACLAuthMethod`; the keyword arguments override it.
        type: Its type, which must stay the same.
        display_name: A name to show to users.
        description: A human-readable description.
        max_token_ttl: The lifetime of the tokens it creates.
        token_locality: ``"local"`` or ``"global"`` tokens.
        config: The settings of its type.

    Returns:
        The updated auth method.

    Raises:
        UsageError: An argument is invalid, or the spec has no name.
    """
    spec = _spec(
        auth_method, None, type, display_name, description, max_token_ttl, token_locality, config
    )
    return _METHODS.update(spec, **options)


@builder(needs="acl:write")
def delete(auth_method: _acl.AuthMethodRef, **options: Unpack[WriteOptions]) -> Call[bool]:
    """Delete an auth method, with the binding rules and the tokens it created.

    Args:
        auth_method: The method: its name, a mapping with ``"Name"``, or an `ACLAuthMethod`.

    Returns:
        True (Consul 1.8 also answers True for a method that does not exist).
    """
    return _METHODS.delete(auth_method, **options)


@builder(needs="acl:read")
def items(**options: Unpack[ReadOptions]) -> Call[tuple[list[ACLAuthMethod], QueryMeta]]:
    """List auth methods (without their config).

    Returns:
        The auth methods and the read's metadata.
    """
    return _METHODS.items([], **options)
