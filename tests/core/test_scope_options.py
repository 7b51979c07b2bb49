"""Golden requests for the options a current agent expects: ``ns`` and ``partition`` on every
builder of an endpoint whose documentation (the Consul 1.22 API docs) takes them, ``peer`` and
``merge-central-config`` on service reads, the ``Cache-Control`` of cached reads, and the
client-wide namespace and partition applied only where an endpoint takes them.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest

import consul_core.endpoints
from consul_core import Call, ClientDefaults, QueryMeta, Response, UsageError
from consul_core.endpoints import (
    acl_auth_methods,
    acl_binding_rules,
    acl_login,
    acl_policies,
    acl_roles,
    acl_templated_policies,
    acl_tokens,
    agent_text,
    catalog,
    checks,
    config,
    connect,
    connect_intentions,
    discovery_chain,
    exported_services,
    health,
    kv,
    members,
    namespace,
    peering,
    query,
    services,
    session,
)
from consul_core.endpoints._common import decode_bool, indexed_read
from consul_core.endpoints._options import PartitionedReadOptions, builder

if TYPE_CHECKING:
    from typing_extensions import Unpack

ID = "3f2a5d1c-6a3e-4b8f-9e0a-1b2c3d4e5f60"
Build = Callable[..., Call[Any]]

# Each builder that takes ns and partition, with the request it makes (method, target without
# the two): every one of them must be here (see the last test).
NAMESPACED: dict[str, tuple[Build, str, str]] = {
    "acl_auth_methods.create": (
        lambda **o: acl_auth_methods.create(name="m", type="jwt", **o),
        "PUT",
        "/v1/acl/auth-method",
    ),
    "acl_auth_methods.read": (
        lambda **o: acl_auth_methods.read("m", **o),
        "GET",
        "/v1/acl/auth-method/m",
    ),
    "acl_auth_methods.update": (
        lambda **o: acl_auth_methods.update({"Name": "m"}, **o),
        "PUT",
        "/v1/acl/auth-method/m",
    ),
    "acl_auth_methods.delete": (
        lambda **o: acl_auth_methods.delete("m", **o),
        "DELETE",
        "/v1/acl/auth-method/m",
    ),
    "acl_auth_methods.items": (acl_auth_methods.items, "GET", "/v1/acl/auth-methods"),
    "acl_binding_rules.create": (
        lambda **o: acl_binding_rules.create(auth_method="m", bind_name="b", **o),
        "PUT",
        "/v1/acl/binding-rule",
    ),
    "acl_binding_rules.read": (
        lambda **o: acl_binding_rules.read(ID, **o),
        "GET",
        f"/v1/acl/binding-rule/{ID}",
    ),
    "acl_binding_rules.update": (
        lambda **o: acl_binding_rules.update({"ID": ID}, **o),
        "PUT",
        f"/v1/acl/binding-rule/{ID}",
    ),
    "acl_binding_rules.delete": (
        lambda **o: acl_binding_rules.delete(ID, **o),
        "DELETE",
        f"/v1/acl/binding-rule/{ID}",
    ),
    "acl_binding_rules.items": (acl_binding_rules.items, "GET", "/v1/acl/binding-rules"),
    "acl_login.login": (
        lambda **o: acl_login.login("m", "jwt", **o),
        "POST",
        "/v1/acl/login",
    ),
    "acl_login.oidc_auth_url": (
        lambda **o: acl_login.oidc_auth_url("m", "http://cb", "nonce", **o),
        "POST",
        "/v1/acl/oidc/auth-url",
    ),
    "acl_login.oidc_callback": (
        lambda **o: acl_login.oidc_callback("m", "state", "code", "nonce", **o),
        "POST",
        "/v1/acl/oidc/callback",
    ),
    "acl_policies.create": (
        lambda **o: acl_policies.create(name="p", **o),
        "PUT",
        "/v1/acl/policy",
    ),
    "acl_policies.read": (
        lambda **o: acl_policies.read(ID, **o),
        "GET",
        f"/v1/acl/policy/{ID}",
    ),
    "acl_policies.read_by_name": (
        lambda **o: acl_policies.read_by_name("p", **o),
        "GET",
        "/v1/acl/policy/name/p",
    ),
    "acl_policies.update": (
        lambda **o: acl_policies.update({"ID": ID}, **o),
        "PUT",
        f"/v1/acl/policy/{ID}",
    ),
    "acl_policies.delete": (
        lambda **o: acl_policies.delete(ID, **o),
        "DELETE",
        f"/v1/acl/policy/{ID}",
    ),
    "acl_policies.items": (acl_policies.items, "GET", "/v1/acl/policies"),
    "acl_roles.create": (lambda **o: acl_roles.create(name="r", **o), "PUT", "/v1/acl/role"),
    "acl_roles.read": (lambda **o: acl_roles.read(ID, **o), "GET", f"/v1/acl/role/{ID}"),
    "acl_roles.read_by_name": (
        lambda **o: acl_roles.read_by_name("r", **o),
        "GET",
        "/v1/acl/role/name/r",
    ),
    "acl_roles.update": (
        lambda **o: acl_roles.update({"ID": ID}, **o),
        "PUT",
        f"/v1/acl/role/{ID}",
    ),
    "acl_roles.delete": (
        lambda **o: acl_roles.delete(ID, **o),
        "DELETE",
        f"/v1/acl/role/{ID}",
    ),
    "acl_roles.items": (acl_roles.items, "GET", "/v1/acl/roles"),
    "acl_templated_policies.preview": (
        lambda **o: acl_templated_policies.preview("builtin/service", {"Name": "web"}, **o),
        "POST",
        "/v1/acl/templated-policy/preview/builtin/service",
    ),
    "acl_tokens.create": (
        lambda **o: acl_tokens.create(description="d", **o),
        "PUT",
        "/v1/acl/token",
    ),
    "acl_tokens.read": (lambda **o: acl_tokens.read(ID, **o), "GET", f"/v1/acl/token/{ID}"),
    "acl_tokens.read_expanded": (
        lambda **o: acl_tokens.read_expanded(ID, **o),
        "GET",
        f"/v1/acl/token/{ID}?expanded=true",
    ),
    "acl_tokens.update": (
        lambda **o: acl_tokens.update({"AccessorID": ID}, **o),
        "PUT",
        f"/v1/acl/token/{ID}",
    ),
    "acl_tokens.clone": (
        lambda **o: acl_tokens.clone(ID, **o),
        "PUT",
        f"/v1/acl/token/{ID}/clone",
    ),
    "acl_tokens.delete": (
        lambda **o: acl_tokens.delete(ID, **o),
        "DELETE",
        f"/v1/acl/token/{ID}",
    ),
    "acl_tokens.items": (acl_tokens.items, "GET", "/v1/acl/tokens"),
    "agent_text.health_status": (
        lambda **o: agent_text.health_status("web-1", **o),
        "GET",
        "/v1/agent/health/service/id/web-1?format=text",
    ),
    "agent_text.health_status_by_name": (
        lambda **o: agent_text.health_status_by_name("web", **o),
        "GET",
        "/v1/agent/health/service/name/web?format=text",
    ),
    "catalog.register": (
        lambda **o: catalog.register({"Node": "n", "Address": "10.0.0.1"}, **o),
        "PUT",
        "/v1/catalog/register",
    ),
    "catalog.deregister": (
        lambda **o: catalog.deregister({"Node": "n"}, **o),
        "PUT",
        "/v1/catalog/deregister",
    ),
    "catalog.services": (catalog.services, "GET", "/v1/catalog/services"),
    "catalog.service": (lambda **o: catalog.service("web", **o), "GET", "/v1/catalog/service/web"),
    "catalog.connect": (lambda **o: catalog.connect("web", **o), "GET", "/v1/catalog/connect/web"),
    "catalog.node": (lambda **o: catalog.node("n1", **o), "GET", "/v1/catalog/node/n1"),
    "catalog.node_services": (
        lambda **o: catalog.node_services("n1", **o),
        "GET",
        "/v1/catalog/node-services/n1",
    ),
    "catalog.gateway_services": (
        lambda **o: catalog.gateway_services("gw", **o),
        "GET",
        "/v1/catalog/gateway-services/gw",
    ),
    "checks.register": (
        lambda **o: checks.register({"Name": "mem", "TTL": "15s"}, **o),
        "PUT",
        "/v1/agent/check/register",
    ),
    "checks.items": (checks.items, "GET", "/v1/agent/checks"),
    "checks.passing": (
        lambda **o: checks.passing("mem", **o),
        "PUT",
        "/v1/agent/check/pass/mem",
    ),
    "checks.warning": (
        lambda **o: checks.warning("mem", **o),
        "PUT",
        "/v1/agent/check/warn/mem",
    ),
    "checks.critical": (
        lambda **o: checks.critical("mem", **o),
        "PUT",
        "/v1/agent/check/fail/mem",
    ),
    "checks.update": (
        lambda **o: checks.update("mem", "passing", **o),
        "PUT",
        "/v1/agent/check/update/mem",
    ),
    "checks.deregister": (
        lambda **o: checks.deregister("mem", **o),
        "PUT",
        "/v1/agent/check/deregister/mem",
    ),
    "config.get": (
        lambda **o: config.get("service-defaults", "web", **o),
        "GET",
        "/v1/config/service-defaults/web",
    ),
    "config.items": (
        lambda **o: config.items("service-defaults", **o),
        "GET",
        "/v1/config/service-defaults",
    ),
    "config.set": (
        lambda **o: config.set({"Kind": "service-defaults", "Name": "web"}, **o),
        "PUT",
        "/v1/config",
    ),
    "config.delete": (
        lambda **o: config.delete("service-defaults", "web", **o),
        "DELETE",
        "/v1/config/service-defaults/web",
    ),
    "connect.agent_leaf": (
        lambda **o: connect.agent_leaf("web", **o),
        "GET",
        "/v1/agent/connect/ca/leaf/web",
    ),
    "connect.authorize": (
        lambda **o: connect.authorize("db", "spiffe://x/ns/default/dc/dc1/svc/web", "0b", **o),
        "POST",
        "/v1/agent/connect/authorize",
    ),
    "connect_intentions.intentions": (
        connect_intentions.intentions,
        "GET",
        "/v1/connect/intentions",
    ),
    "connect_intentions.intention_create": (
        lambda **o: connect_intentions.intention_create(
            {"SourceName": "web", "DestinationName": "db", "Action": "allow"}, **o
        ),
        "POST",
        "/v1/connect/intentions",
    ),
    "connect_intentions.intention_check": (
        lambda **o: connect_intentions.intention_check("web", "db", **o),
        "GET",
        "/v1/connect/intentions/check?source=web&destination=db",
    ),
    "connect_intentions.intention_match": (
        lambda **o: connect_intentions.intention_match("destination", "db", **o),
        "GET",
        "/v1/connect/intentions/match?by=destination&name=db",
    ),
    "connect_intentions.intention_exact": (
        lambda **o: connect_intentions.intention_exact("web", "db", **o),
        "GET",
        "/v1/connect/intentions/exact?source=web&destination=db",
    ),
    "connect_intentions.intention_upsert": (
        lambda **o: connect_intentions.intention_upsert(
            {"SourceName": "web", "DestinationName": "db", "Action": "allow"}, **o
        ),
        "PUT",
        "/v1/connect/intentions/exact?source=web&destination=db",
    ),
    "connect_intentions.intention_delete_exact": (
        lambda **o: connect_intentions.intention_delete_exact("web", "db", **o),
        "DELETE",
        "/v1/connect/intentions/exact?source=web&destination=db",
    ),
    "discovery_chain.get": (
        lambda **o: discovery_chain.get("web", compile_dc="dc2", **o),
        "GET",
        "/v1/discovery-chain/web?compile-dc=dc2",
    ),
    "health.node": (lambda **o: health.node("n1", **o), "GET", "/v1/health/node/n1"),
    "health.checks": (lambda **o: health.checks("web", **o), "GET", "/v1/health/checks/web"),
    "health.service": (lambda **o: health.service("web", **o), "GET", "/v1/health/service/web"),
    "health.connect": (lambda **o: health.connect("web", **o), "GET", "/v1/health/connect/web"),
    "health.ingress": (lambda **o: health.ingress("web", **o), "GET", "/v1/health/ingress/web"),
    "health.state": (lambda **o: health.state("critical", **o), "GET", "/v1/health/state/critical"),
    "kv.get": (lambda **o: kv.get("a/b", **o), "GET", "/v1/kv/a/b"),
    "kv.raw": (lambda **o: kv.raw("a/b", **o), "GET", "/v1/kv/a/b?raw"),
    "kv.keys": (lambda **o: kv.keys("a/", **o), "GET", "/v1/kv/a/?keys"),
    "kv.get_tree": (lambda **o: kv.get_tree("a/", **o), "GET", "/v1/kv/a/?recurse"),
    "kv.set": (lambda **o: kv.set("a/b", b"v", **o), "PUT", "/v1/kv/a/b"),
    "kv.cas": (lambda **o: kv.cas("a/b", b"v", index=7, **o), "PUT", "/v1/kv/a/b?cas=7"),
    "kv.lock": (
        lambda **o: kv.lock("a/b", b"v", session=ID, **o),
        "PUT",
        f"/v1/kv/a/b?acquire={ID}",
    ),
    "kv.unlock": (
        lambda **o: kv.unlock("a/b", b"v", session=ID, **o),
        "PUT",
        f"/v1/kv/a/b?release={ID}",
    ),
    "kv.delete": (lambda **o: kv.delete("a/b", **o), "DELETE", "/v1/kv/a/b"),
    "kv.delete_cas": (
        lambda **o: kv.delete_cas("a/b", index=7, **o),
        "DELETE",
        "/v1/kv/a/b?cas=7",
    ),
    "kv.delete_tree": (lambda **o: kv.delete_tree("a/", **o), "DELETE", "/v1/kv/a/?recurse"),
    "services.register": (
        lambda **o: services.register({"Name": "web"}, **o),
        "PUT",
        "/v1/agent/service/register",
    ),
    "services.items": (services.items, "GET", "/v1/agent/services"),
    "services.info": (lambda **o: services.info("web-1", **o), "GET", "/v1/agent/service/web-1"),
    "services.disable": (
        lambda **o: services.disable("web-1", **o),
        "PUT",
        "/v1/agent/service/maintenance/web-1?enable=true",
    ),
    "services.enable": (
        lambda **o: services.enable("web-1", **o),
        "PUT",
        "/v1/agent/service/maintenance/web-1?enable=false",
    ),
    "services.deregister": (
        lambda **o: services.deregister("web-1", **o),
        "PUT",
        "/v1/agent/service/deregister/web-1",
    ),
    "services.health": (
        lambda **o: services.health("web-1", **o),
        "GET",
        "/v1/agent/health/service/id/web-1?format=json",
    ),
    "services.health_by_name": (
        lambda **o: services.health_by_name("web", **o),
        "GET",
        "/v1/agent/health/service/name/web?format=json",
    ),
    "session.create": (session.create, "PUT", "/v1/session/create"),
    "session.destroy": (
        lambda **o: session.destroy(ID, **o),
        "PUT",
        f"/v1/session/destroy/{ID}",
    ),
    "session.info": (lambda **o: session.info(ID, **o), "GET", f"/v1/session/info/{ID}"),
    "session.renew": (lambda **o: session.renew(ID, **o), "PUT", f"/v1/session/renew/{ID}"),
    "session.node": (lambda **o: session.node("n1", **o), "GET", "/v1/session/node/n1"),
    "session.items": (session.items, "GET", "/v1/session/list"),
}
# Builders whose endpoint takes a partition but no namespace (nodes, agents, peerings, exported
# services and namespaces live in one).
PARTITIONED: dict[str, tuple[Build, str, str]] = {
    "catalog.nodes": (catalog.nodes, "GET", "/v1/catalog/nodes"),
    "exported_services.exported_services": (
        exported_services.exported_services,
        "GET",
        "/v1/exported-services",
    ),
    "members.items": (members.items, "GET", "/v1/agent/members"),
    "namespace.create": (lambda **o: namespace.create("team", **o), "PUT", "/v1/namespace"),
    "namespace.read": (lambda **o: namespace.read("team", **o), "GET", "/v1/namespace/team"),
    "namespace.update": (
        lambda **o: namespace.update("team", description="d", **o),
        "PUT",
        "/v1/namespace/team",
    ),
    "namespace.delete": (
        lambda **o: namespace.delete("team", **o),
        "DELETE",
        "/v1/namespace/team",
    ),
    "namespace.items": (namespace.items, "GET", "/v1/namespaces"),
    "peering.generate_token": (
        lambda **o: peering.generate_token("east", **o),
        "POST",
        "/v1/peering/token",
    ),
    "peering.establish": (
        lambda **o: peering.establish("east", "tok", **o),
        "POST",
        "/v1/peering/establish",
    ),
    "peering.read": (lambda **o: peering.read("east", **o), "GET", "/v1/peering/east"),
    "peering.delete": (lambda **o: peering.delete("east", **o), "DELETE", "/v1/peering/east"),
    "peering.items": (peering.items, "GET", "/v1/peerings"),
}


def _with(target: str, query: str) -> str:
    return f"{target}{'&' if '?' in target else '?'}{query}"


@pytest.mark.parametrize(("build", "method", "target"), NAMESPACED.values(), ids=list(NAMESPACED))
def test_ns_and_partition_are_sent_when_given(build: Build, method: str, target: str) -> None:
    request = build(ns="team-a", partition="part-1").request
    assert (request.method, request.target) == (method, _with(target, "ns=team-a&partition=part-1"))
    assert {"ns", "partition"} <= request.defaults


@pytest.mark.parametrize(("build", "method", "target"), NAMESPACED.values(), ids=list(NAMESPACED))
def test_the_client_namespace_and_partition_fill_what_a_call_leaves_out(
    build: Build, method: str, target: str
) -> None:
    request = build().request
    assert (request.method, request.target) == (method, target)
    defaults = ClientDefaults(namespace="team-a", partition="part-1")
    assert defaults.apply(request).target == _with(target, "ns=team-a&partition=part-1")
    own = defaults.apply(build(ns="mine").request)
    assert own.target == _with(target, "ns=mine&partition=part-1")


@pytest.mark.parametrize(("build", "method", "target"), PARTITIONED.values(), ids=list(PARTITIONED))
def test_a_partition_without_a_namespace(build: Build, method: str, target: str) -> None:
    assert build(partition="part-1").request.target == _with(target, "partition=part-1")
    defaults = ClientDefaults(namespace="team-a", partition="part-1")
    request = defaults.apply(build().request)
    assert (request.method, request.target) == (method, _with(target, "partition=part-1"))
    with pytest.raises(TypeError, match="'ns'"):
        build(ns="team-a")


def _builders() -> dict[str, inspect.Signature]:
    found = {}
    for info in pkgutil.iter_modules(consul_core.endpoints.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"consul_core.endpoints.{info.name}")
        for name in module.__all__:
            function = getattr(module, name)
            if callable(function) and hasattr(function, "__wrapped__"):  # @builder
                found[f"{info.name}.{name}"] = inspect.signature(function)
    return found


def test_every_builder_that_takes_ns_or_partition_is_in_the_tables() -> None:
    builders = _builders()
    namespaced = {name for name, sig in builders.items() if "ns" in sig.parameters}
    partitioned = {name for name, sig in builders.items() if "partition" in sig.parameters}
    assert namespaced == set(NAMESPACED)
    assert partitioned - namespaced == set(PARTITIONED)
    # The agent's own, legacy ACL, operator (Enterprise ones too), prepared query, event,
    # snapshot, status, txn and coordinate endpoints take neither, nor do admin partitions.
    assert "kv.get" in namespaced and "query.items" not in partitioned
    assert "agent.info" not in partitioned and "txn.execute" not in partitioned
    for module in ("partition", "operator_enterprise", "agent_version"):
        assert any(name.startswith(f"{module}.") for name in builders)
        assert not {name for name in partitioned if name.startswith(f"{module}.")}


class _Peerings(PartitionedReadOptions, total=False):
    """A bundle a new builder takes (a peering list, say)."""


def test_a_new_builder_takes_the_scope_of_its_bundle() -> None:
    @builder
    def items(**options: Unpack[_Peerings]) -> Call[bool]:
        """List."""
        return indexed_read("/v1/peerings", decode_bool, **options)

    request = items().request
    assert request.defaults == frozenset({"dc", "consistency", "partition"})
    assert items(partition="p1").request.target == "/v1/peerings?partition=p1"
    assert "partition: The admin partition" in (items.__doc__ or "")
    with pytest.raises(TypeError, match="'ns'"):
        items(ns="team")  # type: ignore[call-arg]


def test_a_discovery_chain_with_overrides_is_a_post_in_the_same_scope() -> None:
    call = discovery_chain.get("web", override_protocol="http", ns="team-a")
    request = ClientDefaults(namespace="team-b", partition="part-1").apply(call.request)
    assert (request.method, request.target) == (
        "POST",
        "/v1/discovery-chain/web?ns=team-a&partition=part-1",
    )
    assert request.body == b'{"OverrideProtocol":"http"}'


def test_empty_or_invalid_scope_values_are_usage_errors() -> None:
    for bad in ({"ns": ""}, {"partition": ""}, {"ns": 3}, {"peer": ""}, {"ns": "\ud800"}):
        with pytest.raises(UsageError):
            health.service("web", **bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("build", "target"),
    [
        (lambda **o: catalog.service("web", **o), "/v1/catalog/service/web"),
        (lambda **o: catalog.connect("web", **o), "/v1/catalog/connect/web"),
        (lambda **o: health.service("web", **o), "/v1/health/service/web"),
        (lambda **o: health.connect("web", **o), "/v1/health/connect/web"),
    ],
)
def test_peer_and_merge_central_config_on_service_instance_reads(build: Build, target: str) -> None:
    request = build(peer="east", merge_central_config=True).request
    assert request.target == f"{target}?peer=east&merge-central-config"
    assert build(merge_central_config=False).request.target == target


def test_merge_central_config_on_node_services_and_ingress_but_no_peer() -> None:
    call = catalog.node_services("n1", merge_central_config=True)
    assert call.request.target == "/v1/catalog/node-services/n1?merge-central-config"
    call = health.ingress("web", merge_central_config=True)
    assert call.request.target == "/v1/health/ingress/web?merge-central-config"
    for build in (lambda: health.ingress("web", peer="east"), lambda: catalog.node("n", peer="e")):
        with pytest.raises(TypeError, match="'peer'"):
            build()


@pytest.mark.parametrize(
    ("build", "target"),
    [
        (lambda **o: health.service("web", **o), "/v1/health/service/web?cached"),
        (lambda **o: health.ingress("web", **o), "/v1/health/ingress/web?cached"),
        (lambda **o: catalog.service("web", **o), "/v1/catalog/service/web?cached"),
        (catalog.services, "/v1/catalog/services?cached"),
        (lambda **o: query.execute("q", **o), "/v1/query/q/execute?cached"),
    ],
)
def test_cache_control_of_cached_reads(build: Build, target: str) -> None:
    call = build(cached=True, max_age="1m", stale_if_error=timedelta(hours=1))
    assert call.request.target == target
    assert call.request.headers["Cache-Control"] == "max-age=60, stale-if-error=3600"
    assert build(cached=True, max_age=0).request.headers["Cache-Control"] == "max-age=0"
    assert "Cache-Control" not in build(cached=True).request.headers
    for bad in (
        {"max_age": 5},  # not cached
        {"cached": True, "stale_if_error": 60},  # without max_age
        {"cached": True, "max_age": -1},
        {"cached": True, "max_age": "soon"},
    ):
        with pytest.raises(UsageError):
            build(**bad)


def test_cache_control_rounds_to_whole_seconds_as_go_does() -> None:
    headers = health.service("web", cached=True, max_age=1.6, stale_if_error="2500ms")
    assert headers.request.headers["Cache-Control"] == "max-age=2, stale-if-error=2"


def test_a_call_s_cache_control_wins_over_a_client_header() -> None:
    defaults = ClientDefaults(headers={"Cache-Control": "no-store", "X-Route": "a"})
    request = defaults.apply(health.service("web", cached=True, max_age=5).request)
    assert request.headers["Cache-Control"] == "max-age=5"
    assert request.headers["X-Route"] == "a"


def test_the_path_prefix_goes_in_front_of_every_path() -> None:
    defaults = ClientDefaults(path_prefix="/consul/dc1")
    request = defaults.apply(kv.get("a b", ns="x").request)
    assert request.target == "/consul/dc1/v1/kv/a%20b?ns=x"
    with pytest.raises(UsageError):
        ClientDefaults(path_prefix="consul")
    with pytest.raises(UsageError):
        ClientDefaults(path_prefix="/consul/")


CACHED = {"X-Cache": "HIT", "Age": "12", "X-Consul-Index": "7"}


@pytest.mark.parametrize(
    ("headers", "backend", "content_hash"),
    [
        ({**CACHED, "X-Consul-Query-Backend": "streaming"}, "streaming", None),
        ({**CACHED, "x-consul-query-backend": "blocking-query"}, "blocking-query", None),
        ({"X-Consul-ContentHash": "9c8b7a6f5e4d3c2b"}, None, "9c8b7a6f5e4d3c2b"),
        ({}, None, None),
    ],
)
def test_query_meta_reads_the_backend_and_the_content_hash(
    headers: dict[str, str], backend: str | None, content_hash: str | None
) -> None:
    meta = QueryMeta.from_headers(headers)
    assert (meta.query_backend, meta.content_hash) == (backend, content_hash)
    if "X-Cache" in headers:
        assert (meta.cache_hit, meta.cache_age) == (True, timedelta(seconds=12))


def test_a_read_returns_the_backend_and_the_hash_in_its_meta() -> None:
    headers = {"X-Consul-Index": "9", "X-Consul-Query-Backend": "streaming"}
    _, meta = health.service("web").parse(Response(200, headers, b"[]"))
    assert (meta.index, meta.query_backend) == (9, "streaming")
    body = b'{"ID": "web-1", "Service": "web", "ContentHash": "abc123"}'
    service = services.info("web-1").parse(Response(200, {"X-Consul-ContentHash": "abc123"}, body))
    assert service.content_hash == "abc123"
