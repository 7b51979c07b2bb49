"""Golden requests and recorded responses for health (no I/O)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from consul_core import PermissionDenied, Response, UsageError
from consul_core._codec import to_json
from consul_core.call import Call
from consul_core.endpoints import health
from consul_core.models.catalog import Node, NodeService
from consul_core.models.health import HealthCheck, HealthCheckDefinition, ServiceEntry

# Recorded from Consul 1.8.7 (trimmed).
CHECKS_BODY = b"""[
    {"Node": "foobar", "CheckID": "http1", "Name": "web", "Status": "warning", "Notes": "",
     "Output": "", "ServiceID": "", "ServiceName": "", "ServiceTags": [], "Type": "http",
     "Definition": {"Interval": "10s", "Timeout": "1s", "DeregisterCriticalServiceAfter": "1m0s",
                    "HTTP": "http://192.168.10.10/health", "TLSSkipVerify": true,
                    "Header": {"X": ["y"]}, "Method": "GET"},
     "CreateIndex": 23, "ModifyIndex": 23},
    {"Node": "foobar", "CheckID": "service:redis1", "Name": "Redis health check",
     "Status": "passing", "Notes": "Script based health check", "Output": "",
     "ServiceID": "redis1", "ServiceName": "redis", "ServiceTags": ["master", "v1"], "Type": "",
     "Definition": {}, "CreateIndex": 16, "ModifyIndex": 16}
]"""
SERVICE_BODY = b"""[
    {"Node": {"ID": "21a9c98e-05b3-a42c-7c34-74ca3505f8ef", "Node": "node-b9a8ef86",
              "Address": "127.0.0.1", "Datacenter": "dc1",
              "TaggedAddresses": {"lan": "127.0.0.1", "wan": "127.0.0.1"},
              "Meta": {"consul-network-segment": ""}, "CreateIndex": 14, "ModifyIndex": 15},
     "Service": {"ID": "consul", "Service": "consul", "Tags": [], "Address": "",
                 "Meta": {"raft_version": "3", "version": "1.8.7"}, "Port": 42369,
                 "Weights": {"Passing": 1, "Warning": 1}, "EnableTagOverride": false,
                 "Proxy": {"MeshGateway": {}, "Expose": {}}, "Connect": {},
                 "CreateIndex": 14, "ModifyIndex": 14},
     "Checks": [{"Node": "node-b9a8ef86", "CheckID": "serfHealth", "Name": "Serf Health Status",
                 "Status": "passing", "Notes": "", "Output": "Agent alive and reachable",
                 "ServiceID": "", "ServiceName": "", "ServiceTags": [], "Type": "",
                 "Definition": {}, "CreateIndex": 14, "ModifyIndex": 14}]}
]"""
META = {"X-Consul-Index": "23", "X-Consul-KnownLeader": "true"}


@pytest.mark.parametrize(
    ("call", "target"),
    [
        (health.node("my-node"), "/v1/health/node/my-node"),
        (
            health.node(Node(node="n1"), filter='Status == "critical"', dc="dc2"),
            "/v1/health/node/n1?dc=dc2&filter=Status%20%3D%3D%20%22critical%22",
        ),
        (health.checks("my-service"), "/v1/health/checks/my-service"),
        (
            health.checks({"Service": "s"}, near="_self", node_meta={"k": "v"}),
            "/v1/health/checks/s?near=_agent&node-meta=k%3Av",
        ),
        (health.service("web"), "/v1/health/service/web"),
        (
            health.service("web", passing=True, tag=["a", "b"], watch=(9, "1m"), cached=True),
            "/v1/health/service/web?index=9&wait=60s&tag=a&tag=b&cached&passing",
        ),
        (health.service(NodeService(service="db"), True), "/v1/health/service/db?passing"),
        (health.connect("web", tag="v1"), "/v1/health/connect/web?tag=v1"),
        (health.ingress("web", consistency="stale"), "/v1/health/ingress/web?stale"),
        # Consul Enterprise 1.19 and later (golden: 1.8.7 ignores sg).
        (health.service("web", sameness_group="grp-1"), "/v1/health/service/web?sg=grp-1"),
        (
            health.connect("web", passing=True, sameness_group="grp 1", ns="team-a"),
            "/v1/health/connect/web?sg=grp%201&passing&ns=team-a",
        ),
        (health.ingress("web", sameness_group="grp-1"), "/v1/health/ingress/web?sg=grp-1"),
        (
            health.state("passing", near="_self"),
            "/v1/health/state/passing?near=_agent",
        ),
        (
            health.state("any", filter="ServiceName != x"),
            "/v1/health/state/any?filter=ServiceName%20%21%3D%20x",
        ),
    ],
)
def test_golden_requests(call: Call[object], target: str) -> None:
    assert (call.request.method, call.request.target, call.request.body) == ("GET", target, None)


# A check's definition as a newer Consul sends it (golden: the fields of the Go client's
# ``api.HealthCheckDefinition``, which Consul 1.8.7 does not send but ``Body``).
NEWER_DEFINITION = {
    "HTTP": "https://10.0.0.1/health", "Header": {"X": ["y"]}, "Method": "POST",
    "Body": "{}", "TLSServerName": "web.example", "TLSSkipVerify": False, "TCP": "",
    "TCPUseTLS": True, "UDP": "10.0.0.1:53", "GRPC": "10.0.0.1:9000/web", "GRPCUseTLS": True,
    "OSService": "w3svc", "SessionName": "s", "Interval": "10s", "Timeout": "1s",
    "DeregisterCriticalServiceAfter": "30s",
}  # fmt: skip


def test_a_newer_consul_s_check_definition_is_read_into_fields_and_written_back() -> None:
    body = json.dumps([{"Node": "n", "CheckID": "c", "Definition": NEWER_DEFINITION}]).encode()
    (check,), _ = health.node("n").parse(Response(200, META, body))
    definition = check.definition
    assert definition.unknown_fields == {}
    assert (definition.body, definition.tls_server_name) == ("{}", "web.example")
    assert (definition.tcp_use_tls, definition.udp) == (True, "10.0.0.1:53")
    assert (definition.grpc, definition.grpc_use_tls) == ("10.0.0.1:9000/web", True)
    assert (definition.os_service, definition.session_name) == ("w3svc", "s")
    assert to_json(definition) == {
        k: v for k, v in NEWER_DEFINITION.items() if v not in ("", False)
    }


def test_cached_reads_take_no_client_consistency_default() -> None:
    scope = {"ns", "partition"}
    assert health.service("web", cached=True).request.defaults == frozenset({"dc", *scope})
    assert health.service("web").request.defaults == frozenset({"dc", "consistency", *scope})


def test_parse_checks() -> None:
    checks, meta = health.node("foobar").parse(Response(200, META, CHECKS_BODY))
    assert checks == [
        HealthCheck(
            node="foobar",
            check_id="http1",
            name="web",
            status="warning",
            type="http",
            definition=HealthCheckDefinition(
                http="http://192.168.10.10/health",
                header={"X": ["y"]},
                method="GET",
                tls_skip_verify=True,
                interval=timedelta(seconds=10),
                timeout=timedelta(seconds=1),
                deregister_critical_service_after=timedelta(minutes=1),
            ),
            create_index=23,
            modify_index=23,
        ),
        HealthCheck(
            node="foobar",
            check_id="service:redis1",
            name="Redis health check",
            status="passing",
            notes="Script based health check",
            service_id="redis1",
            service_name="redis",
            service_tags=["master", "v1"],
            create_index=16,
            modify_index=16,
        ),
    ]
    assert (meta.index, meta.known_leader) == (23, True)
    same, _ = health.state("any").parse(Response(200, META, CHECKS_BODY))
    assert same == checks


def test_parse_service_entries() -> None:
    (entry,), meta = health.service("consul").parse(Response(200, META, SERVICE_BODY))
    assert isinstance(entry, ServiceEntry)
    assert entry.node.node == "node-b9a8ef86"
    assert entry.node.tagged_addresses == {"lan": "127.0.0.1", "wan": "127.0.0.1"}
    assert (entry.service.id, entry.service.port) == ("consul", 42369)
    assert entry.service.meta["version"] == "1.8.7"
    assert [(c.check_id, c.status, c.output) for c in entry.checks] == [
        ("serfHealth", "passing", "Agent alive and reachable")
    ]
    assert meta.index == 23
    empty, _ = health.ingress("nothing").parse(Response(200, META, b"[]"))
    assert empty == []


# The docs' sample reply to GET /v1/health/service/:service (trimmed), as instances that a
# sameness group's member in another partition answers with (Consul Enterprise 1.19 and later).
SAMENESS_GROUP_BODY = b"""[
    {
        "Node": {"ID": "40e4a748-2192-161a-0510-9bf59fe950b5", "Node": "foobar",
                 "Address": "10.1.10.12", "Datacenter": "dc1", "Partition": "part-2",
                 "TaggedAddresses": {"lan": "10.1.10.12", "wan": "10.1.10.12"},
                 "Meta": {"instance_type": "t2.medium"}},
        "Service": {"ID": "redis", "Service": "redis", "Tags": ["primary"],
                    "Address": "10.1.10.12", "Meta": {"redis_version": "4.0"}, "Port": 8000,
                    "Weights": {"Passing": 10, "Warning": 1}, "Namespace": "default",
                    "Partition": "part-2"},
        "Checks": [{"Node": "foobar", "CheckID": "service:redis",
                    "Name": "Service 'redis' check", "Status": "passing", "Notes": "",
                    "Output": "", "ServiceID": "redis", "ServiceName": "redis",
                    "ServiceTags": ["primary"], "Namespace": "default", "Partition": "part-2"}]
    }
]"""


def test_parse_instances_of_a_sameness_group() -> None:
    call = health.service("redis", passing=True, sameness_group="grp-1")
    assert call.request.target == "/v1/health/service/redis?sg=grp-1&passing"
    (entry,), meta = call.parse(Response(200, META, SAMENESS_GROUP_BODY))
    assert (entry.node.node, entry.node.partition) == ("foobar", "part-2")
    assert (entry.service.service, entry.service.port, entry.service.partition) == (
        "redis",
        8000,
        "part-2",
    )
    assert [(c.check_id, c.partition) for c in entry.checks] == [("service:redis", "part-2")]
    assert meta.index == 23


def test_error_body() -> None:
    with pytest.raises(PermissionDenied):
        health.checks("s").parse(Response(403, {"X-Consul-Index": "1"}, b"ACL not found"))


@pytest.mark.parametrize(
    "build",
    [
        lambda: health.state("bogus"),
        lambda: health.state("PASSING"),
        lambda: health.state(None),
        lambda: health.node(""),
        lambda: health.checks(3),
        lambda: health.service("web", passing="yes"),
        lambda: health.service("web", tag=("a", 1)),
        lambda: health.service("web", cached=True, consistency="consistent"),
        lambda: health.connect("web", near=""),
        lambda: health.ingress("web", node_meta={"k": 1}),
        lambda: health.service("web", sameness_group=""),
        lambda: health.connect("web", sameness_group=1),
        lambda: health.checks("web", watch="soon"),
    ],
)
def test_usage_errors(build: Any) -> None:
    with pytest.raises(UsageError):
        build()
