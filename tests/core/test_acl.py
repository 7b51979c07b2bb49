"""Golden requests and recorded responses for the legacy ACL system, replication, rule
translation, bootstrap and login (no I/O)."""

from __future__ import annotations

import json
import traceback
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from consul_core import NotFound, PermissionDenied, Response, UsageError
from consul_core.endpoints import acl, acl_login, kv
from consul_core.models.acl import (
    ACLAuthMethod,
    ACLLegacyToken,
    ACLLink,
    ACLReplicationStatus,
    ACLToken,
    format_time,
    parse_time,
)

SECRET = "9be36edc-3edd-b6cb-1ad1-23bc84473431"

# Recorded from Consul 1.8.7.
LIST_BODY = b"""[
    {"ID": "11111111-2222-3333-4444-555555555555", "Name": "Master Token",
     "Type": "management", "Rules": "", "CreateIndex": 5, "ModifyIndex": 5},
    {"ID": "9be36edc-3edd-b6cb-1ad1-23bc84473431", "Name": "my-app-token", "Type": "client",
     "Rules": "key \\"\\" { policy = \\"read\\" }", "CreateIndex": 16, "ModifyIndex": 30}
]"""
INFO_BODY = b"""[
    {"ID": "9be36edc-3edd-b6cb-1ad1-23bc84473431", "Name": "my-app-token", "Type": "client",
     "Rules": "key \\"\\" { policy = \\"read\\" }", "CreateIndex": 16, "ModifyIndex": 30}
]"""
REPLICATION_BODY = b"""{
    "Enabled": false, "Running": false, "SourceDatacenter": "", "ReplicationType": "",
    "ReplicatedIndex": 0, "ReplicatedRoleIndex": 0, "ReplicatedTokenIndex": 0,
    "LastSuccess": "0001-01-01T00:00:00Z", "LastError": "0001-01-01T00:00:00Z"
}"""
BOOTSTRAP_BODY = b"""{
    "ID": "72d24c94-b0bf-0b83-e3db-18650c9da666",
    "AccessorID": "c903e587-32e0-3e05-5473-9dbb527a6aac",
    "SecretID": "72d24c94-b0bf-0b83-e3db-18650c9da666",
    "Description": "Bootstrap Token (Global Management)",
    "Policies": [{"ID": "00000000-0000-0000-0000-000000000001", "Name": "global-management"}],
    "Local": false,
    "CreateTime": "2026-11-27T13:26:23.637597636Z",
    "Hash": "oyrov6+GFLjo/KZAfqgxF/X4J/3LX0435DOBy9V22I0=",
    "CreateIndex": 16,
    "ModifyIndex": 16
}"""
LOGIN_BODY = b"""{
    "AccessorID": "c6b1c7a9-06eb-5e5e-4f8a-eb8fb6949ba0",
    "SecretID": "c1001c00-dc08-c40f-99ad-f9314c6a0833",
    "Description": "token created via login: {\\"k\\":\\"v\\"}",
    "ServiceIdentities": [{"ServiceName": "web"}],
    "Local": true,
    "AuthMethod": "jwt-m",
    "ExpirationTime": "2026-11-27T14:21:08.424151694Z",
    "CreateTime": "2026-11-27T13:21:08.424151694Z",
    "Hash": "aUw2/zMt8suZ1WMZdcRJN2pcLRrt8Eh3hZuDK8YJOKA=",
    "CreateIndex": 40,
    "ModifyIndex": 40
}"""
META = {"X-Consul-Index": "30", "X-Consul-Knownleader": "true"}


def _body(call: acl.Call[object]) -> object:
    return json.loads(call.request.body or b"null")


def test_create_and_update_send_the_legacy_token() -> None:
    spec = {"Name": "my-app-token"}
    call = acl.create(spec)
    assert (call.request.method, call.request.target) == ("PUT", "/v1/acl/create")
    assert _body(call) == {"Name": "my-app-token"}
    assert call.parse(Response(200, {}, b'{"ID": "%s"}' % SECRET.encode())) == SECRET
    typed = ACLLegacyToken(id=SECRET, name="n", type="management", rules='key "" {}')
    call = acl.update(typed, token="t")
    assert (call.request.method, call.request.target) == ("PUT", "/v1/acl/update")
    assert _body(call) == {"ID": SECRET, "Name": "n", "Type": "management", "Rules": 'key "" {}'}
    assert call.request.token == "t"


