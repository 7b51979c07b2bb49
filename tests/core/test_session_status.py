"""Golden requests and recorded responses for sessions and status (no I/O)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from consul_core import NotFound, Response, Session, UsageError
from consul_core.endpoints import session, status

# Recorded from Consul 1.8.7.
INFO_BODY = b"""[
    {
        "ID": "f842654e-309c-a6a9-a16d-15f4dbaaaf3e",
        "Name": "rec",
        "Node": "node-2eba7d08",
        "LockDelay": 15000000000,
        "Behavior": "release",
        "TTL": "15s",
        "NodeChecks": ["serfHealth"],
        "ServiceChecks": null,
        "CreateIndex": 17,
        "ModifyIndex": 17
    }
]"""
SID = "f842654e-309c-a6a9-a16d-15f4dbaaaf3e"


def test_create_body_merges_spec_and_keywords() -> None:
    call = session.create(
        {"Name": "n", "Behavior": "release"}, ttl=timedelta(seconds=30), lock_delay=0, checks=[]
    )
    assert (call.request.method, call.request.target) == ("PUT", "/v1/session/create")
    assert json.loads(call.request.body or b"") == {
        "Name": "n",
        "Behavior": "release",
        "TTL": "30s",
        "LockDelay": "0s",
        "Checks": [],
    }
    assert call.parse(Response(200, {}, b'{"ID": "%s"}' % SID.encode())) == SID


@pytest.mark.parametrize(
    ("call", "method", "target"),
    [
        (session.destroy(SID), "PUT", f"/v1/session/destroy/{SID}"),
        (
            session.info({"ID": SID}, consistency="consistent"),
            "GET",
            f"/v1/session/info/{SID}?consistent",
        ),
        (session.renew(SID, dc="dc1"), "PUT", f"/v1/session/renew/{SID}?dc=dc1"),
        (session.node("node a"), "GET", "/v1/session/node/node%20a"),
        (session.items(watch=(5, "1m")), "GET", "/v1/session/list?index=5&wait=60s"),
        (status.leader(), "GET", "/v1/status/leader"),
        (status.peers(dc="dc2"), "GET", "/v1/status/peers?dc=dc2"),
    ],
)
def test_golden_requests(call: session.Call[object], method: str, target: str) -> None:
    assert (call.request.method, call.request.target) == (method, target)


def test_parse_info() -> None:
    info, meta = session.info(SID).parse(Response(200, {"X-Consul-Index": "17"}, INFO_BODY))
    assert info == Session(
        id=SID,
        name="rec",
        node="node-2eba7d08",
        node_checks=["serfHealth"],
        lock_delay=timedelta(seconds=15),
        behavior="release",
        ttl=timedelta(seconds=15),
        create_index=17,
        modify_index=17,
    )
    assert meta.index == 17


def test_missing_session_is_not_found() -> None:
    with pytest.raises(NotFound):
        session.info(SID).parse(Response(200, {"X-Consul-Index": "3"}, b"[]\n"))
    with pytest.raises(NotFound, match="not found"):
        session.renew(SID).parse(Response(404, {}, f"Session id '{SID}' not found".encode()))


def test_status_parsing() -> None:
    assert status.leader().parse(Response(200, {}, b'"127.0.0.1:8300"')) == "127.0.0.1:8300"
    assert status.peers().parse(Response(200, {}, b'["127.0.0.1:8300"]')) == ["127.0.0.1:8300"]


@pytest.mark.parametrize(
    "make",
    [
        lambda: session.create(ttl="5s"),
        lambda: session.create(ttl="25h"),
        lambda: session.create(behavior="drop"),
        lambda: session.create(checks="serfHealth"),
        lambda: session.create("spec"),
        lambda: session.destroy(""),
        lambda: session.info(None),
        lambda: session.node({"Name": "x"}),
    ],
)
def test_usage_errors(make: object) -> None:
    with pytest.raises(UsageError):
        make()  # type: ignore[operator]
