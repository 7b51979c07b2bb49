"""Golden requests and recorded responses for the Consul Enterprise operator endpoints (no
I/O): network areas, segments, the license, the audit hash and utilization. The replies are the
Consul HTTP API documentation's samples.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from consul_core import NotFound, Response, UsageError
from consul_core.call import Call
from consul_core.endpoints import operator_enterprise as operator
from consul_core.models import Area, AreaJoinResponse, SerfMember

META = {"X-Consul-Index": "12", "X-Consul-KnownLeader": "true"}
AREA_ID = "8f246b77-f3e1-ff88-5b48-8ec93abf3e05"
AREAS_BODY = b"""[
  {
    "ID": "8f246b77-f3e1-ff88-5b48-8ec93abf3e05",
    "PeerDatacenter": "dc2",
    "RetryJoin": ["10.1.2.3", "10.1.2.4", "10.1.2.5"]
  }
]"""
JOIN_BODY = b"""[
  {"Address": "10.1.2.3", "Joined": true, "Error": ""},
  {"Address": "10.1.2.4", "Joined": false, "Error": "i/o timeout"}
]"""
MEMBERS_BODY = b"""[
  {
    "ID": "afc5d95c-1eee-4b46-b85b-0efe4c76dd48",
    "Name": "node-2.dc1",
    "Addr": "127.0.0.2",
    "Port": 8300,
    "Datacenter": "dc1",
    "Role": "server",
    "Build": "0.8.0",
    "Protocol": 2,
    "Status": "alive",
    "RTT": 256478
  }
]"""
LICENSE_BODY = b"""{
  "Valid": true,
  "License": {
    "license_id": "2afbf681-0d1a-0649-cb6c-333ec9f0989c",
    "customer_id": "0259271d-8ffc-e85e-0830-c0822c1f5f2b",
    "installation_id": "*",
    "issue_time": "2018-05-21T20:03:35.911567355Z",
    "start_time": "2018-05-21T04:00:00Z",
    "expiration_time": "2019-05-22T03:59:59.999Z",
    "product": "consul",
    "flags": {"package": "premium"},
    "features": ["Automated Backups", "Network Segments"],
    "temporary": false
  },
  "Warnings": []
}"""
UTILIZATION_BODY = (
    b'{"version": "2", "mode": "manual", "checksum": 17512992959032736032, "snapshots": []}'
)


def _target(call: Call[Any]) -> tuple[str, str]:
    return call.request.method, call.request.target


def _body(call: Call[Any]) -> Any:
    return json.loads(call.request.body or b"null")


def test_create_and_update_an_area() -> None:
    call = operator.area_create("dc2", retry_join=["10.1.2.3"], use_tls=False, dc="dc1")
    assert _target(call) == ("POST", "/v1/operator/area?dc=dc1")
    assert _body(call) == {"PeerDatacenter": "dc2", "RetryJoin": ["10.1.2.3"], "UseTLS": False}
    assert call.parse(Response(200, {}, b'{"ID": "%s"}' % AREA_ID.encode())) == AREA_ID
    update = operator.area_update(AREA_ID, use_tls=True)
    assert _target(update) == ("PUT", f"/v1/operator/area/{AREA_ID}")
    assert _body(update) == {"UseTLS": True}
    area = Area(id=AREA_ID, peer_datacenter="dc2", retry_join=["10.1.2.3"])
    whole = operator.area_update(area)
    assert _body(whole) == {"ID": AREA_ID, "PeerDatacenter": "dc2", "RetryJoin": ["10.1.2.3"]}


def test_read_list_join_members_and_delete_areas() -> None:
    listed = operator.area_list(consistency="stale")
    assert _target(listed) == ("GET", "/v1/operator/area?stale")
    areas, meta = listed.parse(Response(200, META, AREAS_BODY))
    assert meta.index == 12
    assert areas == [
        Area(id=AREA_ID, peer_datacenter="dc2", retry_join=["10.1.2.3", "10.1.2.4", "10.1.2.5"])
    ]
    get = operator.area_get({"ID": AREA_ID})
    assert _target(get) == ("GET", f"/v1/operator/area/{AREA_ID}")
    assert get.parse(Response(200, META, AREAS_BODY))[0] == areas[0]
    with pytest.raises(NotFound):
        get.parse(Response(200, META, b"[]"))
    join = operator.area_join(areas[0], ["10.1.2.3", "10.1.2.4"])
    assert _target(join) == ("PUT", f"/v1/operator/area/{AREA_ID}/join")
    assert _body(join) == ["10.1.2.3", "10.1.2.4"]
    assert join.parse(Response(200, {}, JOIN_BODY))[1] == AreaJoinResponse(
        address="10.1.2.4", error="i/o timeout"
    )
    members = operator.area_members(AREA_ID)
    assert _target(members) == ("GET", f"/v1/operator/area/{AREA_ID}/members")
    [member], _ = members.parse(Response(200, META, MEMBERS_BODY))
    assert member == SerfMember(
        id="afc5d95c-1eee-4b46-b85b-0efe4c76dd48",
        name="node-2.dc1",
        addr="127.0.0.2",
        port=8300,
        datacenter="dc1",
        role="server",
        build="0.8.0",
        protocol=2,
        status="alive",
        rtt=timedelta(microseconds=256.478),
    )
    delete = operator.area_delete(AREA_ID)
    assert _target(delete) == ("DELETE", f"/v1/operator/area/{AREA_ID}")
    assert delete.parse(Response(200, {}, b"null")) is True


def test_segments_license_audit_hash_and_utilization() -> None:
    segments = operator.segment_list(dc="dc1")
    assert _target(segments) == ("GET", "/v1/operator/segment?dc=dc1")
    assert segments.parse(Response(200, META, b'["", "alpha", "beta"]'))[0] == ["", "alpha", "beta"]
    license_get = operator.license_get()
    assert _target(license_get) == ("GET", "/v1/operator/license")
    reply, _ = license_get.parse(Response(200, META, LICENSE_BODY))
    assert reply.valid and reply.license is not None
    assert reply.license.license_id == "2afbf681-0d1a-0649-cb6c-333ec9f0989c"
    assert reply.license.issue_time == datetime(2018, 5, 21, 20, 3, 35, 911567, tzinfo=timezone.utc)
    assert reply.license.termination_time is None
    assert reply.license.flags == {"package": "premium"}
    audit = operator.audit_hash("test")
    assert _target(audit) == ("POST", "/v1/operator/audit-hash")
    assert _body(audit) == {"Input": "test"}
    hashed = b'{"Hash": "hmac_sha256:794c39dbc00d4714740199fe79982d02"}'
    assert audit.parse(Response(200, {}, hashed)) == "hmac_sha256:794c39dbc00d4714740199fe79982d02"
    bundle = operator.utilization(message="quarterly", today_only=True)
    assert _target(bundle) == (
        "GET",
        "/v1/operator/utilization?message=quarterly&today_only=true",
    )
    # The bundle is signed: it comes back byte for byte.
    assert bundle.parse(Response(200, META, UTILIZATION_BODY))[0] == UTILIZATION_BODY
    assert _target(operator.utilization(send_report=True)) == (
        "GET",
        "/v1/operator/utilization?send_report=true",
    )


@pytest.mark.parametrize(
    "make",
    [
        lambda: operator.area_create(""),
        lambda: operator.area_create("dc2", retry_join="10.1.2.3"),
        lambda: operator.area_create("dc2", use_tls="yes"),
        lambda: operator.area_update(AREA_ID),
        lambda: operator.area_get(""),
        lambda: operator.area_join(AREA_ID, "10.1.2.3"),
        lambda: operator.audit_hash(b"bytes"),
        lambda: operator.utilization(today_only="yes"),
        lambda: operator.utilization(message=5),
    ],
)
def test_usage_errors(make: Any) -> None:
    with pytest.raises(UsageError):
        make()
