"""Golden requests and recorded responses for Connect: CA, intentions, agent (no I/O)."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timezone
from typing import Any

import pytest

from consul_core import BadRequest, Conflict, NotFound, Response, ServerError, UsageError
from consul_core.call import Call
from consul_core.endpoints import connect
from consul_core.endpoints import connect_intentions as intentions
from consul_core.models.config_common import HTTPHeaderMatch
from consul_core.models.connect import (
    Authorization,
    CAConfiguration,
    CARoot,
    Intention,
    IntentionHTTPPermission,
    IntentionJWTClaimVerification,
    IntentionJWTProvider,
    IntentionJWTRequirement,
    IntentionPermission,
    LeafCert,
)

IID = "5aeb3ad3-0e57-184a-6c07-e6bf66d164af"
ROOT_ID = "c4:a5:3b:60:d6:e4:90:60:b8:04:85:f2:c9:77:65:08:b5:74:af:c1"
INDEX_HEADERS = {"X-Consul-Index": "12", "X-Consul-KnownLeader": "true"}

# Recorded from Consul 1.8.7 (certificates and keys shortened).
ROOTS_BODY = b"""{
    "ActiveRootID": "c4:a5:3b:60:d6:e4:90:60:b8:04:85:f2:c9:77:65:08:b5:74:af:c1",
    "TrustDomain": "a69a4992-d860-08db-0012-ce99d0939f06.consul",
    "Roots": [
        {
            "ID": "c4:a5:3b:60:d6:e4:90:60:b8:04:85:f2:c9:77:65:08:b5:74:af:c1",
            "Name": "Consul CA Root Cert",
            "SerialNumber": 10,
            "SigningKeyID": "15:8d:cf:58:28:28:dd:11:88:20:9e:0b:e9:6d:6e:d2:40:68:f1:07",
            "ExternalTrustDomain": "a69a4992-d860-08db-0012-ce99d0939f06",
            "NotBefore": "2026-11-27T13:18:51Z",
            "NotAfter": "2036-11-27T13:18:51Z",
            "RootCert": "-----BEGIN CERTIFICATE-----\\nMIICDzCC\\n-----END CERTIFICATE-----\\n",
            "IntermediateCerts": null,
            "Active": true,
            "PrivateKeyType": "ec",
            "PrivateKeyBits": 256,
            "CreateIndex": 12,
            "ModifyIndex": 12
        }
    ]
}"""
CA_CONFIG_BODY = b"""{
    "Provider": "consul",
    "Config": {"IntermediateCertTTL": "8760h", "LeafCertTTL": "72h", "RotationPeriod": "2160h"},
    "State": null,
    "ForceWithoutCrossSigning": false,
    "CreateIndex": 8,
    "ModifyIndex": 8
}"""
INTENTION_BODY = b"""{
    "ID": "5aeb3ad3-0e57-184a-6c07-e6bf66d164af",
    "Description": "d",
    "SourceNS": "default",
    "SourceName": "api",
    "DestinationNS": "default",
    "DestinationName": "db",
    "SourceType": "consul",
    "Action": "deny",
    "DefaultAddr": "",
    "DefaultPort": 0,
    "Meta": {"a": "b"},
    "Precedence": 9,
    "CreatedAt": "2026-11-27T13:19:33.582421218Z",
    "UpdatedAt": "2026-11-27T13:19:33.582421218Z",
    "Hash": "4RWuT8nVcxvEJqaST2a3wFrmSCsE8WcSILniR7KNuEg=",
    "CreateIndex": 31,
    "ModifyIndex": 31
}"""
MATCH_BODY = b'{"db": [' + INTENTION_BODY + b'], "web": null}'
LEAF_BODY = b"""{
    "SerialNumber": "0b",
    "CertPEM": "-----BEGIN CERTIFICATE-----\\nMIICPTCC\\n-----END CERTIFICATE-----\\n",
    "PrivateKeyPEM": "-----BEGIN EC PRIVATE KEY-----\\nMHcCAQEE\\n-----END EC PRIVATE KEY-----\\n",
    "Service": "web",
    "ServiceURI": "spiffe://a69a4992-d860-08db-0012-ce99d0939f06.consul/ns/default/dc/dc1/svc/web",
    "ValidAfter": "2026-11-27T13:18:31Z",
    "ValidBefore": "2026-11-30T13:18:31Z",
    "CreateIndex": 30,
    "ModifyIndex": 30
}"""
AUTHORIZE_BODY = b'{"Authorized": true, "Reason": "Default behavior configured by ACLs"}'
NOT_FOUND = b"Intention not found"
NOT_A_UUID = b"Bad request: failed intention lookup: index error: UUID must be 36 characters"
CANNOT_DELETE = b"Cannot delete non-existent intention: '00000000-0000-0000-0000-000000000000'"
CANNOT_MODIFY = b"Cannot modify non-existent intention: '00000000-0000-0000-0000-000000000000'"
DUPLICATE = (
    b"duplicate intention found: DENY default/api => default/db "
    b"(ID: 5aeb3ad3-0e57-184a-6c07-e6bf66d164af, Precedence: 9)"
)
BAD_PROVIDER = b'could not initialize provider: unknown CA provider "bogus"'
BAD_BY = b"'by' parameter must be one of 'source' or 'destination'"
RECORDED = Intention(
    "api",
    "db",
    "deny",
    id=IID,
    description="d",
    source_ns="default",
    destination_ns="default",
    source_type="consul",
    meta={"a": "b"},
    precedence=9,
    created_at=datetime(2026, 11, 27, 13, 19, 33, 582421, timezone.utc),
    updated_at=datetime(2026, 11, 27, 13, 19, 33, 582421, timezone.utc),
    hash=base64.b64decode("4RWuT8nVcxvEJqaST2a3wFrmSCsE8WcSILniR7KNuEg="),
    create_index=31,
    modify_index=31,
)


def _target(call: Call[Any]) -> tuple[str, str]:
    return call.request.method, call.request.target


@pytest.mark.parametrize(
    ("call", "method", "target"),
    [
        (connect.ca_roots(), "GET", "/v1/connect/ca/roots"),
        (
            connect.ca_roots(watch=(12, "1m"), dc="dc2"),
            "GET",
            "/v1/connect/ca/roots?dc=dc2&index=12&wait=60s",
        ),
        (
            connect.ca_configuration(consistency="stale"),
            "GET",
            "/v1/connect/ca/configuration?stale",
        ),
        (intentions.intentions(), "GET", "/v1/connect/intentions"),
        (
            intentions.intentions(filter='SourceName == "web"'),
            "GET",
            "/v1/connect/intentions?filter=SourceName%20%3D%3D%20%22web%22",
        ),
        (intentions.intention_read(IID), "GET", f"/v1/connect/intentions/{IID}"),
        (
            intentions.intention_read(RECORDED, watch=31),
            "GET",
            f"/v1/connect/intentions/{IID}?index=31&wait=300s",
        ),
        (intentions.intention_delete({"ID": IID}), "DELETE", f"/v1/connect/intentions/{IID}"),
        (
            intentions.intention_check("api", "db"),
            "GET",
            "/v1/connect/intentions/check?source=api&destination=db",
        ),
        (
            intentions.intention_check("api", "db", source_type="consul", dc="dc1"),
            "GET",
            "/v1/connect/intentions/check?dc=dc1&source=api&destination=db&source-type=consul",
        ),
        (
            intentions.intention_match("destination", ["db", "web"]),
            "GET",
            "/v1/connect/intentions/match?by=destination&name=db&name=web",
        ),
        (
            intentions.intention_exact("web", "db"),
            "GET",
            "/v1/connect/intentions/exact?source=web&destination=db",
        ),
        (
            intentions.intention_delete_exact("web", "db"),
            "DELETE",
            "/v1/connect/intentions/exact?source=web&destination=db",
        ),
        (connect.agent_ca_roots(), "GET", "/v1/agent/connect/ca/roots"),
        (connect.agent_leaf("web"), "GET", "/v1/agent/connect/ca/leaf/web"),
        (
            connect.agent_leaf({"Service": "a b"}, watch=(30, "5m")),
            "GET",
            "/v1/agent/connect/ca/leaf/a%20b?index=30&wait=300s",
        ),
    ],
)
def test_golden_reads_and_deletes(call: Call[Any], method: str, target: str) -> None:
    assert _target(call) == (method, target)
    assert call.request.body is None


def test_agent_endpoints_take_no_datacenter_or_consistency_default() -> None:
    assert connect.agent_ca_roots().request.defaults == frozenset()
    # A leaf certificate and an authorization are for a service in a namespace.
    scope = frozenset({"ns", "partition"})
    assert connect.agent_leaf("web").request.defaults == scope
    assert connect.authorize("db", "spiffe://x", "0b").request.defaults == scope


def test_ca_update_sends_the_configuration() -> None:
    config = CAConfiguration("consul", {"LeafCertTTL": "24h"}, modify_index=8)
    call = connect.ca_update(config)
    assert _target(call) == ("PUT", "/v1/connect/ca/configuration")
    # Without the index: Consul would treat it as a silent check-and-set.
    assert json.loads(call.request.body or b"") == {
        "Provider": "consul",
        "Config": {"LeafCertTTL": "24h"},
    }
    assert call.parse(Response(200, {}, b"")) is True
    with pytest.raises(ServerError, match="unknown CA provider"):
        connect.ca_update({"Provider": "bogus", "Config": {}}).parse(
            Response(500, {}, BAD_PROVIDER)
        )


def test_intention_writes() -> None:
    create = intentions.intention_create(Intention("api", "db", "deny", description="d"))
    assert _target(create) == ("POST", "/v1/connect/intentions")
    assert json.loads(create.request.body or b"") == {
        "SourceName": "api",
        "DestinationName": "db",
        "Action": "deny",
        "Description": "d",
    }
    assert create.parse(Response(200, {}, b'{"ID": "%s"}' % IID.encode())) == IID
    update = intentions.intention_update(RECORDED)
    assert _target(update) == ("PUT", f"/v1/connect/intentions/{IID}")
    body = json.loads(update.request.body or b"")
    assert body["ID"] == IID and body["Hash"] == "4RWuT8nVcxvEJqaST2a3wFrmSCsE8WcSILniR7KNuEg="
    # Timestamps go back as RFC 3339, to the microsecond.
    assert body["CreatedAt"] == body["UpdatedAt"] == "2026-11-27T13:19:33.582421+00:00"
    assert update.parse(Response(200, {}, b"")) is True
    upsert = intentions.intention_upsert(
        {"SourceName": "web", "DestinationName": "db", "Action": "allow"}
    )
    assert _target(upsert) == ("PUT", "/v1/connect/intentions/exact?source=web&destination=db")
    assert upsert.parse(Response(200, {}, b"true")) is True
    l7 = intentions.intention_upsert(
        {"SourceName": "web", "DestinationName": "db", "Permissions": [{"Action": "deny"}]}
    )
    assert "Action" not in json.loads(l7.request.body or b"")


# Golden (Consul 1.9+, built from the Go client's Intention and IntentionPermission): an L7
# intention, as the exact endpoint returns it.
L7_INTENTION_BODY = b"""{
    "ID": "",
    "SourceName": "web",
    "DestinationName": "api",
    "SourcePartition": "team",
    "DestinationPartition": "team",
    "SourcePeer": "",
    "SourceType": "consul",
    "Permissions": [
        {
            "Action": "allow",
            "HTTP": {
                "PathPrefix": "/v2",
                "Header": [{"Name": "x-version", "Exact": "2"}],
                "Methods": ["GET", "HEAD"]
            },
            "JWT": {"Providers": [{"Name": "okta",
                                   "VerifyClaims": [{"Path": ["role"], "Value": "reader"}]}]}
        },
        {"Action": "deny", "HTTP": {"PathRegex": "/admin.*"}}
    ],
    "Precedence": 9,
    "CreatedAt": "2023-05-01T10:00:00.123456789Z",
    "UpdatedAt": "2023-05-01T10:00:00.123456789Z",
    "CreateIndex": 40,
    "ModifyIndex": 41
}"""
L7_PERMISSIONS = [
    IntentionPermission(
        action="allow",
        http=IntentionHTTPPermission(
            path_prefix="/v2",
            header=[HTTPHeaderMatch(name="x-version", exact="2")],
            methods=["GET", "HEAD"],
        ),
        jwt=IntentionJWTRequirement(
            [IntentionJWTProvider("okta", [IntentionJWTClaimVerification(["role"], "reader")])]
        ),
    ),
    IntentionPermission(action="deny", http=IntentionHTTPPermission(path_regex="/admin.*")),
]


def test_l7_intentions_have_typed_permissions() -> None:
    read, _ = intentions.intention_exact("web", "api").parse(
        Response(200, INDEX_HEADERS, L7_INTENTION_BODY)
    )
    assert read.permissions == L7_PERMISSIONS
    assert (read.action, read.source_partition, read.destination_partition) == ("", "team", "team")
    assert dict(read.unknown_fields) == {}
    upsert = intentions.intention_upsert(read)
    sent = json.loads(upsert.request.body or b"")
    assert sent["Permissions"] == json.loads(L7_INTENTION_BODY)["Permissions"]
    assert "Action" not in sent
    assert sent["CreatedAt"] == "2023-05-01T10:00:00.123456789Z"
    built = Intention("web", "api", permissions=L7_PERMISSIONS[1:])
    assert json.loads(intentions.intention_upsert(built).request.body or b"") == {
        "SourceName": "web",
        "DestinationName": "api",
        "Permissions": [{"Action": "deny", "HTTP": {"PathRegex": "/admin.*"}}],
    }


def test_authorize_body() -> None:
    uri = "spiffe://a69a4992-d860-08db-0012-ce99d0939f06.consul/ns/default/dc/dc1/svc/api"
    call = connect.authorize("web", uri, "0b")
    assert _target(call) == ("POST", "/v1/agent/connect/authorize")
    assert json.loads(call.request.body or b"") == {
        "Target": "web",
        "ClientCertURI": uri,
        "ClientCertSerial": "0b",
    }
    assert call.parse(Response(200, {}, AUTHORIZE_BODY)) == Authorization(
        True, "Default behavior configured by ACLs"
    )


def test_parse_ca() -> None:
    roots, meta = connect.ca_roots().parse(Response(200, INDEX_HEADERS, ROOTS_BODY))
    assert roots.active_root_id == ROOT_ID
    assert roots.active_root == CARoot(
        ROOT_ID,
        "Consul CA Root Cert",
        10,
        "15:8d:cf:58:28:28:dd:11:88:20:9e:0b:e9:6d:6e:d2:40:68:f1:07",
        "a69a4992-d860-08db-0012-ce99d0939f06",
        datetime(2026, 11, 27, 13, 18, 51, tzinfo=timezone.utc),
        datetime(2036, 11, 27, 13, 18, 51, tzinfo=timezone.utc),
        "-----BEGIN CERTIFICATE-----\nMIICDzCC\n-----END CERTIFICATE-----\n",
        [],
        True,
        "ec",
        256,
        create_index=12,
        modify_index=12,
    )
    assert meta.index == 12
    agent_roots, _ = connect.agent_ca_roots().parse(Response(200, {"X-Cache": "HIT"}, ROOTS_BODY))
    assert agent_roots == roots
    config = connect.ca_configuration().parse(Response(200, {}, CA_CONFIG_BODY))
    assert config == CAConfiguration(
        "consul",
        {"IntermediateCertTTL": "8760h", "LeafCertTTL": "72h", "RotationPeriod": "2160h"},
        create_index=8,
        modify_index=8,
    )


def test_parse_intentions() -> None:
    listed, meta = intentions.intentions().parse(
        Response(200, INDEX_HEADERS, b"[" + INTENTION_BODY + b"]")
    )
    assert listed == [RECORDED] and meta.index == 12
    read, meta = intentions.intention_read(IID).parse(Response(200, {}, INTENTION_BODY))
    assert read == RECORDED and meta.index == 0
    matches, _ = intentions.intention_match("destination", ["db", "web"]).parse(
        Response(200, {}, MATCH_BODY)
    )
    assert matches == {"db": [RECORDED], "web": []}
    check = intentions.intention_check("api", "db")
    assert check.parse(Response(200, {}, b'{"Allowed": false}')) is False


def test_parse_leaf() -> None:
    leaf, meta = connect.agent_leaf("web").parse(
        Response(200, {"X-Consul-Index": "30", "X-Cache": "MISS"}, LEAF_BODY)
    )
    assert leaf == LeafCert(
        "0b",
        "-----BEGIN CERTIFICATE-----\nMIICPTCC\n-----END CERTIFICATE-----\n",
        "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----\n",
        "web",
        "spiffe://a69a4992-d860-08db-0012-ce99d0939f06.consul/ns/default/dc/dc1/svc/web",
        datetime(2026, 11, 27, 13, 18, 31, tzinfo=timezone.utc),
        datetime(2026, 11, 30, 13, 18, 31, tzinfo=timezone.utc),
        create_index=30,
        modify_index=30,
    )
    assert (meta.index, meta.cache_hit) == (30, False)


@pytest.mark.parametrize(
    ("call", "status", "body", "error"),
    [
        (intentions.intention_read(IID), 404, NOT_FOUND, NotFound),
        (intentions.intention_read("nope"), 400, NOT_A_UUID, NotFound),
        (intentions.intention_delete(IID), 500, CANNOT_DELETE, NotFound),
        (intentions.intention_update(RECORDED), 500, CANNOT_MODIFY, NotFound),
        (intentions.intention_create(RECORDED), 500, DUPLICATE, Conflict),
        (intentions.intention_exact("web", "db"), 404, NOT_FOUND, NotFound),
        (intentions.intention_match("source", "x"), 400, b"Bad request", BadRequest),
    ],
)
def test_error_bodies(call: Call[Any], status: int, body: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        call.parse(Response(status, {}, body))


@pytest.mark.parametrize(
    "make",
    [
        lambda: connect.ca_update("consul"),
        lambda: connect.ca_update({"Config": {}}),
        lambda: intentions.intention_create({"SourceName": "a", "DestinationName": "b"}),
        lambda: intentions.intention_create(Intention("a", "b", "maybe")),
        lambda: intentions.intention_create(["a", "b"]),
        lambda: intentions.intention_update(Intention("a", "b", "allow")),
        lambda: intentions.intention_read(""),
        lambda: intentions.intention_check("api", None),
        lambda: intentions.intention_match("sideways", "a"),
        lambda: intentions.intention_match("source", []),
        lambda: intentions.intention_match("source", [1]),
        lambda: intentions.intention_upsert({"SourceName": "web"}),
        lambda: intentions.intention_upsert(Intention("web", "db")),
        lambda: intentions.intention_upsert(Intention("web", "db", "maybe")),
        lambda: intentions.intention_delete_exact("", "db"),
        lambda: connect.agent_leaf(""),
        lambda: connect.authorize("db", "spiffe://x", None),
        lambda: intentions.intentions(filter=3),
    ],
)
def test_usage_errors(make: Any) -> None:
    with pytest.raises(UsageError):
        make()
