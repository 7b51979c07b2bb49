"""Builders for ACL policies: ``/v1/acl/policy`` and ``/v1/acl/policies`` (Consul >= 1.4).

Consul 1.8 answers a read of a missing policy with 403 "ACL not found" (`PermissionDenied`);
newer versions with 404 (`NotFound`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from consul_core import _params
from consul_core.call import Call
from consul_core.endpoints import _acl
from consul_core.meta import QueryMeta
from consul_core.models.acl import ACLPolicy

__all__ = ["create", "delete", "items", "read", "read_by_name", "update"]

PolicyRef = str | Mapping[str, Any] | ACLPolicy
_POLICIES = _acl.ObjectEndpoints(
    "policy", "policies", ACLPolicy, lambda ref: _acl.segment(ref, "policy")
)


def _spec(
    policy: object, name: object, description: object, rules: object, datacenters: object
) -> dict[str, Any]:
    return _acl.merged(
        _acl.spec_of(policy, "policy", ACLPolicy),
        Name=_acl.opt_str(name, "name", empty=False),
        Description=_acl.opt_str(description, "description"),
        Rules=_acl.opt_str(rules, "rules"),
        Datacenters=_acl.str_list(datacenters, "datacenters"),
    )


def create(
    policy: Mapping[str, Any] | ACLPolicy | None = None,
    *,
    name: str | None = None,
    description: str | None = None,
    rules: str | None = None,
    datacenters: Sequence[str] | None = None,
    dc: str | None = None,
    token: str | None = None,
) -> Call[ACLPolicy]:
    """Create a policy.

    Args:
        policy: A spec in Consul's shape (``{"Name": ..., "Rules": ...}``) or an `ACLPolicy`
            without an ID; the keyword arguments override it.
        name: The policy's unique name.
        description: A human-readable description.
        rules: Its rules, in HCL or JSON (``'key_prefix "" { policy = "read" }'``).
        datacenters: The datacenters where it applies; default all.
        dc: The datacenter.
        token: An ACL token for this call only (needs ``acl:write``).

    Returns:
        The new policy.

    Raises:
        UsageError: An argument is invalid, or the spec has an ID.
    """
    spec = _acl.new_spec(_spec(policy, name, description, rules, datacenters), "policy")
    return _POLICIES.create(spec, dc=dc, token=token)


def read(
    policy: PolicyRef,
    *,
    dc: str | None = None,
    watch: _params.Watch | None = None,
    consistency: _params.Consistency | None = None,
    token: str | None = None,
) -> Call[tuple[ACLPolicy, QueryMeta]]:
    """Read a policy by ID.

    Args:
        policy: The policy: its ID, a mapping with ``"ID"``, or an `ACLPolicy`.
        dc: The datacenter.
        watch: A blocking read: an index, a `QueryMeta`, or ``(index, wait)``.
        consistency: The consistency mode.
        token: An ACL token for this call only (needs ``acl:read``).

    Returns:
        The policy and the read's metadata.

    Raises:
        PermissionDenied: The call's token may not read policies, or (Consul < 1.9) the
            policy does not exist.
        NotFound: The policy does not exist (Consul >= 1.9).
        UsageError: An argument is invalid.
    """
    segment = _acl.segment(policy, "policy")
    return _POLICIES.read(segment, dc=dc, watch=watch, consistency=consistency, token=token)


def read_by_name(
    name: str,
    *,
    dc: str | None = None,
    watch: _params.Watch | None = None,
    consistency: _params.Consistency | None = None,
    token: str | None = None,
) -> Call[tuple[ACLPolicy, QueryMeta]]:
    """Read a policy by name (Consul >= 1.8).

    Args:
        name: The policy's name.
        dc: The datacenter.
        watch: A blocking read.
        consistency: The consistency mode.
        token: An ACL token for this call only (needs ``acl:read``).

    Returns:
        The policy and the read's metadata.

    Raises:
        PermissionDenied: The call's token may not read policies, or (Consul < 1.9) no policy
            has that name.
        NotFound: No policy has that name (Consul >= 1.9).
        UsageError: An argument is invalid.
    """
    segment = f"name/{_acl.name_segment(name)}"
    return _POLICIES.read(segment, dc=dc, watch=watch, consistency=consistency, token=token)


def update(
    policy: Mapping[str, Any] | ACLPolicy,
    *,
    name: str | None = None,
    description: str | None = None,
    rules: str | None = None,
    datacenters: Sequence[str] | None = None,
    dc: str | None = None,
    token: str | None = None,
) -> Call[ACLPolicy]:
    """Replace a policy (what the spec leaves out is cleared).

    Args:
        policy: The whole policy, with its ``"ID"``: a mapping in Consul's shape or an
            `ACLPolicy`; the keyword arguments override it.
        name: The policy's unique name.
        description: A human-readable description.
        rules: Its rules.
        datacenters: The datacenters where it applies.
        dc: The datacenter.
        token: An ACL token for this call only (needs ``acl:write``).

    Returns:
        The updated policy.

    Raises:
        UsageError: An argument is invalid, or the spec has no ID.
    """
    spec = _spec(policy, name, description, rules, datacenters)
    return _POLICIES.update(spec, dc=dc, token=token)


def delete(policy: PolicyRef, *, dc: str | None = None, token: str | None = None) -> Call[bool]:
    """Delete a policy.

    Args:
        policy: The policy: its ID, a mapping with ``"ID"``, or an `ACLPolicy`.
        dc: The datacenter.
        token: An ACL token for this call only (needs ``acl:write``).

    Returns:
        True (Consul 1.8 also answers True for a policy that does not exist).

    Raises:
        UsageError: An argument is invalid.
    """
    return _POLICIES.delete(policy, dc=dc, token=token)


def items(
    *,
    dc: str | None = None,
    watch: _params.Watch | None = None,
    consistency: _params.Consistency | None = None,
    token: str | None = None,
) -> Call[tuple[list[ACLPolicy], QueryMeta]]:
    """List policies (without their rules).

    Args:
        dc: The datacenter.
        watch: A blocking read.
        consistency: The consistency mode.
        token: An ACL token for this call only (needs ``acl:read``).

    Returns:
        The policies and the read's metadata.

    Raises:
        UsageError: An argument is invalid.
    """
    return _POLICIES.items([], dc=dc, watch=watch, consistency=consistency, token=token)
