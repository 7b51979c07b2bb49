"""Golden requests and recorded responses for prepared queries (no I/O)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from consul_core import NotFound, Response, UsageError
from consul_core.call import Call
from consul_core.endpoints import query
from consul_core.models.query import (
    PreparedQuery,
    QueryDNS,
    QueryFailover,
    QueryService,
    QueryTemplate,
)

QID = "acbc5709-2168-7b83-8158-b8dc1b3b8804"
INDEX_HEADERS = {"X-Consul-Index": "16", "X-Consul-KnownLeader": "true"}

# Recorded from Consul 1.8.7.
DEFINITION = b"""{
    "ID": "acbc5709-2168-7b83-8158-b8dc1b3b8804",
    "Name": "q1",
    "Session": "",
    "Token": "",
    "Template": {"Type": "", "Regexp": "", "RemoveEmptyTags": false},
    "Service": {
        "Service": "consul",
        "Failover": {"NearestN": 2, "Datacenters": ["dc2"]},
        "OnlyPassing": true,
        "IgnoreCheckIDs": null,
        "Near": "",
        "Tags": ["a", "!b"],
        "NodeMeta": {"k": "v"},
        "ServiceMeta": {"s": "m"},
        "Connect": false
    },
    "DNS": {"TTL": "10s"},
    "CreateIndex": 16,
    "ModifyIndex": 16
}"""
READ_BODY = b"[" + DEFINITION + b"]"
EXPLAIN_BODY = (
    b'{"Query": '
    + DEFINITION
    + b', "Index": 0, "LastContact": 0, "KnownLeader": true, "ConsistencyLevel": "leader"}'
)
EXECUTE_BODY = b"""{
    "Service": "consul",
    "Nodes": [
        {
            "Node": {
                "ID": "e7513a54-4f1f-8dc2-82a0-b61d0b65fd46",
                "Node": "node-4e9a5d50",
                "Address": "127.0.0.1",
                "Datacenter": "dc1",
                "TaggedAddresses": {"lan": "127.0.0.1", "wan": "127.0.0.1"},
                "Meta": {"consul-network-segment": ""},
                "CreateIndex": 14,
                "ModifyIndex": 15
            },
            "Service": {
                "ID": "consul",
                "Service": "consul",
                "Tags": null,
                "Address": "",
                "Meta": {"raft_version": "3", "version": "1.8.7"},
                "Port": 39917,
                "Weights": {"Passing": 1, "Warning": 1},
                "EnableTagOverride": false,
                "Proxy": {"MeshGateway": {}, "Expose": {}},
                "Connect": {},
                "CreateIndex": 14,
                "ModifyIndex": 14
            },
            "Checks": [
                {
                    "Node": "node-4e9a5d50",
                    "CheckID": "serfHealth",
                    "Name": "Serf Health Status",
                    "Status": "passing",
                    "Notes": "",
                    "Output": "Agent alive and reachable",
                    "ServiceID": "",
                    "ServiceName": "",
                    "ServiceTags": null,
                    "Type": "",
                    "Definition": {},
                    "CreateIndex": 14,
                    "ModifyIndex": 14
                }
            ]
        }
    ],
    "DNS": {"TTL": ""},
    "Datacenter": "dc1",
    "Failovers": 0,
    "Index": 0,
    "LastContact": 0,
    "KnownLeader": true,
    "ConsistencyLevel": "leader"
}"""
NOT_FOUND = b"Query not found"
NOT_MODIFIABLE = (
    b"Cannot modify non-existent prepared query: '00000000-0000-0000-0000-000000000000'"
)
NOT_A_UUID = b"failed prepared query lookup: index error: UUID must be 36 characters"
RECORDED = PreparedQuery(
    QueryService(
        "consul",
        failover=QueryFailover(nearest_n=2, datacenters=["dc2"]),
        only_passing=True,
        tags=["a", "!b"],
        node_meta={"k": "v"},
        service_meta={"s": "m"},
    ),
    id=QID,
    name="q1",
    dns=QueryDNS(ttl=timedelta(seconds=10)),
    create_index=16,
    modify_index=16,
)


def _target(call: Call[Any]) -> tuple[str, str]:
    return call.request.method, call.request.target


@pytest.mark.parametrize(
    ("call", "method", "target"),
    [
        (query.items(), "GET", "/v1/query"),
        (
            query.items(watch=(3, "5s"), consistency="stale"),
            "GET",
            "/v1/query?stale&index=3&wait=5s",
        ),
        (query.read(QID, dc="dc2"), "GET", f"/v1/query/{QID}?dc=dc2"),
        (query.read({"ID": QID}), "GET", f"/v1/query/{QID}"),
        (query.explain("web prefix"), "GET", "/v1/query/web%20prefix/explain"),
        (query.explain({"Name": "geo-db"}), "GET", "/v1/query/geo-db/explain"),
        (
            query.explain(RECORDED, consistency="consistent"),
            "GET",
            f"/v1/query/{QID}/explain?consistent",
        ),
        (query.delete(RECORDED), "DELETE", f"/v1/query/{QID}"),
        (query.execute("q1"), "GET", "/v1/query/q1/execute"),
        # The agent reads all before the trailing /execute as the name.
        (query.execute("team/web"), "GET", "/v1/query/team%2Fweb/execute"),
        (query.explain("q/execute"), "GET", "/v1/query/q%2Fexecute/explain"),
        (
            query.execute(QID, near="_agent", limit=3, connect=True, dc="dc1"),
            "GET",
            f"/v1/query/{QID}/execute?dc=dc1&near=_agent&limit=3&connect=true",
        ),
        (query.execute(QID, cached=True), "GET", f"/v1/query/{QID}/execute?cached"),
    ],
)
def test_golden_reads_and_deletes(call: Call[Any], method: str, target: str) -> None:
    assert _target(call) == (method, target)
    assert call.request.body is None


def test_cached_execute_takes_no_client_consistency() -> None:
    assert "consistency" not in query.execute("q", cached=True).request.defaults
    assert "consistency" in query.execute("q").request.defaults


def test_create_sends_the_definition_without_zero_fields() -> None:
    definition = PreparedQuery(
        QueryService("web", tags=["v1"], only_passing=True),
        name="web",
        dns=QueryDNS(ttl=timedelta(seconds=10)),
        template=QueryTemplate(type="name_prefix_match", regexp="^web-(.*)$"),
    )
    call = query.create(definition, dc="dc1")
    assert _target(call) == ("POST", "/v1/query?dc=dc1")
    assert json.loads(call.request.body or b"") == {
        "Name": "web",
        "Service": {"Service": "web", "OnlyPassing": True, "Tags": ["v1"]},
        "DNS": {"TTL": "10s"},
        "Template": {"Type": "name_prefix_match", "Regexp": "^web-(.*)$"},
    }
    assert call.parse(Response(200, {}, b'{"ID": "%s"}' % QID.encode())) == QID
    mapping = query.create({"Name": "x", "Service": {"Service": "y"}})
    assert json.loads(mapping.request.body or b"") == {"Name": "x", "Service": {"Service": "y"}}


def test_update_puts_the_definition_at_its_id() -> None:
    call = query.update(RECORDED)
    assert _target(call) == ("PUT", f"/v1/query/{QID}")
    body = json.loads(call.request.body or b"")
    assert body["ID"] == QID and body["Service"]["Failover"] == {
        "NearestN": 2,
        "Datacenters": ["dc2"],
    }
    assert call.parse(Response(200, {}, b"")) is True


def test_parse_list_read_and_explain() -> None:
    listed, meta = query.items().parse(Response(200, INDEX_HEADERS, READ_BODY))
    assert listed == [RECORDED] and meta.index == 16
    read, _ = query.read(QID).parse(Response(200, INDEX_HEADERS, READ_BODY))
    assert read == RECORDED
    explained, _ = query.explain("q1").parse(Response(200, INDEX_HEADERS, EXPLAIN_BODY))
    assert explained.query == RECORDED
    assert (explained.known_leader, explained.consistency_level) == (True, "leader")
    assert explained.unknown_fields == {}
    empty, _ = query.items().parse(Response(200, INDEX_HEADERS, b"[]"))
    assert empty == []


def test_parse_execute() -> None:
    result, meta = query.execute("q2").parse(Response(200, {"X-Consul-Index": "1"}, EXECUTE_BODY))
    assert (result.service, result.datacenter, result.failovers) == ("consul", "dc1", 0)
    assert result.dns == QueryDNS(ttl=None)
    [entry] = result.nodes
    assert (entry.node.node, entry.service.port) == ("node-4e9a5d50", 39917)
    assert [check.check_id for check in entry.checks] == ["serfHealth"]
    assert meta.index == 1
    # The server's query metadata in the body (besides the headers): fields, not unknown ones.
    assert (result.index, result.last_contact, result.known_leader) == (0, timedelta(0), True)
    assert (result.consistency_level, result.unknown_fields) == ("leader", {})


@pytest.mark.parametrize(
    ("call", "status", "body"),
    [
        (query.read(QID), 404, NOT_FOUND),
        (query.read("q1"), 500, NOT_A_UUID),
        (query.execute("nope"), 404, NOT_FOUND),
        (query.explain("nope"), 404, NOT_FOUND),
        (query.update(RECORDED), 500, NOT_MODIFIABLE),
        (query.delete(QID), 500, NOT_MODIFIABLE),
        (query.delete("nope"), 500, b"Prepared Query lookup failed: " + NOT_A_UUID),
    ],
)
def test_missing_queries_are_not_found(call: Call[Any], status: int, body: bytes) -> None:
    with pytest.raises(NotFound):
        call.parse(Response(status, {}, body))


@pytest.mark.parametrize(
    "make",
    [
        lambda: query.create("web"),
        lambda: query.create(None),
        lambda: query.update({"Name": "no id"}),
        lambda: query.read(""),
        lambda: query.read({"Name": "q1"}),
        lambda: query.explain({}),
        lambda: query.explain(PreparedQuery(QueryService("x"))),
        lambda: query.execute(3),
        lambda: query.execute("q", limit=-1),
        lambda: query.execute("q", connect="yes"),
        lambda: query.execute("q", cached=True, consistency="consistent"),
        lambda: query.items(consistency="eventual"),
    ],
)
def test_usage_errors(make: Any) -> None:
    with pytest.raises(UsageError):
        make()


def test_results_filtered_by_acls_is_read_under_go_s_key() -> None:
    # structs.QueryMeta's untagged field: the key is "ResultsFilteredByACLs".
    body = {"Service": "web", "Nodes": [], "DNS": {"TTL": ""}, "ResultsFilteredByACLs": True}
    result, _ = query.execute("web").parse(Response(200, {}, json.dumps(body).encode()))
    assert result.results_filtered_by_acls is True
    assert "ResultsFilteredByACLs" not in result.unknown_fields
