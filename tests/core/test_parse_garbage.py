"""Every endpoint builder's `Call.parse`, fed generated garbage, raises only `ConsulError`s
(no I/O): random statuses, headers and bodies, from random bytes to JSON of any shape, and
objects with Consul's own keys holding values of the wrong types.
"""

from __future__ import annotations

import json

import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import consul_core.endpoints
import consul_core.models
from consul_core import ConsulError, Response, UnexpectedResponse
from tests.sample_calls import CALLS, UUID


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
            path = call.request.shown_path
            if call.request.hidden:
                assert UUID not in path and "<redacted>" in path, name
            assert str(error).startswith(f"{status} {call.request.method} {path}: "), name
            assert error.__cause__ is None and error.__context__ is None, name
        except ConsulError:
            pass
