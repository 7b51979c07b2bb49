"""Golden requests and recorded responses for cluster peering and the exported services (no
I/O). Consul 1.8.7 has neither (peering is 1.13+, exported services 1.17.3+): the replies are
the Consul HTTP API documentation's samples (their trailing commas removed, which no JSON
parser takes) and the Go client's structs (``api/peering.go``, ``api/exported_services.go``).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import pytest

from consul_core import NotFound, QueryMeta, Response, UsageError
from consul_core.call import Call
from consul_core.endpoints import exported_services, peering
from consul_core.models import (
    Peering,
    PeeringRemoteInfo,
    ResolvedConsumers,
    ResolvedExportedService,
)

META = {"X-Consul-Index": "89", "X-Consul-KnownLeader": "true"}
# The documentation's "Read a Peering Connection" sample, with a newer reply's `Locality`
# and a field this client does not know.
PEERING_BODY = b"""{
    "ID": "462c45e8-018e-f19d-85eb-1fc1bcc2ef12",
    "Name": "cluster-02",
    "State": "ACTIVE",
    "PeerID": "e83a315c-027e-bcb1-7c0c-a46650904a05",
    "PeerServerName": "server.dc1.consul",
    "PeerServerAddresses": ["10.0.0.1:8300"],
    "StreamStatus": {
        "ImportedServices": ["db"],
        "ExportedServices": ["backend", "frontend", "web"],
        "LastHeartbeat": "2023-12-13T06:31:28.227392Z",
        "LastReceive": "2023-12-13T06:31:28.227392Z",
        "LastSend": "2023-12-05T11:02:57.528676Z"
    },
    "CreateIndex": 89,
    "ModifyIndex": 89,
    "Remote": {
        "Partition": "",
        "Datacenter": "east",
        "Locality": {"Region": "us-east-1", "Zone": "us-east-1a"}
    },
    "ShareServicesBy": "exported-services"
}"""
# The documentation's "List all Peerings" sample (second peering).
PEERINGS_BODY = b"""[
    {
        "ID": "1460ada9-26d2-f30d-3359-2968aa7dc47d",
        "Name": "cluster-03",
        "State": "PENDING",
        "Partition": "default",
        "Meta": {"env": "production"},
        "StreamStatus": {
            "ImportedServices": null,
            "ExportedServices": ["backend", "frontend"],
            "LastHeartbeat": "2023-12-13T06:31:28.227392Z",
            "LastReceive": "2023-12-13T06:31:28.227392Z",
            "LastSend": "2023-12-05T11:02:57.528676Z"
        },
        "CreateIndex": 109,
        "ModifyIndex": 119,
        "Remote": {"Partition": "", "Datacenter": "east"}
    }
]"""
DELETED_BODY = b"""{
    "ID": "462c45e8-018e-f19d-85eb-1fc1bcc2ef12",
    "Name": "cluster-02",
    "State": "TERMINATED",
    "DeletedAt": "2022-12-14T23:00:00Z",
    "CreateIndex": 89,
    "ModifyIndex": 89
}"""
# The documentation's Enterprise sample of the exported services.
EXPORTED_BODY = b"""[
    {
        "Service": "frontend",
        "Partition": "default",
        "Namespace": "default",
        "Consumers": {"Peers": ["east", "west"], "Partitions": ["part1"]}
    },
    {
        "Service": "db",
        "Partition": "default",
        "Namespace": "default",
        "Consumers": {"Partitions": ["part1"]}
    }
]"""


def _target(call: Call[Any]) -> tuple[str, str]:
    return call.request.method, call.request.target


def _body(call: Call[Any]) -> Any:
    return json.loads(call.request.body or b"null")


def test_generate_token_sends_the_peer_name_and_returns_the_token() -> None:
    call = peering.generate_token(
        "cluster-02",
        meta={"env": "production"},
        server_external_addresses=["1.2.3.4:8503"],
        dc="dc1",
    )
    assert _target(call) == ("POST", "/v1/peering/token?dc=dc1")
    assert _body(call) == {
        "PeerName": "cluster-02",
        "Meta": {"env": "production"},
        "ServerExternalAddresses": ["1.2.3.4:8503"],
    }
    reply = Response(200, {}, b'{"PeeringToken": "eyJDQSI6bnVsbCwiU2V..."}')
    assert call.parse(reply) == "eyJDQSI6bnVsbCwiU2V..."
    assert _body(peering.generate_token("cluster-02")) == {"PeerName": "cluster-02"}


def test_establish_sends_the_token() -> None:
    call = peering.establish("cluster-01", "eyJDQSI6bnVsbCwiU2V...", meta={"env": "production"})
    assert _target(call) == ("POST", "/v1/peering/establish")
    assert _body(call) == {
        "PeerName": "cluster-01",
        "PeeringToken": "eyJDQSI6bnVsbCwiU2V...",
        "Meta": {"env": "production"},
    }
    assert call.parse(Response(200, {}, b"{}")) is True


def test_read_decodes_a_peering_and_keeps_what_it_does_not_know() -> None:
    call = peering.read("cluster-02", watch=(88, "10s"), consistency="consistent")
    assert _target(call) == ("GET", "/v1/peering/cluster-02?consistent&index=88&wait=10s")
    found, meta = call.parse(Response(200, META, PEERING_BODY))
    assert meta == QueryMeta(index=89, known_leader=True)
    assert (found.name, found.state, found.peer_server_addresses) == (
        "cluster-02",
        "ACTIVE",
        ["10.0.0.1:8300"],
    )
    assert found.stream_status.imported_services == ["db"]
    assert found.stream_status.last_send == datetime(
        2023, 12, 5, 11, 2, 57, 528676, tzinfo=timezone.utc
    )
    assert found.remote.locality is not None and found.remote.locality.zone == "us-east-1a"
    assert found.unknown_fields == {"ShareServicesBy": "exported-services"}
    assert found.deleted_at is None


def test_read_of_a_missing_peering_is_not_found() -> None:
    with pytest.raises(NotFound) as caught:
        peering.read({"Name": "gone"}).parse(Response(404, META, b""))
    assert caught.value.meta.index == 89


def test_list_and_delete() -> None:
    call = peering.items()
    assert _target(call) == ("GET", "/v1/peerings")
    [pending], _ = call.parse(Response(200, META, PEERINGS_BODY))
    assert pending == Peering(
        id="1460ada9-26d2-f30d-3359-2968aa7dc47d",
        name="cluster-03",
        partition="default",
        meta={"env": "production"},
        state="PENDING",
        stream_status=pending.stream_status,
        remote=PeeringRemoteInfo(datacenter="east"),
        create_index=109,
        modify_index=119,
    )
    assert pending.stream_status.imported_services == []
    deleted, _ = peering.read("cluster-02").parse(Response(200, META, DELETED_BODY))
    assert deleted.deleted_at == datetime(2022, 12, 14, 23, tzinfo=timezone.utc)
    delete = peering.delete(deleted, token="secret")
    assert _target(delete) == ("DELETE", "/v1/peering/cluster-02")
    assert delete.request.token == "secret"
    assert delete.parse(Response(200, {}, b"")) is True


def test_exported_services_decode_the_consumers() -> None:
    call = exported_services.exported_services(watch=5)
    assert _target(call) == ("GET", "/v1/exported-services?index=5&wait=300s")
    services, meta = call.parse(Response(200, META, EXPORTED_BODY))
    assert meta.index == 89
    assert services == [
        ResolvedExportedService(
            service="frontend",
            partition="default",
            namespace="default",
            consumers=ResolvedConsumers(peers=["east", "west"], partitions=["part1"]),
        ),
        ResolvedExportedService(
            service="db",
            partition="default",
            namespace="default",
            consumers=ResolvedConsumers(partitions=["part1"]),
        ),
    ]


@pytest.mark.parametrize(
    "make",
    [
        lambda: peering.generate_token(""),
        lambda: peering.generate_token("p", meta={"env": 1}),
        lambda: peering.generate_token("p", server_external_addresses="1.2.3.4:8503"),
        lambda: peering.establish("p", ""),
        lambda: peering.read(""),
        lambda: peering.read("a/../b"),
        lambda: peering.delete({"ID": "x"}),
        lambda: peering.items(watch="soon"),
    ],
)
def test_usage_errors(make: Any) -> None:
    with pytest.raises(UsageError):
        make()
