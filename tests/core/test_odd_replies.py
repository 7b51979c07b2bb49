"""Replies of the wrong JSON type, too deep, out of range or with garbled headers (no I/O): each
is an `UnexpectedResponse` that names the method, the path and the field, never a value stored
silently or misread, and never another kind of exception.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from consul_core import Conflict, QueryMeta, Response, UnexpectedResponse
from consul_core.call import Call
from consul_core.endpoints import (
    acl,
    acl_auth_methods,
    acl_login,
    acl_templated_policies,
    acl_tokens,
    catalog,
    checks,
    config,
    connect_intentions,
    health,
    kv,
    operator,
    query,
    services,
    session,
    status,
    txn,
)

META = {"X-Consul-Index": "5"}
ENTRY = {"Key": "k", "Value": "dg==", "Flags": 0, "CreateIndex": 1, "ModifyIndex": 2}


def _unexpected(call: Call[Any], body: bytes, status: int = 200) -> UnexpectedResponse:
    with pytest.raises(UnexpectedResponse) as raised:
        call.parse(Response(status, META, body))
    error = raised.value
    assert f"{call.request.method} {call.request.path}: " in str(error)
    assert error.__cause__ is None and error.__context__ is None
    return error


def _kv_body(**fields: object) -> bytes:
    return json.dumps([{**ENTRY, **fields}]).encode()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"Flags": "80"}, "KeyValue.Flags: expected an integer, got a string"),
        ({"Flags": 1.5}, "KeyValue.Flags: expected an integer, got a number"),
        ({"Flags": True}, "KeyValue.Flags: expected an integer, got a boolean"),
        ({"ModifyIndex": "2"}, "KeyValue.ModifyIndex: expected an integer, got a string"),
        ({"LockIndex": []}, "KeyValue.LockIndex: expected an integer, got an array"),
        ({"Key": 7}, "KeyValue.Key: expected a string, got a number"),
        ({"Value": 7}, "KeyValue.Value: expected base64 text, got a number"),
        ({"Value": "\u00e9t\u00e9"}, "KeyValue.Value: expected base64 text, got another string"),
        ({"Session": 5}, "KeyValue.Session: expected a string, got a number"),
    ],
)
def test_a_kv_entry_of_the_wrong_types_is_refused(fields: dict[str, object], message: str) -> None:
    for call in (kv.get("k"), kv.get_tree("k")):
        error = _unexpected(call, _kv_body(**fields))
        assert message in error.text
        assert '"80"' not in str(error) and "80" not in error.text


def test_kv_entries_take_go_s_zero_values_for_null_and_missing_fields() -> None:
    entry, _ = kv.get("k").parse(Response(200, META, b'[{"Key": "k", "Flags": null}]'))
    assert (entry.value, entry.flags, entry.session, entry.modify_index) == (None, 0, None, 0)


@pytest.mark.parametrize(
    "body", [b"{}", b'"k"', b"[]", b"[5]", b'{"Key": "k"}', b"null", b"[null]"]
)
def test_a_kv_reply_of_the_wrong_shape_is_refused(body: bytes) -> None:
    _unexpected(kv.get("k"), body)


@pytest.mark.parametrize("body", [b"{}", b'"k"', b"[5]", b'[{"Key": 1}]'])
def test_a_kv_tree_of_the_wrong_shape_is_refused(body: bytes) -> None:
    _unexpected(kv.get_tree("k"), body)


def test_a_string_where_a_list_is_expected_is_never_a_list_of_characters() -> None:
    check = {"Node": "n", "CheckID": "c", "ServiceTags": "primary"}
    error = _unexpected(health.checks("web"), json.dumps([check]).encode())
    assert "HealthCheck[0].ServiceTags: expected an array, got a string" in error.text
    services_body = b'{"web": "primary"}'
    error = _unexpected(catalog.services(), services_body)
    assert "[*]: expected an array, got a string" in error.text


def test_an_object_where_a_list_is_expected_is_never_an_empty_list() -> None:
    service = {"ID": "a", "Service": "a"}
    entry = {"AggregatedStatus": "passing", "Service": service, "Checks": {}}
    error = _unexpected(services.health("a"), json.dumps(entry).encode())
    assert "ServiceHealth.Checks: expected an array, got an object" in error.text
    _unexpected(session.items(), b"{}")
    _unexpected(catalog.nodes(), b'{"n": {"Node": "n"}}')


@pytest.mark.parametrize(
    ("call", "body", "message"),
    [
        (kv.delete("k"), b'"true"', "expected a boolean, got a string"),
        (kv.set("k", b"v"), b"1", "expected a boolean, got a number"),
        (status.leader(), b"5", "expected a string, got a number"),
        (status.peers(), b'["a", 1]', "the body[1]: expected a string, got a number"),
        (status.peers(), b'{"a": 1}', "expected an array, got an object"),
        (session.create(), b'{"ID": 5}', "the body.ID: expected a string, got a number"),
        (session.create(), b"{}", "the body.ID: missing"),
        (session.create(), b'"id"', "expected an object, got a string"),
        (session.destroy("s"), b'"yes"', "expected a boolean, got a string"),
        (query.read("q"), b"[]", "expected one PreparedQuery, got an empty array"),
        (query.items(), b"{}", "expected an array, got an object"),
        (acl_tokens.items(), b'[{"Local": "no"}]', "ACLToken[0].Local: expected a boolean"),
        (checks.items(), b"[]", "expected an object, got an array"),
        (services.items(), b'{"a": []}', "AgentService[*]: expected an object, got an array"),
        (acl_templated_policies.items(), b"[]", "expected an object, got an array"),
        (
            connect_intentions.intention_check("a", "b"),
            b'{"Allowed": "yes"}',
            "the body.Allowed: expected a boolean, got a string",
        ),
        (
            connect_intentions.intention_match("source", "web"),
            b'{"web": {}}',
            "expected an array, got an object",
        ),
        (
            acl_login.oidc_auth_url("m", "http://x", "n"),
            b'{"AuthURL": ["u"]}',
            "the body.AuthURL: expected a string, got an array",
        ),
        (operator.raft_transfer_leader(), b'{"Success": 1}', "expected a boolean, got a number"),
        (config.items("service-defaults"), b'{"Kind": "x"}', "expected an array"),
        (
            config.get("a", "b"),
            b'{"Kind": 5, "Name": "b"}',
            "ConfigEntry.Kind: expected a string, got a number",
        ),
        (
            config.get("service-defaults", "b"),
            b'{"Kind": "service-defaults", "Name": "b", "Protocol": 5}',
            "ServiceDefaults.Protocol: expected a string, got a number",
        ),
        (txn.execute([txn.op("get", "k")]), b'{"Results": "x"}', "expected an array"),
        (txn.execute([txn.op("get", "k")]), b'{"Results": [{"KV": 5}]}', "KeyValue: expected"),
        (acl.translate_rules("x"), b"\xff\xfe", "the body is not UTF-8 text"),
        (kv.get("k"), b"\xff", "the body is not JSON"),
        (kv.get("k"), b"[1,", "the body is not JSON"),
        (kv.get("k"), b"1" * 5000, "the body is not JSON"),
    ],
)
def test_each_decoder_checks_the_json_types(call: Call[Any], body: bytes, message: str) -> None:
    assert message in _unexpected(call, body).text


def test_a_rolled_back_transaction_with_a_garbled_body_is_a_plain_conflict() -> None:
    call = txn.execute([txn.op("get", "k")])
    for body in (b"nonsense", b'{"Errors": "x"}', b'{"Errors": [{"OpIndex": "0"}]}'):
        with pytest.raises(Conflict) as raised:
            call.parse(Response(409, META, body))
        assert type(raised.value) is Conflict


@pytest.mark.parametrize("depth", [100_000])
def test_deeply_nested_json_is_an_unexpected_response(depth: int) -> None:
    for call in (kv.get("k"), acl_auth_methods.read("m"), catalog.services()):
        nested = b"[" * depth + b"]" * depth
        assert "the body nests too deeply" in _unexpected(call, nested).text
        in_a_field = b'{"Name": "m", "Config": {"a": ' + nested + b"}}"
        assert "nests too deeply" in _unexpected(call, in_a_field).text


@pytest.mark.parametrize(
    ("call", "body", "message"),
    [
        (
            session.info("s"),
            b'[{"ID": "s", "LockDelay": 1e300}]',
            "Session[0].LockDelay: expected a duration, got one out of range",
        ),
        (
            session.info("s"),
            b'[{"ID": "s", "TTL": "99999999999999999999h"}]',
            "Session[0].TTL: expected a duration",
        ),
        (
            acl_auth_methods.read("m"),
            b'{"Name": "m", "MaxTokenTTL": "1e300s"}',
            "ACLAuthMethod.MaxTokenTTL: expected a duration",
        ),
        (
            acl_tokens.read_self(),
            b'{"ExpirationTTL": -1e300}',
            "ACLToken.ExpirationTTL: expected a duration, got one out of range",
        ),
        (
            acl_tokens.read_self(),
            b'{"CreateTime": "2020-13-40T00:00:00Z"}',
            "ACLToken.CreateTime: expected an RFC 3339 timestamp, got an invalid date",
        ),
    ],
)
def test_durations_and_times_out_of_range_are_unexpected_responses(
    call: Call[Any], body: bytes, message: str
) -> None:
    assert message in _unexpected(call, body).text


@pytest.mark.parametrize(
    "value",
    ["abc", "-1", "+5", " 5", "1e3", "1_000", "\u0665", "²", "9" * 21, str(2**64), "", "0x10"],
)
def test_a_garbled_index_header_reads_as_absent(value: str) -> None:
    meta = QueryMeta.from_headers({"X-Consul-Index": value, "X-Consul-LastContact": value})
    assert (meta.index, meta.last_contact) == (0, timedelta(0))
    entry, meta = kv.get("k").parse(Response(200, {"X-Consul-Index": value}, _kv_body()))
    assert (entry.key, meta.index) == ("k", 0)


def test_numeric_headers_up_to_go_s_limits_are_read() -> None:
    biggest = str(2**64 - 1)
    meta = QueryMeta.from_headers({"X-Consul-Index": biggest, "Age": biggest, "X-Cache": "HIT"})
    assert meta.index == 2**64 - 1
    assert meta.cache_age == timedelta(0)  # more than a timedelta holds: read as absent
    meta = QueryMeta.from_headers({"X-Consul-LastContact": biggest, "Age": "30"})
    assert (meta.last_contact, meta.cache_age) == (timedelta(0), timedelta(seconds=30))
    meta = QueryMeta.from_headers({"X-Consul-LastContact": "86400000"})
    assert meta.last_contact == timedelta(days=1)


def test_an_error_reply_with_garbled_headers_keeps_its_error() -> None:
    with pytest.raises(Conflict) as raised:
        kv.get("k").parse(Response(409, {"X-Consul-Index": "nan", "Age": "9" * 20}, b"no"))
    assert raised.value.meta.index == 0
