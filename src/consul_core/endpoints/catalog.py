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
    NO_DEFAULTS,
    decode_bool,
    decode_str_list,
    indexed_read,
    make_call,
    model_list,
    name_segment,
    typed,
)
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


def _definition(definition: object, model: type[object], dc: object) -> dict[str, Any]:
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


def _write(path: str, body: dict[str, Any], token: object) -> Call[bool]:
    return make_call("PUT", path, decode_bool, token=token, body=body, defaults=NO_DEFAULTS)


def register(
    definition: Mapping[str, Any] | CatalogRegistration,
    *,
    dc: str | None = None,
    token: str | None = None,
) -> Call[bool]:
    """Register a node, and optionally a service instance and checks on it, in the catalog.

    Args:
        definition: Consul's shape (``{"Node": ..., "Address": ..., "Service": {...},
            "Check": {...}, "Checks": [...], "NodeMeta": {...}, "TaggedAddresses": {...},
            "SkipNodeUpdate": ...}``; values may be models) or a `CatalogRegistration`.
        dc: The datacenter (sets the body's ``Datacenter``).
        token: An ACL token for this call only.

    Returns:
        True.

    Raises:
        UsageError: The definition lacks ``Node``, lacks ``Address`` without
            ``SkipNodeUpdate``, or is malformed.
    """
    body = _definition(definition, CatalogRegistration, dc)
    _check_registration(body)
    return _write("/v1/catalog/register", body, token)


def deregister(
    definition: Mapping[str, Any] | CatalogDeregistration,
    *,
    dc: str | None = None,
    token: str | None = None,
) -> Call[bool]:
    """Remove a node, or one of its service instances or checks, from the catalog.

    Args:
        definition: Consul's shape (``{"Node": ...}`` for the whole node, plus ``"ServiceID"``
            or ``"CheckID"`` for one service instance or check) or a `CatalogDeregistration`.
        dc: The datacenter (sets the body's ``Datacenter``).
        token: An ACL token for this call only.

    Returns:
        True (also when there was nothing to remove).

    Raises:
        UsageError: The definition lacks ``Node`` or is malformed.
    """
    return _write(
        "/v1/catalog/deregister", _definition(definition, CatalogDeregistration, dc), token
    )


def datacenters(*, token: str | None = None) -> Call[list[str]]:
    """List the known datacenters, nearest first (by the servers' WAN coordinates).

    Args:
        token: An ACL token for this call only.

    Returns:
        The datacenters' names.

    Raises:
        UsageError: An argument is invalid.
    """
    return make_call("GET", "/v1/catalog/datacenters", decode_str_list, token=token)


def nodes(
    *,
    near: str | None = None,
    node_meta: Mapping[str, str] | None = None,
    filter: str | None = None,
    dc: str | None = None,
    watch: _params.Watch | None = None,
    consistency: _params.Consistency | None = None,
    token: str | None = None,
) -> Call[tuple[list[Node], QueryMeta]]:
    """List the nodes of a datacenter.

    Args:
        near: Sort by estimated round trip from this node (``"_agent"``, or ``"_self"``: the
            agent's node).
        node_meta: Only nodes with all these metadata pairs.
        filter: A filter expression over the nodes' fields.
        dc: The datacenter.
        watch: A blocking read: an index, a `QueryMeta`, or ``(index, wait)``.
        consistency: ``"default"``, ``"consistent"`` or ``"stale"``.
        token: An ACL token for this call only.

    Returns:
        The nodes and the read's metadata.

    Raises:
        UsageError: An argument is invalid.
    """
    return indexed_read(
        "/v1/catalog/nodes",
        _decode_nodes,
        near=near,
        node_meta=node_meta,
        filter=filter,
        dc=dc,
        watch=watch,
        consistency=consistency,
        token=token,
    )


_decode_service_names = typed(dict[str, list[str]])


def services(
    *,
    node_meta: Mapping[str, str] | None = None,
    filter: str | None = None,
    cached: bool = False,
    dc: str | None = None,
    watch: _params.Watch | None = None,
    consistency: _params.Consistency | None = None,
    token: str | None = None,
) -> Call[tuple[dict[str, list[str]], QueryMeta]]:
    """List the services of a datacenter with the union of their instances' tags.

    Args:
        node_meta: Only services on nodes with all these metadata pairs.
        filter: A filter expression over the instances (honoured by newer Consul versions;
            1.8 ignores it).
        cached: Read through the agent's cache (not with ``consistency="consistent"``).
        dc: The datacenter.
        watch: A blocking read: an index, a `QueryMeta`, or ``(index, wait)``.
        consistency: ``"default"``, ``"consistent"`` or ``"stale"``.
        token: An ACL token for this call only.

    Returns:
        A map of service name to tags, and the read's metadata.

    Raises:
        UsageError: An argument is invalid.
    """
    return indexed_read(
        "/v1/catalog/services",
        _decode_service_names,
        node_meta=node_meta,
        filter=filter,
        cached=cached,
        dc=dc,
        watch=watch,
        consistency=consistency,
        token=token,
    )


def _instances(
    kind: str,
    name: object,
    tag: object,
    near: object,
    node_meta: object,
    filter: object,
    cached: object,
    dc: object,
    watch: object,
    consistency: object,
    token: object,
) -> Call[tuple[list[CatalogService], QueryMeta]]:
    return indexed_read(
        f"/v1/catalog/{kind}/{name_segment(name, 'service', 'Service')}",
        _decode_catalog_services,
        tag=tag,
        near=near,
        node_meta=node_meta,
        filter=filter,
        cached=cached,
        dc=dc,
        watch=watch,
        consistency=consistency,
        token=token,
    )


