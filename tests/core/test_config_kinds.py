"""Every config entry kind the current Consul docs define decodes to its model and is written
back whole (no I/O; golden bodies from the Go client's structs and the docs: config_golden.py).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import msgspec
import pytest

from consul_core import Response, UsageError
from consul_core._codec import Model, is_model
from consul_core.endpoints import config
from consul_core.models import (
    ConfigEntry,
    HTTPHeaderMatch,
    IntentionHTTPPermission,
    IntentionPermission,
    Mesh,
    ServiceIntentions,
    ServiceSplit,
    ServiceSplitter,
    SourceIntention,
)
from consul_core.models.config import CONFIG_ENTRY_KINDS, decode_entry, encode_entry

from .config_golden import ENTRIES

HEADERS = {"X-Consul-Index": "7"}


def _read(kind: str) -> Any:
    body = ENTRIES[kind]
    entry, meta = config.get(kind, body.get("Name", kind)).parse(
        Response(200, HEADERS, json.dumps(body).encode())
    )
    assert meta.index == 7
    return entry


def _models(value: Any) -> Iterator[Model]:
    """`value` and every model nested in it."""
    if isinstance(value, Model):
        yield value
        for name in value.__struct_fields__:
            yield from _models(getattr(value, name))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _models(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _models(item)


def test_every_documented_kind_has_a_model_and_a_golden_entry() -> None:
    assert set(CONFIG_ENTRY_KINDS) == set(ENTRIES)
    assert len(CONFIG_ENTRY_KINDS) == 18


@pytest.mark.parametrize("kind", sorted(ENTRIES))
def test_each_kind_decodes_to_its_model_with_every_field_typed(kind: str) -> None:
    entry = _read(kind)
    assert type(entry) is CONFIG_ENTRY_KINDS[kind]
    assert entry.kind == kind
    assert entry.modify_index == ENTRIES[kind]["ModifyIndex"]
    untyped = {type(model).__name__: dict(model.unknown_fields) for model in _models(entry)}
    assert {name: keys for name, keys in untyped.items() if keys} == {}


@pytest.mark.parametrize("kind", sorted(ENTRIES))
def test_each_kind_is_written_back_as_it_was_read(kind: str) -> None:
    entry = _read(kind)
    sent = json.loads(config.set(entry, cas=entry).request.body or b"")
    assert sent.get("Kind") == kind
    assert ("Name" in sent) == (kind != "mesh")  # Consul refuses a Name in the mesh entry
    assert decode_entry(sent) == entry
    # Durations may come back in another spelling ("1m0s" as "60s"); everything else as read.
    assert _without_durations(sent) == _without_durations(ENTRIES[kind])


_DURATION_KEYS = frozenset({"RequestTimeout", "IdleTimeout", "ConnectTimeout"})


def _without_durations(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_durations(v) for k, v in value.items() if k not in _DURATION_KEYS}
    if isinstance(value, list):
        return [_without_durations(item) for item in value]
    return value


def _fields(cls: type) -> Iterator[tuple[str, str]]:
    for info in msgspec.structs.fields(cls):
        if info.name != "unknown_fields":
            yield cls.__name__, info.name


def _model_classes(cls: type, seen: set[type]) -> None:
    if cls in seen:
        return
    seen.add(cls)
    hints = msgspec.structs.fields(cls)
    for info in hints:
        for inner in _inner_types(info.type):
            if is_model(inner):
                _model_classes(inner, seen)


def _inner_types(tp: Any) -> Iterator[Any]:
    yield tp
    for arg in getattr(tp, "__args__", ()):
        yield from _inner_types(arg)


def test_the_golden_entries_set_every_field_of_every_model() -> None:
    classes: set[type] = set()
    for cls in CONFIG_ENTRY_KINDS.values():
        _model_classes(cls, classes)
    every = {pair for cls in classes for pair in _fields(cls)}
    set_somewhere = {
        (type(model).__name__, info.name)
        for kind in ENTRIES
        for model in _models(_read(kind))
        for info in msgspec.structs.fields(model)
        if getattr(model, info.name) != _default(info)
    }
    # A kind is its class's default; some names are fixed; partition-level kinds have no
    # namespace.
    fixed = {(cls.__name__, "kind") for cls in CONFIG_ENTRY_KINDS.values()} | {
        ("Mesh", "name"),
        ("ProxyDefaults", "name"),
        ("ExportedServices", "name"),
        ("ExportedServices", "namespace"),
        ("SamenessGroup", "namespace"),
    }
    assert every - set_somewhere == fixed


def _default(info: msgspec.structs.FieldInfo) -> Any:
    if info.default_factory is not msgspec.NODEFAULT:
        return info.default_factory()
    return None if info.default is msgspec.NODEFAULT else info.default


def test_typed_entries_built_by_hand_are_sent_in_consul_shape() -> None:
    splitter = ServiceSplitter(
        "web", splits=[ServiceSplit(weight=90), ServiceSplit(weight=10, service_subset="v2")]
    )
    assert json.loads(config.set(splitter).request.body or b"") == {
        "Kind": "service-splitter",
        "Name": "web",
        "Splits": [{"Weight": 90.0}, {"Weight": 10.0, "ServiceSubset": "v2"}],
    }
    intentions = ServiceIntentions(
        "api",
        sources=[
            SourceIntention(name="web", action="allow"),
            SourceIntention(
                name="admin",
                permissions=[
                    IntentionPermission(
                        action="deny",
                        http=IntentionHTTPPermission(
                            path_prefix="/admin", header=[HTTPHeaderMatch(name="x", present=True)]
                        ),
                    )
                ],
            ),
        ],
    )
    assert json.loads(config.set(intentions).request.body or b"") == {
        "Kind": "service-intentions",
        "Name": "api",
        "Sources": [
            {"Name": "web", "Action": "allow"},
            {
                "Name": "admin",
                "Permissions": [
                    {
                        "Action": "deny",
                        "HTTP": {
                            "PathPrefix": "/admin",
                            "Header": [{"Name": "x", "Present": True}],
                        },
                    }
                ],
            },
        ],
    }
    assert encode_entry(Mesh()) == {"Kind": "mesh"}
    assert json.loads(config.set({"Kind": "mesh"}).request.body or b"") == {"Kind": "mesh"}


def test_a_kind_without_a_model_stays_a_mapping() -> None:
    # bound-api-gateway: written by Consul's own controller, in no reference page.
    body = {
        "Kind": "bound-api-gateway",
        "Name": "gw",
        "Listeners": [{"Name": "https", "Routes": [{"Kind": "http-route", "Name": "r"}]}],
        "CreateIndex": 3,
        "ModifyIndex": 4,
    }
    entry = decode_entry(copy.deepcopy(body))
    assert entry == ConfigEntry("bound-api-gateway", "gw", {"Listeners": body["Listeners"]}, 3, 4)
    assert encode_entry(entry) == {key: body[key] for key in ("Listeners", "Kind", "Name")}


def test_an_inline_certificate_keeps_its_key_out_of_the_repr() -> None:
    certificate = _read("inline-certificate")
    assert certificate.private_key.startswith("-----BEGIN PRIVATE KEY")
    assert "secret-key-material" not in repr(certificate)
    assert "PRIVATE" not in repr(certificate)


def test_the_kind_decides_the_model_and_nothing_is_lost() -> None:
    router = {**ENTRIES["service-router"], "Kind": "service-splitter"}
    decoded = decode_entry(router)
    assert type(decoded) is ServiceSplitter  # the kind decides the model
    assert "Routes" in decoded.unknown_fields


def test_an_entry_to_write_needs_a_kind_and_a_name_but_for_mesh() -> None:
    with pytest.raises(UsageError, match="Kind"):
        config.set({"Name": "mesh"})
    with pytest.raises(UsageError, match="Name"):
        config.set({"Kind": "service-router"})
