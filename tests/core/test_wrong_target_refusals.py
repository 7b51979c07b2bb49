"""Arguments that would reach another resource, or one never addressable again, are refused
before any request; numbers and durations outside what Consul holds too (no I/O).

Each case was seen on Consul 1.8.7: the call as it was sent did something else than asked
(cloned a token, deleted another config entry, removed a whole node, wiped the KV store).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import timedelta

import pytest

from consul_core import ACLNotFound, Response, Semaphore, ServerError, UsageError
from consul_core._codec import encode_json
from consul_core._params import format_duration, parse_duration, to_index
from consul_core.endpoints import (
    acl_policies,
    acl_roles,
    acl_tokens,
    catalog,
    checks,
    config,
    connect_intentions,
    health,
    kv,
    query,
    services,
    session,
    txn,
)
from consul_core.models.acl import ACLToken

ACCESSOR = "6d7dda81-9c3b-4c6f-8d7e-1a2b3c4d5e6f"


@pytest.mark.parametrize(
    "build",
    [
        # PUT /v1/acl/token/<id>%2Fclone: Consul decodes the %2F and clones the token.
        lambda: acl_tokens.update({"AccessorID": f"{ACCESSOR}/clone", "Description": "x"}),
        lambda: acl_tokens.read(f"{ACCESSOR}/clone"),
        lambda: acl_tokens.delete(f"{ACCESSOR}/clone"),
        # /v1/acl/policy/name%2Fp1 reads the policy named p1; roles alike.
        lambda: acl_policies.read("name/p1"),
        lambda: acl_roles.read("name/r1"),
        # GET /v1/query/<id>%2Fexecute runs the query.
        lambda: query.read("8f6437f5/execute"),
        lambda: query.delete("8f6437f5/explain"),
        # DELETE /v1/config/service-defaults%2Fa/b deletes the entry named "a/b".
        lambda: config.delete("service-defaults/a", "b"),
        lambda: config.get("service-defaults/a", "b"),
        lambda: config.items("service-defaults/web"),
    ],
)
def test_a_slash_in_an_id_the_agent_routes_on_is_refused(build: Callable[[], object]) -> None:
    with pytest.raises(UsageError, match="must not hold '/'"):
        build()


@pytest.mark.parametrize(
    "build",
    [
        lambda: acl_tokens.read("self"),  # the token of the call itself
        lambda: acl_tokens.delete("self"),
        lambda: connect_intentions.intention_read("match"),
        lambda: connect_intentions.intention_read("check"),
        lambda: connect_intentions.intention_delete("exact"),
    ],
)
def test_an_id_that_is_another_endpoint_s_word_is_refused(build: Callable[[], object]) -> None:
    with pytest.raises(UsageError, match="each names another endpoint"):
        build()


def test_ids_the_agent_routes_on_still_travel_escaped() -> None:
    assert acl_tokens.read(ACCESSOR).request.path == f"/v1/acl/token/{ACCESSOR}"
    assert query.read("my query").request.path == "/v1/query/my%20query"
    # A config entry's name may hold "/": the handler splits at the first one, the kind's.
    assert config.get("service-defaults", "a/b").request.path == (
        "/v1/config/service-defaults/a%2Fb"
    )


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: txn.op("delete-tree", ""), "prefix must not be empty"),
        (lambda: txn.op("get-tree", ""), "prefix must not be empty"),
        (lambda: txn.execute([txn.op("delete-tree", "")]), "prefix must not be empty"),
        (lambda: kv.delete_tree(""), "prefix must not be empty"),
        (lambda: kv.delete_tree("/"), "prefix '/' must not begin with '/'"),
        (lambda: Semaphore("/", 2), "prefix must not be empty"),
    ],
)
def test_an_empty_prefix_never_deletes_the_whole_store(
    build: Callable[[], object], message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        build()


@pytest.mark.parametrize("key", ["ServiceID", "CheckID"])
@pytest.mark.parametrize("empty", ["", None])
def test_an_empty_id_does_not_deregister_the_whole_node(key: str, empty: object) -> None:
    with pytest.raises(UsageError, match=f"{key} must not be empty"):
        catalog.deregister({"Node": "ext1", key: empty})
    whole_node = catalog.deregister({"Node": "ext1"})
    assert whole_node.request.body == b'{"Node":"ext1"}'


@pytest.mark.parametrize(
    "build",
    [
        lambda name: services.register({"Name": "s", "ID": name}),
        lambda name: services.register({"Name": name}),
        lambda name: checks.register({"Name": "c", "ID": name, "TTL": "10s"}),
        lambda name: checks.register({"Name": name, "TTL": "10s"}),
        lambda name: services.register({"Name": "s", "Check": {"CheckID": name, "TTL": "10s"}}),
        lambda name: config.set({"Kind": "service-defaults", "Name": name}),
    ],
)
@pytest.mark.parametrize("name", ["a/../b", "x\ny", "/lead", "a//b"])
def test_what_could_never_be_addressed_again_is_not_registered(
    build: Callable[[str], object], name: str
) -> None:
    with pytest.raises(UsageError):
        build(name)


def test_registrations_that_can_be_addressed_go_through() -> None:
    body = services.register({"Name": "web", "ID": "web/1"}).request.body
    assert body == b'{"Name":"web","ID":"web/1"}'
    assert config.set({"Kind": "service-defaults", "Name": "a/b"}).request.body is not None
    with pytest.raises(UsageError, match="Kind must not hold '/'"):
        config.set({"Kind": "service-defaults/x", "Name": "a"})


def test_a_catalog_check_s_status_is_one_consul_counts() -> None:
    definition = {"Node": "n", "Address": "10.0.0.1", "Check": {"Name": "c", "Status": "bogus"}}
    with pytest.raises(UsageError, match="'passing', 'warning' or 'critical', not 'bogus'"):
        catalog.register(definition)
    with pytest.raises(UsageError, match="bogus"):
        catalog.register({**definition, "Check": None, "Checks": [{"Status": "bogus"}]})
    # No status: Consul's default (critical).
    assert catalog.register({**definition, "Check": {"Name": "c"}}).request.body is not None


def test_a_node_meta_key_holding_a_colon_is_refused() -> None:
    # Consul splits at the first ':': {"env:prod": "eu"} would filter env == "prod:eu".
    with pytest.raises(UsageError, match="node_meta key must not hold ':'"):
        catalog.nodes(node_meta={"env:prod": "eu"})
    with pytest.raises(UsageError, match="':'"):
        health.service("web", node_meta={"a:b": "c"})
    assert ("node-meta", "env:prod:eu") in catalog.nodes(
        node_meta={"env": "prod:eu"}
    ).request.params


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (30, "30s"),
        (1.5, "1500ms"),
        (0.25, "250ms"),
        (0.0004, "400us"),
        (0.0015, "1500us"),
        (999e-9, "999ns"),
        (3600.0005, "3600000500us"),
        (1e-12, "0ms"),  # under half a nanosecond: none
    ],
)
def test_a_duration_is_sent_to_the_nanosecond(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text
    assert parse_duration(text, "d") == pytest.approx(seconds, abs=1e-9)


def test_a_sub_millisecond_lock_delay_is_not_rounded_away() -> None:
    body = session.create(lock_delay="500us").request.body
    assert body == b'{"LockDelay":"500us"}'
    assert session.create(lock_delay=timedelta(microseconds=1500)).request.body == (
        b'{"LockDelay":"1500us"}'
    )


@pytest.mark.parametrize("value", [math.inf, 1e30, "100000000h", timedelta.max])
def test_a_duration_longer_than_go_holds_is_refused(value: object) -> None:
    with pytest.raises(UsageError, match="longest duration Go holds"):
        parse_duration(value, "ttl")
    with pytest.raises(UsageError, match="longest duration Go holds"):
        kv.get("k", watch=(1, value))  # type: ignore[arg-type]


def test_the_longest_go_duration_is_taken() -> None:
    assert format_duration(parse_duration("2562047h", "d")) == "9223369200s"


def test_an_index_beyond_a_uint64_is_refused() -> None:
    assert to_index(2**64 - 1) == 2**64 - 1
    for build in (
        lambda: to_index(2**64),
        lambda: kv.get("k", watch=2**64),
        lambda: kv.cas("k", b"v", index=2**64),
        lambda: kv.delete_cas("k", index=2**64),
        lambda: txn.op("cas", "k", value=b"v", index=2**64),
        lambda: config.set({"Kind": "proxy-defaults", "Name": "global"}, cas=2**64),
    ):
        with pytest.raises(UsageError, match=r"at most 18446744073709551615 \(a uint64\)"):
            build()


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_a_body_json_cannot_carry_is_refused(value: float) -> None:
    with pytest.raises(UsageError, match="cannot be JSON") as raised:
        config.set({"Kind": "proxy-defaults", "Name": "global", "Config": {"x": value}})
    assert raised.value.__context__ is None
    with pytest.raises(UsageError, match="cannot be JSON"):
        encode_json({"a": [value]})


def test_a_legacy_token_s_rules_are_never_dropped_on_a_write() -> None:
    legacy = ACLToken(accessor_id=ACCESSOR, secret_id="s", rules='key "x/" { policy = "write" }')
    assert legacy.to_json()["Rules"] == 'key "x/" { policy = "write" }'
    for build in (acl_tokens.update, acl_tokens.create):
        with pytest.raises(UsageError, match="legacy token's Rules"):
            build(legacy)
    plain = ACLToken(accessor_id=ACCESSOR, description="d")
    assert "Rules" not in plain.to_json()
    assert acl_tokens.update(plain).request.path == f"/v1/acl/token/{ACCESSOR}"


def test_an_acl_id_that_is_no_uuid_names_no_object() -> None:
    # Consul 1.8.7's answer to GET /v1/acl/role/nope.
    body = b"failed acl role lookup: index error: UUID must be 36 characters"
    for call in (acl_roles.read("nope"), acl_tokens.read("nope"), acl_policies.delete("nope")):
        with pytest.raises(ACLNotFound):
            call.parse(Response(500, {}, body))
    with pytest.raises(ServerError):  # any other 500 stays one
        acl_roles.read("nope").parse(Response(500, {}, b"raft apply failed"))


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"TTL": "5s"}, "the spec's TTL must be between 10s and 24h"),
        ({"TTL": "25h"}, "the spec's TTL must be between 10s and 24h"),
        ({"Behavior": "bogus"}, "the spec's Behavior must be 'release' or 'delete'"),
    ],
)
def test_a_session_spec_is_checked_as_the_keywords_are(spec: dict[str, str], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        session.create(spec)
    # A keyword overrides the spec, checked alike.
    assert session.create(spec, ttl="30s", behavior="delete").request.body is not None
    assert session.create({"TTL": ""}).request.body == b'{"TTL":""}'
