"""Builders for health: ``/v1/health``.

Every read here is a blocking read returning ``(list, QueryMeta)``; an unknown node, service or
state is an empty list, not an error (Consul answers 200 ``[]``), so `state` checks its
argument itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from consul_core import _params
from consul_core.call import Call
from consul_core.endpoints._common import indexed_read, model_list, name_segment
from consul_core.errors import UsageError
from consul_core.meta import QueryMeta
from consul_core.models.health import HealthCheck, HealthState, ServiceEntry

__all__ = ["checks", "connect", "ingress", "node", "service", "state"]

_STATES = ("any", "passing", "warning", "critical")
_decode_checks = model_list(HealthCheck)
_decode_entries = model_list(ServiceEntry)


def _service_path(kind: str, name: object) -> str:
    return f"/v1/health/{kind}/{name_segment(name, 'service', 'Service')}"


def _entries(
    kind: str,
    name: object,
    passing: object,
    tag: object,
    near: object,
    node_meta: object,
    filter: object,
    cached: object,
    dc: object,
    watch: object,
    consistency: object,
    token: object,
) -> Call[tuple[list[ServiceEntry], QueryMeta]]:
    params: _params.Params = []
    _params.add_flag(params, "passing", passing)
    return indexed_read(
        _service_path(kind, name),
        _decode_entries,
        tag=tag,
        near=near,
        node_meta=node_meta,
        filter=filter,
        cached=cached,
        dc=dc,
        watch=watch,
        consistency=consistency,
        token=token,
        params=params,
    )


def node(
    name: str,
    *,
    filter: str | None = None,
    dc: str | None = None,
    watch: _params.Watch | None = None,
    consistency: _params.Consistency | None = None,
    token: str | None = None,
) -> Call[tuple[list[HealthCheck], QueryMeta]]:
    """List the checks of a node: its node checks and the checks of its service instances.

    Args:
        name: The node's name (or a mapping with ``"Node"``, or a `Node`).
        filter: A filter expression over the checks' fields.
        dc: The datacenter.
        watch: A blocking read: an index, a `QueryMeta`, or ``(index, wait)``.
        consistency: ``"default"``, ``"consistent"`` or ``"stale"``.
        token: An ACL token for this call only.

    Returns:
        The checks (empty for an unknown node) and the read's metadata.

    Raises:
        UsageError: An argument is invalid.
    """
    return indexed_read(
        f"/v1/health/node/{name_segment(name, 'node', 'Node')}",
        _decode_checks,
        filter=filter,
        dc=dc,
        watch=watch,
        consistency=consistency,
        token=token,
    )


def checks(
    service: str,
    *,
    near: str | None = None,
    node_meta: Mapping[str, str] | None = None,
    filter: str | None = None,
    dc: str | None = None,
    watch: _params.Watch | None = None,
    consistency: _params.Consistency | None = None,
    token: str | None = None,
) -> Call[tuple[list[HealthCheck], QueryMeta]]:
    """List the checks of every instance of a service.

    Args:
        service: The service's name (or a mapping with ``"Service"``, or a `NodeService`).
        near: Sort by estimated round trip from this node (``"_agent"`` or ``"_self"``).
        node_meta: Only checks on nodes with all these metadata pairs.
        filter: A filter expression over the checks' fields.
        dc: The datacenter.
        watch: A blocking read: an index, a `QueryMeta`, or ``(index, wait)``.
        consistency: ``"default"``, ``"consistent"`` or ``"stale"``.
        token: An ACL token for this call only.

    Returns:
        The checks (empty for an unknown service) and the read's metadata.

    Raises:
        UsageError: An argument is invalid.
    """
    return indexed_read(
        _service_path("checks", service),
        _decode_checks,
        near=near,
        node_meta=node_meta,
        filter=filter,
        dc=dc,
        watch=watch,
        consistency=consistency,
        token=token,
    )


def service(
    name: str,
    passing: bool = False,
    tag: str | Sequence[str] | None = None,
    *,
    near: str | None = None,
    node_meta: Mapping[str, str] | None = None,
    filter: str | None = None,
    cached: bool = False,
    dc: str | None = None,
    watch: _params.Watch | None = None,
    consistency: _params.Consistency | None = None,
    token: str | None = None,
) -> Call[tuple[list[ServiceEntry], QueryMeta]]:
    """List the instances of a service, each with its node and their checks.

    Args:
        name: The service's name (or a mapping with ``"Service"``, or a `NodeService`).
        passing: Only instances whose checks (node checks included) all pass.
        tag: Only instances with this tag, or with all of these tags.
        near: Sort by estimated round trip from this node (``"_agent"`` or ``"_self"``).
        node_meta: Only instances on nodes with all these metadata pairs.
        filter: A filter expression over the entries' fields.
        cached: Read through the agent's cache (not with ``consistency="consistent"``).
        dc: The datacenter.
        watch: A blocking read: an index, a `QueryMeta`, or ``(index, wait)``.
        consistency: ``"default"``, ``"consistent"`` or ``"stale"``.
        token: An ACL token for this call only.

    Returns:
        The entries (empty for an unknown service) and the read's metadata.

    Raises:
        UsageError: An argument is invalid.
    """
    return _entries(
        "service",
        name,
        passing,
        tag,
        near,
        node_meta,
        filter,
        cached,
        dc,
        watch,
        consistency,
        token,
    )


def connect(
    name: str,
    passing: bool = False,
    tag: str | Sequence[str] | None = None,
    *,
    near: str | None = None,
    node_meta: Mapping[str, str] | None = None,
    filter: str | None = None,
    cached: bool = False,
    dc: str | None = None,
    watch: _params.Watch | None = None,
    consistency: _params.Consistency | None = None,
    token: str | None = None,
) -> Call[tuple[list[ServiceEntry], QueryMeta]]:
    """List the Connect-capable instances of a service (its proxies and Connect-native
    instances), each with its node and their checks.

    Args:
        name: The service's name (or a mapping with ``"Service"``, or a `NodeService`).
        passing: Only instances whose checks all pass.
        tag: Only instances with this tag, or with all of these tags.
        near: Sort by estimated round trip from this node (``"_agent"`` or ``"_self"``).
        node_meta: Only instances on nodes with all these metadata pairs.
        filter: A filter expression over the entries' fields.
        cached: Read through the agent's cache (not with ``consistency="consistent"``).
        dc: The datacenter.
        watch: A blocking read: an index, a `QueryMeta`, or ``(index, wait)``.
        consistency: ``"default"``, ``"consistent"`` or ``"stale"``.
        token: An ACL token for this call only.

    Returns:
        The entries and the read's metadata.

    Raises:
        UsageError: An argument is invalid.
    """
    return _entries(
        "connect",
        name,
        passing,
        tag,
        near,
        node_meta,
        filter,
        cached,
        dc,
        watch,
        consistency,
        token,
    )


def ingress(
    name: str,
    passing: bool = False,
    tag: str | Sequence[str] | None = None,
    *,
    near: str | None = None,
    node_meta: Mapping[str, str] | None = None,
    filter: str | None = None,
    cached: bool = False,
    dc: str | None = None,
    watch: _params.Watch | None = None,
    consistency: _params.Consistency | None = None,
    token: str | None = None,
) -> Call[tuple[list[ServiceEntry], QueryMeta]]:
    """List the ingress gateways that route to a service, each with its node and their checks
    (Consul 1.8 and later).

    Args:
        name: The service the gateways route to (or a mapping with ``"Service"``, or a
            `NodeService`).
        passing: Only gateway instances whose checks all pass.
        tag: Only gateway instances with this tag, or with all of these tags.
        near: Sort by estimated round trip from this node (``"_agent"`` or ``"_self"``).
        node_meta: Only gateway instances on nodes with all these metadata pairs.
        filter: A filter expression over the entries' fields.
        cached: Read through the agent's cache (not with ``consistency="consistent"``).
        dc: The datacenter.
        watch: A blocking read: an index, a `QueryMeta`, or ``(index, wait)``.
        consistency: ``"default"``, ``"consistent"`` or ``"stale"``.
        token: An ACL token for this call only.

    Returns:
        The gateways' entries and the read's metadata.

    Raises:
        UsageError: An argument is invalid.
    """
    return _entries(
        "ingress",
        name,
        passing,
        tag,
        near,
        node_meta,
        filter,
        cached,
        dc,
        watch,
        consistency,
        token,
    )


def state(
    state: HealthState,
    *,
    near: str | None = None,
    node_meta: Mapping[str, str] | None = None,
    filter: str | None = None,
    dc: str | None = None,
    watch: _params.Watch | None = None,
    consistency: _params.Consistency | None = None,
    token: str | None = None,
) -> Call[tuple[list[HealthCheck], QueryMeta]]:
    """List the checks in a state, across the datacenter.

    Args:
        state: ``"any"``, ``"passing"``, ``"warning"`` or ``"critical"``.
        near: Sort by estimated round trip from this node (``"_agent"`` or ``"_self"``).
        node_meta: Only checks on nodes with all these metadata pairs.
        filter: A filter expression over the checks' fields.
        dc: The datacenter.
        watch: A blocking read: an index, a `QueryMeta`, or ``(index, wait)``.
        consistency: ``"default"``, ``"consistent"`` or ``"stale"``.
        token: An ACL token for this call only.

    Returns:
        The checks and the read's metadata.

    Raises:
        UsageError: `state` is not one of the four, or another argument is invalid.
    """
    if state not in _STATES:
        raise UsageError(f"state must be one of {', '.join(_STATES)}, not {state!r}")
    return indexed_read(
        f"/v1/health/state/{state}",
        _decode_checks,
        near=near,
        node_meta=node_meta,
        filter=filter,
        dc=dc,
        watch=watch,
        consistency=consistency,
        token=token,
    )
