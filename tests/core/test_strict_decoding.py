"""The decoding paths agree (no I/O): msgspec's strict one, which decodes the usual body
straight into models, and its tolerant one, which takes what a newer Consul sends, only ever
return what the exact one (`json.loads`, then each model's plan) returns for the same body,
down to the types of the values; the exact one decides the rest. Checked on the big bodies of
``benchmarks/decode_cost.py`` and on bodies generated from the models' fields, with the unusual
values that must leave the faster paths.
"""

from __future__ import annotations

import base64
import json
import re
import typing
from datetime import datetime
from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import consul_core.models
from benchmarks.decode_cost import CASES, EXTRA_CASES, HEADERS
from consul_core import Response, models
from consul_core._codec import (
    DecodeError,
    Duration,
    Model,
    NanoDuration,
    Timestamp,
    exact_decoder,
    format_time,
    is_model,
)
from consul_core._typed import _strict_decoder, _tolerant_decoder, body_decoder
from consul_core.models import KeyValue, Locality, ServiceEntry
from consul_core.models.kv import decode_entry_list
from tests.hostile import DETERMINISTIC

Exact = typing.Callable[[Any], Any]


SERVICE_NAMES = dict[str, list[str]]
# What each big read decodes its body into, and the exact path of that type.
BIG_READS: dict[str, tuple[Any, Exact]] = {
    "health.service (500 instances)": (list[ServiceEntry], exact_decoder(list[ServiceEntry])),
    "catalog.services (2,000 services)": (SERVICE_NAMES, exact_decoder(SERVICE_NAMES)),
    "kv.get_tree (10,000 keys)": (list[KeyValue], decode_entry_list),
}


def assert_same(strict: Any, exact: Any, where: str = "") -> None:
    """Equal, and of the same types all the way down (a timestamp with the same Go text)."""
    assert type(strict) is type(exact), where
    if isinstance(strict, msgspec.Struct):
        for name in strict.__struct_fields__:
            assert_same(getattr(strict, name), getattr(exact, name), f"{where}.{name}")
    elif isinstance(strict, (list, tuple)):
        assert len(strict) == len(exact), where
        for index, (one, other) in enumerate(zip(strict, exact, strict=True)):
            assert_same(one, other, f"{where}[{index}]")
    elif isinstance(strict, dict):
        assert list(strict) == list(exact), where
        for key in strict:
            assert_same(strict[key], exact[key], f"{where}[{key!r}]")
    elif isinstance(strict, datetime):
        assert format_time(strict, where) == format_time(exact, where), where
    else:
        assert strict == exact, where


@pytest.mark.parametrize("name", BIG_READS)
def test_the_big_reads_decode_strictly_to_what_the_exact_path_returns(name: str) -> None:
    build, make_body = CASES[name]
    tp, exact = BIG_READS[name]
    body = make_body()
    strict_decode = _strict_decoder(tp)
    assert strict_decode is not None
    strict = strict_decode(body)  # the usual body takes the strict path: it must not fail
    assert_same(strict, exact(json.loads(body)))
    parsed, meta = build().parse(Response(200, HEADERS, body))
    assert_same(parsed, strict)
    assert meta.index == 42


def test_a_newer_consul_s_big_read_decodes_strictly_with_its_fields_typed() -> None:
    build, make_body = EXTRA_CASES["health.service, a newer Consul's fields"]
    body = make_body()
    tp = list[ServiceEntry]
    strict = _strict_decoder(tp)
    assert strict is not None
    assert_same(strict(body), exact_decoder(tp)(json.loads(body)))
    entries, _ = build().parse(Response(200, HEADERS, body))
    raw = json.loads(body)[7]
    entry = entries[7]
    locality = Locality(region="r", zone="z")
    assert (entry.node.partition, entry.node.locality) == ("default", locality)
    assert (entry.service.partition, entry.service.locality) == ("default", locality)
    assert entry.service.socket_path == raw["Service"]["SocketPath"]
    assert entry.checks[1].interval == raw["Checks"][1]["Interval"]
    assert entry.checks[1].exposed_port == raw["Checks"][1]["ExposedPort"] == 21500
    for model in (entry.node, entry.service, *entry.checks):
        assert model.unknown_fields == {}


