"""Go's nil slices and maps (no I/O): a null where a model has a list or a map reads as the
field's default on msgspec's strict path, as the exact path reads it; a model never holds None
there, whoever made it; a field without a default still refuses the null.
"""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from consul_core._codec import DecodeError, Model, exact_decoder, field
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
