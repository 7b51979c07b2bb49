"""Go's zero values on msgspec's strict path (no I/O): a null where a model has a list or a map
reads as the field's default, a zero time or an empty duration as None in an optional field and
as Go's zero in a required one, as the exact path reads them; a model never holds None for a list
or a map, nor an unset marker; what the exact path refuses is refused.
"""

from __future__ import annotations

import typing
from datetime import timedelta
from typing import Any

import msgspec
import pytest

from consul_core._codec import (
    DecodeError,
    Duration,
    Model,
    NanoDuration,
    Timestamp,
    exact_decoder,
    field,
    is_model,
)
from consul_core._go_values import UNSET, GoNanoseconds
from consul_core._typed import _strict_decoder, body_decoder
from consul_core.models import Node, NodeService


class Tagged(Model, frozen=True):
    name: str = ""
    tags: list[str] = field(default=[])
    meta: dict[str, str] = field(factory=lambda: {"made": "by factory"})
    extra: dict[str, Any] | None = None  # optional: null is None, as written


class MoreTagged(Tagged, frozen=True):
    ports: list[int] = field(default=[])


class Required(Model, frozen=True):
    items: list[str]


class Plain(Model, frozen=True):
    name: str = ""


class Timed(Model, frozen=True):
    created: Timestamp | None = None
    ttl: Duration | None = None
    delay: NanoDuration = timedelta(0)
    interval: Duration = timedelta(0)


def _strict(tp: Any, body: bytes) -> Any:
    decode = _strict_decoder(tp)
    assert decode is not None
    return decode(body)


def test_a_null_list_or_map_reads_as_its_default_on_the_strict_path() -> None:
    body = b'{"Name": "a", "Tags": null, "Meta": null, "Extra": null}'
    strict = _strict(Tagged, body)
    assert strict == exact_decoder(Tagged)({"Name": "a"})
    assert (strict.tags, strict.meta, strict.extra) == ([], {"made": "by factory"}, None)


def test_a_subclass_reads_its_bases_nulls_and_its_own() -> None:
    strict = _strict(MoreTagged, b'{"Tags": null, "Meta": null, "Ports": null}')
    assert (strict.tags, strict.meta, strict.ports) == ([], {"made": "by factory"}, [])


def test_a_model_never_holds_none_for_a_list_or_a_map() -> None:
    made = Node(node="n", meta=None, tagged_addresses=None)  # type: ignore[arg-type]
    assert (made.meta, made.tagged_addresses) == ({}, {})
    assert NodeService(tags=None).tags == []  # type: ignore[arg-type]


def test_each_model_gets_a_default_of_its_own() -> None:
    first, second = (_strict(Tagged, b'{"Tags": null, "Meta": null}') for _ in range(2))
    assert first.tags is not second.tags
    assert first.meta is not second.meta
    first.tags.append("x")
    assert Tagged().tags == []


def test_a_null_for_a_list_without_a_default_is_refused_and_named_missing() -> None:
    with pytest.raises(msgspec.ValidationError, match=r"Required\.items must not be null"):
        _strict(Required, b'{"Items": null}')
    with pytest.raises(DecodeError, match=r"^Required\.Items: missing$"):
        body_decoder(Required)(b'{"Items": null}')


def test_only_models_with_a_list_or_a_map_check_for_nulls() -> None:
    # msgspec calls a model's __post_init__ for each model it makes: the models without a list
    # or a map pay nothing.
    assert not hasattr(Plain, "__post_init__")
    assert hasattr(Tagged, "__post_init__")


def test_a_zero_time_or_an_empty_duration_reads_as_none_where_optional() -> None:
    body = b'{"Created": "0001-01-01T00:00:00Z", "TTL": "", "Delay": 0}'
    strict = _strict(Timed, body)
    assert strict == exact_decoder(Timed)(
        {"Created": "0001-01-01T00:00:00Z", "TTL": "", "Delay": 0}
    )
    assert (strict.created, strict.ttl) == (None, None)
    assert type(strict.delay) is GoNanoseconds
    assert strict.delay == timedelta(0)
    assert _strict(Timed, b'{"Created": ""}').created is None


def test_an_empty_duration_where_required_is_refused_and_named() -> None:
    with pytest.raises(msgspec.ValidationError, match="expected a duration"):
        _strict(Timed, b'{"Interval": ""}')
    with pytest.raises(DecodeError, match=r"^Timed\.Interval: expected a duration"):
        body_decoder(Timed)(b'{"Interval": ""}')


def _all_models(cls: type = Model) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_all_models(sub)]
    return found


def _kind(tp: Any) -> Any:
    options = [arg for arg in typing.get_args(tp) if arg is not type(None)]
    return options[0] if typing.get_origin(tp) in (typing.Union, type(int | None)) else tp


def test_every_model_settles_each_of_its_lists_maps_timestamps_and_durations() -> None:
    # The fields are found by their annotations' text as the class is made: one spelled
    # otherwise would leave a marker or a None in a model (the agreement tests would see it too).
    # An optional list or map (default None) keeps its None.
    for cls in {cls for cls in _all_models() if is_model(cls)}:
        fields = getattr(cls, "_go_zero_fields", ())
        settled = {name: marker for name, marker, _ in fields}
        optional = {name for name, _, is_optional in fields if is_optional}
        for info in msgspec.structs.fields(cls):
            kind = _kind(info.type)
            if typing.get_origin(kind) in (list, dict) and info.default is not None:
                assert settled.get(info.name, 0) is None, f"{cls.__name__}.{info.name}"
            elif kind in UNSET:
                assert settled.get(info.name) is UNSET[kind], f"{cls.__name__}.{info.name}"
                # Optional as msgspec sees it (a None among the type's options), or required.
                may_be_none = type(None) in typing.get_args(info.type)
                assert (info.name in optional) is may_be_none, f"{cls.__name__}.{info.name}"
            else:
                assert info.name not in settled, f"{cls.__name__}.{info.name}"
