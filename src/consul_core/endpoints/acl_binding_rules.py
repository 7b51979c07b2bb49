"""Builders for ACL binding rules: ``/v1/acl/binding-rule`` and ``/v1/acl/binding-rules``
(Consul >= 1.5).
"""

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
from consul_core.models.acl import ACLBindingRule

__all__ = ["create", "delete", "items", "read", "update"]

_RULES = _acl.ObjectEndpoints("binding-rule", "binding-rules", ACLBindingRule, "rule")


class _Fields(NamespacedWriteOptions, total=False):
    description: str | None
    selector: str | None
    bind_type: str | None
    bind_name: str | None


class _NewFields(_Fields, total=False):
    auth_method: _acl.AuthMethodRef | None


def _spec(rule: object, fields: _Fields, auth_method: object = None) -> dict[str, Any]:
    return _RULES.spec(
        rule,
        fields,
        AuthMethod=None if auth_method is None else _acl.auth_method_name(auth_method),
        Selector=_acl.opt_str(fields.get("selector"), "selector"),
        BindType=_acl.opt_str(fields.get("bind_type"), "bind_type", empty=False),
        BindName=_acl.opt_str(fields.get("bind_name"), "bind_name", empty=False),
    )


@builder(needs="acl:write", like=_RULES.docs.create)
def create(
    rule: Mapping[str, Any] | ACLBindingRule | None = None, **fields: Unpack[_NewFields]
) -> Call[ACLBindingRule]:
    """Create a binding rule.

    Args:
        auth_method: The auth method it applies to: its name, a mapping with ``"Name"``, or an
            `ACLAuthMethod`.
        selector: A filter expression over the identity's attributes
            (``"value.service==web"``); empty matches every identity.
        bind_type: What it grants: ``"service"``, ``"node"`` or ``"role"`` (newer versions add
            ``"policy"`` and ``"templated-policy"``).
        bind_name: The name to grant; may use ``${...}`` attributes (``"${value.service}"``).
    """
    return _RULES.create(_spec(rule, fields, fields.get("auth_method")), fields)


@builder(needs="acl:read", like=_RULES.docs.read)
def read(
    rule: Ref[ACLBindingRule], **options: Unpack[NamespacedReadOptions]
) -> Call[tuple[ACLBindingRule, QueryMeta]]:
    """Read a binding rule."""
    return _RULES.read(rule, **options)


@builder(needs="acl:write", like=(create, _RULES.docs.update))
def update(
    rule: Mapping[str, Any] | ACLBindingRule, **fields: Unpack[_Fields]
) -> Call[ACLBindingRule]:
    """Replace a binding rule (what the spec leaves out is cleared; its auth method stays).

    Args:
        rule: The whole rule, with its ``"ID"`` and ``"AuthMethod"``: a mapping in Consul's
            shape or an `ACLBindingRule`; the keyword arguments override it.
    """
    return _RULES.update(_spec(rule, fields), fields)


@builder(needs="acl:write", like=_RULES.docs.delete)
def delete(rule: Ref[ACLBindingRule], **options: Unpack[NamespacedWriteOptions]) -> Call[bool]:
    """Delete a binding rule."""
    return _RULES.delete(rule, **options)


@builder(needs="acl:read", like=_RULES.docs.items)
def items(
    *, auth_method: _acl.AuthMethodRef | None = None, **options: Unpack[NamespacedReadOptions]
) -> Call[tuple[list[ACLBindingRule], QueryMeta]]:
    """List binding rules."""
    return _RULES.items(_acl.listing(auth_method=auth_method), **options)
