"""Builders for health: ``/v1/health``.

Every read here is a blocking read returning ``(list, QueryMeta)``; an unknown node, service or
state is an empty list, not an error (Consul answers 200 ``[]``), so `state` checks its
argument itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from consul_core import _params
from consul_core.call import Call
from consul_core.endpoints._common import indexed_read, model_list, name_segment
from consul_core.endpoints._options import (
    IngressHealthReadOptions,
    InstanceHealthReadOptions,
    NamespacedFilteredReadOptions,
    NamespacedNodeReadOptions,
    Unpack,
    builder,
)
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
    passing: bool,
    tag: str | Sequence[str] | None,
    options: IngressHealthReadOptions,
) -> Call[tuple[list[ServiceEntry], QueryMeta]]:
    params: _params.Params = []
    _params.add_flag(params, "passing", passing)
    path = _service_path(kind, name)
    return indexed_read(path, _decode_entries, tag=tag, params=params, **options)


@builder
def node(
    name: str, **options: Unpack[NamespacedFilteredReadOptions]
) -> Call[tuple[list[HealthCheck], QueryMeta]]:
    """List the checks of a node: its node checks and the checks of its service instances.

    Args:
        name: The node's name (or a mapping with ``"Node"``, or a `Node`).

    Returns:
        The checks (empty for an unknown node) and the read's metadata.
    """
    path = f"/v1/health/node/{name_segment(name, 'node', 'Node')}"
    return indexed_read(path, _decode_checks, **options)


@builder
def checks(
    service: str, **options: Unpack[NamespacedNodeReadOptions]
) -> Call[tuple[list[HealthCheck], QueryMeta]]:
    """List the checks of every instance of a service.

    Args:
        service: The service's name (or a mapping with ``"Service"``, or a `NodeService`).

    Returns:
        The checks (empty for an unknown service) and the read's metadata.
    """
    return indexed_read(_service_path("checks", service), _decode_checks, **options)


@builder
def service(
    name: str,
    passing: bool = False,
    tag: str | Sequence[str] | None = None,
    **options: Unpack[InstanceHealthReadOptions],
) -> Call[tuple[list[ServiceEntry], QueryMeta]]:
    """List the instances of a service, each with its node and their checks.

    Args:
        name: The service's name (or a mapping with ``"Service"``, or a `NodeService`).
        passing: Only instances whose checks (node checks included) all pass.
        tag: Only instances with this tag, or with all of these tags.

    Returns:
        The entries (empty for an unknown service) and the read's metadata.
    """
    return _entries("service", name, passing, tag, options)


@builder(like=service)
def connect(
    name: str,
    passing: bool = False,
    tag: str | Sequence[str] | None = None,
    **options: Unpack[InstanceHealthReadOptions],
) -> Call[tuple[list[ServiceEntry], QueryMeta]]:
    """List the Connect-capable instances of a service (its proxies and Connect-native
    instances), each with its node and their checks.
    """
    return _entries("connect", name, passing, tag, options)


@builder(like=service)
def ingress(
    name: str,
    passing: bool = False,
    tag: str | Sequence[str] | None = None,
    **options: Unpack[IngressHealthReadOptions],
) -> Call[tuple[list[ServiceEntry], QueryMeta]]:
    """List the ingress gateways that route to a service, each with its node and their checks
    (Consul 1.8 and later): `passing` and `tag` select gateway instances.

    Args:
        name: The service the gateways route to (or a mapping with ``"Service"``, or a
            `NodeService`).
    """
    return _entries("ingress", name, passing, tag, options)


@builder
def state(
    state: HealthState, **options: Unpack[NamespacedNodeReadOptions]
) -> Call[tuple[list[HealthCheck], QueryMeta]]:
    """List the checks in a state, across the datacenter.

    Args:
        state: ``"any"``, ``"passing"``, ``"warning"`` or ``"critical"``.

    Returns:
        The checks and the read's metadata.

    Raises:
        UsageError: `state` is not one of the four, or another argument is invalid.
    """
    if state not in _STATES:
        raise UsageError(f"state must be one of {', '.join(_STATES)}, not {state!r}")
    return indexed_read(f"/v1/health/state/{state}", _decode_checks, **options)
