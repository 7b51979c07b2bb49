"""Builders for the catalog: ``/v1/catalog``.

Rules:
- A registration or deregistration is Consul's JSON shape (a mapping, possibly holding models)
  or the typed model; both become one JSON body, validated before any request.
- Consul reads the datacenter of a (de)registration from the body, never from ``?dc=``: `dc`
  fills the body's ``Datacenter``, and the client-wide ``dc`` default does not apply.
- A node that does not exist is a 200 with a null body: it raises `NotFound` carrying the meta,
  so that a watcher keeps its index.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from consul_core import _params
from consul_core._codec import decode_json, from_json, to_json
from consul_core.call import Call
from consul_core.endpoints._common import (
    decode_bool,
    decode_str_list,
    indexed_read,
    make_call,
    model_list,
    name_segment,
    scope,
    typed,
)
from consul_core.endpoints._options import (
    CacheControlOptions,
    CallOptions,
    InstanceReadOptions,
    NamespacedFilteredReadOptions,
    NamespacedReadOptions,
    NamespacedWriteOptions,
    NodeServicesReadOptions,
    PartitionedNodeReadOptions,
    Unpack,
    builder,
)
from consul_core.endpoints.checks import check_status
from consul_core.errors import Missing, UsageError
from consul_core.http import Response
from consul_core.meta import QueryMeta
from consul_core.models.catalog import (
    CatalogDeregistration,
    CatalogRegistration,
    CatalogService,
    GatewayService,
    Node,
    NodeServiceList,
    NodeServices,
)

__all__ = [
    "connect",
    "datacenters",
    "deregister",
    "gateway_services",
    "node",
    "node_services",
    "nodes",
    "register",
    "service",
    "services",
]

M = TypeVar("M")

_decode_nodes = model_list(Node)
_decode_catalog_services = model_list(CatalogService)
_decode_gateway_services = model_list(GatewayService)


def _definition(definition: object, model: type[object], dc: str | None) -> dict[str, Any]:
    if not isinstance(definition, (model, Mapping)):
        raise UsageError(
            f"the definition must be a mapping in Consul's shape or a {model.__name__}"
        )
    body: dict[str, Any] = to_json(definition)  # a new dict, nested models encoded
    _params.check_str(body.get("Node"), "the definition's Node")
    if dc is not None:
        body["Datacenter"] = _params.check_str(dc, "dc")
    return body


def _check_registration(body: Mapping[str, Any]) -> None:
    skip = body.get("SkipNodeUpdate", False)
    if not isinstance(skip, bool):
        raise UsageError("SkipNodeUpdate must be a bool")
    if not skip:
        _params.check_str(body.get("Address"), "the definition's Address (or SkipNodeUpdate)")
    for key in ("Service", "Check"):
        if body.get(key) is not None and not isinstance(body[key], Mapping):
            raise UsageError(f"the definition's {key} must be a mapping or a model")
    checks = body.get("Checks")
    if checks is not None and not (
        isinstance(checks, list) and all(isinstance(c, Mapping) for c in checks)
    ):
        raise UsageError("the definition's Checks must be a list of mappings or models")
    # The catalog stores any status it is given, which no health read then counts as one.
    for check in [body.get("Check") or {}, *(checks or ())]:
        if check.get("Status"):  # none: Consul's default, critical
            check_status(check["Status"], "a check's Status")


def _write(path: str, body: dict[str, Any], options: NamespacedWriteOptions) -> Call[bool]:
    # The datacenter travels in the body: the call takes none of the client's defaults but its
    # namespace and partition.
    token = options.get("token")
    return make_call("PUT", path, decode_bool, token=token, body=body, **scope(options))


@builder
def register(
    definition: Mapping[str, Any] | CatalogRegistration, **options: Unpack[NamespacedWriteOptions]
) -> Call[bool]:
    """Register a node, and optionally a service instance and checks on it, in the catalog.

    Args:
        definition: Consul's shape (``{"Node": ..., "Address": ..., "Service": {...},
            "Check": {...}, "Checks": [...], "NodeMeta": {...}, "TaggedAddresses": {...},
            "SkipNodeUpdate": ...}``; values may be models) or a `CatalogRegistration`.
        dc: The datacenter (sets the body's ``Datacenter``).

    Returns:
        True.

    Raises:
        UsageError: The definition lacks ``Node``, lacks ``Address`` without
            ``SkipNodeUpdate``, or is malformed.
    """
    body = _definition(definition, CatalogRegistration, options.get("dc"))
    _check_registration(body)
    return _write("/v1/catalog/register", body, options)


@builder
def deregister(
    definition: Mapping[str, Any] | CatalogDeregistration, **options: Unpack[NamespacedWriteOptions]
) -> Call[bool]:
    """Remove a node, or one of its service instances or checks, from the catalog.

    Args:
        definition: Consul's shape (``{"Node": ...}`` for the whole node, plus ``"ServiceID"``
            or ``"CheckID"`` for one service instance or check) or a `CatalogDeregistration`.
        dc: The datacenter (sets the body's ``Datacenter``).

    Returns:
        True (also when there was nothing to remove).

    Raises:
        UsageError: The definition lacks ``Node``, has an empty ``ServiceID`` or ``CheckID``
            (which would remove the whole node), or is malformed.
    """
    body = _definition(definition, CatalogDeregistration, options.get("dc"))
    for key in ("ServiceID", "CheckID"):
        # Consul reads an empty one as none given, and removes the whole node.
        if key in body and not body[key]:
            raise UsageError(
                f"the definition's {key} must not be empty (leave it out to remove the node)"
            )
    return _write("/v1/catalog/deregister", body, options)


@builder
def datacenters(**options: Unpack[CallOptions]) -> Call[list[str]]:
    """List the known datacenters, nearest first (by the servers' WAN coordinates).

    Returns:
        The datacenters' names.
    """
    return make_call("GET", "/v1/catalog/datacenters", decode_str_list, **options)


@builder
def nodes(**options: Unpack[PartitionedNodeReadOptions]) -> Call[tuple[list[Node], QueryMeta]]:
    """List the nodes of a datacenter.

    Returns:
        The nodes and the read's metadata.
    """
    return indexed_read("/v1/catalog/nodes", _decode_nodes, **options)


_decode_service_names = typed(dict[str, list[str]])


class _ServiceNamesOptions(NamespacedFilteredReadOptions, CacheControlOptions, total=False):
    """`services`' options: its ``cached`` and ``node_meta`` are its own parameters."""


@builder
def services(
    *,
    node_meta: Mapping[str, str] | None = None,
    cached: bool = False,
    **options: Unpack[_ServiceNamesOptions],
) -> Call[tuple[dict[str, list[str]], QueryMeta]]:
    """List the services of a datacenter with the union of their instances' tags.

    Args:
        node_meta: Only services on nodes with all these metadata pairs.
        cached: Read through the agent's cache (not with ``consistency="consistent"``).
        filter: A filter expression over the instances (honoured by newer Consul versions;
            1.8 ignores it).

    Returns:
        A map of service name to tags, and the read's metadata.
    """
    return indexed_read(
        "/v1/catalog/services",
        _decode_service_names,
        node_meta=node_meta,
        cached=cached,
        **options,
    )


def _instances(
    kind: str, name: object, tag: str | Sequence[str] | None, options: InstanceReadOptions
) -> Call[tuple[list[CatalogService], QueryMeta]]:
    path = f"/v1/catalog/{kind}/{name_segment(name, 'service', 'Service')}"
    return indexed_read(path, _decode_catalog_services, tag=tag, **options)


@builder
def service(
    name: str, tag: str | Sequence[str] | None = None, **options: Unpack[InstanceReadOptions]
) -> Call[tuple[list[CatalogService], QueryMeta]]:
    """List the instances of a service.

    Args:
        name: The service's name (or a mapping with ``"Service"``, or a `NodeService`).
        tag: Only instances with this tag, or with all of these tags.

    Returns:
        The instances (empty for an unknown service) and the read's metadata.
    """
    return _instances("service", name, tag, options)


@builder(like=service)
def connect(
    name: str, tag: str | Sequence[str] | None = None, **options: Unpack[InstanceReadOptions]
) -> Call[tuple[list[CatalogService], QueryMeta]]:
    """List the Connect-capable instances of a service: its proxies and Connect-native instances."""
    return _instances("connect", name, tag, options)


def _node_read(
    kind: str, cls: type[M], name: object, options: NamespacedFilteredReadOptions
) -> Call[tuple[M, QueryMeta]]:
    # Consul answers 200 with `null` (node) or `{"Node": null, ...}` (node-services) for a node
    # it does not know.
    def decode(response: Response) -> M:
        data = decode_json(response.body)
        if data is None or (isinstance(data, Mapping) and data.get("Node") is None):
            raise Missing("no such node")
        return from_json(cls, data)

    return indexed_read(
        f"/v1/catalog/{kind}/{name_segment(name, 'node', 'Node')}", decode, **options
    )


@builder
def node(
    name: str, **options: Unpack[NamespacedFilteredReadOptions]
) -> Call[tuple[NodeServices, QueryMeta]]:
    """Read a node and its service instances, by instance ID.

    Args:
        name: The node's name (or a mapping with ``"Node"``, or a `Node`).

    Returns:
        The node with its services, and the read's metadata.

    Raises:
        NotFound: The node is not in the catalog; ``.meta.index`` is the index to watch from.
    """
    return _node_read("node", NodeServices, name, options)


@builder(like=node)
def node_services(
    name: str, **options: Unpack[NodeServicesReadOptions]
) -> Call[tuple[NodeServiceList, QueryMeta]]:
    """Read a node and the list of its service instances (Consul 1.7.2 and later)."""
    return _node_read("node-services", NodeServiceList, name, options)


@builder
def gateway_services(
    gateway: str, **options: Unpack[NamespacedReadOptions]
) -> Call[tuple[list[GatewayService], QueryMeta]]:
    """List the services linked to a terminating or ingress gateway (Consul 1.8 and later).

    Args:
        gateway: The gateway service's name (or a mapping with ``"Service"``, or a
            `NodeService`).

    Returns:
        The links (empty for a gateway without a config entry) and the read's metadata.
    """
    path = f"/v1/catalog/gateway-services/{name_segment(gateway, 'gateway', 'Service')}"
    return indexed_read(path, _decode_gateway_services, **options)
