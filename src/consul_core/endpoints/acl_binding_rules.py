"""Builders for ACL binding rules: ``/v1/acl/binding-rule`` and ``/v1/acl/binding-rules``
(Consul >= 1.5).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from consul_core import _params
from consul_core.call import Call
from consul_core.endpoints import _acl
from consul_core.meta import QueryMeta
from consul_core.models.acl import ACLBindingRule

__all__ = ["create", "delete", "items", "read", "update"]

BindingRuleRef = str | Mapping[str, Any] | ACLBindingRule
_RULES = _acl.ObjectEndpoints(
    "binding-rule", "binding-rules", ACLBindingRule, lambda ref: _acl.segment(ref, "rule")
)


def _spec(
    rule: object,
    auth_method: object,
    description: object,
    selector: object,
    bind_type: object,
    bind_name: object,
) -> dict[str, Any]:
    return _acl.merged(
        _acl.spec_of(rule, "rule", ACLBindingRule),
        AuthMethod=None if auth_method is None else _acl.auth_method_name(auth_method),
        Description=_acl.opt_str(description, "description"),
        Selector=_acl.opt_str(selector, "selector"),
        BindType=_acl.opt_str(bind_type, "bind_type", empty=False),
        BindName=_acl.opt_str(bind_name, "bind_name", empty=False),
    )


def create(
    rule: Mapping[str, Any] | ACLBindingRule | None = None,
    *,
    auth_method: _acl.AuthMethodRef | None = None,
    description: str | None = None,
    selector: str | None = None,
    bind_type: str | None = None,
    bind_name: str | None = None,
    dc: str | None = None,
    token: str | None = None,
) -> Call[ACLBindingRule]:
    """Create a binding rule.

    Args:
        rule: A spec in Consul's shape or an `ACLBindingRule` without an ID; the keyword
            arguments override it.
        auth_method: The auth method it applies to: its name, a mapping with ``"Name"``, or an
            `ACLAuthMethod`.
        description: A human-readable description.
        selector: A filter expression over the identity's attributes
            (``"value.service==web"``); empty matches every identity.
        bind_type: What it grants: ``"service"``, ``"node"`` or ``"role"`` (newer versions add
            ``"policy"`` and ``"templated-policy"``).
        bind_name: The name to grant; may use ``${...}`` attributes (``"${value.service}"``).
        dc: The datacenter.
        token: An ACL token for this call only (needs ``acl:write``).

    Returns:
        The new binding rule.

    Raises:
        UsageError: An argument is invalid, or the spec has an ID.
    """
    spec = _spec(rule, auth_method, description, selector, bind_type, bind_name)
    return _RULES.create(_acl.new_spec(spec, "binding rule"), dc=dc, token=token)


def read(
    rule: BindingRuleRef,
    *,
    dc: str | None = None,
    watch: _params.Watch | None = None,
    consistency: _params.Consistency | None = None,
    token: str | None = None,
) -> Call[tuple[ACLBindingRule, QueryMeta]]:
    """Read a binding rule.

    Args:
        rule: The rule: its ID, a mapping with ``"ID"``, or an `ACLBindingRule`.
        dc: The datacenter.
        watch: A blocking read: an index, a `QueryMeta`, or ``(index, wait)``.
        consistency: The consistency mode.
        token: An ACL token for this call only (needs ``acl:read``).

    Returns:
        The binding rule and the read's metadata.

    Raises:
        NotFound: The rule does not exist.
        UsageError: An argument is invalid.
    """
    segment = _acl.segment(rule, "rule")
    return _RULES.read(segment, dc=dc, watch=watch, consistency=consistency, token=token)


def update(
    rule: Mapping[str, Any] | ACLBindingRule,
    *,
    description: str | None = None,
    selector: str | None = None,
    bind_type: str | None = None,
    bind_name: str | None = None,
    dc: str | None = None,
    token: str | None = None,
) -> Call[ACLBindingRule]:
    """Replace a binding rule (what the spec leaves out is cleared; its auth method stays).

    Args:
        rule: The whole rule, with its ``"ID"`` and ``"AuthMethod"``: a mapping in Consul's
            shape or an `ACLBindingRule`; the keyword arguments override it.
        description: A human-readable description.
        selector: A filter expression over the identity's attributes.
        bind_type: What it grants.
        bind_name: The name to grant.
        dc: The datacenter.
        token: An ACL token for this call only (needs ``acl:write``).

    Returns:
        The updated binding rule.

    Raises:
        UsageError: An argument is invalid, or the spec has no ID.
    """
    spec = _spec(rule, None, description, selector, bind_type, bind_name)
    return _RULES.update(spec, dc=dc, token=token)


def delete(rule: BindingRuleRef, *, dc: str | None = None, token: str | None = None) -> Call[bool]:
    """Delete a binding rule.

    Args:
        rule: The rule: its ID, a mapping with ``"ID"``, or an `ACLBindingRule`.
        dc: The datacenter.
        token: An ACL token for this call only (needs ``acl:write``).

    Returns:
        True (Consul 1.8 also answers True for a rule that does not exist).

    Raises:
        UsageError: An argument is invalid.
    """
    return _RULES.delete(rule, dc=dc, token=token)


def items(
    *,
    auth_method: _acl.AuthMethodRef | None = None,
    dc: str | None = None,
    watch: _params.Watch | None = None,
    consistency: _params.Consistency | None = None,
    token: str | None = None,
) -> Call[tuple[list[ACLBindingRule], QueryMeta]]:
    """List binding rules.

    Args:
        auth_method: Only the rules of this auth method: its name, a mapping with ``"Name"``,
            or an `ACLAuthMethod`.
        dc: The datacenter.
        watch: A blocking read.
        consistency: The consistency mode.
        token: An ACL token for this call only (needs ``acl:read``).

    Returns:
        The binding rules and the read's metadata.

    Raises:
        UsageError: An argument is invalid.
    """
    params = [] if auth_method is None else [("authmethod", _acl.auth_method_name(auth_method))]
    return _RULES.items(params, dc=dc, watch=watch, consistency=consistency, token=token)
