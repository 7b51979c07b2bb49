"""Golden requests and recorded responses for the KV store and transactions (no I/O)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from consul_core import (
    KeyValue,
    NotFound,
    QueryMeta,
    Response,
    TransactionError,
    TxnError,
    UsageError,
)
from consul_core._codec import DecodeError
from consul_core.endpoints import kv, txn

# Bodies and headers recorded from Consul 1.8.7 (dev mode pretty-prints JSON).
INDEX_HEADERS = {
    "X-Consul-Index": "16",
    "X-Consul-KnownLeader": "true",
    "X-Consul-LastContact": "0",
}
GET_BODY = b"""[
    {
        "LockIndex": 0,
        "Key": "rec/a",
        "Flags": 5,
        "Value": "aGVsbG8=",
        "CreateIndex": 16,
        "ModifyIndex": 16
    }
]
"""
TXN_FAILED = b"""{
    "Results": null,
    "Errors": [{"OpIndex": 0, "What": "key \\"nope\\" doesn't exist"}],
    "Index": 0, "LastContact": 0, "KnownLeader": true, "ConsistencyLevel": ""
}"""
TXN_OK = b"""{"Results": [{"KV": {"LockIndex": 0, "Key": "rec/t", "Flags": 0, "Value": null,
 "CreateIndex": 18, "ModifyIndex": 18}}], "Errors": null}"""


@pytest.mark.parametrize(
    ("call", "method", "target", "body"),
    [
        (kv.get("a/b c"), "GET", "/v1/kv/a/b%20c", None),
        (kv.get("k", dc="dc2", consistency="stale"), "GET", "/v1/kv/k?dc=dc2&stale", None),
        (kv.get("k", watch=QueryMeta(index=7)), "GET", "/v1/kv/k?index=7&wait=300s", None),
        (kv.get("k", watch=(0, timedelta(seconds=2))), "GET", "/v1/kv/k?index=1&wait=2s", None),
        (kv.raw("k?#"), "GET", "/v1/kv/k%3F%23?raw", None),
        (kv.keys("p/", separator="/"), "GET", "/v1/kv/p/?keys&separator=%2F", None),
        (kv.keys(), "GET", "/v1/kv/?keys", None),
        (kv.get_tree("p/"), "GET", "/v1/kv/p/?recurse", None),
        # Consul applies no separator to a tree read: it is applied to the reply instead.
        (kv.get_tree("p/", separator="/"), "GET", "/v1/kv/p/?recurse", None),
        (kv.set("k", b"v", flags=3), "PUT", "/v1/kv/k?flags=3", b"v"),
        (kv.set("k", "é"), "PUT", "/v1/kv/k", "é".encode()),
        (kv.cas("k", b"v", index=KeyValue("k", modify_index=9)), "PUT", "/v1/kv/k?cas=9", b"v"),
        (kv.lock("k", b"v", session={"ID": "s1"}), "PUT", "/v1/kv/k?acquire=s1", b"v"),
        (kv.unlock("k", b"v", session="s1"), "PUT", "/v1/kv/k?release=s1", b"v"),
        (kv.delete("k%+"), "DELETE", "/v1/kv/k%25%2B", None),
        (kv.delete_cas("k", index=4), "DELETE", "/v1/kv/k?cas=4", None),
        (kv.delete_tree("p/"), "DELETE", "/v1/kv/p/?recurse", None),
    ],
)
def test_golden_requests(
    call: kv.Call[object], method: str, target: str, body: bytes | None
) -> None:
    assert (call.request.method, call.request.target, call.request.body) == (method, target, body)


def test_blocking_reads_carry_a_read_timeout_and_others_none() -> None:
    assert kv.get("k", watch=(3, "16s")).request.timeout == pytest.approx(16 + 1 + 5)
    assert kv.get("k").request.timeout is None


def test_per_call_token_goes_in_the_header_only() -> None:
    request = kv.get("k", token="tok").request
    assert request.headers["X-Consul-Token"] == "tok"
    assert "tok" not in request.target


def test_parse_get() -> None:
    entry, meta = kv.get("rec/a").parse(Response(200, INDEX_HEADERS, GET_BODY))
    assert entry == KeyValue("rec/a", b"hello", 5, None, 0, 16, 16)
    assert (meta.index, meta.known_leader) == (16, True)


def test_parse_missing_key_keeps_the_index() -> None:
    with pytest.raises(NotFound) as caught:
        kv.get("rec/missing").parse(Response(404, INDEX_HEADERS, b""))
    assert caught.value.meta.index == 16


def test_parse_keys_and_empty_listings() -> None:
    body = b'[\n    "rec/a"\n]\n'
    assert kv.keys("rec/").parse(Response(200, INDEX_HEADERS, body))[0] == ["rec/a"]
    keys, meta = kv.keys("none/").parse(Response(404, INDEX_HEADERS, b""))
    assert keys == [] and meta.index == 16
    tree, _ = kv.get_tree("none/").parse(Response(404, INDEX_HEADERS, b""))
    assert tree == []


def test_parse_raw_and_bools() -> None:
    assert kv.raw("k").parse(Response(200, INDEX_HEADERS, b"\x00\x01"))[0] == b"\x00\x01"
    assert kv.set("k", b"").parse(Response(200, {}, b"true")) is True
    assert kv.cas("k", b"", index=1).parse(Response(200, {}, b"false")) is False


def test_transaction_request_and_results() -> None:
    ops = [
        txn.op("set", "a", value=b"x", flags=1),
        txn.op("check-index", "a", index=3),
        txn.op("lock", "a", value=b"", session="s"),
        txn.op("get-tree", "app/"),
    ]
    call = txn.execute(ops)
    assert (call.request.method, call.request.target) == ("PUT", "/v1/txn")
    assert json.loads(call.request.body or b"") == [
        {"KV": {"Verb": "set", "Key": "a", "Value": "eA==", "Flags": 1}},
        {"KV": {"Verb": "check-index", "Key": "a", "Index": 3}},
        {"KV": {"Verb": "lock", "Key": "a", "Value": "", "Session": "s"}},
        {"KV": {"Verb": "get-tree", "Key": "app/"}},
    ]
    results, meta = call.parse(Response(200, {}, TXN_OK))
    assert results == [KeyValue("rec/t", None, 0, None, 0, 18, 18)]
    assert meta.index == 0


def test_failed_transaction_is_a_transaction_error() -> None:
    call = txn.execute([txn.op("get", "nope")])
    with pytest.raises(TransactionError) as caught:
        call.parse(Response(409, {}, TXN_FAILED))
    assert caught.value.errors == [TxnError(0, 'key "nope" doesn\'t exist')]
    assert caught.value.status == 409


@pytest.mark.parametrize(
    "make",
    [
        lambda: txn.op("set", "k"),
        lambda: txn.op("cas", "k", value=b""),
        lambda: txn.op("lock", "k", value=b""),
        lambda: txn.op("get", ""),
        lambda: txn.execute([]),
        lambda: txn.execute([txn.op("get", "k")] * 65),
    ],
)
def test_transaction_usage_errors(make: object) -> None:
    with pytest.raises(UsageError):
        make()  # type: ignore[operator]


def test_decoded_entries_are_ordinary_frozen_key_values() -> None:
    entry = KeyValue.from_json({"Key": "k", "Value": "dg==", "Flags": 2, "ModifyIndex": 9})
    assert entry == KeyValue("k", b"v", 2, None, 0, 0, 9)
    assert hash(entry) == hash(KeyValue("k", b"v", 2, None, 0, 0, 9))
    with pytest.raises(AttributeError):
        entry.value = b"changed"  # type: ignore[misc]
    with pytest.raises(DecodeError, match=r"KeyValue\.Key: expected a string, got a number"):
        KeyValue.from_json({"Key": 7})
