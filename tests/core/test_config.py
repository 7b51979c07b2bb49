"""Golden requests and recorded responses for config entries (no I/O)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from consul_core import BadRequest, NotFound, QueryMeta, Response, UnexpectedResponse, UsageError
from consul_core.call import Call
from consul_core.endpoints import config
from consul_core.models.catalog import ExposeConfig, ExposePath, MeshGatewayConfig
from consul_core.models.config import (
    ConfigEntry,
    ProxyDefaults,
    ServiceDefaults,
    ServiceResolver,
)
from consul_core.models.config_chain import ServiceResolverSubset

INDEX_HEADERS = {"X-Consul-Index": "23", "X-Consul-KnownLeader": "true"}

# Recorded from Consul 1.8.7.
SERVICE_DEFAULTS = b"""{
    "Kind": "service-defaults",
    "Name": "web",
    "Protocol": "http",
    "MeshGateway": {"Mode": "local"},
    "Expose": {
        "Checks": true,
        "Paths": [
            {
                "ListenerPort": 21500,
                "Path": "/health",
                "LocalPathPort": 8080,
                "Protocol": "http",
                "ParsedFromCheck": false
            }
        ]
    },
    "ExternalSNI": "web.ext",
    "CreateIndex": 22,
    "ModifyIndex": 22
}"""
PROXY_DEFAULTS = b"""{
    "Kind": "proxy-defaults",
    "Name": "global",
    "Config": {"local_connect_timeout_ms": 1000, "nested": {"a": [1, 2]}, "protocol": "http"},
    "MeshGateway": {"Mode": "remote"},
    "Expose": {},
    "CreateIndex": 23,
    "ModifyIndex": 23
}"""
RESOLVER = b"""{
    "ConnectTimeout": "5s",
    "Kind": "service-resolver",
    "Name": "web",
    "DefaultSubset": "v1",
    "Subsets": {"v1": {"Filter": "Service.Meta.version == v1"}},
    "CreateIndex": 52,
    "ModifyIndex": 52
}"""
# Golden (Consul 1.15+ writes it; no reference page): a kind without a model.
BOUND_GATEWAY = b"""{
    "Kind": "bound-api-gateway",
    "Name": "gw",
    "Listeners": [{"Name": "https", "Routes": [{"Kind": "http-route", "Name": "web"}]}],
    "CreateIndex": 60,
    "ModifyIndex": 61
}"""
ENTRY_NOT_FOUND = b'Config entry not found for "service-defaults" / "nope"'
INVALID_KIND = b"invalid config entry kind: bogus-kind"
BAD_KEY = (
    b'Bad request: Request decoding failed: 1 error occurred:\n\t* invalid config key "Bogus"\n\n'
)

WEB = ServiceDefaults(
    "web",
    protocol="http",
    mesh_gateway=MeshGatewayConfig("local"),
    expose=ExposeConfig(True, [ExposePath(21500, "/health", 8080, "http")]),
    external_sni="web.ext",
    create_index=22,
    modify_index=22,
)


def _target(call: Call[Any]) -> tuple[str, str]:
    return call.request.method, call.request.target


@pytest.mark.parametrize(
    ("call", "method", "target"),
    [
        (config.get("service-defaults", "web"), "GET", "/v1/config/service-defaults/web"),
        (
            config.get("service-defaults", "a/b", dc="dc2", watch=(22, "30s")),
            "GET",
            "/v1/config/service-defaults/a%2Fb?dc=dc2&index=22&wait=30s",
        ),
        (
            config.items("proxy-defaults", consistency="stale"),
            "GET",
            "/v1/config/proxy-defaults?stale",
        ),
        (config.delete("service-resolver", "web"), "DELETE", "/v1/config/service-resolver/web"),
        # Consul 1.11 and later (golden: 1.8.7 ignores cas, deletes and answers {}).
        (
            config.delete("service-defaults", "web", cas=35, dc="dc2"),
            "DELETE",
            "/v1/config/service-defaults/web?dc=dc2&cas=35",
        ),
        (
            config.delete("service-defaults", "web", cas=ServiceDefaults("web", modify_index=35)),
            "DELETE",
            "/v1/config/service-defaults/web?cas=35",
        ),
        (
            config.delete("mesh", "mesh", cas=QueryMeta(index=7)),
            "DELETE",
            "/v1/config/mesh/mesh?cas=7",
        ),
    ],
)
def test_golden_reads_and_deletes(call: Call[Any], method: str, target: str) -> None:
    assert _target(call) == (method, target)
    assert call.request.body is None


def test_set_typed_entries_sends_kind_and_name() -> None:
    call = config.set(ServiceDefaults("web", protocol="grpc"), cas=WEB)
    assert _target(call) == ("PUT", "/v1/config?cas=22")
    assert json.loads(call.request.body or b"") == {
        "Kind": "service-defaults",
        "Name": "web",
        "Protocol": "grpc",
    }
    assert call.parse(Response(200, {}, b"false")) is False
    proxy = config.set(ProxyDefaults(config={"protocol": "http"}), dc="dc1")
    assert _target(proxy) == ("PUT", "/v1/config?dc=dc1")
    assert json.loads(proxy.request.body or b"") == {
        "Kind": "proxy-defaults",
        "Name": "global",
        "Config": {"protocol": "http"},
    }
    assert proxy.parse(Response(200, {}, b"true")) is True


def test_set_generic_entries_and_mappings() -> None:
    entry = ConfigEntry("service-resolver", "web", {"DefaultSubset": "v1"}, modify_index=52)
    call = config.set(entry, cas=0)
    assert _target(call) == ("PUT", "/v1/config?cas=0")
    assert json.loads(call.request.body or b"") == {
        "Kind": "service-resolver",
        "Name": "web",
        "DefaultSubset": "v1",
    }
    mapping = {"Kind": "service-splitter", "Name": "web", "Splits": [{"Weight": 100}]}
    assert json.loads(config.set(mapping).request.body or b"") == mapping


def test_parse_each_kind_into_its_model() -> None:
    web, meta = config.get("service-defaults", "web").parse(
        Response(200, INDEX_HEADERS, SERVICE_DEFAULTS)
    )
    assert web == WEB and meta.index == 23
    proxy, _ = config.get("proxy-defaults", "global").parse(
        Response(200, INDEX_HEADERS, PROXY_DEFAULTS)
    )
    assert isinstance(proxy, ProxyDefaults)
    assert proxy.config == {
        "local_connect_timeout_ms": 1000,
        "nested": {"a": [1, 2]},
        "protocol": "http",
    }
    assert proxy.mesh_gateway.mode == "remote" and proxy.expose == ExposeConfig()
    resolver, _ = config.get("service-resolver", "web").parse(
        Response(200, INDEX_HEADERS, RESOLVER)
    )
    assert resolver == ServiceResolver(
        "web",
        default_subset="v1",
        subsets={"v1": ServiceResolverSubset(filter="Service.Meta.version == v1")},
        connect_timeout=timedelta(seconds=5),
        create_index=52,
        modify_index=52,
    )
    bound, _ = config.get("bound-api-gateway", "gw").parse(
        Response(200, INDEX_HEADERS, BOUND_GATEWAY)
    )
    listeners = [{"Name": "https", "Routes": [{"Kind": "http-route", "Name": "web"}]}]
    assert bound == ConfigEntry("bound-api-gateway", "gw", {"Listeners": listeners}, 60, 61)
    body = b"[" + SERVICE_DEFAULTS + b"," + RESOLVER + b"," + BOUND_GATEWAY + b"]"
    listed, _ = config.items("service-defaults").parse(Response(200, INDEX_HEADERS, body))
    assert [type(entry) for entry in listed] == [ServiceDefaults, ServiceResolver, ConfigEntry]
    assert config.items("x").parse(Response(200, INDEX_HEADERS, b"[]"))[0] == []


def test_a_generic_entry_round_trips() -> None:
    bound, _ = config.get("bound-api-gateway", "gw").parse(Response(200, {}, BOUND_GATEWAY))
    body = json.loads(config.set(bound).request.body or b"")
    expected = json.loads(BOUND_GATEWAY)
    assert body == {key: value for key, value in expected.items() if "Index" not in key}


def test_delete_accepts_consul_18_empty_object() -> None:
    assert config.delete("service-defaults", "nope").parse(Response(200, {}, b"{}")) is True


def test_delete_cas_returns_consul_s_boolean() -> None:
    # What Consul 1.11 and later answer a CAS delete (agent/config_endpoint.go: reply.Deleted).
    call = config.delete("service-defaults", "web", cas=35)
    assert call.parse(Response(200, {}, b"true")) is True
    assert call.parse(Response(200, {}, b"false\n")) is False
    # Consul 1.8.7 ignores cas: it deletes the entry and answers as to a plain delete.
    with pytest.raises(UnexpectedResponse):
        call.parse(Response(200, {}, b"{}\n"))


def test_error_bodies() -> None:
    with pytest.raises(NotFound) as missing:
        config.get("service-defaults", "nope").parse(Response(404, INDEX_HEADERS, ENTRY_NOT_FOUND))
    assert missing.value.meta.index == 23
    with pytest.raises(BadRequest, match="invalid config entry kind"):
        config.items("bogus-kind").parse(Response(500, {}, INVALID_KIND))
    with pytest.raises(BadRequest, match="invalid config key"):
        config.set({"Kind": "service-defaults", "Name": "x", "Bogus": 5}).parse(
            Response(400, {}, BAD_KEY)
        )


@pytest.mark.parametrize(
    "make",
    [
        lambda: config.get("", "web"),
        lambda: config.get("service-defaults", None),
        lambda: config.items(3),
        lambda: config.set({"Kind": "service-defaults"}),
        lambda: config.set({"Name": "web"}),
        lambda: config.set("service-defaults"),
        lambda: config.set(WEB, cas="22"),
        lambda: config.delete("service-defaults", ""),
        lambda: config.delete("service-defaults", "web", cas=0),  # deletes nothing
        lambda: config.delete("service-defaults", "web", cas=-1),
        lambda: config.delete("service-defaults", "web", cas="35"),
        lambda: config.delete("service-defaults", "web", cas=2**64),
        lambda: config.get("service-defaults", "web", watch="soon"),
    ],
)
def test_usage_errors(make: Any) -> None:
    with pytest.raises(UsageError):
        make()
