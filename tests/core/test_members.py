"""Golden requests and recorded responses for the agent's Serf members (no I/O)."""

from __future__ import annotations

from typing import Any

import pytest

from consul_core import NotFound, Response, ServerError, UsageError
from consul_core.call import Call
from consul_core.endpoints import members
from consul_core.models.agent import Member, MemberStatus

# Recorded from Consul 1.8.7: GET /v1/agent/members?wan=1 (tags trimmed).
WAN_MEMBERS_BODY = b"""[
    {
        "Name": "node-122b67ff.dc1",
        "Addr": "127.0.0.1",
        "Port": 42099,
        "Tags": {"dc": "dc1", "role": "consul", "port": "59421"},
        "Status": 1,
        "ProtocolMin": 1,
        "ProtocolMax": 5,
        "ProtocolCur": 2,
        "DelegateMin": 2,
        "DelegateMax": 5,
        "DelegateCur": 4
    }
]"""
JOIN_FAILED = b"""1 error occurred:
\t* Failed to join 127.0.0.1: dial tcp 127.0.0.1:1: connect: connection refused

"""


def test_items_parse() -> None:
    call = members.items(wan=True)
    assert (call.request.method, call.request.target) == ("GET", "/v1/agent/members?wan=true")
    assert call.parse(Response(200, {}, WAN_MEMBERS_BODY)) == [
        Member(
            name="node-122b67ff.dc1",
            addr="127.0.0.1",
            port=42099,
            tags={"dc": "dc1", "role": "consul", "port": "59421"},
            status=MemberStatus.ALIVE,
            protocol_min=1,
            protocol_max=5,
            protocol_cur=2,
            delegate_min=2,
            delegate_max=5,
            delegate_cur=4,
        )
    ]
    assert members.items().request.target == "/v1/agent/members"
    assert members.items(segment="_all").request.target == "/v1/agent/members?segment=_all"


@pytest.mark.parametrize(
    ("call", "target"),
    [
        (members.join("10.11.12.13"), "/v1/agent/join/10.11.12.13"),
        (members.join("10.11.12.13:8302", wan=True), "/v1/agent/join/10.11.12.13:8302?wan=true"),
        (members.join("[::1]:8301"), "/v1/agent/join/[::1]:8301"),
        (members.force_leave("my-node"), "/v1/agent/force-leave/my-node"),
        (
            members.force_leave({"Name": "n 1"}, prune=True),
            "/v1/agent/force-leave/n%201?prune=true",
        ),
        (members.force_leave(Member(name="n.dc1")), "/v1/agent/force-leave/n.dc1"),
        # Consul 1.11 and later (golden: 1.8.7 ignores wan and forces the member out as
        # without it).
        (members.force_leave("n.dc2", wan=True), "/v1/agent/force-leave/n.dc2?wan=true"),
        (
            members.force_leave({"Node": "n.dc2"}, prune=True, wan=True),
            "/v1/agent/force-leave/n.dc2?prune=true&wan=true",
        ),
    ],
)
def test_golden_writes(call: Call[bool], target: str) -> None:
    assert (call.request.method, call.request.target, call.request.body) == ("PUT", target, None)
    assert call.parse(Response(200, {}, b"")) is True


def test_force_leave_of_an_unknown_node_is_not_found() -> None:
    with pytest.raises(NotFound, match="No node found"):
        members.force_leave("nonode").parse(
            Response(500, {}, b"agent: No node found with name 'nonode'")
        )


def test_failed_join_is_a_server_error() -> None:
    with pytest.raises(ServerError, match="Failed to join"):
        members.join("127.0.0.1:1").parse(Response(500, {}, JOIN_FAILED))


@pytest.mark.parametrize(
    "build",
    [
        lambda: members.items(wan=1),
        lambda: members.items(segment=2),
        lambda: members.join(""),
        lambda: members.join("10.0.0.1", wan="yes"),
        lambda: members.force_leave(""),
        lambda: members.force_leave("n", prune=None),
        lambda: members.force_leave("n", wan="yes"),
        lambda: members.force_leave("n", wan=1),
    ],
)
def test_usage_errors(build: Any) -> None:
    with pytest.raises(UsageError):
        build()
