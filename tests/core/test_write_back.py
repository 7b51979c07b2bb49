"""Golden write-backs: nothing is lost when a model read from Consul is written back (no I/O).

Each golden body below has the shape of a newer Consul's reply (the HTTP API docs' samples and
the Go client's structs in hashicorp/consul ``api/``), with the fields that Consul 1.8.7 does not
send and these models do not know: ``Partition``, ``Namespace``, ``TemplatedPolicies``,
``Locality``, objects nested inside nested models. Each is decoded by its read builder, the
model is passed to the matching write builder, and the request body must carry every one of
those fields unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

import attrs
import pytest
from msgspec.structs import replace

from consul_core import Response
from consul_core.call import Call
from consul_core.endpoints import (
    acl,
    acl_auth_methods,
    acl_binding_rules,
    acl_policies,
    acl_roles,
    acl_tokens,
    catalog,
    config,
    connect,
    connect_intentions,
    coordinate,
    health,
    operator,
    query,
    services,
    session,
)
from consul_core.models import (
    ACLLink,
    ACLToken,
    AgentService,
    CatalogRegistration,
    HealthCheck,
    Locality,
    NodeServices,
)

Path = tuple[str | int, ...]
META = {"X-Consul-Index": "7", "X-Consul-KnownLeader": "true"}

GOLDEN_TOKEN = b"""{
    "AccessorID": "6a1253d2-1785-24fd-91c2-f8e78c745511",
    "SecretID": "45a3bd52-07c7-47a4-52fd-0745e0cfe967",
    "Partition": "web-team",
    "Namespace": "frontend",
    "AuthMethodNamespace": "default",
    "Description": "Agent token for 'node1'",
    "Policies": [{"ID": "165d4317-e379-f732-ce70-86278c4558f7", "Name": "node1-write"}],
    "ServiceIdentities": [
        {"ServiceName": "api", "Datacenters": ["dc1"],
         "Peering": {"Peer": "east", "Exported": true}}
    ],
    "NodeIdentities": [{"NodeName": "node1", "Datacenter": "dc1"}],
    "TemplatedPolicies": [
        {"TemplateName": "builtin/service", "TemplateVariables": {"Name": "api"},
         "Datacenters": ["dc1"]}
    ],
    "Local": false,
    "ExpirationTime": "2030-10-24T12:25:06.921933145Z",
    "CreateTime": "2018-10-24T12:25:06.921933145-04:00",
    "Hash": "UuiRkOQPRCvoRZHRtUxxbrmwZ5crYrOdZ0Z1FTFbTbA=",
    "CreateIndex": 59,
    "ModifyIndex": 59
}"""

GOLDEN_POLICY = b"""{
    "ID": "e359bd81-baca-903e-7e64-1ccd9fdc78f5",
    "Name": "node-read",
    "Description": "Grants read access to all node information",
    "Rules": "node_prefix \\"\\" { policy = \\"read\\" }",
    "Datacenters": ["dc1"],
    "Hash": "OtZUUKhInTLEqTPfNSSOYbRiSBKm3c4vI2p6MxZnGWc=",
    "Partition": "web-team",
    "Namespace": "frontend",
    "CreateIndex": 14,
    "ModifyIndex": 14
}"""

GOLDEN_ROLE = b"""{
    "ID": "aa770e5b-8b0b-7fcf-e5a1-8535fcc388b4",
    "Name": "example-role",
    "Description": "Showcases all input parameters",
    "Policies": [{"ID": "783beef3-783f-f41f-7422-7087dc272765", "Name": "node-read"}],
    "ServiceIdentities": [{"ServiceName": "web"}],
    "NodeIdentities": [
        {"NodeName": "node-1", "Datacenter": "dc2", "Scope": {"Kind": "agent", "Extra": [1, 2]}}
    ],
    "TemplatedPolicies": [{"TemplateName": "builtin/dns"}],
    "Partition": "web-team",
    "Namespace": "frontend",
    "Hash": "mBWMIeX9zyUTdDMq8vWB0iYod+mKBArJoAhj6oPz3BI=",
    "CreateIndex": 57,
    "ModifyIndex": 57
}"""

GOLDEN_AUTH_METHOD = b"""{
    "Name": "minikube",
    "Type": "kubernetes",
    "DisplayName": "Minikube",
    "Description": "dev minikube cluster",
    "TokenLocality": "global",
    "Config": {"Host": "https://192.0.2.42:8443", "CACert": "-----BEGIN CERTIFICATE-----"},
    "NamespaceRules": [{"Selector": "serviceaccount.namespace==default", "BindNamespace": "dev"}],
    "Partition": "web-team",
    "Namespace": "frontend",
    "CreateIndex": 15,
    "ModifyIndex": 224
}"""

GOLDEN_BINDING_RULE = b"""{
    "ID": "000ed53c-e2d3-e7e6-31a5-c19bc3518a3d",
    "Description": "example rule",
    "AuthMethod": "minikube",
    "Selector": "serviceaccount.namespace==default",
    "BindType": "templated-policy",
    "BindName": "builtin/service",
    "BindVars": {"Name": "${serviceaccount.name}"},
    "Partition": "web-team",
    "Namespace": "frontend",
    "CreateIndex": 17,
    "ModifyIndex": 17
}"""

# The legacy system is gone from newer Consul versions: this field is only what a later 1.x
# might have added; the generic mechanism keeps it all the same.
GOLDEN_LEGACY_TOKEN = b"""[{
    "ID": "8f246b77-f3e1-ff88-5b48-8ec93abf3e05",
    "Name": "Client Token",
    "Type": "client",
    "Rules": "key \\"\\" { policy = \\"read\\" }",
    "Replication": {"Source": "dc1", "Lag": 3},
    "CreateIndex": 3,
    "ModifyIndex": 3
}]"""

GOLDEN_INTENTION = b"""{
    "ID": "e9ebc19f-d481-42b1-4871-4d298d3acd5c",
    "Description": "",
    "SourcePeer": "",
    "SourceNS": "default",
    "SourceName": "web",
    "SourcePartition": "web-team",
    "DestinationNS": "default",
    "DestinationName": "db",
    "DestinationPartition": "db-team",
    "SourceType": "consul",
    "Action": "allow",
    "JWT": {"Providers": [{"Name": "okta", "VerifyClaims": [{"Path": ["perms"], "Value": "x"}]}]},
    "Meta": {},
    "Precedence": 9,
    "CreatedAt": "2018-05-21T16:41:27.977155457Z",
    "UpdatedAt": "2018-05-21T16:41:27.977157724-07:00",
    "CreateIndex": 11,
    "ModifyIndex": 11
}"""

GOLDEN_QUERY = b"""[{
    "ID": "8f246b77-f3e1-ff88-5b48-8ec93abf3e05",
    "Name": "my-query",
    "Session": "adf4238a-882b-9ddc-4a9d-5b6758e4159e",
    "Token": "<hidden>",
    "Service": {
        "Service": "redis",
        "Failover": {
            "NearestN": 3,
            "Datacenters": ["dc1", "dc2"],
            "Targets": [{"Peer": "cluster-01"}],
            "SamenessGroup": "group-a"
        },
        "IgnoreCheckIDs": ["mem"],
        "OnlyPassing": false,
        "Tags": ["primary", "!experimental"],
        "NodeMeta": {"instance_type": "m3.large"},
        "ServiceMeta": {"environment": "production"},
        "Peer": "",
        "SamenessGroup": "",
        "Namespace": "frontend",
        "Partition": "web-team"
    },
    "DNS": {"TTL": "10s"},
    "Template": {"Type": "name_prefix_match", "Regexp": "^geo-db-(.*?)-([^\\\\-]+?)$"},
    "CreateIndex": 23,
    "ModifyIndex": 42
}]"""

GOLDEN_SERVICE_DEFAULTS = b"""{
    "Kind": "service-defaults",
    "Name": "web",
    "Partition": "web-team",
    "Namespace": "frontend",
    "Protocol": "http",
    "Mode": "transparent",
    "TransparentProxy": {"OutboundListenerPort": 15001, "DialedDirectly": false},
    "MeshGateway": {"Mode": "local"},
    "Expose": {
        "Checks": true,
        "Paths": [{"Path": "/health", "LocalPathPort": 8080, "ListenerPort": 21500,
                   "Protocol": "http", "Headers": {"X-Probe": ["1"]}}]
    },
    "UpstreamConfig": {"Defaults": {"ConnectTimeoutMs": 5000}},
    "CreateIndex": 10,
    "ModifyIndex": 12
}"""

GOLDEN_PROXY_DEFAULTS = b"""{
    "Kind": "proxy-defaults",
    "Name": "global",
    "Partition": "default",
    "Config": {"protocol": "http"},
    "Mode": "transparent",
    "AccessLogs": {"Enabled": true, "Type": "file", "Path": "/var/log/envoy.log"},
    "MeshGateway": {"Mode": "remote", "Peering": {"Mode": "local"}},
    "CreateIndex": 8,
    "ModifyIndex": 8
}"""

GOLDEN_RESOLVER = b"""{
    "Kind": "service-resolver",
    "Name": "web",
    "Partition": "web-team",
    "DefaultSubset": "v1",
    "Subsets": {"v1": {"Filter": "Service.Meta.version == v1"}},
    "CreateIndex": 5,
    "ModifyIndex": 5
}"""

GOLDEN_AGENT_SERVICE = b"""{
    "Kind": "connect-proxy",
    "ID": "web-sidecar-proxy",
    "Service": "web-sidecar-proxy",
    "Tags": ["v2"],
    "Meta": {"team": "web"},
    "Port": 18080,
    "Address": "10.0.0.7",
    "SocketPath": "/run/consul/web-sidecar.sock",
    "TaggedAddresses": {"lan_ipv4": {"Address": "10.0.0.7", "Port": 18080}},
    "Weights": {"Passing": 3, "Warning": 1},
    "EnableTagOverride": false,
    "ContentHash": "4ecd29c7bc647ca8",
    "Proxy": {
        "DestinationServiceName": "web",
        "DestinationServiceID": "web",
        "LocalServiceAddress": "127.0.0.1",
        "LocalServicePort": 8080,
        "Mode": "transparent",
        "TransparentProxy": {"OutboundListenerPort": 15001},
        "Config": {"envoy_prometheus_bind_addr": "0.0.0.0:9102"},
        "Upstreams": [{
            "DestinationType": "service",
            "DestinationName": "db",
            "DestinationPeer": "",
            "DestinationPartition": "db-team",
            "LocalBindPort": 9191,
            "MeshGateway": {"Mode": "local"}
        }],
        "MeshGateway": {},
        "Expose": {}
    },
    "Connect": {"Native": false, "PeerMeta": {"SNI": ["web.default"]}},
    "PeerName": "",
    "Namespace": "frontend",
    "Partition": "web-team",
    "Datacenter": "dc1",
    "Locality": {"Region": "us-west-1", "Zone": "us-west-1a"}
}"""

GOLDEN_CATALOG_NODE = b"""{
    "Node": {
        "ID": "40e4a748-2192-161a-0510-9bf59fe950b5",
        "Node": "foobar",
        "Address": "10.1.10.12",
        "Datacenter": "dc1",
        "Partition": "web-team",
        "TaggedAddresses": {"lan": "10.1.10.12", "wan": "10.1.10.12"},
        "Meta": {"instance_type": "t2.medium"},
        "CreateIndex": 3,
        "ModifyIndex": 3
    },
    "Services": {
        "redis": {
            "ID": "redis",
            "Service": "redis",
            "Tags": ["v1"],
            "Address": "10.1.10.12",
            "Meta": {"redis_version": "4.0"},
            "Port": 8000,
            "Weights": {"Passing": 10, "Warning": 1},
            "SocketPath": "/var/run/redis.sock",
            "Locality": {"Region": "us-west-1", "Zone": "us-west-1a"},
            "Connect": {"Native": true, "Future": {"Enabled": true}},
            "Partition": "web-team",
            "Namespace": "default",
            "CreateIndex": 4,
            "ModifyIndex": 4
        }
    }
}"""

GOLDEN_NODE_CHECKS = b"""[{
    "Node": "foobar",
    "CheckID": "service:redis",
    "Name": "Service 'redis' check",
    "Status": "passing",
    "Notes": "",
    "Output": "",
    "ServiceID": "redis",
    "ServiceName": "redis",
    "ServiceTags": ["v1"],
    "Type": "http",
    "ExposedPort": 21500,
    "Definition": {
        "HTTP": "http://10.1.10.12:8000/health",
        "Interval": "10s",
        "IntervalDuration": 10000000000,
        "TLSServerName": "redis.internal"
    },
    "Partition": "web-team",
    "Namespace": "default",
    "CreateIndex": 5,
    "ModifyIndex": 5
}]"""

GOLDEN_SESSION = b"""[{
    "ID": "adf4238a-882b-9ddc-4a9d-5b6758e4159e",
    "Name": "test-session",
    "Node": "raja-laptop-02",
    "NodeChecks": ["serfHealth"],
    "ServiceChecks": [{"ID": "web", "Namespace": "default"}],
    "LockDelay": 1500000000,
    "Behavior": "release",
    "TTL": "30s",
    "Partition": "web-team",
    "Namespace": "frontend",
    "CreateIndex": 1086449,
    "ModifyIndex": 1086449
}]"""

GOLDEN_AUTOPILOT = b"""{
    "CleanupDeadServers": true,
    "LastContactThreshold": "200ms",
    "MaxTrailingLogs": 250,
    "MinQuorum": 3,
    "ServerStabilizationTime": "10s",
    "RedundancyZoneTag": "",
    "DisableUpgradeMigration": false,
    "UpgradeVersionTag": "",
    "ReadReplicaVoting": {"Allowed": false},
    "CreateIndex": 4,
    "ModifyIndex": 4
}"""

GOLDEN_CA_CONFIGURATION = b"""{
    "Provider": "consul",
    "Config": {"LeafCertTTL": "72h", "RotationPeriod": "2160h"},
    "State": {"ActiveRoot": "44:f8"},
    "ForceWithoutCrossSigning": false,
    "Rotation": {"Phase": "idle", "Since": "2024-01-02T03:04:05.123456789Z"},
    "CreateIndex": 5,
    "ModifyIndex": 5
}"""

GOLDEN_COORDINATES = b"""[{
    "Node": "agent-one",
    "Segment": "",
    "Partition": "web-team",
    "Coord": {
        "Adjustment": 0.1,
        "Error": 1.5,
        "Height": 0.0001,
        "Vec": [0, 0, 0, 0, 0, 0, 0, 0],
        "Spread": {"Samples": 12}
    }
}]"""


@attrs.frozen
class WriteBack:
    """A read, its golden reply, the write that takes the model back, and the fields of the
    reply that the write's body must carry unchanged: pairs (where in the reply, where in
    the body).
    """

    read: Call[Any]
    reply: bytes
    write: Callable[[Any], Call[Any]]
    kept: tuple[tuple[Path, Path], ...]


def same(*paths: Path) -> tuple[tuple[Path, Path], ...]:
    return tuple((path, path) for path in paths)


def _catalog_registration(node: NodeServices) -> Call[bool]:
    checks, _ = health.node("foobar").parse(Response(200, META, GOLDEN_NODE_CHECKS))
    check: HealthCheck = checks[0]
    registration = CatalogRegistration(
        node=node.node.node, address=node.node.address, service=node.services["redis"], check=check
    )
    return catalog.register(registration)


CASES = {
    "acl token": WriteBack(
        acl_tokens.read("6a1253d2-1785-24fd-91c2-f8e78c745511"),
        GOLDEN_TOKEN,
        acl_tokens.update,
        same(
            ("Partition",),
            ("Namespace",),
            ("AuthMethodNamespace",),
            ("ServiceIdentities", 0, "Peering"),
            ("ServiceIdentities",),
            ("TemplatedPolicies",),
            ("Policies",),
            ("NodeIdentities",),
        ),
    ),
    "acl policy": WriteBack(
        acl_policies.read("e359bd81-baca-903e-7e64-1ccd9fdc78f5"),
        GOLDEN_POLICY,
        acl_policies.update,
        same(("Partition",), ("Namespace",), ("Rules",), ("Datacenters",)),
    ),
    "acl role": WriteBack(
        acl_roles.read("aa770e5b-8b0b-7fcf-e5a1-8535fcc388b4"),
        GOLDEN_ROLE,
        acl_roles.update,
        same(
            ("Partition",),
            ("Namespace",),
            ("NodeIdentities", 0, "Scope"),
            ("TemplatedPolicies",),
            ("Policies",),
        ),
    ),
    "acl auth method": WriteBack(
        acl_auth_methods.read("minikube"),
        GOLDEN_AUTH_METHOD,
        acl_auth_methods.update,
        same(("Partition",), ("Namespace",), ("NamespaceRules",), ("Config",)),
    ),
    "acl binding rule": WriteBack(
        acl_binding_rules.read("000ed53c-e2d3-e7e6-31a5-c19bc3518a3d"),
        GOLDEN_BINDING_RULE,
        acl_binding_rules.update,
        same(("Partition",), ("Namespace",), ("BindVars",), ("BindType",)),
    ),
    "legacy acl token": WriteBack(
        acl.info("8f246b77-f3e1-ff88-5b48-8ec93abf3e05"),
        GOLDEN_LEGACY_TOKEN,
        acl.update,
        tuple(((0, key), (key,)) for key in ("Replication", "Rules", "ID")),
    ),
    "intention": WriteBack(
        connect_intentions.intention_read("e9ebc19f-d481-42b1-4871-4d298d3acd5c"),
        GOLDEN_INTENTION,
        connect_intentions.intention_update,
        same(
            ("SourcePartition",),
            ("DestinationPartition",),
            ("JWT",),
            ("CreatedAt",),
            ("UpdatedAt",),
        ),
    ),
    "prepared query": WriteBack(
        query.read("8f246b77-f3e1-ff88-5b48-8ec93abf3e05"),
        GOLDEN_QUERY,
        query.update,
        tuple(
            ((0, *path), path)
            for path in (
                ("Service", "Partition"),
                ("Service", "Namespace"),
                ("Service", "Failover", "SamenessGroup"),
                ("Service", "Failover", "Targets"),
                ("Service", "IgnoreCheckIDs"),
                ("Template",),
                ("DNS",),
            )
        ),
    ),
    "service-defaults": WriteBack(
        config.get("service-defaults", "web"),
        GOLDEN_SERVICE_DEFAULTS,
        config.set,
        same(
            ("Partition",),
            ("Namespace",),
            ("Mode",),
            ("UpstreamConfig",),
            ("Expose", "Paths", 0, "Headers"),
            ("Expose",),
        ),
    ),
    "proxy-defaults": WriteBack(
        config.get("proxy-defaults", "global"),
        GOLDEN_PROXY_DEFAULTS,
        config.set,
        same(("Partition",), ("Mode",), ("AccessLogs",), ("MeshGateway",), ("Config",)),
    ),
    "service-resolver": WriteBack(
        config.get("service-resolver", "web"),
        GOLDEN_RESOLVER,
        config.set,
        same(("Partition",), ("DefaultSubset",), ("Subsets",)),
    ),
    "agent service": WriteBack(
        services.info("web-sidecar-proxy"),
        GOLDEN_AGENT_SERVICE,
        services.register,
        (
            *same(
                ("Partition",),
                ("Namespace",),
                ("Locality",),
                ("SocketPath",),
                ("Kind",),
                ("Proxy", "Mode"),
                ("Proxy", "TransparentProxy"),
                ("Proxy", "Upstreams", 0, "DestinationPartition"),
                ("Proxy", "Upstreams", 0, "DestinationPeer"),
                ("Connect", "PeerMeta"),
                ("TaggedAddresses",),
                ("Weights",),
            ),
            (("Service",), ("Name",)),
        ),
    ),
    "catalog service and check": WriteBack(
        catalog.node("foobar"),
        GOLDEN_CATALOG_NODE,
        _catalog_registration,
        tuple(
            (("Services", "redis", key), ("Service", key))
            for key in ("Partition", "Locality", "SocketPath", "Connect", "Weights", "Meta")
        ),
    ),
    "session": WriteBack(
        session.info("adf4238a-882b-9ddc-4a9d-5b6758e4159e"),
        GOLDEN_SESSION,
        session.create,
        tuple(((0, key), (key,)) for key in ("Partition", "Namespace", "ServiceChecks", "TTL")),
    ),
    "autopilot configuration": WriteBack(
        operator.autopilot_configuration(),
        GOLDEN_AUTOPILOT,
        operator.autopilot_update,
        same(("ReadReplicaVoting",), ("MinQuorum",)),
    ),
    "ca configuration": WriteBack(
        connect.ca_configuration(),
        GOLDEN_CA_CONFIGURATION,
        connect.ca_update,
        same(("Rotation",), ("Config",), ("State",)),
    ),
    "coordinate": WriteBack(
        coordinate.nodes(),
        GOLDEN_COORDINATES,
        lambda entries: coordinate.update(entries[0]),
        tuple(
            ((0, *path), path) for path in (("Partition",), ("Coord", "Spread"), ("Coord", "Vec"))
        ),
    ),
}


def _at(document: Any, path: Path) -> Any:
    for step in path:
        document = document[step]
    return document


def _read_model(case: WriteBack) -> Any:
    result = case.read.parse(Response(200, META, case.reply))
    return result[0] if isinstance(result, tuple) else result


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_golden_write_back_keeps_every_field(case: WriteBack) -> None:
    reply = json.loads(case.reply)
    body = json.loads(case.write(_read_model(case)).request.body or b"null")
    for read_path, write_path in case.kept:
        assert _at(body, write_path) == _at(reply, read_path), write_path


def test_a_session_reads_its_partition_and_namespace_as_fields() -> None:
    entry = _read_model(CASES["session"])
    assert (entry.partition, entry.namespace) == ("web-team", "frontend")
    assert entry.unknown_fields == {}


def test_catalog_write_back_keeps_the_check_s_unknown_fields() -> None:
    node = _read_model(CASES["catalog service and check"])
    body = json.loads(_catalog_registration(node).request.body or b"")
    check = json.loads(GOLDEN_NODE_CHECKS)[0]
    for key in ("Partition", "ExposedPort"):
        assert body["Check"][key] == check[key]
    assert body["Check"]["Definition"]["IntervalDuration"] == 10_000_000_000
    assert body["Check"]["Definition"]["TLSServerName"] == "redis.internal"


def test_the_unknown_fields_are_kept_on_the_models_out_of_their_repr() -> None:
    token = _read_model(CASES["acl token"])
    assert token.unknown_fields == {"Partition": "web-team", "AuthMethodNamespace": "default"}
    assert token.service_identities[0].unknown_fields == {
        "Peering": {"Peer": "east", "Exported": True}
    }
    assert "web-team" not in repr(token) and "unknown_fields" not in repr(token)
    # Part of equality (two tokens of different partitions differ), not of the hash.
    assert token != replace(token, unknown_fields={})
    link = ACLLink("id", "name", unknown_fields={"Peer": "east"})
    assert hash(link) == hash(ACLLink("id", "name"))


def test_a_token_updated_with_new_links_keeps_its_own_and_their_unknown_fields() -> None:
    token: ACLToken = _read_model(CASES["acl token"])
    link = replace(token.policies[0], unknown_fields={"Peer": "east"})
    body = json.loads(acl_tokens.update(token, policies=[link]).request.body or b"")
    assert body["Policies"] == [
        {"ID": "165d4317-e379-f732-ce70-86278c4558f7", "Name": "node1-write", "Peer": "east"}
    ]
    assert body["Partition"] == "web-team"
    assert "ExpirationTime" not in body  # a token's expiration never changes


def test_an_agent_service_registers_back_in_the_registration_shape() -> None:
    service: AgentService = _read_model(CASES["agent service"])
    body = json.loads(services.register(service).request.body or b"")
    assert body["Name"] == body["ID"] == "web-sidecar-proxy"
    # What the agent only reports is left out; the checks are not part of the read model.
    for read_only in ("Service", "ContentHash", "CreateIndex", "ModifyIndex", "Datacenter"):
        assert read_only not in body
    assert "PeerName" not in body and "Check" not in body
    registration = service.to_registration()
    assert registration.locality == Locality(region="us-west-1", zone="us-west-1a")
    assert (body["Locality"], body["Partition"]) == (
        {"Region": "us-west-1", "Zone": "us-west-1a"},
        "web-team",
    )
    assert registration.unknown_fields == service.unknown_fields == {}
    assert services.service_definition(registration) == body


def test_timestamps_keep_go_s_nanoseconds_and_zone_through_a_write() -> None:
    intention = _read_model(CASES["intention"])
    assert isinstance(intention.created_at, datetime)
    assert intention.created_at.microsecond == 977155
    body = json.loads(connect_intentions.intention_update(intention).request.body or b"")
    assert body["CreatedAt"] == "2018-05-21T16:41:27.977155457Z"
    assert body["UpdatedAt"] == "2018-05-21T16:41:27.977157724-07:00"
    token: ACLToken = _read_model(CASES["acl token"])
    assert token.to_json()["ExpirationTime"] == "2030-10-24T12:25:06.921933145Z"


def test_durations_keep_go_s_nanoseconds_text_and_zero_through_a_write() -> None:
    # A newer Consul's service-defaults and service-resolver (PassiveHealthCheck's durations
    # are Go time.Durations in nanoseconds, BaseEjectionTime a *time.Duration: 0 is set).
    check = {
        "Interval": 1_500,
        "MaxFailures": 5,
        "EnforcingConsecutive5xx": 0,
        "MaxEjectionPercent": 0,
        "BaseEjectionTime": 0,
    }
    defaults = {
        "Kind": "service-defaults",
        "Name": "web",
        "UpstreamConfig": {"Defaults": {"PassiveHealthCheck": check}},
    }
    resolver = {"Kind": "service-resolver", "Name": "web", "ConnectTimeout": "999ns"}
    for reply in (defaults, resolver):
        call = config.get(str(reply["Kind"]), "web")
        entry, _ = call.parse(Response(200, {}, json.dumps(reply).encode()))
        body = json.loads(config.set(entry).request.body or b"")
        assert {key: body[key] for key in reply} == reply
