"""Models of network coordinates (Serf's Vivaldi coordinates)."""

from __future__ import annotations

from consul_core._codec import Model

__all__ = ["CoordinateEntry", "DatacenterCoordinates", "NetworkCoordinate"]


class NetworkCoordinate(Model, frozen=True):
    """A Vivaldi network coordinate; the distance of two is an estimate of their round trip.

    Attributes:
        vec: The Euclidean part (8 dimensions in Consul).
        error: The confidence in the coordinate.
        adjustment: A distance offset learned from observed round trips.
        height: The distance from the node to the core of the network.
    """

    vec: list[float] = []
    error: float = 0.0
    adjustment: float = 0.0
    height: float = 0.0


class CoordinateEntry(Model, frozen=True):
    """The coordinate of one node (in one network segment).

    Attributes:
        coord: The coordinate.
        segment: The network segment (Consul Enterprise); empty for the default one.
    """

    node: str
    coord: NetworkCoordinate
    segment: str = ""


class DatacenterCoordinates(Model, frozen=True):
    """The WAN coordinates of the servers of one datacenter.

    Attributes:
        datacenter: The datacenter.
        area_id: The network area (``"wan"`` unless Consul Enterprise areas are used).
        coordinates: The coordinates of its servers.
    """

    datacenter: str
    area_id: str = ""
    coordinates: list[CoordinateEntry] = []
