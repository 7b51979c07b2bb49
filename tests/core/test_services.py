"""Golden requests and recorded responses for the local agent's services (no I/O)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from consul_core import NotFound, Response, UsageError
from consul_core.call import Call
from consul_core.endpoints import services
from consul_core.models.agent_checks import CheckRegistration
from consul_core.models.agent_services import AgentService, ServiceRegistration
from consul_core.models.catalog import ServiceAddress, Weights

# Recorded from Consul 1.8.7 (trimmed).
SERVICE_BODY = b"""{
    "ID": "redis1",
    "Service": "redis",
    "Tags": ["master", "v1"],
    "Meta": {"a": "b"},
    "Port": 6379,
    "Address": "127.0.0.1",
    "TaggedAddresses": {
        "lan": {"Address": "127.0.0.1", "Port": 6379},
        "wan_ipv4": {"Address": "127.0.0.1", "Port": 6379}
    },
    "Weights": {"Passing": 5, "Warning": 2},
    "EnableTagOverride": true,
    "ContentHash": "e2e0d296c4eee317"
}"""
SERVICES_BODY = b"""{
    "s5": {
        "ID": "s5",
        "Service": "s5",
        "Tags": [],
        "Meta": {},
        "Port": 8080,
        "Address": "",
        "Weights": {"Passing": 1, "Warning": 1},
        "EnableTagOverride": false,
        "Connect": {"Native": true}
    },
    "web-sidecar-proxy": {
        "Kind": "connect-proxy",
        "ID": "web-sidecar-proxy",
        "Service": "web-sidecar-proxy",
        "Tags": [],
        "Meta": {},
        "Port": 21000,
        "Address": "",
        "Weights": {"Passing": 1, "Warning": 1},
        "EnableTagOverride": false,
        "Proxy": {
            "DestinationServiceName": "web",
            "DestinationServiceID": "web",
            "LocalServiceAddress": "127.0.0.1",
            "LocalServicePort": 8080,
            "MeshGateway": {},
            "Expose": {}
        }
    }
}"""
HEALTH_BODY = b"""{
    "AggregatedStatus": "critical",
    "Service": {
        "ID": "redis1",
        "Service": "redis",
        "Tags": ["master", "v1"],
        "Meta": {},
        "Port": 6379,
        "Address": "127.0.0.1",
        "Weights": {"Passing": 1, "Warning": 1},
        "EnableTagOverride": false
    },
    "Checks": [
        {
            "Node": "node-122b67ff",
            "CheckID": "service:redis1:2",
            "Name": "r tcp",
            "Status": "critical",
            "Notes": "",
            "Output": "dial tcp 127.0.0.1:1: connect: connection refused",
            "ServiceID": "redis1",
            "ServiceName": "redis",
            "ServiceTags": ["master", "v1"],
            "Type": "",
            "Definition": {
                "Interval": "0s",
                "Timeout": "0s",
                "DeregisterCriticalServiceAfter": "0s",
                "HTTP": "",
                "Header": null,
                "Method": "",
                "Body": "",
                "TLSSkipVerify": false,
                "TCP": ""
            },
            "CreateIndex": 0,
            "ModifyIndex": 0
        }
    ]
}"""
UNKNOWN_SERVICE = Response(500, {}, b'Unknown service {"nope" {}}')
UNKNOWN_SERVICE_ID = Response(404, {}, b"unknown service ID: nope")


def _body(call: Call[Any]) -> Any:
    return json.loads(call.request.body or b"null")


def test_register_mapping_example_from_the_docs() -> None:
    call = services.register({"ID": "redis1", "Name": "redis", "Tags": ["master", "v1"]})
    assert (call.request.method, call.request.target) == ("PUT", "/v1/agent/service/register")
    assert _body(call) == {"ID": "redis1", "Name": "redis", "Tags": ["master", "v1"]}
    assert call.parse(Response(200, {}, b"")) is True


def test_register_model_with_checks_weights_and_addresses() -> None:
    registration = ServiceRegistration(
        name="redis",
        id="redis1",
        tags=["v1"],
        port=6379,
        meta={"a": "b"},
        weights=Weights(passing=1, warning=1),
        tagged_addresses={"lan": ServiceAddress("10.0.0.1", 6379)},
        check=CheckRegistration(name="ttl", id="redis1-ttl", ttl=timedelta(seconds=30)),
        checks=[CheckRegistration(name="tcp", tcp="127.0.0.1:6379", interval=10)],
        connect={"Native": True},
    )
    call = services.register(registration, replace_existing_checks=True)
    assert call.request.target == "/v1/agent/service/register?replace-existing-checks=true"
    assert _body(call) == {
        "Name": "redis",
        "ID": "redis1",
        "Tags": ["v1"],
        "Port": 6379,
        "TaggedAddresses": {"lan": {"Address": "10.0.0.1", "Port": 6379}},
        "Meta": {"a": "b"},
        "Weights": {"Passing": 1, "Warning": 1},
        "Check": {"CheckID": "redis1-ttl", "Name": "ttl", "TTL": "30s"},
        "Checks": [{"Name": "tcp", "TCP": "127.0.0.1:6379", "Interval": "10s"}],
        "Connect": {"Native": True},
    }


def test_register_mapping_renames_service_check_ids() -> None:
    call = services.register(
        {"Name": "web", "Checks": [{"ID": "web-ttl", "TTL": "1m"}], "Weights": {"Passing": 3}}
    )
    assert _body(call) == {
        "Name": "web",
        "Checks": [{"CheckID": "web-ttl", "TTL": "60s"}],
        "Weights": {"Passing": 3, "Warning": 1},
    }


def test_register_reads_field_names_as_consul_does() -> None:
    # Go's JSON decoding ignores case and the agent takes snake case: a definition spelled as in
    # an agent's configuration file (lowercase) registers, its fields checked as Consul's own.
    call = services.register(
        {
            "id": "web-1",
            "name": "web",
            "enable_tag_override": True,
            "checks": [{"check_id": "web-ttl", "ttl": "1m"}],
            "meta": {"a": "b"},
        }
    )
    assert _body(call) == {
        "ID": "web-1",
        "Name": "web",
        "EnableTagOverride": True,
        "Checks": [{"CheckID": "web-ttl", "TTL": "60s"}],
        "Meta": {"a": "b"},
    }
    with pytest.raises(UsageError, match="Port must be"):
        services.register({"name": "web", "PORT": "80"})
    with pytest.raises(UsageError, match="Name is given twice, also as 'name'"):
        services.register({"Name": "web", "name": "api"})


@pytest.mark.parametrize(
    ("service", "message"),
    [
        ("redis", "mapping"),
        ({"ID": "redis1"}, "Name"),
        ({"Name": "redis", "Tags": "master"}, "Tags"),
        ({"Name": "redis", "Port": "6379"}, "Port"),
        ({"Name": "redis", "Port": 70000}, "Port"),
        ({"Name": "redis", "Meta": {"a": 1}}, "Meta"),
        ({"Name": "redis", "Weights": {"Passing": 0}}, "Passing"),
        ({"Name": "redis", "TaggedAddresses": {"lan": "10.0.0.1"}}, "TaggedAddresses"),
        ({"Name": "redis", "Check": {"TTL": "never"}}, "TTL"),
        ({"Name": "redis", "Checks": {"TTL": "5s"}}, "Checks"),
        ({"Name": "redis", "Connect": True}, "Connect"),
        ({"Name": "redis", "EnableTagOverride": 1}, "EnableTagOverride"),
    ],
)
def test_register_refuses_bad_registrations(service: Any, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        services.register(service)


def test_items_parse_and_filter() -> None:
    call = services.items(filter="Port == 8080")
    assert call.request.target == "/v1/agent/services?filter=Port%20%3D%3D%208080"
    found = call.parse(Response(200, {}, SERVICES_BODY))
    assert sorted(found) == ["s5", "web-sidecar-proxy"]
    assert found["s5"].connect.native is True
    proxy = found["web-sidecar-proxy"]
    assert proxy.kind == "connect-proxy"
    assert (proxy.proxy.destination_service_id, proxy.proxy.local_service_port) == ("web", 8080)


def test_info_parse() -> None:
    call = services.info({"ID": "redis1"})
    assert (call.request.method, call.request.target) == ("GET", "/v1/agent/service/redis1")
    headers = {"X-Consul-Contenthash": "e2e0d296c4eee317"}
    assert call.parse(Response(200, headers, SERVICE_BODY)) == AgentService(
        id="redis1",
        service="redis",
        tags=["master", "v1"],
        meta={"a": "b"},
        port=6379,
        address="127.0.0.1",
        tagged_addresses={
            "lan": ServiceAddress("127.0.0.1", 6379),
            "wan_ipv4": ServiceAddress("127.0.0.1", 6379),
        },
        weights=Weights(passing=5, warning=2),
        enable_tag_override=True,
        content_hash="e2e0d296c4eee317",
    )
    with pytest.raises(NotFound, match="unknown service ID"):
        call.parse(UNKNOWN_SERVICE_ID)


def test_info_watch_blocks_on_the_content_hash() -> None:
    seen = AgentService(id="redis1", content_hash="e2e0d296c4eee317")
    call = services.info("redis1", watch=(seen, "30s"))
    assert call.request.target == "/v1/agent/service/redis1?hash=e2e0d296c4eee317&wait=30s"
    assert call.request.timeout is not None and call.request.timeout > 30 + 30 / 16
    default = services.info("redis1", watch="abc").request
    assert default.target == "/v1/agent/service/redis1?hash=abc&wait=300s"


@pytest.mark.parametrize(
    ("call", "target"),
    [
        (
            services.disable({"ID": "redis1"}, reason="migrating"),
            "/v1/agent/service/maintenance/redis1?enable=true&reason=migrating",
        ),
        (
            services.enable("redis1", "done"),
            "/v1/agent/service/maintenance/redis1?enable=false&reason=done",
        ),
        (services.enable({"Name": "redis"}), "/v1/agent/service/maintenance/redis?enable=false"),
        (services.deregister({"ID": "redis1"}), "/v1/agent/service/deregister/redis1"),
        (
            services.deregister(AgentService(id="a/b", service="x")),
            "/v1/agent/service/deregister/a%2Fb",
        ),
    ],
)
def test_golden_writes(call: Call[bool], target: str) -> None:
    assert (call.request.method, call.request.target, call.request.body) == ("PUT", target, None)
    assert call.parse(Response(200, {}, b"")) is True


@pytest.mark.parametrize(
    "call",
    [services.disable("nope"), services.enable("nope"), services.deregister("nope")],
)
def test_unknown_service_is_not_found(call: Call[bool]) -> None:
    with pytest.raises(NotFound, match="Unknown service"):
        call.parse(UNKNOWN_SERVICE)


def test_health_by_id_decodes_every_aggregated_status() -> None:
    call = services.health("redis1")
    assert call.request.target == "/v1/agent/health/service/id/redis1?format=json"
    for status in (200, 429, 503):
        health = call.parse(Response(status, {"X-Consul-Reason": "critical"}, HEALTH_BODY))
        assert health.aggregated_status == "critical"
        assert health.service.id == "redis1"
        assert [c.check_id for c in health.checks] == ["service:redis1:2"]
        assert health.checks[0].definition.interval == timedelta(0)
    missing = b'{"AggregatedStatus": "critical", "Service": null, "Checks": null}'
    with pytest.raises(NotFound):
        call.parse(Response(404, {}, missing))


def test_health_by_name() -> None:
    call = services.health_by_name(AgentService(id="redis1", service="redis"))
    assert call.request.target == "/v1/agent/health/service/name/redis?format=json"
    entries = call.parse(Response(503, {}, b"[" + HEALTH_BODY + b"]"))
    assert [e.service.id for e in entries] == ["redis1"]
    assert call.parse(Response(404, {}, b"[]")) == []


@pytest.mark.parametrize(
    "build",
    [
        lambda: services.info(""),
        lambda: services.info({"Tags": []}),
        lambda: services.info("redis1", watch=5),
        lambda: services.info("redis1", watch=("abc", "later")),
        lambda: services.disable("redis1", reason=1),
        lambda: services.register({"Name": "x"}, replace_existing_checks="yes"),
        lambda: services.items(filter=["x"]),
        lambda: services.health_by_name({"ID": "redis1"}),
    ],
)
def test_usage_errors(build: Any) -> None:
    with pytest.raises(UsageError):
        build()
