"""Builders for network coordinates: ``/v1/coordinate``.

Rules:
- Consul batches coordinate updates (every few seconds), so a read right after `update` may not
  show it yet.
- Consul's Vivaldi coordinates have 8 dimensions; an update of another size is refused.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from consul_core import _params
from consul_core._codec import to_json
from consul_core.call import Call
from consul_core.endpoints._common import (
    dc_call,
    decode_ok,
    indexed_read,
    make_call,
    model_list,
    name_segment,
)
from consul_core.errors import UsageError
from consul_core.meta import QueryMeta
from consul_core.models.coordinate import CoordinateEntry, DatacenterCoordinates

__all__ = ["datacenters", "node", "nodes", "update"]

DIMENSIONS = 8
_decode_entries = model_list(CoordinateEntry)


def datacenters(*, token: str | None = None) -> Call[list[DatacenterCoordinates]]:
    """List the WAN coordinates of the servers of every known datacenter.

    Args:
        token: An ACL token for this call only.

    Returns:
        One entry per datacenter (and network area).

    Raises:
        UsageError: An argument is invalid.
    """
    return make_call(
        "GET", "/v1/coordinate/datacenters", model_list(DatacenterCoordinates), token=token
    )


def _read(
    path: str, segment: object, dc: object, watch: object, consistency: object, token: object
) -> Call[tuple[list[CoordinateEntry], QueryMeta]]:
    params: _params.Params = []
    if segment is not None:
        params.append(("segment", _params.check_str(segment, "segment", empty=True)))
    return indexed_read(
        path,
        _decode_entries,
        params=params,
        dc=dc,
        watch=watch,
        consistency=consistency,
        token=token,
    )


def nodes(
    *,
    segment: str | None = None,
    dc: str | None = None,
    watch: _params.Watch | None = None,
    consistency: _params.Consistency | None = None,
    token: str | None = None,
) -> Call[tuple[list[CoordinateEntry], QueryMeta]]:
    """List the LAN coordinates of the nodes of a datacenter (nodes without one are left out).

    Args:
        segment: Only this network segment (Consul Enterprise).
        dc: The datacenter.
        watch: A blocking read: an index, a `QueryMeta`, or ``(index, wait)``.
        consistency: ``"default"``, ``"consistent"`` or ``"stale"``.
        token: An ACL token for this call only.

    Returns:
        The coordinates and the read's metadata.

    Raises:
        UsageError: An argument is invalid.
    """
    return _read("/v1/coordinate/nodes", segment, dc, watch, consistency, token)


def node(
    name: str,
    *,
    segment: str | None = None,
    dc: str | None = None,
    watch: _params.Watch | None = None,
    consistency: _params.Consistency | None = None,
    token: str | None = None,
) -> Call[tuple[list[CoordinateEntry], QueryMeta]]:
    """Read the LAN coordinates of one node (one per network segment).

    Args:
        name: The node's name (or a mapping with ``"Node"``, or a `Node`).
        segment: Only this network segment (Consul Enterprise).
        dc: The datacenter.
        watch: A blocking read: an index, a `QueryMeta`, or ``(index, wait)``.
        consistency: ``"default"``, ``"consistent"`` or ``"stale"``.
        token: An ACL token for this call only.

    Returns:
        The coordinates and the read's metadata.

    Raises:
        NotFound: The node has no coordinate (it is unknown, or none was sent yet).
        UsageError: An argument is invalid.
    """
    path = f"/v1/coordinate/node/{name_segment(name, 'node', 'Node')}"
    return _read(path, segment, dc, watch, consistency, token)


def _number(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise UsageError(f"{name} must be a finite number, not {value!r}")
    return float(value)


def _check_coord(coord: object) -> None:
    if not isinstance(coord, Mapping):
        raise UsageError("the coordinate's Coord must be a mapping or a NetworkCoordinate")
    vec = coord.get("Vec")
    if not isinstance(vec, list) or len(vec) != DIMENSIONS:
        raise UsageError(f"the coordinate's Vec must be a list of {DIMENSIONS} numbers")
    for value in vec:
        _number(value, "each value of Vec")
    for key in ("Error", "Adjustment", "Height"):
        _number(coord.get(key, 0.0), key)


def update(
    coordinate: Mapping[str, Any] | CoordinateEntry,
    *,
    dc: str | None = None,
    token: str | None = None,
) -> Call[bool]:
    """Set the LAN coordinate of a node (one that agents do not update themselves, e.g. an
    external node registered through the catalog).

    Args:
        coordinate: Consul's shape (``{"Node": ..., "Segment": ..., "Coord": {"Vec": [...],
            "Error": ..., "Adjustment": ..., "Height": ...}}``) or a `CoordinateEntry`.
        dc: The datacenter.
        token: An ACL token for this call only.

    Returns:
        True once Consul has queued the update.

    Raises:
        UsageError: The coordinate lacks ``Node`` or a well-formed ``Coord``.
    """
    if not isinstance(coordinate, (CoordinateEntry, Mapping)):
        raise UsageError("coordinate must be a mapping in Consul's shape or a CoordinateEntry")
    body: dict[str, Any] = to_json(coordinate)
    _params.check_str(body.get("Node"), "the coordinate's Node")
    _params.check_str(body.get("Segment", ""), "the coordinate's Segment", empty=True)
    _check_coord(body.get("Coord"))
    return dc_call("PUT", "/v1/coordinate/update", decode_ok, body=body, dc=dc, token=token)
