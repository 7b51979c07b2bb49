"""Golden requests and recorded responses for the operator endpoints (no I/O)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from consul_core import Conflict, NotFound, QueryMeta, Response, ServerError, UsageError
from consul_core.call import Call
from consul_core.endpoints import operator
from consul_core.models.operator import (
    AutopilotConfiguration,
    AutopilotServer,
    KeyringResponse,
    RaftServer,
    ServerHealth,
    ServiceUsage,
)

KEY = "qhCmSeIvd5vWZqh/s3Ys5tmM9QP3fN53uH0JnjUrXAY="

# Recorded from Consul 1.8.7.
RAFT_BODY = b"""{
    "Servers": [
        {
            "ID": "e7513a54-4f1f-8dc2-82a0-b61d0b65fd46",
            "Node": "node-4e9a5d50",
            "Address": "127.0.0.1:39917",
            "Leader": true,
            "ProtocolVersion": "3",
            "Voter": true
        }
    ],
    "Index": 0
}"""
AUTOPILOT_BODY = b"""{
    "CleanupDeadServers": true,
    "LastContactThreshold": "200ms",
    "MaxTrailingLogs": 250,
    "MinQuorum": 0,
    "ServerStabilizationTime": "10s",
    "RedundancyZoneTag": "",
    "DisableUpgradeMigration": false,
    "UpgradeVersionTag": "",
    "CreateIndex": 7,
    "ModifyIndex": 7
}"""
HEALTH_BODY = b"""{
    "Healthy": true,
    "FailureTolerance": 0,
    "Servers": [
        {
            "ID": "e7513a54-4f1f-8dc2-82a0-b61d0b65fd46",
            "Name": "node-4e9a5d50",
            "Address": "127.0.0.1:39917",
            "SerfStatus": "alive",
            "Version": "1.8.7",
            "Leader": true,
            "LastContact": "0s",
            "LastTerm": 2,
            "LastIndex": 15,
            "Healthy": true,
            "Voter": true,
            "StableSince": "2026-11-27T13:18:54Z"
        }
    ]
}"""
KEYRING_BODY = b"""[
    {
        "WAN": true,
        "Datacenter": "dc1",
        "Segment": "",
        "Keys": {
            "C2oJTD6ZLmmZ0aeRWM//mFPxVrJIf9Mpj4QrIhkiVtQ=": 1,
            "qhCmSeIvd5vWZqh/s3Ys5tmM9QP3fN53uH0JnjUrXAY=": 1
        },
        "PrimaryKeys": {
            "qhCmSeIvd5vWZqh/s3Ys5tmM9QP3fN53uH0JnjUrXAY=": 1
        },
        "NumNodes": 1
    },
    {
        "WAN": false,
        "Datacenter": "dc1",
        "Segment": "",
        "Keys": {
            "C2oJTD6ZLmmZ0aeRWM//mFPxVrJIf9Mpj4QrIhkiVtQ=": 1,
            "qhCmSeIvd5vWZqh/s3Ys5tmM9QP3fN53uH0JnjUrXAY=": 1
        },
        "PrimaryKeys": {
            "qhCmSeIvd5vWZqh/s3Ys5tmM9QP3fN53uH0JnjUrXAY=": 1
        },
        "NumNodes": 1
    }
]"""
PEER_NOT_FOUND = b'address "127.0.0.1:9999" was not found in the Raft configuration'
KEYRING_EMPTY = b"""4 errors occurred:
\t* WAN error: 1/1 nodes reported failure
\t* node-4e9a5d50.dc1: Keyring is empty (encryption not enabled)
\t* dc1 (LAN) error: 1/1 nodes reported failure
\t* node-4e9a5d50: Keyring is empty (encryption not enabled)
"""
PRIMARY_REMOVAL = b"""4 errors occurred:
\t* WAN error: 1/1 nodes reported failure
\t* node-89bfa1bc.dc1: Removing the primary key is not allowed
\t* dc1 (LAN) error: 1/1 nodes reported failure
\t* node-89bfa1bc: Removing the primary key is not allowed
"""
# From the Consul documentation (these endpoints are newer than 1.8.7).
STATE_BODY = b"""{
    "Healthy": true,
    "FailureTolerance": 1,
    "OptimisticFailureTolerance": 4,
    "Servers": {
        "5e26a3af-f4fc-4104-a8bb-4da9f19cb278": {
            "ID": "5e26a3af-f4fc-4104-a8bb-4da9f19cb278",
            "Name": "node1",
            "Address": "198.18.0.1:8300",
            "NodeStatus": "alive",
            "Version": "1.9.0",
            "LastContact": "0s",
            "LastTerm": 2,
            "LastIndex": 91,
            "Healthy": true,
            "StableSince": "2020-11-06T14:47:25Z",
            "ReadReplica": false,
            "Status": "leader",
            "Meta": {"consul-network-segment": ""},
            "NodeType": "voter"
        }
    },
    "Leader": "5e26a3af-f4fc-4104-a8bb-4da9f19cb278",
    "Voters": ["5e26a3af-f4fc-4104-a8bb-4da9f19cb278"],
    "RedundancyZones": {"zone1": {"Servers": ["5e26"], "Voters": ["5e26"], "FailureTolerance": 0}},
    "Upgrade": {"Status": "idle", "TargetVersion": "1.9.0", "TargetVersionVoters": ["5e26"]}
}"""
USAGE_BODY = b"""{
    "Usage": {
        "dc1": {
            "Services": 1,
            "ServiceInstances": 1,
            "ConnectServiceInstances": {"connect-native": 0, "connect-proxy": 0},
            "BillableServiceInstances": 0
        }
    }
}"""
INDEX_HEADERS = {"X-Consul-Index": "9", "X-Consul-KnownLeader": "true"}


def _target(call: Call[Any]) -> tuple[str, str]:
    return call.request.method, call.request.target


@pytest.mark.parametrize(
    ("call", "method", "target"),
    [
        (operator.configuration(), "GET", "/v1/operator/raft/configuration"),
        (
            operator.configuration(dc="dc2", stale=True),
            "GET",
            "/v1/operator/raft/configuration?dc=dc2&stale",
        ),
        (
            operator.peer_delete("10.0.0.1:8300"),
            "DELETE",
            "/v1/operator/raft/peer?address=10.0.0.1%3A8300",
        ),
        (
            operator.peer_delete(id="abc", dc="dc1"),
            "DELETE",
            "/v1/operator/raft/peer?dc=dc1&id=abc",
        ),
        (operator.raft_transfer_leader(), "POST", "/v1/operator/raft/transfer-leader"),
        (
            operator.raft_transfer_leader("abc"),
            "POST",
            "/v1/operator/raft/transfer-leader?id=abc",
        ),
        (
            operator.autopilot_configuration(stale=True),
            "GET",
            "/v1/operator/autopilot/configuration?stale",
        ),
        (operator.autopilot_health(dc="dc1"), "GET", "/v1/operator/autopilot/health?dc=dc1"),
        (operator.autopilot_state(), "GET", "/v1/operator/autopilot/state"),
        (operator.keyring_list(), "GET", "/v1/operator/keyring"),
        (
            operator.keyring_list(relay_factor=2, local_only=True),
            "GET",
            "/v1/operator/keyring?relay-factor=2&local-only=true",
        ),
        (operator.usage(), "GET", "/v1/operator/usage"),
        (
            operator.usage(all_datacenters=True, watch=(4, "10s"), consistency="stale"),
            "GET",
            "/v1/operator/usage?stale&index=4&wait=10s&global",
        ),
    ],
)
def test_golden_reads_and_deletes(call: Call[Any], method: str, target: str) -> None:
    assert _target(call) == (method, target)
    assert call.request.body is None


def test_autopilot_update_sends_the_configuration_and_cas() -> None:
    config = AutopilotConfiguration(
        cleanup_dead_servers=True,
        last_contact_threshold=timedelta(milliseconds=200),
        max_trailing_logs=250,
        server_stabilization_time=timedelta(seconds=10),
        modify_index=7,
    )
    call = operator.autopilot_update(config, cas=config)
    assert _target(call) == ("PUT", "/v1/operator/autopilot/configuration?cas=7")
    assert json.loads(call.request.body or b"") == {
        "CleanupDeadServers": True,
        "LastContactThreshold": "200ms",
        "MaxTrailingLogs": 250,
        "ServerStabilizationTime": "10s",
        "ModifyIndex": 7,
    }
    assert call.parse(Response(200, {}, b"false")) is False
    plain = operator.autopilot_update({"CleanupDeadServers": False}, dc="dc2")
    assert _target(plain) == ("PUT", "/v1/operator/autopilot/configuration?dc=dc2")
    assert json.loads(plain.request.body or b"") == {"CleanupDeadServers": False}
    assert plain.parse(Response(200, {}, b"true")) is True


@pytest.mark.parametrize(
    ("call", "method"),
    [
        (operator.keyring_install(KEY), "POST"),
        (operator.keyring_use(KEY, relay_factor=1), "PUT"),
        (operator.keyring_remove(KEY), "DELETE"),
    ],
)
def test_keyring_writes_send_the_key(call: Call[bool], method: str) -> None:
    assert call.request.method == method
    assert call.request.path == "/v1/operator/keyring"
    assert json.loads(call.request.body or b"") == {"Key": KEY}
    assert call.parse(Response(200, {}, b"")) is True


def test_parse_raft_configuration() -> None:
    conf = operator.configuration().parse(Response(200, {}, RAFT_BODY))
    assert conf.servers == [
        RaftServer(
            "e7513a54-4f1f-8dc2-82a0-b61d0b65fd46",
            "node-4e9a5d50",
            "127.0.0.1:39917",
            leader=True,
            protocol_version="3",
            voter=True,
        )
    ]
    assert conf.index == 0


def test_parse_autopilot_configuration() -> None:
    config = operator.autopilot_configuration().parse(Response(200, {}, AUTOPILOT_BODY))
    assert config == AutopilotConfiguration(
        cleanup_dead_servers=True,
        last_contact_threshold=timedelta(milliseconds=200),
        max_trailing_logs=250,
        server_stabilization_time=timedelta(seconds=10),
        create_index=7,
        modify_index=7,
    )


@pytest.mark.parametrize("status", [200, 429])
def test_parse_autopilot_health_healthy_or_not(status: int) -> None:
    # A 429 carries the same body, with the unhealthy servers marked.
    healthy = status == 200
    body = HEALTH_BODY if healthy else HEALTH_BODY.replace(b'"Healthy": true', b'"Healthy": false')
    health = operator.autopilot_health().parse(Response(status, {}, body))
    assert health.healthy is healthy
    assert health.servers[0] == ServerHealth(
        "e7513a54-4f1f-8dc2-82a0-b61d0b65fd46",
        "node-4e9a5d50",
        "127.0.0.1:39917",
        "alive",
        "1.8.7",
        leader=True,
        last_contact=timedelta(0),
        last_term=2,
        last_index=15,
        healthy=healthy,
        voter=True,
        stable_since=datetime(2026, 11, 27, 13, 18, 54, tzinfo=timezone.utc),
    )


def test_parse_keyring() -> None:
    rings = operator.keyring_list().parse(Response(200, {}, KEYRING_BODY))
    assert [ring.wan for ring in rings] == [True, False]
    assert rings[1] == KeyringResponse(
        wan=False,
        datacenter="dc1",
        keys={"C2oJTD6ZLmmZ0aeRWM//mFPxVrJIf9Mpj4QrIhkiVtQ=": 1, KEY: 1},
        primary_keys={KEY: 1},
        num_nodes=1,
    )


def test_parse_autopilot_state_and_usage() -> None:
    state = operator.autopilot_state().parse(Response(200, {}, STATE_BODY))
    server = state.servers["5e26a3af-f4fc-4104-a8bb-4da9f19cb278"]
    assert isinstance(server, AutopilotServer)
    assert (server.status, server.node_type, server.last_contact) == (
        "leader",
        "voter",
        timedelta(0),
    )
    assert server.stable_since == datetime(2020, 11, 6, 14, 47, 25, tzinfo=timezone.utc)
    assert state.optimistic_failure_tolerance == 4
    assert state.redundancy_zones["zone1"].voters == ["5e26"]
    assert state.upgrade is not None and state.upgrade.target_version_voters == ["5e26"]
    usage, meta = operator.usage().parse(Response(200, INDEX_HEADERS, USAGE_BODY))
    assert usage.usage["dc1"] == ServiceUsage(
        services=1,
        service_instances=1,
        connect_service_instances={"connect-native": 0, "connect-proxy": 0},
    )
    assert meta == QueryMeta(index=9, known_leader=True)
    assert operator.raft_transfer_leader().parse(Response(200, {}, b'{"Success": true}')) is True


def test_error_bodies_map_to_their_meaning() -> None:
    with pytest.raises(NotFound, match="not found in the Raft configuration"):
        operator.peer_delete("127.0.0.1:9999").parse(Response(500, {}, PEER_NOT_FOUND))
    with pytest.raises(Conflict, match="primary key"):
        operator.keyring_remove(KEY).parse(Response(500, {}, PRIMARY_REMOVAL))
    with pytest.raises(ServerError, match="encryption not enabled"):
        operator.keyring_list().parse(Response(500, {}, KEYRING_EMPTY))


@pytest.mark.parametrize(
    "make",
    [
        operator.peer_delete,
        lambda: operator.peer_delete("1.2.3.4:8300", id="x"),
        lambda: operator.peer_delete(""),
        lambda: operator.configuration(stale="yes"),
        lambda: operator.autopilot_update(["CleanupDeadServers"]),
        lambda: operator.autopilot_update({}, cas=-1),
        lambda: operator.keyring_install("not base64!"),
        lambda: operator.keyring_install("c2hvcnQ="),
        lambda: operator.keyring_use(42),
        lambda: operator.keyring_list(relay_factor=6),
        lambda: operator.keyring_list(local_only=1),
        lambda: operator.usage(all_datacenters=None),
    ],
)
def test_usage_errors(make: Any) -> None:
    with pytest.raises(UsageError):
        make()
