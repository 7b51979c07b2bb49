"""Golden requests and recorded responses for ACL policies, roles, auth methods, binding rules
and policy templates (no I/O)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from consul_core import ACLNotFound, Response, ServerError, UsageError
from consul_core.endpoints import (
    acl_auth_methods,
    acl_binding_rules,
    acl_policies,
    acl_roles,
    acl_templated_policies,
)
from consul_core.models.acl import (
    ACLAuthMethod,
    ACLBindingRule,
    ACLLink,
    ACLNodeIdentity,
    ACLPolicy,
    ACLPolicyTemplate,
    ACLRole,
    ACLServiceIdentity,
)

POLICY_ID = "5924a269-a5ce-fffd-609d-0c93c5cfba4f"
ROLE_ID = "b2e647b7-ba47-38f8-3ac7-96178cc168f2"
RULE_ID = "51a662bf-09a4-d052-7bdd-426c94360626"
RULES = 'key_prefix "" { policy = "read" }'

# Recorded from Consul 1.8.7.
POLICY_BODY = b"""{
    "ID": "5924a269-a5ce-fffd-609d-0c93c5cfba4f",
    "Name": "p1",
    "Description": "d",
    "Rules": "key_prefix \\"\\" { policy = \\"read\\" }",
    "Datacenters": ["dc1"],
    "Hash": "ajrEtkDaifwuvnQFWBv6uYuF8yTpzG/9m4XfI+CWSAE=",
    "CreateIndex": 23,
    "ModifyIndex": 23
}"""
POLICIES_BODY = b"""[
    {
        "ID": "00000000-0000-0000-0000-000000000001",
        "Name": "global-management",
        "Description": "Builtin Policy that grants unlimited access",
        "Datacenters": null,
        "Hash": "swIQt6up+s0cV4kePfJ2aRdKCLaQyykF4Hl1Nfdeumk=",
        "CreateIndex": 4,
        "ModifyIndex": 4
    }
]"""
ROLE_BODY = b"""{
    "ID": "b2e647b7-ba47-38f8-3ac7-96178cc168f2",
    "Name": "r1",
    "Description": "d",
    "Policies": [{"ID": "5924a269-a5ce-fffd-609d-0c93c5cfba4f", "Name": "p1"}],
    "ServiceIdentities": [{"ServiceName": "web", "Datacenters": ["dc1"]}],
    "NodeIdentities": [{"NodeName": "n1", "Datacenter": "dc1"}],
    "Hash": "fFrkykEZ+6ikrdsKXGneaPaBqiwnepEdUaGpJamFBJU=",
    "CreateIndex": 24,
    "ModifyIndex": 24
}"""
AUTH_METHOD_BODY = b"""{
    "MaxTokenTTL": "1h0m0s",
    "Name": "jwt-m",
    "Type": "jwt",
    "DisplayName": "JWT",
    "Description": "d",
    "TokenLocality": "local",
    "Config": {
        "BoundAudiences": ["consul"],
        "BoundIssuer": "test-issuer",
        "ClaimMappings": {"service": "service"},
        "JWTValidationPubKeys": ["-----BEGIN PUBLIC KEY-----\\nMFkw...\\n-----END PUBLIC KEY-----"]
    },
    "CreateIndex": 38,
    "ModifyIndex": 38
}"""
AUTH_METHODS_BODY = b"""[
    {"Name": "jwt-m", "Type": "jwt", "DisplayName": "JWT", "Description": "d",
     "CreateIndex": 38, "ModifyIndex": 38}
]"""
BINDING_RULE_BODY = b"""{
    "ID": "51a662bf-09a4-d052-7bdd-426c94360626",
    "Description": "br",
    "AuthMethod": "jwt-m",
    "Selector": "value.service==web",
    "BindType": "service",
    "BindName": "${value.service}",
    "CreateIndex": 39,
    "ModifyIndex": 39
}"""
# From the Consul 1.17 documentation.
TEMPLATE_BODY = b"""{
    "TemplateName": "builtin/service",
    "Schema": "{\\"type\\": \\"object\\"}",
    "Template": "service \\"{{.Name}}\\" { policy = \\"write\\" }",
    "Description": "Gives the token or role permissions for a service"
}"""
META = {"X-Consul-Index": "24", "X-Consul-Knownleader": "true"}


def _body(call: acl_policies.Call[object]) -> object:
    return json.loads(call.request.body or b"null")


def _request(call: acl_policies.Call[object]) -> tuple[str, str]:
    return call.request.method, call.request.target


def test_policy_create_update_and_parse() -> None:
    call = acl_policies.create({"Name": "p0"}, name="p1", rules=RULES, datacenters=["dc1"])
    assert _request(call) == ("PUT", "/v1/acl/policy")
    assert _body(call) == {"Name": "p1", "Rules": RULES, "Datacenters": ["dc1"]}
    policy = call.parse(Response(200, {}, POLICY_BODY))
    assert policy == ACLPolicy(
        id=POLICY_ID,
        name="p1",
        description="d",
        rules=RULES,
        datacenters=["dc1"],
        hash=policy.hash,
        create_index=23,
        modify_index=23,
    )
    call = acl_policies.update(policy, description="")
    assert _request(call) == ("PUT", f"/v1/acl/policy/{POLICY_ID}")
    assert _body(call) == {
        "ID": POLICY_ID,
        "Name": "p1",
        "Rules": RULES,
        "Datacenters": ["dc1"],
        "Hash": "ajrEtkDaifwuvnQFWBv6uYuF8yTpzG/9m4XfI+CWSAE=",
        "CreateIndex": 23,
        "ModifyIndex": 23,
        "Description": "",
    }


def test_role_create_update_and_parse() -> None:
    call = acl_roles.create(
        name="r1",
        policies=["p1"],
        service_identities=[ACLServiceIdentity("web", ["dc1"])],
        node_identities=[{"NodeName": "n1", "Datacenter": "dc1"}],
    )
    assert _request(call) == ("PUT", "/v1/acl/role")
    assert _body(call) == {
        "Name": "r1",
        "Policies": [{"Name": "p1"}],
        "ServiceIdentities": [{"ServiceName": "web", "Datacenters": ["dc1"]}],
        "NodeIdentities": [{"NodeName": "n1", "Datacenter": "dc1"}],
    }
    role = call.parse(Response(200, {}, ROLE_BODY))
    assert (role.id, role.name, role.policies) == (ROLE_ID, "r1", [ACLLink(POLICY_ID, "p1")])
    assert role.node_identities == [ACLNodeIdentity("n1", "dc1")]
    call = acl_roles.update({"ID": ROLE_ID, "Name": "r1"}, description="x")
    assert _request(call) == ("PUT", f"/v1/acl/role/{ROLE_ID}")
    assert _body(call) == {"ID": ROLE_ID, "Name": "r1", "Description": "x"}


def test_auth_method_create_update_and_parse() -> None:
    config = {"JWTValidationPubKeys": ["PEM"], "BoundAudiences": ["consul"]}
    call = acl_auth_methods.create(
        name="jwt-m",
        type="jwt",
        display_name="JWT",
        max_token_ttl=timedelta(hours=1),
        token_locality="local",
        config=config,
    )
    assert _request(call) == ("PUT", "/v1/acl/auth-method")
    assert _body(call) == {
        "Name": "jwt-m",
        "Type": "jwt",
        "DisplayName": "JWT",
        "MaxTokenTTL": "3600s",
        "TokenLocality": "local",
        "Config": config,
    }
    method = call.parse(Response(200, {}, AUTH_METHOD_BODY))
    assert (method.name, method.type, method.max_token_ttl) == ("jwt-m", "jwt", timedelta(hours=1))
    assert method.config["BoundIssuer"] == "test-issuer"
    call = acl_auth_methods.update(method, description="new")
    assert _request(call) == ("PUT", "/v1/acl/auth-method/jwt-m")
    body = _body(call)
    assert isinstance(body, dict)
    assert (body["Description"], body["MaxTokenTTL"], body["Config"]) == (
        "new",
        "1h0m0s",  # as the agent sent it
        method.config,
    )


def test_binding_rule_create_update_and_parse() -> None:
    call = acl_binding_rules.create(
        auth_method=ACLAuthMethod(name="jwt-m"),
        selector="value.service==web",
        bind_type="service",
        bind_name="${value.service}",
    )
    assert _request(call) == ("PUT", "/v1/acl/binding-rule")
    assert _body(call) == {
        "AuthMethod": "jwt-m",
        "Selector": "value.service==web",
        "BindType": "service",
        "BindName": "${value.service}",
    }
    rule = call.parse(Response(200, {}, BINDING_RULE_BODY))
    assert rule == ACLBindingRule(
        id=RULE_ID,
        description="br",
        auth_method="jwt-m",
        selector="value.service==web",
        bind_type="service",
        bind_name="${value.service}",
        create_index=39,
        modify_index=39,
    )
    call = acl_binding_rules.update(rule, bind_type="role", bind_name="r1", selector="")
    assert _request(call) == ("PUT", f"/v1/acl/binding-rule/{RULE_ID}")
    body = _body(call)
    assert isinstance(body, dict)
    assert (body["BindType"], body["BindName"], body["Selector"]) == ("role", "r1", "")


@pytest.mark.parametrize(
    ("call", "method", "target"),
    [
        (acl_policies.read(POLICY_ID), "GET", f"/v1/acl/policy/{POLICY_ID}"),
        (acl_policies.read_by_name("p 1", dc="dc1"), "GET", "/v1/acl/policy/name/p%201?dc=dc1"),
        (acl_policies.delete(ACLPolicy(id=POLICY_ID)), "DELETE", f"/v1/acl/policy/{POLICY_ID}"),
        (acl_policies.items(watch=23), "GET", "/v1/acl/policies?index=23&wait=300s"),
        (acl_roles.read({"ID": ROLE_ID}), "GET", f"/v1/acl/role/{ROLE_ID}"),
        (acl_roles.read_by_name("r1", consistency="stale"), "GET", "/v1/acl/role/name/r1?stale"),
        (acl_roles.delete(ROLE_ID), "DELETE", f"/v1/acl/role/{ROLE_ID}"),
        (acl_roles.items(), "GET", "/v1/acl/roles"),
        (acl_roles.items(policy=POLICY_ID), "GET", f"/v1/acl/roles?policy={POLICY_ID}"),
        (acl_auth_methods.read("jwt-m"), "GET", "/v1/acl/auth-method/jwt-m"),
        (acl_auth_methods.delete({"Name": "jwt-m"}), "DELETE", "/v1/acl/auth-method/jwt-m"),
        (acl_auth_methods.items(dc="dc2"), "GET", "/v1/acl/auth-methods?dc=dc2"),
        (acl_binding_rules.read(RULE_ID), "GET", f"/v1/acl/binding-rule/{RULE_ID}"),
        (acl_binding_rules.delete(RULE_ID), "DELETE", f"/v1/acl/binding-rule/{RULE_ID}"),
        (
            acl_binding_rules.items(auth_method="jwt-m"),
            "GET",
            "/v1/acl/binding-rules?authmethod=jwt-m",
        ),
        (acl_templated_policies.items(), "GET", "/v1/acl/templated-policies"),
        (
            acl_templated_policies.read_by_name("builtin/service"),
            "GET",
            "/v1/acl/templated-policy/name/builtin/service",
        ),
    ],
)
def test_golden_requests(call: acl_policies.Call[object], method: str, target: str) -> None:
    assert _request(call) == (method, target)


def test_parse_lists_and_errors() -> None:
    policies, meta = acl_policies.items().parse(Response(200, META, POLICIES_BODY))
    assert (policies[0].name, policies[0].datacenters, policies[0].rules) == (
        "global-management",
        [],
        "",
    )
    assert meta.index == 24
    policy, _ = acl_policies.read_by_name("p1").parse(Response(200, META, POLICY_BODY))
    assert policy.rules == RULES
    roles, _ = acl_roles.items().parse(Response(200, META, b"[" + ROLE_BODY + b"]"))
    assert [r.id for r in roles] == [ROLE_ID]
    methods, _ = acl_auth_methods.items().parse(Response(200, META, AUTH_METHODS_BODY))
    assert methods == [
        ACLAuthMethod(
            name="jwt-m",
            type="jwt",
            display_name="JWT",
            description="d",
            create_index=38,
            modify_index=38,
        )
    ]
    rules, _ = acl_binding_rules.items().parse(Response(200, META, b"[]"))
    assert rules == []
    for delete in (acl_policies.delete("p"), acl_roles.delete("r"), acl_binding_rules.delete("b")):
        assert delete.parse(Response(200, {}, b"true")) is True
    # Consul 1.8: a missing policy is a 403, a missing role (auth method, rule) a bare 404.
    with pytest.raises(ACLNotFound, match="ACL not found") as policy:
        acl_policies.read(POLICY_ID).parse(Response(403, META, b"ACL not found"))
    with pytest.raises(ACLNotFound) as role:
        acl_roles.read_by_name("nope").parse(Response(404, META, b""))
    assert (policy.value.status, role.value.status) == (403, 404)
    # An update of a missing binding rule: a 500 "cannot find binding rule".
    with pytest.raises(ACLNotFound, match="cannot find binding rule"):
        acl_binding_rules.update(
            {"ID": POLICY_ID, "AuthMethod": "m", "BindType": "service", "BindName": "x"}
        ).parse(Response(500, {}, f"cannot find binding rule {POLICY_ID}".encode()))
    with pytest.raises(ServerError, match="Failed to parse ACL rules"):
        acl_policies.create(name="bad", rules="nonsense {").parse(
            Response(500, {}, b"Failed to parse ACL rules: At 1:12: object expected closing RBRACE")
        )


def test_templated_policies() -> None:
    templates = acl_templated_policies.items().parse(
        Response(200, {}, b'{"builtin/service": ' + TEMPLATE_BODY + b"}")
    )
    assert list(templates) == ["builtin/service"]
    assert templates["builtin/service"].template.startswith('service "{{.Name}}"')
    one = acl_templated_policies.read_by_name("builtin/service").parse(
        Response(200, {}, TEMPLATE_BODY)
    )
    assert one == templates["builtin/service"]
    assert isinstance(one, ACLPolicyTemplate)
    call = acl_templated_policies.preview("builtin/service", {"Name": "api"})
    assert _request(call) == ("POST", "/v1/acl/templated-policy/preview/builtin/service")
    assert _body(call) == {"Name": "api"}
    rendered = b'{"ID": "x", "Name": "synthetic-policy-x", "Rules": "service \\"api\\" {}"}'
    assert call.parse(Response(200, {}, rendered)).rules == 'service "api" {}'


@pytest.mark.parametrize(
    "build",
    [
        lambda: acl_policies.create({"ID": POLICY_ID, "Name": "p"}),
        lambda: acl_policies.create(ACLPolicy(id=POLICY_ID)),
        lambda: acl_policies.create(name=""),
        lambda: acl_policies.create(datacenters="dc1"),  # type: ignore[arg-type]
        lambda: acl_policies.update({"Name": "no id"}),
        lambda: acl_policies.read_by_name(""),
        lambda: acl_policies.read(3),  # type: ignore[arg-type]
        lambda: acl_roles.create({"ID": ROLE_ID}),
        lambda: acl_roles.create(policies=[None]),  # type: ignore[list-item]
        lambda: acl_roles.update(ACLRole(name="no id")),
        lambda: acl_roles.read_by_name(None),  # type: ignore[arg-type]
        lambda: acl_roles.items(policy={"Name": "p"}),
        lambda: acl_auth_methods.create(type="jwt"),
        lambda: acl_auth_methods.create(name="m", token_locality="remote"),
        lambda: acl_auth_methods.create(name="m", config=["x"]),  # type: ignore[arg-type]
        lambda: acl_auth_methods.create(name="m", max_token_ttl="forever"),
        lambda: acl_auth_methods.update({"Type": "jwt"}),
        lambda: acl_auth_methods.read(ACLAuthMethod()),
        lambda: acl_binding_rules.create(ACLBindingRule(id=RULE_ID)),
        lambda: acl_binding_rules.create(auth_method="m", bind_type=""),
        lambda: acl_binding_rules.update({"AuthMethod": "m"}),
        lambda: acl_binding_rules.items(auth_method=5),  # type: ignore[arg-type]
        lambda: acl_templated_policies.read_by_name(""),
        lambda: acl_templated_policies.preview("builtin/service", ["api"]),  # type: ignore[arg-type]
    ],
)
def test_usage_errors(build: object) -> None:
    with pytest.raises(UsageError):
        build()  # type: ignore[operator]