def test_a_big_read_with_go_s_nil_maps_decodes_strictly_to_what_the_exact_path_returns() -> None:
    build, make_body = EXTRA_CASES["health.service, Consul 1.8.7's nulls"]
    body = make_body()
    tp = list[ServiceEntry]
    strict, _ = _faster(tp, body)
    assert strict is not _REFUSED  # Go's nil maps stay on the strict path
    assert_same(strict, exact_decoder(tp)(json.loads(body)))
    entries, _ = build().parse(Response(200, HEADERS, body))
    assert (entries[7].node.meta, entries[7].node.tagged_addresses) == ({}, {})
    assert entries[7].service.meta == {}


def test_a_big_read_with_fields_no_version_knows_takes_the_tolerant_path_and_keeps_them() -> None:
    build, make_body = CASES["health.service (500 instances)"]
    raw = json.loads(make_body())
    for entry in raw:
        entry["Service"]["Future"] = {"Enabled": True}
        entry["Checks"][-1]["FutureCount"] = 3
    body = json.dumps(raw).encode()
    tp = list[ServiceEntry]
    strict, tolerant = _faster(tp, body)
    assert strict is _REFUSED
    assert_same(tolerant, exact_decoder(tp)(json.loads(body)))
    entries, _ = build().parse(Response(200, HEADERS, body))
    assert_same(entries, tolerant)
    assert entries[7].service.unknown_fields == {"Future": {"Enabled": True}}
    assert entries[7].checks[-1].unknown_fields == {"FutureCount": 3}


def test_the_big_reads_hold_the_body_s_values() -> None:
    build, make_body = CASES["health.service (500 instances)"]
    body = make_body()
    raw = json.loads(body)
    entries, _ = build().parse(Response(200, HEADERS, body))
    assert len(entries) == len(raw) == 500
    for entry, item in zip(entries, raw, strict=True):
        assert entry.node.node == item["Node"]["Node"]
        assert entry.node.tagged_addresses == item["Node"]["TaggedAddresses"]
        assert entry.service.id == item["Service"]["ID"]
        assert entry.service.port == item["Service"]["Port"]
        assert entry.service.tags == item["Service"]["Tags"]
        assert [check.check_id for check in entry.checks] == [
            check["CheckID"] for check in item["Checks"]
        ]
        assert entry.unknown_fields == {}
    build, make_body = CASES["kv.get_tree (10,000 keys)"]
    body = make_body()
    tree, _ = build().parse(Response(200, HEADERS, body))
    assert [(e.key, e.value, e.modify_index) for e in tree] == [
        (item["Key"], base64.b64decode(item["Value"]), item["ModifyIndex"])
        for item in json.loads(body)
    ]
    build, make_body = CASES["catalog.services (2,000 services)"]
    body = make_body()
    services, _ = build().parse(Response(200, HEADERS, body))
    assert services == json.loads(body)


# Bodies generated from the models' own fields: values of the right types (which the strict
# path takes), then at most one oddity anywhere in the body, of those that must leave it or be
# read as the exact path reads them: a null, a key a model does not know (one named as the
# field that keeps them), Go's zero time, an empty duration or session, a zero nanosecond
# duration, base64 that only binascii takes, a value of another type, an integer beyond 64 bits.
ANY_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=4),
    lambda inner: (
        st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=3), inner, max_size=2)
    ),
    max_leaves=4,
)
# Consul's values of each kind, with the ones an optional field reads as None.
TIMES = st.sampled_from([
    "2020-11-27T13:06:18.123456789Z", "2018-05-21T16:41:27.977157724-07:00",
    "2026-01-02T03:04:05+01:00", "1999-12-31T23:59:59.5+05:30", "0001-01-01T00:00:00Z", "",
])  # fmt: skip
DURATIONS = st.sampled_from(["10s", "1m30s", "1.5ms", "0s", "1h0m0s", ""]) | st.integers(0, 10**12)
NANOSECONDS = st.sampled_from(["10s", "1h0m0s", "", 0]) | st.integers(1, 10**15)
BASE64 = st.binary(max_size=6).map(lambda data: base64.b64encode(data).decode()) | st.sampled_from(
    ["eA", "eA==eA==", "e A==", "eA=\n", "!!"]
)
ODDITIES = st.sampled_from([
    None, "", 0, -1, 1.5, True, [], {}, [1], {"A": 1}, "x", "0001-01-01T00:00:00Z", "soon",
    "eA", "eA==eA==", "e A==", 2**64, 2**70, 1e300, "9" * 30 + "h",
])  # fmt: skip
UNKNOWN_KEYS = st.sampled_from(["Partition", "Locality", "UnknownFields", "unknown_fields"])


