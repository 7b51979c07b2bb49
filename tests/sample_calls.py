"""A valid call of every endpoint builder, made from sample arguments (no I/O), for the tests
that go through all of them.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any

import consul_core.endpoints
from consul_core.call import Call
from consul_core.endpoints import txn

UUID = "6a1253d2-1785-24fd-91c2-f8e78c745511"
# A valid argument for each required parameter, by name, and for the few builders whose
# parameter of a common name needs more.
BY_NAME: dict[str, object] = {
    "addresses": ["10.1.2.3"],
    "admin_partition": "part1",
    "area": UUID,
    "namespace": "team-1",
    "peer_datacenter": "dc2",
    "peer_name": "cluster-02",
    "peering": "cluster-02",
    "peering_token": "eyJDQSI6bnVsbH0=",
    "text": "x",
    "acl_token": UUID,
    "address": "127.0.0.1",
    "auth_method": "m",
    "bearer_token": "jwt",
    "by": "source",
    "check": "c",
    "client_cert_serial": "0b",
    "client_cert_uri": "spiffe://x/ns/default/dc/dc1/svc/web",
    "client_nonce": "n",
    "code": "c",
    "data": b"\x1f\x8b-snapshot",
    "definition": {"Node": "n", "Address": "127.0.0.1"},
    "destination": "db",
    "entry": {"Kind": "service-defaults", "Name": "web"},
    "gateway": "g",
    "intention": UUID,
    "key": "k",
    "kind": "service-defaults",
    "name": "web",
    "node": "n",
    "operations": [txn.op("get", "k")],
    "path": "/v1/agent/maintenance",
    "policy": UUID,
    "prefix": "k/",
    "query": UUID,
    "redirect_uri": "http://127.0.0.1/cb",
    "role": UUID,
    "rule": UUID,
    "rules": 'key "" { policy = "read" }',
    "secret": UUID,
    "service": "web",
    "session": UUID,
    "source": "web",
    "state": "any",
    "status": "passing",
    "target": "db",
    "value": b"v",
    "index": 1,
    "enable": True,
    "reason": None,
    "token": None,
    "config": {"Provider": "consul"},
    "coordinate": {"Node": "n", "Coord": {"Vec": [0.0] * 8, "Error": 1.5, "Height": 0.0}},
}
BY_BUILDER: dict[str, dict[str, object]] = {
    "acl_auth_methods.create": {"name": "m", "type": "jwt"},
    "acl_auth_methods.update": {"auth_method": {"Name": "m", "Type": "jwt"}},
    "acl_binding_rules.update": {"rule": {"ID": UUID}},
    "acl_policies.update": {"policy": {"ID": UUID, "Name": "p"}},
    "acl_roles.update": {"role": {"ID": UUID, "Name": "r"}},
    "acl_tokens.update": {"acl_token": {"AccessorID": UUID}},
    "operator.peer_delete": {"address": "127.0.0.1:8300"},
    "operator_enterprise.area_update": {"use_tls": True},
    "acl.create": {"acl_token": {"Name": "t"}},
    "acl.update": {"acl_token": {"ID": UUID}},
    "acl_templated_policies.preview": {"name": "builtin/service"},
    "agent.update_token": {"kind": "default"},
    "catalog.deregister": {"definition": {"Node": "n"}},
    "checks.register": {"check": {"Name": "c", "TTL": "10s"}},
    "config.items": {"kind": "service-defaults"},
    "connect_intentions.intention_create": {
        "intention": {"SourceName": "a", "DestinationName": "b", "Action": "allow"}
    },
    "connect_intentions.intention_update": {
        "intention": {"ID": UUID, "SourceName": "a", "DestinationName": "b", "Action": "allow"}
    },
    "connect_intentions.intention_upsert": {
        "intention": {"SourceName": "a", "DestinationName": "b", "Action": "allow"}
    },
    "operator.autopilot_update": {"config": {"CleanupDeadServers": True}},
    "operator.keyring_install": {"key": "pUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3XkvDwy7Cu5s="},
    "operator.keyring_remove": {"key": "pUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3XkvDwy7Cu5s="},
    "operator.keyring_use": {"key": "pUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3XkvDwy7Cu5s="},
    "query.create": {"query": {"Service": {"Service": "web"}}},
    "query.update": {"query": {"ID": UUID, "Service": {"Service": "web"}}},
    "services.register": {"service": {"Name": "web"}},
}


def builders() -> Iterator[tuple[str, Callable[..., Any]]]:
    for module_name in consul_core.endpoints.__all__:
        module = getattr(consul_core.endpoints, module_name)
        for name in module.__all__:
            builder = getattr(module, name)
            if inspect.isfunction(builder) and str(
                inspect.signature(builder).return_annotation
            ).startswith("Call["):
                yield f"{module_name}.{name}", builder


def sample_call(qualified: str, builder: Callable[..., Any]) -> Call[Any]:
    arguments = {
        parameter.name: BY_NAME[parameter.name]
        for parameter in inspect.signature(builder).parameters.values()
        if parameter.default is parameter.empty
    }
    call = builder(**{**arguments, **BY_BUILDER.get(qualified, {})})
    assert isinstance(call, Call), qualified
    return call


CALLS: dict[str, Call[Any]] = {
    qualified: sample_call(qualified, builder) for qualified, builder in builders()
}
