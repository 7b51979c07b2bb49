"""Golden requests and recorded responses for the local agent itself (no I/O)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from consul_core import NotFound, PermissionDenied, Response, UsageError
from consul_core.call import Call
from consul_core.endpoints import agent
from consul_core.models.agent import (
    AgentConfig,
    GaugeValue,
    MemberStatus,
    SampledValue,
)
from consul_core.models.coordinate import NetworkCoordinate

# Recorded from Consul 1.8.7 (DebugConfig and Stats trimmed).
SELF_BODY = b"""{
    "Config": {
        "Datacenter": "dc1",
        "NodeName": "node-122b67ff",
        "NodeID": "a97bf9c7-6fe9-a509-7754-f602ec27bcf9",
        "Revision": "",
        "Server": true,
        "Version": "1.8.7"
    },
    "DebugConfig": {"ACLDefaultPolicy": "allow", "ACLToken": "hidden", "DevMode": true},
    "Coord": {"Vec": [0, 0, 0, 0, 0, 0, 0, 0], "Error": 1.5, "Adjustment": 0, "Height": 1e-05},
    "Member": {
        "Name": "node-122b67ff",
        "Addr": "127.0.0.1",
        "Port": 45285,
        "Tags": {"acls": "1", "build": "1.8.7:", "dc": "dc1", "role": "consul"},
        "Status": 1,
        "ProtocolMin": 1,
        "ProtocolMax": 5,
        "ProtocolCur": 2,
        "DelegateMin": 2,
        "DelegateMax": 5,
        "DelegateCur": 4
    },
    "Stats": {
        "agent": {"check_monitors": "0", "check_ttls": "0", "checks": "0", "services": "0"},
        "consul": {"acl": "enabled", "leader": "true", "server": "true"}
    },
    "Meta": {"consul-network-segment": ""}
}"""
METRICS_BODY = b"""{
    "Timestamp": "2026-11-27 13:18:50 +0000 UTC",
    "Gauges": [{"Name": "consul.autopilot.healthy", "Value": 1, "Labels": {}}],
    "Points": [],
    "Counters": [
        {
            "Name": "consul.client.rpc",
            "Count": 7,
            "Rate": 0.7,
            "Sum": 7,
            "Min": 1,
            "Max": 1,
            "Mean": 1,
            "Stddev": 0,
            "Labels": {}
        }
    ],
    "Samples": [
        {
            "Name": "consul.acl.ResolveToken",
            "Count": 9,
            "Rate": 0.08831570176407695,
            "Sum": 0.8831570176407695,
            "Min": 0.009889000095427036,
            "Max": 0.6016380190849304,
            "Mean": 0.09812855751564105,
            "Stddev": 0.19443193874258366,
            "Labels": {}
        }
    ]
}"""
HOST_BODY = b"""{
    "Memory": {"total": 25276063744, "available": 24757542912, "usedPercent": 1.08},
    "CPU": [{"cpu": 0, "vendorId": "AuthenticAMD", "cores": 1, "modelName": "AMD EPYC"}],
    "Host": {"hostname": "vm", "uptime": 803, "os": "linux", "platform": "debian"},
    "Disk": {"path": "/", "fstype": "ext2/ext3", "total": 270553174016},
    "CollectionTime": 1795785548297674184,
    "Errors": null
}"""
DENIED = Response(403, {}, b"ACL not found")


def test_info_parse() -> None:
    call = agent.info(token="t")
    assert (call.request.method, call.request.target, call.request.token) == (
        "GET",
        "/v1/agent/self",
        "t",
    )
    info = call.parse(Response(200, {}, SELF_BODY))
    assert info.config == AgentConfig(
        datacenter="dc1",
        node_name="node-122b67ff",
        node_id="a97bf9c7-6fe9-a509-7754-f602ec27bcf9",
        server=True,
        version="1.8.7",
    )
    assert info.member.name == "node-122b67ff"
    assert (info.member.addr, info.member.port) == ("127.0.0.1", 45285)
    assert info.member.status == MemberStatus.ALIVE
    assert info.member.tags["role"] == "consul"
    assert info.coord == NetworkCoordinate(vec=[0.0] * 8, error=1.5, height=1e-05)
    assert info.stats["consul"]["leader"] == "true"
    assert info.debug_config["ACLToken"] == "hidden" and info.debug_config["DevMode"] is True
    assert info.meta == {"consul-network-segment": ""}
    with pytest.raises(PermissionDenied):
        call.parse(DENIED)


def test_metrics_parse() -> None:
    call = agent.metrics()
    assert (call.request.method, call.request.target) == ("GET", "/v1/agent/metrics")
    metrics = call.parse(Response(200, {}, METRICS_BODY))
    assert metrics.timestamp == "2026-11-27 13:18:50 +0000 UTC"
    assert metrics.gauges == [GaugeValue("consul.autopilot.healthy", 1.0)]
    assert metrics.points == []
    assert metrics.counters == [SampledValue("consul.client.rpc", 7, 0.7, 7.0, 1.0, 1.0, 1.0, 0.0)]
    assert metrics.samples[0].name == "consul.acl.ResolveToken"
    assert metrics.samples[0].count == 9


def test_host_parse() -> None:
    call = agent.host()
    assert (call.request.method, call.request.target) == ("GET", "/v1/agent/host")
    host = call.parse(Response(200, {}, HOST_BODY))
    assert host.host["hostname"] == "vm"
    assert host.cpu[0]["modelName"] == "AMD EPYC"
    assert host.memory["total"] == 25276063744
    assert host.disk["path"] == "/"
    assert host.collection_time == 1795785548297674184
    assert host.errors == []


@pytest.mark.parametrize(
    ("call", "target"),
    [
        (agent.disable(), "/v1/agent/maintenance?enable=true"),
        (agent.disable(reason="migrating"), "/v1/agent/maintenance?enable=true&reason=migrating"),
        (agent.enable("done now"), "/v1/agent/maintenance?enable=false&reason=done%20now"),
        (agent.reload(), "/v1/agent/reload"),
        (agent.leave(), "/v1/agent/leave"),
    ],
)
def test_golden_writes(call: Call[bool], target: str) -> None:
    assert (call.request.method, call.request.target, call.request.body) == ("PUT", target, None)
    assert call.parse(Response(200, {}, b"")) is True


@pytest.mark.parametrize(
    "kind",
    [
        "default",
        "agent",
        "agent_recovery",
        "agent_master",
        "replication",
        "config_file_service_registration",
        "dns",
        "acl_replication_token",
    ],
)
def test_update_token(kind: Any) -> None:
    call = agent.update_token(kind, "s3cret", token="master")
    assert (call.request.method, call.request.target) == ("PUT", f"/v1/agent/token/{kind}")
    assert json.loads(call.request.body or b"") == {"Token": "s3cret"}
    assert call.request.token == "master"
    assert "s3cret" not in repr(call.request)
    assert call.parse(Response(200, {}, b"")) is True


def test_update_token_of_a_kind_consul_does_not_know() -> None:
    with pytest.raises(NotFound):
        agent.update_token("default", "").parse(Response(404, {}, b'Token "x" is unknown'))


@pytest.mark.parametrize(
    "build",
    [
        lambda: agent.update_token("bogus", "x"),
        lambda: agent.update_token("default", None),
        lambda: agent.disable(reason=3),
        lambda: agent.enable(token=b"t"),
        lambda: agent.info(token=""),
    ],
)
def test_usage_errors(build: Any) -> None:
    with pytest.raises(UsageError):
        build()
