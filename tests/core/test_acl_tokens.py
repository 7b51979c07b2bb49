"""Golden requests and recorded responses for ACL tokens (no I/O)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from consul_core import ACLNotFound, NotFound, PermissionDenied, Response, UsageError
from consul_core.endpoints import acl_tokens
from consul_core.models.acl import (
    ACLAuthMethod,
    ACLLink,
    ACLNodeIdentity,
    ACLPolicy,
    ACLRole,
    ACLServiceIdentity,
    ACLToken,
    ACLTokenExpanded,
)

ACCESSOR = "78edc996-12de-b8cf-69e5-7d0ad7c38e5d"
SECRET = "a4c1e278-dab4-ad2b-9af2-4bc51f0b8b1b"
POLICY_ID = "5924a269-a5ce-fffd-609d-0c93c5cfba4f"
ROLE_ID = "b2e647b7-ba47-38f8-3ac7-96178cc168f2"

# Recorded from Consul 1.8.7.
TOKEN_BODY = b"""{
    "AccessorID": "78edc996-12de-b8cf-69e5-7d0ad7c38e5d",
    "SecretID": "a4c1e278-dab4-ad2b-9af2-4bc51f0b8b1b",
    "Description": "tk",
    "Policies": [{"ID": "5924a269-a5ce-fffd-609d-0c93c5cfba4f", "Name": "p1"}],
    "Roles": [{"ID": "b2e647b7-ba47-38f8-3ac7-96178cc168f2", "Name": "r1"}],
    "ServiceIdentities": [{"ServiceName": "api"}],
    "NodeIdentities": [{"NodeName": "n2", "Datacenter": "dc1"}],
    "Local": false,
    "ExpirationTime": "2026-11-27T14:20:54.42797389Z",
    "CreateTime": "2026-11-27T13:20:54.42797389Z",
    "Hash": "h0kp5Tjc2nAI74jFirFFcfPZtvB/wRakpbCzOMI+k4k=",
    "CreateIndex": 26,
    "ModifyIndex": 26
}"""
LIST_BODY = b"""[
    {
        "AccessorID": "76dce15e-7ba1-6fb3-1696-5a2864d8f944",
        "Description": "Master Token",
        "Policies": [{"ID": "00000000-0000-0000-0000-000000000001", "Name": "global-management"}],
        "Local": false,
        "CreateTime": "2026-11-27T13:19:03.337372613Z",
        "Hash": "4H7ICbDZ4j6AdxBPps0g3c8dGOg5QUg7BfxngwA4i+c=",
        "CreateIndex": 5,
        "ModifyIndex": 5
    },
    {
        "AccessorID": "eac0d2e6-360a-508f-e778-b7af4a5ca9a7",
        "Description": "my-app-token",
        "Local": false,
        "CreateTime": "0001-01-01T00:00:00Z",
        "Hash": "6Py1h/kd7YvXz3g0AFAWHp0hbvGnxEkdbZedEGfsds4=",
        "CreateIndex": 31,
        "ModifyIndex": 35,
        "Legacy": true
    }
]"""
META = {"X-Consul-Index": "28", "X-Consul-Knownleader": "true"}
# The docs' sample reply to GET /v1/acl/token/:AccessorID?expanded (Consul 1.12 and later).
EXPANDED_ACCESSOR = "fbd2447f-7479-4329-ad13-b021d74f86ba"
EXPANDED_BODY = b"""{
    "Name": "agent-token",
    "AccessorID": "fbd2447f-7479-4329-ad13-b021d74f86ba",
    "SecretID": "869c6e91-4de9-4dab-b56e-87548435f9c6",
    "Description": "test token",
    "Policies": [
        {"ID": "beb04680-815b-4d7c-9e33-3d707c24672c", "Name": "foo"},
        {"ID": "18788457-584c-4812-80d3-23d403148a90", "Name": "bar"}
    ],
    "Local": false,
    "CreateTime": "2020-05-22T18:52:31Z",
    "Hash": "YWJjZGVmZ2g=",
    "ExpandedPolicies": [
        {
            "ID": "beb04680-815b-4d7c-9e33-3d707c24672c",
            "Name": "foo",
            "Description": "user policy on token",
            "Rules": "service_prefix \\"\\" {\\n  policy = \\"read\\"\\n}",
            "Datacenters": null,
            "Hash": null,
            "CreateIndex": 0,
            "ModifyIndex": 0
        },
        {
            "ID": "18788457-584c-4812-80d3-23d403148a90",
            "Name": "bar",
            "Description": "other user policy on token",
            "Rules": "operator = \\"read\\"",
            "Datacenters": null,
            "Hash": null,
            "CreateIndex": 0,
            "ModifyIndex": 0
        },
        {
            "ID": "6204f4cd-4709-441c-ac1b-cb029e940263",
            "Name": "admin policy",
            "Description": "policy for admin role",
            "Rules": "operator = \\"write\\"",
            "Datacenters": null,
            "Hash": null,
            "CreateIndex": 0,
            "ModifyIndex": 0
        }
    ],
    "ExpandedRoles": [
        {
            "ID": "3b0a78fe-b9c3-40de-b8ea-7d4d6674b366",
            "Name": "admin",
            "Description": "admin role",
            "Policies": [{"ID": "6204f4cd-4709-441c-ac1b-cb029e940263", "Name": "admin policy"}],
            "ServiceIdentities": [{"ServiceName": "web", "Datacenters": ["southwest"]}],
            "Hash": null,
            "CreateIndex": 0,
            "ModifyIndex": 0
        }
    ],
    "NamespaceDefaultPolicies": null,
    "NamespaceDefaultRoles": null,
    "AgentACLDefaultPolicy": "allow",
    "AgentACLDownPolicy": "deny",
    "ResolvedByAgent": "server-1",
    "CreateIndex": 42,
    "ModifyIndex": 100
}"""


def _body(call: acl_tokens.Call[object]) -> object:
    return json.loads(call.request.body or b"null")


def test_create_merges_spec_and_keywords() -> None:
    call = acl_tokens.create(
        {"Description": "from spec", "Local": True},
        description="tk",
        policies=[POLICY_ID, "p1", {"Name": "p2"}, ACLPolicy(id="pid", name="ignored-name")],
        roles=[ACLRole(name="r1"), ACLLink(id=ROLE_ID)],
        service_identities=["api", {"ServiceName": "web", "Datacenters": ["dc1"]}],
        node_identities=[ACLNodeIdentity("n2", "dc1")],
        expiration_ttl=timedelta(hours=1),
        expiration_time=datetime(2030, 1, 1, tzinfo=timezone.utc),
        dc="dc1",
    )
    assert (call.request.method, call.request.target) == ("PUT", "/v1/acl/token?dc=dc1")
    assert _body(call) == {
        "Description": "tk",
        "Local": True,
        "Policies": [
            {"ID": POLICY_ID},
            {"Name": "p1"},
            {"Name": "p2"},
            {"ID": "pid", "Name": "ignored-name"},
        ],
        "Roles": [{"Name": "r1"}, {"ID": ROLE_ID}],
        "ServiceIdentities": [
            {"ServiceName": "api"},
            {"ServiceName": "web", "Datacenters": ["dc1"]},
        ],
        "NodeIdentities": [{"NodeName": "n2", "Datacenter": "dc1"}],
        "ExpirationTTL": "3600s",
        "ExpirationTime": "2030-01-01T00:00:00+00:00",
    }
    token = call.parse(Response(200, {}, TOKEN_BODY))
    assert token == ACLToken(
        accessor_id=ACCESSOR,
        secret_id=SECRET,
        description="tk",
        policies=[ACLLink(POLICY_ID, "p1")],
        roles=[ACLLink(ROLE_ID, "r1")],
        service_identities=[ACLServiceIdentity("api")],
        node_identities=[ACLNodeIdentity("n2", "dc1")],
        expiration_time=datetime(2026, 11, 27, 14, 20, 54, 427973, timezone.utc),
        create_time=datetime(2026, 11, 27, 13, 20, 54, 427973, timezone.utc),
        hash=token.hash,
        create_index=26,
        modify_index=26,
    )
    assert len(token.hash) == 32
    assert SECRET not in repr(token)


def test_create_from_a_typed_token() -> None:
    typed = ACLToken(description="d", service_identities=[ACLServiceIdentity("api", ["dc1"])])
    assert _body(acl_tokens.create(typed)) == {
        "Description": "d",
        "ServiceIdentities": [{"ServiceName": "api", "Datacenters": ["dc1"]}],
    }
    assert _body(acl_tokens.create()) == {}


def test_update_sends_the_whole_token_without_its_expiration() -> None:
    token = ACLToken.from_json(json.loads(TOKEN_BODY))
    call = acl_tokens.update(token, description="tk2", roles=[])
    assert (call.request.method, call.request.target) == ("PUT", f"/v1/acl/token/{ACCESSOR}")
    assert _body(call) == {
        "AccessorID": ACCESSOR,
        "SecretID": SECRET,
        "Description": "tk2",
        "Policies": [{"ID": POLICY_ID, "Name": "p1"}],
        "Roles": [],
        "ServiceIdentities": [{"ServiceName": "api"}],
        "NodeIdentities": [{"NodeName": "n2", "Datacenter": "dc1"}],
    }


@pytest.mark.parametrize(
    ("call", "method", "target"),
    [
        (acl_tokens.read(ACCESSOR), "GET", f"/v1/acl/token/{ACCESSOR}"),
        (
            acl_tokens.read({"AccessorID": ACCESSOR}, watch=(26, "5s"), consistency="consistent"),
            "GET",
            f"/v1/acl/token/{ACCESSOR}?consistent&index=26&wait=5s",
        ),
        (acl_tokens.read_self(dc="dc1"), "GET", "/v1/acl/token/self?dc=dc1"),
        # Consul 1.12 and later (golden: 1.8.7 ignores expanded and answers the token alone).
        (
            acl_tokens.read_expanded(ACCESSOR, consistency="stale"),
            "GET",
            f"/v1/acl/token/{ACCESSOR}?stale&expanded=true",
        ),
        (
            acl_tokens.clone(ACLToken(accessor_id=ACCESSOR)),
            "PUT",
            f"/v1/acl/token/{ACCESSOR}/clone",
        ),
        (acl_tokens.delete(ACCESSOR), "DELETE", f"/v1/acl/token/{ACCESSOR}"),
        (acl_tokens.items(), "GET", "/v1/acl/tokens"),
        (
            acl_tokens.items(
                policy=ACLPolicy(id=POLICY_ID),
                role={"ID": ROLE_ID},
                auth_method=ACLAuthMethod(name="jwt-m"),
            ),
            "GET",
            f"/v1/acl/tokens?policy={POLICY_ID}&role={ROLE_ID}&authmethod=jwt-m",
        ),
        # Consul 1.17 and later (golden: 1.8.7 ignores servicename and lists every token).
        (acl_tokens.items(service_name="web"), "GET", "/v1/acl/tokens?servicename=web"),
        (
            acl_tokens.items(service_name="a b", auth_method="jwt-m", auth_method_ns="team-1"),
            "GET",
            "/v1/acl/tokens?authmethod=jwt-m&servicename=a%20b&authmethod-ns=team-1",
        ),
    ],
)
def test_golden_requests(call: acl_tokens.Call[object], method: str, target: str) -> None:
    assert (call.request.method, call.request.target) == (method, target)


def test_read_expanded_golden() -> None:
    call = acl_tokens.read_expanded(ACLToken(accessor_id=EXPANDED_ACCESSOR))
    assert (call.request.method, call.request.target) == (
        "GET",
        f"/v1/acl/token/{EXPANDED_ACCESSOR}?expanded=true",
    )
    token, meta = call.parse(Response(200, {"X-Consul-Index": "100"}, EXPANDED_BODY))
    assert isinstance(token, ACLTokenExpanded) and isinstance(token, ACLToken)
    assert (token.accessor_id, token.description, meta.index) == (
        EXPANDED_ACCESSOR,
        "test token",
        100,
    )
    assert token.secret_id == "869c6e91-4de9-4dab-b56e-87548435f9c6"
    assert token.secret_id not in repr(token)
    assert [p.name for p in token.policies] == ["foo", "bar"]
    assert [(p.name, p.rules) for p in token.expanded_policies] == [
        ("foo", 'service_prefix "" {\n  policy = "read"\n}'),
        ("bar", 'operator = "read"'),
        ("admin policy", 'operator = "write"'),
    ]
    # Go's null lists and hashes are empty ones.
    assert all(p.datacenters == [] and p.hash == b"" for p in token.expanded_policies)
    assert token.expanded_roles == [
        ACLRole(
            id="3b0a78fe-b9c3-40de-b8ea-7d4d6674b366",
            name="admin",
            description="admin role",
            policies=[ACLLink("6204f4cd-4709-441c-ac1b-cb029e940263", "admin policy")],
            service_identities=[ACLServiceIdentity("web", ["southwest"])],
        )
    ]
    assert (
        token.agent_acl_default_policy,
        token.agent_acl_down_policy,
        token.resolved_by_agent,
    ) == ("allow", "deny", "server-1")
    assert (token.create_index, token.modify_index) == (42, 100)
    # The docs' sample names the namespace defaults as Consul does not (the server's
    # structs.ExpandedTokenInfo and Go's api.ACLTokenExpanded say NamespaceDefaultPolicyIDs and
    # NamespaceDefaultRoleIDs): those keys, and a newer Consul's token Name, are kept unknown.
    assert (token.namespace_default_policy_ids, token.namespace_default_role_ids) == ([], [])
    assert token.unknown_fields == {
        "Name": "agent-token",
        "NamespaceDefaultPolicies": None,
        "NamespaceDefaultRoles": None,
    }


def test_read_expanded_namespace_defaults_as_consul_sends_them() -> None:
    # Go's api.ACLTokenExpanded (Consul Enterprise fills the namespace defaults).
    body = {
        "AccessorID": EXPANDED_ACCESSOR,
        "Namespace": "team-1",
        "ExpandedPolicies": None,
        "ExpandedRoles": None,
        "NamespaceDefaultPolicyIDs": [POLICY_ID],
        "NamespaceDefaultRoleIDs": [ROLE_ID],
        "AgentACLDefaultPolicy": "deny",
        "AgentACLDownPolicy": "extend-cache",
        "ResolvedByAgent": "client-2",
    }
    call = acl_tokens.read_expanded(EXPANDED_ACCESSOR, ns="team-1")
    assert call.request.target == f"/v1/acl/token/{EXPANDED_ACCESSOR}?expanded=true&ns=team-1"
    token, _ = call.parse(Response(200, META, json.dumps(body).encode()))
    assert (token.namespace_default_policy_ids, token.namespace_default_role_ids) == (
        [POLICY_ID],
        [ROLE_ID],
    )
    assert (token.expanded_policies, token.expanded_roles, token.unknown_fields) == ([], [], {})
    assert token == ACLTokenExpanded.from_json(body)


def test_an_expanded_token_is_written_back_as_a_token() -> None:
    token, _ = acl_tokens.read_expanded(EXPANDED_ACCESSOR).parse(Response(200, META, EXPANDED_BODY))
    call = acl_tokens.update(token, description="changed")
    assert call.request.target == f"/v1/acl/token/{EXPANDED_ACCESSOR}"
    body = _body(call)
    assert isinstance(body, dict) and body["Description"] == "changed"
    assert body["Policies"] == [
        {"ID": "beb04680-815b-4d7c-9e33-3d707c24672c", "Name": "foo"},
        {"ID": "18788457-584c-4812-80d3-23d403148a90", "Name": "bar"},
    ]
    # The expansion is what Consul resolved, not the token: none of it is sent.
    sent = set(body)
    assert not sent & {"ExpandedPolicies", "ExpandedRoles", "ResolvedByAgent"}
    assert not any(key.startswith("AgentACL") for key in sent)


def test_clone_body() -> None:
    assert _body(acl_tokens.clone(ACCESSOR)) == {}
    assert _body(acl_tokens.clone(ACCESSOR, description="copy")) == {"Description": "copy"}


def test_parse_reads_lists_and_deletes() -> None:
    token, meta = acl_tokens.read(ACCESSOR).parse(Response(200, META, TOKEN_BODY))
    assert (token.accessor_id, token.secret_id, meta.index) == (ACCESSOR, SECRET, 28)
    listed, meta = acl_tokens.items().parse(Response(200, META, LIST_BODY))
    assert [t.description for t in listed] == ["Master Token", "my-app-token"]
    assert listed[0].secret_id == ""
    assert listed[1].legacy is True
    assert listed[1].create_time is None  # Go's zero time
    assert acl_tokens.delete(ACCESSOR).parse(Response(200, {}, b"true")) is True


@pytest.mark.parametrize(
    ("status", "body"), [(403, b"ACL not found"), (403, b"ACL not found\n"), (404, b"")]
)
def test_a_missing_token_is_one_error_with_either_status(status: int, body: bytes) -> None:
    # Consul 1.8 says 403 "ACL not found", newer servers 404: one error, the status kept.
    for call in (
        acl_tokens.read(ACCESSOR),
        acl_tokens.clone(ACCESSOR),
        acl_tokens.update({"AccessorID": ACCESSOR}),
        acl_tokens.delete(ACCESSOR),
    ):
        with pytest.raises(ACLNotFound) as missing:
            call.parse(Response(status, META, body))
        assert isinstance(missing.value, NotFound) and missing.value.status == status
        assert missing.value.meta.index == 28
    message = str(ACLNotFound(acl_tokens.read(ACCESSOR).request, Response(status, META, body)))
    assert message.startswith(f"{status} GET /v1/acl/token/{ACCESSOR}: ")


def test_other_denials_of_acl_calls_stay_permission_errors() -> None:
    for call in (acl_tokens.read(ACCESSOR), acl_tokens.create(description="d")):
        with pytest.raises(PermissionDenied) as denied:
            call.parse(Response(403, META, b"Permission denied: token lacks acl:read"))
        assert not isinstance(denied.value, NotFound)
    # Creating names no existing token: an unknown caller token stays a denial.
    with pytest.raises(PermissionDenied) as denied:
        acl_tokens.create(description="d").parse(Response(403, META, b"ACL not found"))
    assert not isinstance(denied.value, NotFound)


@pytest.mark.parametrize(
    "build",
    [
        lambda: acl_tokens.create("not a spec"),  # type: ignore[arg-type]
        lambda: acl_tokens.create(description=1),  # type: ignore[arg-type]
        lambda: acl_tokens.create(policies="p1"),  # type: ignore[arg-type]
        lambda: acl_tokens.create(policies=[{"Rules": "x"}]),
        lambda: acl_tokens.create(roles=[3]),  # type: ignore[list-item]
        lambda: acl_tokens.create(service_identities=[3]),  # type: ignore[list-item]
        lambda: acl_tokens.create(node_identities=["n1"]),  # type: ignore[list-item]
        lambda: acl_tokens.create(local="yes"),  # type: ignore[arg-type]
        lambda: acl_tokens.create(expiration_ttl="soon"),
        lambda: acl_tokens.create(expiration_time=datetime(2030, 1, 1)),
        lambda: acl_tokens.read(""),
        lambda: acl_tokens.read({"ID": ACCESSOR}),
        lambda: acl_tokens.read_expanded("self"),  # the handler's own word
        lambda: acl_tokens.read_expanded(f"{ACCESSOR}/clone"),
        lambda: acl_tokens.read_expanded(ACCESSOR, watch=-1),
        lambda: acl_tokens.read_self(consistency="eventual"),  # type: ignore[arg-type]
        lambda: acl_tokens.update({"Description": "no accessor"}),
        lambda: acl_tokens.update(ACLToken(description="no accessor")),
        lambda: acl_tokens.clone(ACCESSOR, description=2),  # type: ignore[arg-type]
        lambda: acl_tokens.delete(None),  # type: ignore[arg-type]
        lambda: acl_tokens.items(policy=""),
        lambda: acl_tokens.items(auth_method={"ID": "x"}),
        lambda: acl_tokens.items(token=5),  # type: ignore[arg-type]
        lambda: acl_tokens.items(service_name=""),
        lambda: acl_tokens.items(service_name=["web"]),  # type: ignore[arg-type]
        lambda: acl_tokens.items(auth_method_ns="team-1"),  # qualifies auth_method only
        lambda: acl_tokens.items(auth_method="m", auth_method_ns=""),
    ],
)
def test_usage_errors(build: object) -> None:
    with pytest.raises(UsageError):
        build()  # type: ignore[operator]
