"""Golden requests and recorded responses for network coordinates (no I/O)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from consul_core import NotFound, Response, ServerError, UsageError
from consul_core.call import Call
from consul_core.endpoints import coordinate
from consul_core.models.coordinate import (
    CoordinateEntry,
    DatacenterCoordinates,
    NetworkCoordinate,
)

# Recorded from Consul 1.8.7.
DATACENTERS_BODY = b"""[
    {"Datacenter": "dc1", "AreaID": "wan",
     "Coordinates": [{"Node": "node-b9a8ef86", "Segment": "",
                      "Coord": {"Vec": [0, 0, 0, 0, 0, 0, 0, 0], "Error": 1.5,
                                "Adjustment": 0, "Height": 1e-05}}]}
]"""
NODES_BODY = b"""[
    {"Node": "foobar", "Segment": "",
     "Coord": {"Vec": [0.1, 0, 0, 0, 0, 0, 0, 0], "Error": 1.5, "Adjustment": 0,
               "Height": 0.00001}}
]"""
VEC = [0.1, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
FOOBAR = CoordinateEntry(node="foobar", coord=NetworkCoordinate(vec=VEC, error=1.5, height=0.00001))


@pytest.mark.parametrize(
    ("call", "target"),
    [
        (coordinate.datacenters(), "/v1/coordinate/datacenters"),
        (coordinate.nodes(), "/v1/coordinate/nodes"),
        (
            coordinate.nodes(dc="dc2", watch=(17, "10s"), consistency="stale", segment="alpha"),
            "/v1/coordinate/nodes?dc=dc2&stale&index=17&wait=10s&segment=alpha",
        ),
        (coordinate.node("foobar"), "/v1/coordinate/node/foobar"),
        (coordinate.node({"Node": "a b"}, watch=4), "/v1/coordinate/node/a%20b?index=4&wait=300s"),
    ],
)
def test_golden_reads(call: Call[object], target: str) -> None:
    assert (call.request.method, call.request.target, call.request.body) == ("GET", target, None)


def test_update_golden() -> None:
    call = coordinate.update(FOOBAR, dc="dc1", token="tok")
    assert (call.request.method, call.request.target) == ("PUT", "/v1/coordinate/update?dc=dc1")
    assert json.loads(call.request.body or b"") == {
        "Node": "foobar",
        "Coord": {"Vec": VEC, "Error": 1.5, "Height": 0.00001},
    }
    assert call.request.token == "tok"
    # Consul answers an accepted update with an empty 200.
    assert call.parse(Response(200, {}, b"")) is True
    mapping = {"Node": "n", "Segment": "", "Coord": {"Vec": [0] * 8, "Error": 1.5}}
    assert json.loads(coordinate.update(mapping).request.body or b"") == mapping


def test_parse_datacenters() -> None:
    assert coordinate.datacenters().parse(Response(200, {}, DATACENTERS_BODY)) == [
        DatacenterCoordinates(
            datacenter="dc1",
            area_id="wan",
            coordinates=[
                CoordinateEntry(
                    node="node-b9a8ef86",
                    coord=NetworkCoordinate(vec=[0.0] * 8, error=1.5, height=1e-05),
                )
            ],
        )
    ]


def test_parse_nodes() -> None:
    headers = {"X-Consul-Index": "17", "X-Consul-KnownLeader": "true"}
    entries, meta = coordinate.nodes().parse(Response(200, headers, NODES_BODY))
    assert entries == [FOOBAR]
    assert meta.index == 17
    same, _ = coordinate.node("foobar").parse(Response(200, headers, NODES_BODY))
    assert same == [FOOBAR]


def test_error_bodies() -> None:
    # A node without a coordinate is a bare 404.
    with pytest.raises(NotFound):
        coordinate.node("nonex").parse(Response(404, {}, b""))
    with pytest.raises(ServerError, match="incompatible coordinate"):
        coordinate.update(FOOBAR).parse(Response(500, {}, b"incompatible coordinate"))


@pytest.mark.parametrize(
    "build",
    [
        lambda: coordinate.node(""),
        lambda: coordinate.nodes(segment=3),
        lambda: coordinate.nodes(consistency="eventual"),
        lambda: coordinate.update("foobar"),
        lambda: coordinate.update({"Coord": {"Vec": [0] * 8}}),
        lambda: coordinate.update({"Node": "n"}),
        lambda: coordinate.update({"Node": "n", "Coord": {"Vec": [0.1]}}),
        lambda: coordinate.update({"Node": "n", "Coord": {"Vec": [0] * 7 + ["x"]}}),
        lambda: coordinate.update({"Node": "n", "Coord": {"Vec": [0] * 8, "Error": float("nan")}}),
        lambda: coordinate.update({"Node": "n", "Coord": {"Vec": [0] * 8, "Height": True}}),
        lambda: coordinate.update({"Node": "n", "Segment": 1, "Coord": {"Vec": [0] * 8}}),
        lambda: coordinate.update(FOOBAR, dc=""),
    ],
)
def test_usage_errors(build: Any) -> None:
    with pytest.raises(UsageError):
        build()
