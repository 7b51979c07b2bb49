"""Golden requests and recorded responses for transactions with catalog operations (no I/O).

KV transactions are in test_kv.py; the live tests in tests/integration/test_txn.py.
"""

from __future__ import annotations

import json
from typing import Any

import msgspec
import pytest

from consul_core import KeyValue, Response, TransactionError, TxnError, UsageError
from consul_core.endpoints import txn
from consul_core.models import AgentService, HealthCheck, Node, NodeService, Weights
from consul_transports.sync import Consul
from consul_transports.testing import MockTransport

# Recorded from Consul 1.8.7: a node, a service instance and a check set in one transaction.
CATALOG_RESULTS = b"""{
    "Results": [
        {"Node": {"ID": "", "Node": "n1", "Address": "10.0.0.1", "Datacenter": "dc1",
                  "TaggedAddresses": null, "Meta": {"a": "b"},
                  "CreateIndex": 16, "ModifyIndex": 16}},
        {"Service": {"ID": "web1", "Service": "web", "Tags": null, "Address": "",
                     "Meta": null, "Port": 80, "Weights": {"Passing": 1, "Warning": 1},
                     "EnableTagOverride": false, "Proxy": {"MeshGateway": {}, "Expose": {}},
                     "Connect": {}, "CreateIndex": 16, "ModifyIndex": 16}},
        {"Check": {"Node": "n1", "CheckID": "c1", "Name": "c1", "Status": "passing",
                   "Notes": "", "Output": "", "ServiceID": "web1", "ServiceName": "web",
                   "ServiceTags": null, "Type": "", "Definition": {},
                   "CreateIndex": 16, "ModifyIndex": 16}}
    ],
    "Errors": null
}"""
# Golden, from the state store of current Consul (``txnKVS``): ``get-or-empty`` of a missing
# key yields the operation's own entry, without a value.
GET_OR_EMPTY_RESULTS = b"""{"Results": [{"KV": {"LockIndex": 0, "Key": "missing", "Flags": 0,
    "Value": null, "CreateIndex": 0, "ModifyIndex": 0}}], "Errors": null}"""


def _body(operations: list[txn.AnyTxnOp]) -> Any:
    return json.loads(txn.execute(operations).request.body or b"")


def test_catalog_verbs_send_the_whole_object_or_what_names_it() -> None:
    node = {"Node": "n1", "Address": "10.0.0.1", "Meta": {"a": "b"}}
    service = {"ID": "web1", "Service": "web", "Port": 80}
    check = {"CheckID": "c1", "Name": "c1", "Status": "passing", "ServiceID": "web1"}
    assert _body(
        [
            txn.node_op("set", node),
            txn.service_op("set", "n1", service),
            txn.check_op("set", "n1", check),
            txn.node_op("get", "n1"),
            txn.service_op("get", {"Node": "n1"}, "web1"),
            txn.check_op("delete", Node(node="n1"), "c1"),
        ]
    ) == [
        {"Node": {"Verb": "set", "Node": node}},
        {"Service": {"Verb": "set", "Node": "n1", "Service": service}},
        {"Check": {"Verb": "set", "Check": {**check, "Node": "n1"}}},
        {"Node": {"Verb": "get", "Node": {"Node": "n1"}}},
        {"Service": {"Verb": "get", "Node": "n1", "Service": {"ID": "web1"}}},
        {"Check": {"Verb": "delete", "Check": {"Node": "n1", "CheckID": "c1"}}},
    ]


def test_cas_verbs_take_the_index_given_else_the_objects_own() -> None:
    node = Node(node="n1", id="67539c9d-b948-ba67-edd4-d07a676d6673", address="a", modify_index=7)
    service = NodeService(service="web", id="web1", port=80, modify_index=8)
    check = HealthCheck(node="n1", check_id="c1", name="c1", status="critical", modify_index=9)
    sent = _body(
        [
            txn.node_op("cas", node),
            txn.node_op("delete-cas", node, index=3),
            txn.service_op("cas", "n1", service, index=0),
            txn.service_op("delete-cas", "n1", service),
            txn.check_op("cas", "n1", check),
            txn.check_op("delete-cas", "n1", "c1", index=KeyValue("k", modify_index=4)),
        ]
    )
    assert sent[0]["Node"]["Node"] == {
        "ID": node.id,
        "Node": "n1",
        "Address": "a",
        "ModifyIndex": 7,
    }
    assert sent[1]["Node"]["Node"] == {"ID": node.id, "Node": "n1", "ModifyIndex": 3}
    assert sent[2]["Service"]["Service"]["ModifyIndex"] == 0
    assert sent[2]["Service"]["Service"]["Weights"] == {"Passing": 1, "Warning": 1}
    assert sent[3]["Service"]["Service"] == {"ID": "web1", "ModifyIndex": 8}
    assert sent[4]["Check"]["Check"]["ModifyIndex"] == 9
    assert sent[5]["Check"]["Check"] == {"Node": "n1", "CheckID": "c1", "ModifyIndex": 4}


