"""Golden requests and recorded responses for namespaces and admin partitions, two Consul
Enterprise features (no I/O): the replies are the Consul HTTP API documentation's samples.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import pytest
from msgspec.structs import replace

from consul_core import NotFound, QueryMeta, Response, UsageError
from consul_core.call import Call
from consul_core.endpoints import namespace, partition
from consul_core.models import (
    ACLLink,
    AdminPartition,
    ConsulNamespace,
    NamespaceACLConfig,
)

META = {"X-Consul-Index": "55", "X-Consul-KnownLeader": "true"}
NAMESPACE_BODY = b"""{
  "Name": "team-1",
  "Description": "Namespace for Team 1",
  "ACLs": {
    "PolicyDefaults": [
      {"ID": "77117cf6-d976-79b0-d63b-5a36ac69c8f1", "Name": "service-read"}
    ],
    "RoleDefaults": [
      {"ID": "69748856-ae69-d620-3ec4-07844b3c6be7", "Name": "service-discovery"}
    ]
  },
  "Meta": {"foo": "bar"},
  "Partition": "default",
  "CreateIndex": 55,
  "ModifyIndex": 55,
  "Locked": true
}"""
NAMESPACES_BODY = b"""[
  {"Name": "default", "Description": "Builtin Default Namespace", "CreateIndex": 6,
   "ModifyIndex": 6},
  {"Name": "team-1", "Description": "Namespace for Team 1", "DeletedAt":
   "2019-12-02T23:00:00Z", "CreateIndex": 55, "ModifyIndex": 100}
]"""
PARTITIONS_BODY = b"""[
  {"Name": "default", "Description": "Builtin Default Partition", "CreateIndex": 6,
   "ModifyIndex": 6},
  {"Name": "na-west", "Description": "North America West Partition", "DisableGossip": true,
   "CreateIndex": 55, "ModifyIndex": 55}
]"""


def _target(call: Call[Any]) -> tuple[str, str]:
    return call.request.method, call.request.target


def _body(call: Call[Any]) -> Any:
    return json.loads(call.request.body or b"null")


def test_create_a_namespace_from_a_name_and_keywords() -> None:
    call = namespace.create(
        "team-1",
        description="Namespace for Team 1",
        meta={"foo": "bar"},
        acls=NamespaceACLConfig(policy_defaults=[ACLLink(name="node-read")]),
        token="secret",
    )
    assert _target(call) == ("PUT", "/v1/namespace")
    assert call.request.token == "secret"
    assert _body(call) == {
        "Name": "team-1",
        "Description": "Namespace for Team 1",
        "Meta": {"foo": "bar"},
        "ACLs": {"PolicyDefaults": [{"Name": "node-read"}]},
    }
    created = call.parse(Response(200, {}, NAMESPACE_BODY))
    assert created.acls is not None
    assert created.acls.role_defaults == [
        ACLLink(id="69748856-ae69-d620-3ec4-07844b3c6be7", name="service-discovery")
    ]


def test_read_update_and_write_back_a_namespace() -> None:
    call = namespace.read("team-1", consistency="consistent", watch=(54, "1m"))
    assert _target(call) == ("GET", "/v1/namespace/team-1?consistent&index=54&wait=60s")
    found, meta = call.parse(Response(200, META, NAMESPACE_BODY))
    assert meta == QueryMeta(index=55, known_leader=True)
    assert (found.name, found.partition, found.meta) == ("team-1", "default", {"foo": "bar"})
    assert found.unknown_fields == {"Locked": True}
    update = namespace.update(replace(found, description="Team 1"), meta={"foo": "baz"})
    assert _target(update) == ("PUT", "/v1/namespace/team-1")
    sent = _body(update)
    assert (sent["Description"], sent["Meta"], sent["Locked"]) == ("Team 1", {"foo": "baz"}, True)
    assert sent["ACLs"] == json.loads(NAMESPACE_BODY)["ACLs"]


def test_list_and_delete_namespaces() -> None:
    listed = namespace.items(watch=(54, "1m"))
    assert _target(listed) == ("GET", "/v1/namespaces?index=54&wait=60s")
    default, deleting = listed.parse(Response(200, META, NAMESPACES_BODY))[0]
    assert default == ConsulNamespace(
        name="default", description="Builtin Default Namespace", create_index=6, modify_index=6
    )
    assert deleting.deleted_at == datetime(2019, 12, 2, 23, tzinfo=timezone.utc)
    delete = namespace.delete(deleting, dc="dc1")
    assert _target(delete) == ("DELETE", "/v1/namespace/team-1?dc=dc1")
    assert delete.parse(Response(200, {}, b"")) is True
    with pytest.raises(NotFound):
        namespace.read("gone").parse(Response(404, META, b""))


def test_partitions() -> None:
    create = partition.create("na-west", description="Partition for North America West")
    assert _target(create) == ("PUT", "/v1/partition")
    assert _body(create) == {"Name": "na-west", "Description": "Partition for North America West"}
    read = partition.read({"Name": "na-west"}, consistency="consistent")
    assert _target(read) == ("GET", "/v1/partition/na-west?consistent")
    listed = partition.items()
    assert _target(listed) == ("GET", "/v1/partitions")
    default, west = listed.parse(Response(200, META, PARTITIONS_BODY))[0]
    assert west == AdminPartition(
        name="na-west",
        description="North America West Partition",
        disable_gossip=True,
        create_index=55,
        modify_index=55,
    )
    update = partition.update(west, description="NA West", disable_gossip=False)
    assert _target(update) == ("PUT", "/v1/partition/na-west")
    assert _body(update) == {
        "Name": "na-west",
        "Description": "NA West",
        "DisableGossip": False,
        "CreateIndex": 55,
        "ModifyIndex": 55,
    }
    delete = partition.delete(default)
    assert _target(delete) == ("DELETE", "/v1/partition/default")


@pytest.mark.parametrize(
    "make",
    [
        lambda: namespace.create(""),
        lambda: namespace.create({"Description": "no name"}),
        lambda: namespace.create("ns", meta={"a": 1}),
        lambda: namespace.create("ns", acls=["policy"]),
        lambda: namespace.update(42),
        lambda: namespace.read("a/../b"),
        lambda: partition.create("p", disable_gossip="yes"),
        lambda: partition.create("p", description=3),
        lambda: partition.delete({"ID": "p"}),
        lambda: partition.read("p", watch=1),
    ],
)
def test_usage_errors(make: Any) -> None:
    with pytest.raises((UsageError, TypeError)):
        make()