@pytest.mark.parametrize(
    ("call", "method", "target"),
    [
        (acl.info(SECRET), "GET", f"/v1/acl/info/{SECRET}"),
        (
            acl.info({"ID": SECRET}, watch=(3, "10s")),
            "GET",
            f"/v1/acl/info/{SECRET}?index=3&wait=10s",
        ),
        (acl.clone(ACLLegacyToken(id=SECRET)), "PUT", f"/v1/acl/clone/{SECRET}"),
        (acl.destroy(SECRET, dc="dc1"), "PUT", f"/v1/acl/destroy/{SECRET}?dc=dc1"),
        (acl.items(consistency="stale"), "GET", "/v1/acl/list?stale"),
        (acl.replication(dc="dc2"), "GET", "/v1/acl/replication?dc=dc2"),
        (
            acl.translate_token_rules("eac0d2e6-360a"),
            "GET",
            "/v1/acl/rules/translate/eac0d2e6-360a",
        ),
        (acl_login.logout(), "POST", "/v1/acl/logout"),
    ],
)
def test_golden_requests(call: acl.Call[object], method: str, target: str) -> None:
    assert (call.request.method, call.request.target) == (method, target)


def test_parse_legacy_reads() -> None:
    tokens, meta = acl.items().parse(Response(200, META, LIST_BODY))
    assert meta.index == 30
    assert tokens[1] == ACLLegacyToken(
        id=SECRET,
        name="my-app-token",
        type="client",
        rules='key "" { policy = "read" }',
        create_index=16,
        modify_index=30,
    )
    token, _ = acl.info(SECRET).parse(Response(200, META, INFO_BODY))
    assert token == tokens[1]
    clone_id, _ = acl.clone(SECRET).parse(Response(200, META, b'{"ID": "c-1"}'))
    assert clone_id == "c-1"
    assert acl.destroy(SECRET).parse(Response(200, {}, b"true")) is True


def test_legacy_secret_stays_out_of_repr_and_errors() -> None:
    assert SECRET not in repr(ACLLegacyToken(id=SECRET, name="n"))
    # Consul 1.8 answers 200 [] for a missing legacy token, and 403 to clone one.
    with pytest.raises(NotFound) as missing:
        acl.info(SECRET).parse(Response(200, META, b"[]"))
    assert missing.value.meta.index == 30
    with pytest.raises(PermissionDenied) as denied:
        acl.clone(SECRET).parse(Response(403, {}, b"Permission denied"))
    for error in (missing.value, denied.value):
        assert SECRET not in str(error)
        assert SECRET not in error.path
        assert error.path.endswith("/<redacted>")


@pytest.mark.parametrize("build", [acl.info, acl.clone, acl.destroy])
@pytest.mark.parametrize(
    "legacy_id", [f"/{SECRET}", f"{SECRET}/..", f"{SECRET}//x", f"{SECRET}\t", f"{SECRET}\u200d"]
)
def test_a_legacy_token_id_a_path_cannot_carry_is_refused_without_showing_it(
    build: Any, legacy_id: str
) -> None:
    with pytest.raises(UsageError, match=r"^acl_token \(a secret, not shown\)") as caught:
        build(legacy_id)
    shown = "".join(traceback.format_exception(caught.value)) + repr(caught.value)
    assert SECRET not in shown and SECRET[:8] not in shown
    # A KV key is no secret: its message shows it.
    with pytest.raises(UsageError, match=r"^key '/k' must not begin"):
        kv.get("/k")


@pytest.mark.parametrize("build", [acl.info, acl.clone, acl.destroy])
def test_a_legacy_token_id_utf8_cannot_encode_is_refused_without_keeping_it(build: Any) -> None:
    with pytest.raises(UsageError, match="lone surrogate") as caught:
        build(f"{SECRET}\udcff")
    assert caught.value.__context__ is None and caught.value.__cause__ is None
    assert SECRET not in repr(caught.value) and SECRET not in str(caught.value)


def test_parse_replication_status() -> None:
    status = acl.replication().parse(Response(200, {}, REPLICATION_BODY))
    assert status == ACLReplicationStatus()
    running = json.loads(REPLICATION_BODY)
    running.update(Enabled=True, Running=True, SourceDatacenter="dc1", ReplicationType="tokens")
    running.update(ReplicatedIndex=7, LastSuccess="2026-11-27T13:19:03.337372613Z")
    status = acl.replication().parse(Response(200, {}, json.dumps(running).encode()))
    assert (status.enabled, status.source_datacenter, status.replicated_index) == (True, "dc1", 7)
    assert status.last_success == datetime(2026, 11, 27, 13, 19, 3, 337372, timezone.utc)
    assert status.last_error is None


def test_translate_rules_sends_text_and_reads_text() -> None:
    call = acl.translate_rules('key "" { policy = "read" }')
    assert (call.request.method, call.request.target) == ("POST", "/v1/acl/rules/translate")
    assert call.request.body == b'key "" { policy = "read" }'
    translated = b'key_prefix "" {\n  policy = "read"\n}'
    assert call.parse(Response(200, {}, translated)) == translated.decode()
    assert (
        acl.translate_token_rules("a").parse(Response(200, {}, translated)) == translated.decode()
    )