def service(
    name: str,
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
) -> Call[tuple[list[CatalogService], QueryMeta]]:
    """List the instances of a service.

    Args:
        name: The service's name (or a mapping with ``"Service"``, or a `NodeService`).
        tag: Only instances with this tag, or with all of these tags.
        near: Sort by estimated round trip from this node (``"_agent"`` or ``"_self"``).
        node_meta: Only instances on nodes with all these metadata pairs.
        filter: A filter expression over the instances' fields.
        cached: Read through the agent's cache (not with ``consistency="consistent"``).
        dc: The datacenter.
        watch: A blocking read: an index, a `QueryMeta`, or ``(index, wait)``.
        consistency: ``"default"``, ``"consistent"`` or ``"stale"``.
        token: An ACL token for this call only.

    Returns:
        The instances (empty for an unknown service) and the read's metadata.

    Raises:
        UsageError: An argument is invalid.
    """
    return _instances(
        "service", name, tag, near, node_meta, filter, cached, dc, watch, consistency, token
    )


def connect(
    name: str,
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
) -> Call[tuple[list[CatalogService], QueryMeta]]:
    """List the Connect-capable instances of a service: its proxies and Connect-native instances.

    Args:
        name: The service's name (or a mapping with ``"Service"``, or a `NodeService`).
        tag: Only instances with this tag, or with all of these tags.
        near: Sort by estimated round trip from this node (``"_agent"`` or ``"_self"``).
        node_meta: Only instances on nodes with all these metadata pairs.
        filter: A filter expression over the instances' fields.
        cached: Read through the agent's cache (not with ``consistency="consistent"``).
        dc: The datacenter.
        watch: A blocking read: an index, a `QueryMeta`, or ``(index, wait)``.
        consistency: ``"default"``, ``"consistent"`` or ``"stale"``.
        token: An ACL token for this call only.

    Returns:
        The instances and the read's metadata.

    Raises:
        UsageError: An argument is invalid.
    """
    return _instances(
        "connect", name, tag, near, node_meta, filter, cached, dc, watch, consistency, token
    )


def _node_read(
    kind: str,
    cls: type[M],
    name: object,
    filter: object,
    dc: object,
    watch: object,
    consistency: object,
    token: object,
) -> Call[tuple[M, QueryMeta]]:
    # Consul answers 200 with `null` (node) or `{"Node": null, ...}` (node-services) for a node
    # it does not know.
    def decode(response: Response) -> M:
        data = decode_json(response.body)
        if data is None or (isinstance(data, Mapping) and data.get("Node") is None):
            raise Missing("no such node")
        return from_json(cls, data)

    return indexed_read(
        f"/v1/catalog/{kind}/{name_segment(name, 'node', 'Node')}",
        decode,
        filter=filter,
        dc=dc,
        watch=watch,
        consistency=consistency,
        token=token,
    )


def node(
    name: str,
    *,
    filter: str | None = None,
    dc: str | None = None,
    watch: _params.Watch | None = None,
    consistency: _params.Consistency | None = None,
    token: str | None = None,
) -> Call[tuple[NodeServices, QueryMeta]]:
    """Read a node and its service instances, by instance ID.

    Args:
        name: The node's name (or a mapping with ``"Node"``, or a `Node`).
        filter: A filter expression over the node's services.
        dc: The datacenter.
        watch: A blocking read: an index, a `QueryMeta`, or ``(index, wait)``.
        consistency: ``"default"``, ``"consistent"`` or ``"stale"``.
        token: An ACL token for this call only.

    Returns:
        The node with its services, and the read's metadata.

    Raises:
        NotFound: The node is not in the catalog; ``.meta.index`` is the index to watch from.
        UsageError: An argument is invalid.
    """
    return _node_read("node", NodeServices, name, filter, dc, watch, consistency, token)


def node_services(
    name: str,
    *,
    filter: str | None = None,
    dc: str | None = None,
    watch: _params.Watch | None = None,
    consistency: _params.Consistency | None = None,
    token: str | None = None,
) -> Call[tuple[NodeServiceList, QueryMeta]]:
    """Read a node and the list of its service instances (Consul 1.7.2 and later).

    Args:
        name: The node's name (or a mapping with ``"Node"``, or a `Node`).
        filter: A filter expression over the node's services.
        dc: The datacenter.
        watch: A blocking read: an index, a `QueryMeta`, or ``(index, wait)``.
        consistency: ``"default"``, ``"consistent"`` or ``"stale"``.
        token: An ACL token for this call only.

    Returns:
        The node with its services, and the read's metadata.

    Raises:
        NotFound: The node is not in the catalog; ``.meta.index`` is the index to watch from.
        UsageError: An argument is invalid.
    """
    return _node_read("node-services", NodeServiceList, name, filter, dc, watch, consistency, token)


def gateway_services(
    gateway: str,
    *,
    dc: str | None = None,
    watch: _params.Watch | None = None,
    consistency: _params.Consistency | None = None,
    token: str | None = None,
) -> Call[tuple[list[GatewayService], QueryMeta]]:
    """List the services linked to a terminating or ingress gateway (Consul 1.8 and later).

    Args:
        gateway: The gateway service's name (or a mapping with ``"Service"``, or a
            `NodeService`).
        dc: The datacenter.
        watch: A blocking read: an index, a `QueryMeta`, or ``(index, wait)``.
        consistency: ``"default"``, ``"consistent"`` or ``"stale"``.
        token: An ACL token for this call only.

    Returns:
        The links (empty for a gateway without a config entry) and the read's metadata.

    Raises:
        UsageError: An argument is invalid.
    """
    return indexed_read(
        f"/v1/catalog/gateway-services/{name_segment(gateway, 'gateway', 'Service')}",
        _decode_gateway_services,
        dc=dc,
        watch=watch,
        consistency=consistency,
        token=token,
    )