def _typed(tp: Any) -> st.SearchStrategy[Any]:
    """A JSON value of type `tp`, as Consul would send it."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is typing.Annotated:
        return _typed(args[0])
    if origin in (typing.Union, type(int | None)):
        return st.one_of([_typed(arg) for arg in args if arg is not type(None)])
    if origin is typing.Literal:
        return st.sampled_from(args)
    if origin in (list, tuple):
        return st.lists(_typed(args[0]), max_size=2)
    if origin in (dict, typing.get_origin(typing.Mapping[str, int])):
        return st.dictionaries(st.text(max_size=3), _typed(args[1]), max_size=2)
    if is_model(tp) or tp is KeyValue:
        return _objects(tp)
    simple: dict[Any, st.SearchStrategy[Any]] = {
        str: st.text(max_size=4),
        int: st.integers(-(2**63), 2**63 - 1),
        float: st.floats(allow_nan=False, allow_infinity=False) | st.integers(-9, 9),
        bool: st.booleans(),
        bytes: BASE64,
        Timestamp: TIMES,
        Duration: DURATIONS,
        NanoDuration: NANOSECONDS,
    }
    return simple.get(tp, ANY_JSON)


def _objects(cls: type) -> st.SearchStrategy[dict[str, Any]]:
    fields = [f for f in msgspec.structs.fields(cls) if f.name != "unknown_fields"]
    return st.fixed_dictionaries(
        {f.encode_name: st.deferred(lambda f=f: _typed(f.type)) for f in fields if f.required},
        optional={
            f.encode_name: st.deferred(lambda f=f: _typed(f.type)) for f in fields if not f.required
        },
    )


def _places(value: Any) -> list[Any]:
    """The objects and arrays in `value`, where an oddity can go."""
    found = [value] if isinstance(value, (dict, list)) else []
    children = value.values() if isinstance(value, dict) else value if found else []
    return found + [place for child in children for place in _places(child)]


@st.composite
def bodies(draw: st.DrawFn, tp: Any) -> Any:
    """A JSON value of type `tp` with at most one oddity in it."""
    value = draw(_typed(tp))
    places = _places(value)
    if places and draw(st.booleans()):
        place = draw(st.sampled_from(places))
        if isinstance(place, dict) and (not place or draw(st.booleans())):
            place[draw(UNKNOWN_KEYS)] = draw(ANY_JSON)
        elif place:
            index = draw(
                st.sampled_from(
                    list(place.keys() if isinstance(place, dict) else range(len(place)))
                )
            )
            place[index] = draw(ODDITIES)
    return value


def test_every_model_a_reply_holds_has_a_strict_path() -> None:
    models = [getattr(consul_core.models, name) for name in consul_core.models.__all__]
    without = {
        cls.__name__
        for cls in models
        if is_model(cls) and _strict_decoder(list[cls]) is None  # type: ignore[valid-type]
    }
    # Only registrations (a caller's input, with model-or-mapping fields) have none.
    assert without == {"CheckRegistration", "ServiceRegistration"}


# The models that hold each kind of field the codec maps: timestamps, text and nanosecond
# durations, optional ones, base64, literals, renamed keys, free-form JSON, nested models in
# lists, maps and optional fields (every model's plan is built of these).
MODELS = [
    models.ServiceEntry,
    models.CatalogService,
    models.ACLToken,
    models.Session,
    models.Intention,
    models.AutopilotConfiguration,
    models.AutopilotState,
    models.ServiceDefaults,
    models.ServiceResolver,
    models.ServiceIntentions,
    models.HTTPRoute,
    models.JWTProvider,
    models.AgentInfo,
    models.HostInfo,
    models.Event,
    models.QueryResult,
    models.LeafCert,
]


_REFUSED = object()


def _faster(tp: Any, body: bytes) -> tuple[Any, Any]:
    """What the strict and the tolerant path make of `body` (`_REFUSED` when they refuse it)."""
    found = []
    for make in (_strict_decoder, _tolerant_decoder):
        decode = make(tp)
        try:
            found.append(_REFUSED if decode is None else decode(body))
        except msgspec.MsgspecError:
            found.append(_REFUSED)
    return found[0], found[1]


def _agree(tp: Any, exact: Exact, value: Any) -> tuple[Any, Any]:
    """Check that each path that takes `value` returns what the exact one returns."""
    body = json.dumps(value).encode()
    strict, tolerant = _faster(tp, body)
    try:
        result: Any = exact(json.loads(body))
    except DecodeError as error:
        assert strict is tolerant is _REFUSED, "a faster path took a body the exact one refuses"
        with pytest.raises(DecodeError, match=f"^{re.escape(str(error))}$"):
            body_decoder(tp, exact)(body)
        return strict, tolerant
    for faster in (strict, tolerant):
        if faster is not _REFUSED:
            assert_same(faster, result)
    assert_same(body_decoder(tp, exact)(body), result)
    return strict, tolerant


# The server's query metadata in the body of a prepared query's answer and explanation (1.8.7).
QUERY_META_1_8_7 = {"Index": 0, "LastContact": 0, "KnownLeader": True, "ConsistencyLevel": "leader"}
# An HTTP check's definition as Consul 1.8.7's agent sends it (``/v1/agent/health/service``).
DEFINITION_1_8_7 = {
    "Interval": "0s", "Timeout": "0s", "DeregisterCriticalServiceAfter": "0s", "HTTP": "",
    "Header": None, "Method": "", "Body": "", "TLSSkipVerify": False, "TCP": "",
}  # fmt: skip
# What Consul 1.8.7 sends (seen over the integration suite) takes the strict path, read as the
# exact path reads it. Go's zero values: nil slices and maps (null where a model has a list or a
# map: the field's default); a zero time, an empty duration (None in an optional field; in a
# required one, a zero duration). A prepared query's answer and explanation (with the server's
# query metadata), an intention (with its unused default address).
STRICT_1_8_7: list[tuple[Any, Any]] = [
    (list[models.ACLToken], [{"CreateTime": "0001-01-01T00:00:00Z"}]),
    (list[models.ACLToken], [{"ExpirationTime": ""}]),
    (list[models.ACLToken], [{"ExpirationTTL": 0}]),
    (list[models.ACLToken], [{"ExpirationTTL": ""}]),
    (list[models.Session], [{"ID": "s", "TTL": ""}]),
    (list[models.Session], [{"ID": "s", "LockDelay": 0}]),
    (models.QueryResult, {"Service": "web", "Nodes": [], "DNS": {"TTL": ""}}),
    (models.ACLReplicationStatus, {"Enabled": False, "LastSuccess": "0001-01-01T00:00:00Z"}),
    (
        list[models.ServiceEntry],
        [{"Node": {"Node": "n", "TaggedAddresses": None, "Meta": None}, "Service": {"Meta": None}}],
    ),
    (
        list[models.CatalogService],
        [{"Node": "n", "ServiceName": "web", "TaggedAddresses": None, "NodeMeta": None}],
    ),
    (list[models.HealthCheck], [{"Node": "n", "CheckID": "c", "ServiceTags": None}]),
    (list[models.Session], [{"ID": "s", "NodeChecks": ["serfHealth"], "ServiceChecks": None}]),
    (
        models.QueryResult,
        {"Service": "web", "Nodes": [{"Node": {"Node": "n"}, "Service": {"Tags": None}}]},
    ),
    (models.QueryResult, {"Service": "web", "Nodes": None, "Failovers": 0}),
    (models.CARoots, {"Roots": [{"ID": "r", "IntermediateCerts": None}]}),
    (
        models.ServiceHealth,
        {
            "AggregatedStatus": "critical",
            "Service": {"ID": "w", "Service": "w", "Meta": None},
            "Checks": [{"CheckID": "service:w", "Definition": DEFINITION_1_8_7}],
        },
    ),
    (models.QueryResult, {**QUERY_META_1_8_7, "Service": "web", "Nodes": [], "DNS": {"TTL": ""}}),
    (models.QueryExplanation, {**QUERY_META_1_8_7, "Query": {"Service": {"Service": "web"}}}),
    (
        list[models.Intention],
        [{"SourceName": "a", "DestinationName": "b", "DefaultAddr": "", "DefaultPort": 0}],
    ),
]


@pytest.mark.parametrize(("tp", "value"), STRICT_1_8_7)
def test_what_consul_1_8_7_sends_takes_the_strict_path(tp: Any, value: Any) -> None:
    strict, _ = _agree(tp, exact_decoder(tp), value)
    assert strict is not _REFUSED


# Bodies the strict path must leave to the others: what a newer Consul sends (keys a model does
# not know, nulls of other fields), which the tolerant path takes, and what only the exact path
# reads (or refuses, naming the field).
TOLERATED: list[tuple[Any, Any]] = [
    (list[models.ACLToken], [{"ExpirationTTL": "", "Partition": "p"}]),
    (list[models.Session], [{"ID": "s", "TTL": "", "LockDelay": 0, "Future": 1}]),
    (list[models.ServiceEntry], [{"Node": {"Node": "n", "Future": "f"}, "Service": {}}]),
    (list[models.ServiceEntry], [{"Node": {"Node": "n", "UnknownFields": {}}, "Service": {}}]),
    (list[models.ServiceEntry], [{"Node": {"Node": "n"}, "Service": {"Weights": None}}]),
    (list[models.ServiceEntry], [{"Node": {"Node": "n", "Meta": None}, "Service": {}, "X": 1}]),
    (list[models.ACLToken], [{"Hash": "eA==", "Policies": [{"ID": "p", "Peer": None}]}]),
    (list[models.Session], [{"ID": "s", "CreateIndex": None, "LockDelay": 15e9}]),
    (
        models.AgentInfo,
        {"Config": {"Datacenter": "d", "NodeName": "n"}, "Member": {"Name": "n"}, "xDS": {}},
    ),
]
EXACT_ONLY: list[tuple[Any, Any]] = [
    (list[models.ACLToken], [{"Hash": "eA==eA=="}]),
    (list[models.Session], [{"ID": "s", "Behavior": "keep"}]),
    (list[models.HealthCheck], [{"Node": "n", "CheckID": "c", "Definition": {"Interval": ""}}]),
    (list[models.Session], [{"ID": "s", "LockDelay": ""}]),
    (list[models.ServiceEntry], [{"Node": {"Node": "n"}, "Service": {"Port": "80"}}]),
    (list[models.ServiceEntry], [{"Node": {"Meta": {}}, "Service": {}}]),
    (list[models.ServiceEntry], [{"Node": {"Node": None}, "Service": {}}]),
    (list[models.ServiceDefaults], [{"Name": "web", "Kind": "service-defaults-v2"}]),
    (list[KeyValue], [{"Key": "k", "Session": ""}]),
    (list[KeyValue], [{"Key": "k", "Value": "eA==eA=="}]),
    (list[KeyValue], [{"Key": "k", "Flags": None, "Partition": "p"}]),
    (list[KeyValue], None),
    (dict[str, list[str]], {"web": None}),
    (dict[str, list[str]], {"web": "tag"}),
]


@pytest.mark.parametrize(("tp", "value"), TOLERATED)
def test_what_a_newer_consul_sends_takes_the_tolerant_path(tp: Any, value: Any) -> None:
    strict, tolerant = _agree(tp, exact_decoder(tp), value)
    assert strict is _REFUSED
    assert tolerant is not _REFUSED


@pytest.mark.parametrize(("tp", "value"), EXACT_ONLY)
def test_what_only_the_exact_path_reads_is_left_to_it(tp: Any, value: Any) -> None:
    exact = decode_entry_list if tp == list[KeyValue] else exact_decoder(tp)
    assert _agree(tp, exact, value) == (_REFUSED, _REFUSED)


@pytest.mark.parametrize("cls", MODELS, ids=lambda cls: cls.__name__)
@settings(DETERMINISTIC, max_examples=15)
@given(data=st.data())
def test_a_strict_decode_is_the_exact_decode(cls: type[Model], data: st.DataObject) -> None:
    tp = list[cls]  # type: ignore[valid-type]
    _agree(tp, exact_decoder(tp), data.draw(bodies(tp) | ANY_JSON))


@settings(DETERMINISTIC, max_examples=50)
@given(bodies(list[KeyValue]), bodies(SERVICE_NAMES))
def test_kv_entries_and_service_names_decode_strictly_as_exactly(entries: Any, names: Any) -> None:
    _agree(list[KeyValue], decode_entry_list, entries)
    _agree(SERVICE_NAMES, exact_decoder(SERVICE_NAMES), names)


def test_decoders_of_one_type_share_what_is_built_for_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # Builders make a decoder per call (``model(CARoots)``): msgspec's decoders for its type
    # are built once, not per call (each build costs a hundred decodes).
    built: list[object] = []

    def counted(tp: object) -> Any:
        built.append(tp)
        return _strict_decoder(tp)

    monkeypatch.setattr(consul_core._typed, "_strict_decoder", counted)
    tp = dict[str, list[bool]]  # a type no endpoint reads: not built before this test
    for _ in range(3):
        assert body_decoder(tp)(b'{"a": [true, false]}') == {"a": [True, False]}
    assert built == [tp]
