"""Golden requests and recorded responses for user events (no I/O)."""

from __future__ import annotations

from typing import Any

import pytest

from consul_core import PermissionDenied, Response, ServerError, UsageError
from consul_core.call import Call
from consul_core.endpoints import event
from consul_core.models.event import Event

# Recorded from Consul 1.8.7.
FIRE_BODY = b"""{
    "ID": "7b9c4599-2ab4-496f-cf39-6f301dfe5daa",
    "Name": "my-event",
    "Payload": "aGVsbG8=",
    "NodeFilter": "foo.*",
    "ServiceFilter": "my-service",
    "TagFilter": "t1",
    "Version": 1,
    "LTime": 0
}"""
LIST_BODY = b"""[
    {"ID": "0d3f7f37-b261-343a-6a3d-b669391d7b72", "Name": "empty-ev", "Payload": null,
     "NodeFilter": "", "ServiceFilter": "", "TagFilter": "", "Version": 1, "LTime": 3},
    {"ID": "cbb44bf2-11ed-6e8a-9c66-0d90921c3f06", "Name": "x", "Payload": "cA==",
     "NodeFilter": "", "ServiceFilter": "", "TagFilter": "", "Version": 1, "LTime": 5}
]"""


def test_fire_golden() -> None:
    call = event.fire("my-event", b"hello", service="my-service", node="foo.*", tag="t1")
    assert (call.request.method, call.request.target) == (
        "PUT",
        "/v1/event/fire/my-event?node=foo.%2A&service=my-service&tag=t1",
    )
    assert call.request.body == b"hello"
    assert call.parse(Response(200, {}, FIRE_BODY)) == Event(
        id="7b9c4599-2ab4-496f-cf39-6f301dfe5daa",
        name="my-event",
        payload=b"hello",
        node_filter="foo.*",
        service_filter="my-service",
        tag_filter="t1",
        version=1,
    )


@pytest.mark.parametrize(
    ("call", "target", "body"),
    [
        (event.fire("deploy"), "/v1/event/fire/deploy", None),
        (event.fire("deploy", b""), "/v1/event/fire/deploy", None),
        (event.fire("a/b", "é", dc="dc2"), "/v1/event/fire/a%2Fb?dc=dc2", "é".encode()),
    ],
)
def test_fire_requests(call: Call[Event], target: str, body: bytes | None) -> None:
    assert (call.request.method, call.request.target, call.request.body) == ("PUT", target, body)


@pytest.mark.parametrize(
    ("call", "target"),
    [
        (event.items(), "/v1/event/list"),
        (event.items("my-event"), "/v1/event/list?name=my-event"),
        # The list's index is a hash of an event ID: a full uint64 is sent as is.
        (
            event.items(watch=(7422716543764287304, "30s")),
            "/v1/event/list?index=7422716543764287304&wait=30s",
        ),
    ],
)
def test_list_requests(call: Call[object], target: str) -> None:
    assert (call.request.method, call.request.target) == ("GET", target)
    # An agent-local read: no datacenter, no consistency.
    assert call.request.defaults == frozenset()


def test_parse_list() -> None:
    headers = {"X-Consul-Index": "7422716543764287304"}
    events, meta = event.items().parse(Response(200, headers, LIST_BODY))
    assert [(e.name, e.payload, e.l_time) for e in events] == [
        ("empty-ev", None, 3),
        ("x", b"p", 5),
    ]
    assert meta.index == 7422716543764287304
    empty, meta = event.items("none").parse(Response(200, {"X-Consul-Index": "1"}, b"[]"))
    assert (empty, meta.index) == ([], 1)


def test_error_bodies() -> None:
    # Consul 1.8.7 reports an unknown token on fire as a 500 "ACL not found".
    with pytest.raises(PermissionDenied):
        event.fire("x").parse(Response(500, {}, b"ACL not found"))
    with pytest.raises(PermissionDenied):
        event.items().parse(Response(403, {}, b"ACL not found"))
    with pytest.raises(ServerError, match="tag filter"):
        event.fire("x").parse(
            Response(500, {}, b"Cannot provide tag filter without service filter")
        )


@pytest.mark.parametrize(
    "build",
    [
        lambda: event.fire(""),
        lambda: event.fire("_rexec"),
        lambda: event.fire(3),
        lambda: event.fire("x", 42),
        lambda: event.fire("x", tag="t"),
        lambda: event.fire("x", service=""),
        lambda: event.fire("x", node=1),
        lambda: event.fire("x", dc=""),
        lambda: event.items(""),
        lambda: event.items(watch=-1),
    ],
)
def test_usage_errors(build: Any) -> None:
    with pytest.raises(UsageError):
        build()