def test_bootstrap() -> None:
    call = acl_login.bootstrap()
    assert (call.request.method, call.request.target, call.request.body) == (
        "PUT",
        "/v1/acl/bootstrap",
        None,
    )
    assert _body(acl_login.bootstrap(bootstrap_secret="s-1")) == {"BootstrapSecret": "s-1"}
    token = call.parse(Response(200, {}, BOOTSTRAP_BODY))
    assert token.secret_id == "72d24c94-b0bf-0b83-e3db-18650c9da666"
    assert token.policies == [ACLLink("00000000-0000-0000-0000-000000000001", "global-management")]
    assert token.create_time == datetime(2026, 11, 27, 13, 26, 23, 637597, timezone.utc)
    assert token.secret_id not in repr(token)
    refused = b"Permission denied: ACL bootstrap no longer allowed (reset index: 16)"
    with pytest.raises(PermissionDenied, match="no longer allowed"):
        call.parse(Response(403, {}, refused))


def test_login_and_logout() -> None:
    call = acl_login.login(ACLAuthMethod(name="jwt-m"), "a.b.c", {"k": "v"}, dc="dc1")
    assert (call.request.method, call.request.target) == ("POST", "/v1/acl/login?dc=dc1")
    assert _body(call) == {"AuthMethod": "jwt-m", "BearerToken": "a.b.c", "Meta": {"k": "v"}}
    token = call.parse(Response(200, {}, LOGIN_BODY))
    assert (token.auth_method, token.local) == ("jwt-m", True)
    assert token.expiration_time == datetime(2026, 11, 27, 14, 21, 8, 424151, timezone.utc)
    logout = acl_login.logout(token=token.secret_id)
    assert logout.request.token == token.secret_id
    assert logout.parse(Response(200, {}, b"true")) is True
    with pytest.raises(PermissionDenied) as denied:
        logout.parse(Response(403, {}, b"ACL not found " + token.secret_id.encode()))
    assert token.secret_id not in str(denied.value)


def test_oidc_flow() -> None:
    call = acl_login.oidc_auth_url({"Name": "oidc"}, "http://localhost/cb", "nonce", {"a": "b"})
    assert (call.request.method, call.request.target) == ("POST", "/v1/acl/oidc/auth-url")
    assert _body(call) == {
        "AuthMethod": "oidc",
        "RedirectURI": "http://localhost/cb",
        "ClientNonce": "nonce",
        "Meta": {"a": "b"},
    }
    assert call.parse(Response(200, {}, b'{"AuthURL": "https://idp/auth"}')) == "https://idp/auth"
    call = acl_login.oidc_callback("oidc", "st", "co", "nonce")
    assert (call.request.method, call.request.target) == ("POST", "/v1/acl/oidc/callback")
    assert _body(call) == {
        "AuthMethod": "oidc",
        "State": "st",
        "Code": "co",
        "ClientNonce": "nonce",
    }
    assert call.parse(Response(200, {}, LOGIN_BODY)).accessor_id.startswith("c6b1c7a9")


@pytest.mark.parametrize(
    "build",
    [
        lambda: acl.create(["Name"]),  # type: ignore[arg-type]
        lambda: acl.update({"Name": "no id"}),
        lambda: acl.info(""),
        lambda: acl.clone({"Name": "x"}),
        lambda: acl.destroy(3),  # type: ignore[arg-type]
        lambda: acl.items(watch="soon"),  # type: ignore[arg-type]
        lambda: acl.replication(dc=1),  # type: ignore[arg-type]
        lambda: acl.translate_rules(""),
        lambda: acl_login.bootstrap(bootstrap_secret=5),  # type: ignore[arg-type]
        lambda: acl_login.login("m", ""),
        lambda: acl_login.login({"ID": "not a name"}, "jwt"),
        lambda: acl_login.login("m", "jwt", {"k": 1}),  # type: ignore[dict-item]
        lambda: acl_login.oidc_auth_url("m", "", "n"),
        lambda: acl_login.oidc_callback("m", "s", "c", None),  # type: ignore[arg-type]
    ],
)
def test_usage_errors(build: object) -> None:
    with pytest.raises(UsageError):
        build()  # type: ignore[operator]


def test_time_codec() -> None:
    assert parse_time("0001-01-01T00:00:00Z") is None
    assert parse_time("2026-11-27T13:19:03+02:00") == datetime(
        2026, 11, 27, 11, 19, 3, tzinfo=timezone.utc
    )
    with pytest.raises(ValueError, match="RFC 3339"):
        parse_time("yesterday")
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    assert format_time(when, "t") == "2026-01-02T03:04:05+00:00"
    with pytest.raises(UsageError):
        format_time(datetime(2026, 1, 2), "t")
    # A Go time.Duration arrives as nanoseconds.
    token = ACLToken.from_json({"ExpirationTTL": 3_600_000_000_000})
    assert token.expiration_ttl == timedelta(hours=1)
