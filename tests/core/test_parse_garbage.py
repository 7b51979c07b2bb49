"""Every endpoint builder's `Call.parse`, fed generated garbage, raises only `ConsulError`s
(no I/O): random statuses, headers and bodies, from random bytes to JSON of any shape, and
objects with Consul's own keys holding values of the wrong types.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable, Iterator
from typing import Any

import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import consul_core.endpoints
import consul_core.models
from consul_core import ConsulError, Response, UnexpectedResponse
from consul_core.call import Call
from consul_core.endpoints import txn
from consul_core.endpoints._acl import SecretPathCall

UUID = "6a1253d2-1785-24fd-91c2-f8e78c745511"
# A valid argument for each required parameter, by name, and for the few builders whose
# parameter of a common name needs more.
BY_NAME: dict[str, object] = {
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


def _builders() -> Iterator[tuple[str, Callable[..., Any]]]:
    for module_name in consul_core.endpoints.__all__:
        module = getattr(consul_core.endpoints, module_name)
        for name in module.__all__:
            builder = getattr(module, name)
            if inspect.isfunction(builder) and str(
                inspect.signature(builder).return_annotation
            ).startswith("Call["):
                yield f"{module_name}.{name}", builder


def _call(qualified: str, builder: Callable[..., Any]) -> Call[Any]:
    arguments = {
        parameter.name: BY_NAME[parameter.name]
        for parameter in inspect.signature(builder).parameters.values()
        if parameter.default is parameter.empty
    }
    call = builder(**{**arguments, **BY_BUILDER.get(qualified, {})})
    assert isinstance(call, Call), qualified
    return call


CALLS = {qualified: _call(qualified, builder) for qualified, builder in _builders()}


def _model_keys() -> list[str]:
    keys = {"Results", "Errors", "KV", "OpIndex", "What", "AuthURL", "Allowed", "Success"}
    for name in consul_core.models.__all__:
        model = getattr(consul_core.models, name)
        if isinstance(model, type) and issubclass(model, msgspec.Struct):
            keys.update(field.encode_name for field in msgspec.structs.fields(model))
    return sorted(keys)


KEYS = _model_keys()
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(["", "10s", "1e300s", "2020-01-01T00:00:00Z", "dg==", "!!", "passing"])
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), inner, max_size=5)
    ),
    max_leaves=12,
)
consul_objects = st.dictionaries(st.sampled_from(KEYS), json_values, max_size=10)
json_bodies = st.one_of(
    json_values,
    consul_objects,
    st.lists(consul_objects, max_size=3),
    st.dictionaries(st.text(max_size=6), consul_objects | st.lists(consul_objects), max_size=3),
).map(lambda value: json.dumps(value).encode())
deep_bodies = st.integers(min_value=1, max_value=5000).map(lambda n: b"[" * n + b"]" * n)
bodies = st.one_of(st.binary(max_size=64), json_bodies, deep_bodies)
statuses = st.sampled_from([200, 200, 200, 404, 409, 429, 500]) | st.integers(100, 599)
HEADER_NAMES = ["X-Consul-Index", "X-Consul-LastContact", "X-Consul-KnownLeader", "Age"]
headers = st.dictionaries(
    st.sampled_from([*HEADER_NAMES, "X-Cache", "Content-Type"]),
    st.text(max_size=24) | st.integers(min_value=-(2**70), max_value=2**70).map(str),
    max_size=5,
)


def test_every_endpoint_builder_is_fed() -> None:
    assert len(CALLS) > 150


@settings(
    max_examples=200,
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure is never a matter of luck
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(statuses, headers, bodies)
def test_garbage_replies_raise_only_consul_errors(
    status: int, reply_headers: dict[str, str], body: bytes
) -> None:
    # Each generated reply goes to every builder: generating it costs far more than parsing.
    response = Response(status, reply_headers, body)
    for name, call in CALLS.items():
        try:
            call.parse(response)
        except UnexpectedResponse as error:
            # A legacy token's ID is its secret: the paths that hold one show it redacted.
            path = call.request.path
            if isinstance(call, SecretPathCall):
                path = path.replace(UUID, "<redacted>")
            assert str(error).startswith(f"{status} {call.request.method} {path}: "), name
            assert error.__cause__ is None and error.__context__ is None, name
        except ConsulError:
            pass
