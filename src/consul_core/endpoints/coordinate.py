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
from consul_core.endpoints._options import (
    CallOptions,
    ReadOptions,
    Unpack,
    WriteOptions,
    builder,
)
from consul_core.errors import UsageError
from consul_core.meta import QueryMeta
from consul_core.models.coordinate import CoordinateEntry, DatacenterCoordinates

__all__ = ["datacenters", "node", "nodes", "update"]

DIMENSIONS = 8
_decode_entries = model_list(CoordinateEntry)


@builder
def datacenters(**options: Unpack[CallOptions]) -> Call[list[DatacenterCoordinates]]:
    """List the WAN coordinates of the servers of every known datacenter.

    Returns:
        One entry per datacenter (and network area).
    """
    return make_call(
        "GET", "/v1/coordinate/datacenters", model_list(DatacenterCoordinates), **options
    )


def _read(
    path: str, segment: object, options: ReadOptions
) -> Call[tuple[list[CoordinateEntry], QueryMeta]]:
    params: _params.Params = []
    if segment is not None:
        params.append(("segment", _params.check_str(segment, "segment", empty=True)))
    return indexed_read(path, _decode_entries, params=params, **options)


@builder
def nodes(
    *, segment: str | None = None, **options: Unpack[ReadOptions]
) -> Call[tuple[list[CoordinateEntry], QueryMeta]]:
    """List the LAN coordinates of the nodes of a datacenter (nodes without one are left out).

    Args:
        segment: Only this network segment (Consul Enterprise).

    Returns:
        The coordinates and the read's metadata.
    """
    return _read("/v1/coordinate/nodes", segment, options)


@builder
def node(
    name: str, *, segment: str | None = None, **options: Unpack[ReadOptions]
) -> Call[tuple[list[CoordinateEntry], QueryMeta]]:
    """Read the LAN coordinates of one node (one per network segment).

    Args:
        name: The node's name (or a mapping with ``"Node"``, or a `Node`).
        segment: Only this network segment (Consul Enterprise).

    Returns:
        The coordinates and the read's metadata.

    Raises:
        NotFound: The node has no coordinate (it is unknown, or none was sent yet).
    """
    path = f"/v1/coordinate/node/{name_segment(name, 'node', 'Node')}"
    return _read(path, segment, options)


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


@builder
def update(
    coordinate: Mapping[str, Any] | CoordinateEntry, **options: Unpack[WriteOptions]
) -> Call[bool]:
    """Set the LAN coordinate of a node (one that agents do not update themselves, e.g. an
    external node registered through the catalog).

    Args:
        coordinate: Consul's shape (``{"Node": ..., "Segment": ..., "Coord": {"Vec": [...],
            "Error": ..., "Adjustment": ..., "Height": ...}}``) or a `CoordinateEntry`.

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
    return dc_call("PUT", "/v1/coordinate/update", decode_ok, body=body, **options)