def test_a_model_read_before_is_written_back_whole() -> None:
    newer = b"""{"Results": [{"Service": {"ID": "web1", "Service": "web", "Port": 80,
        "PeerName": "p1", "ModifyIndex": 5}}]}"""
    results, _ = txn.execute([txn.service_op("get", "n1", "web1")]).parse(Response(200, {}, newer))
    read = results[0]
    assert isinstance(read, NodeService)
    changed = msgspec.structs.replace(read, port=81)
    sent = _body([txn.service_op("cas", "n1", changed)])[0]["Service"]["Service"]
    assert sent["PeerName"] == "p1" and sent["Port"] == 81 and sent["ModifyIndex"] == 5
    agent = AgentService(id="web2", service="web", weights=Weights(passing=3))
    sent = _body([txn.service_op("set", "n1", agent)])[0]["Service"]["Service"]
    assert (sent["ID"], sent["Service"], sent["Weights"]) == (
        "web2",
        "web",
        {"Passing": 3, "Warning": 1},
    )


def test_results_of_every_kind_decode_to_their_models() -> None:
    operations = [txn.node_op("get", "n1"), txn.service_op("get", "n1", "web1")]
    results, meta = txn.execute(operations).parse(Response(200, {}, CATALOG_RESULTS))
    node, service, check = results
    assert isinstance(node, Node) and node.meta == {"a": "b"} and node.modify_index == 16
    assert isinstance(service, NodeService) and (service.id, service.port) == ("web1", 80)
    assert isinstance(check, HealthCheck) and check.service_name == "web"
    assert meta.index == 0


def test_get_or_empty_of_a_missing_key_yields_an_entry_without_value() -> None:
    call = txn.execute([txn.op("get-or-empty", "missing")])
    assert json.loads(call.request.body or b"") == [
        {"KV": {"Verb": "get-or-empty", "Key": "missing"}}
    ]
    results, _ = call.parse(Response(200, {}, GET_OR_EMPTY_RESULTS))
    assert results == [KeyValue("missing")]


def test_results_of_unknown_kinds_are_left_out() -> None:
    body = b'{"Results": [{"Session": {"ID": "s"}}, {"KV": {"Key": "k"}}], "Errors": null}'
    results, _ = txn.execute([txn.op("get", "k")]).parse(Response(200, {}, body))
    assert results == [KeyValue("k")]


def test_a_rolled_back_catalog_operation_is_a_transaction_error() -> None:
    body = b'{"Results": null, "Errors": [{"OpIndex": 1, "What": "node \\"n1\\" doesn\'t exist"}]}'
    call = txn.execute([txn.op("get", "k"), txn.node_op("get", "n1")])
    with pytest.raises(TransactionError) as caught:
        call.parse(Response(409, {}, body))
    assert caught.value.errors == [TxnError(1, 'node "n1" doesn\'t exist')]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: txn.node_op("update", "n1"), "catalog verb"),  # type: ignore[arg-type]
        (lambda: txn.node_op("set", {"Address": "a"}), "Node"),
        (lambda: txn.node_op("get", ""), "Node"),
        (lambda: txn.node_op("set", ["n1"]), "mapping"),  # type: ignore[arg-type]
        (lambda: txn.node_op("cas", {"Node": "n1"}), "needs index="),
        (lambda: txn.node_op("delete-cas", "n1"), "needs index="),
        (lambda: txn.node_op("cas", {"Node": "n1", "ModifyIndex": "7"}), "ModifyIndex"),
        (lambda: txn.node_op("cas", {"Node": "n1"}, index=-1), "negative"),
        (lambda: txn.service_op("set", "n1", {"ID": "w"}), "Service"),
        (lambda: txn.service_op("get", "n1", {"Service": "web"}), "ID"),
        (lambda: txn.service_op("get", "", "w"), "node"),
        (lambda: txn.service_op("delete-cas", "n1", "w"), "needs index="),
        (lambda: txn.check_op("get", "n1", {"Name": "c"}), "CheckID"),
        (lambda: txn.check_op("set", "n1", {"Node": "n2", "CheckID": "c"}), "node 'n2'"),
        (lambda: txn.execute([{"KV": {"Verb": "get"}}]), "built by"),  # type: ignore[list-item]
        (lambda: txn.execute([txn.node_op("get", "n")] * 65), "64"),
    ],
)
def test_catalog_usage_errors(make: Any, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        make()


def _client() -> Consul:
    return Consul("127.0.0.1:1", transport=MockTransport(lambda request: NotImplemented))


def test_the_transaction_chains_kv_and_catalog_verbs_and_caps_them_all() -> None:
    with _client() as client:
        prepared = (
            client.kv.prepare()
            .get("k")
            .node.set({"Node": "n1", "Address": "a"})
            .service.delete("n1", "web1")
            .check.get("n1", "c1")
            .get_or_empty("other")
        )
        assert [list(o.to_json()) for o in prepared.operations] == [
            ["KV"],
            ["Node"],
            ["Service"],
            ["Check"],
            ["KV"],
        ]
        assert prepared.call().request.target == "/v1/txn"
        full = client.txn.prepare()
        for index in range(64):
            full = full.node.get(f"n{index}")
        with pytest.raises(UsageError, match="64"):
            full.check.get("n", "c")
        assert len(full.operations) == 64
