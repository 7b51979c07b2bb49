"""Decoding a body straight into models with msgspec, in front of the codec's exact path.

Rules:
- Three paths, each taken only when the one before it refuses the body:
  1. strict: msgspec decodes the body into the models in one pass. Models forbid keys they do
     not know, and `_codec.wire_value` refuses the values the exact path reads its own way
     (a key named as the unknown fields), so any unusual body leaves this path; Go's zero
     values (null for a list or a map, a zero time, an empty duration) stay on it: each model
     settles them by its fields, as the exact path reads them (`consul_core._go_zero`).
  2. tolerant, for types that hold models (what a newer Consul sends): msgspec decodes the
     body into dicts and lists; each model's object sets apart the keys it does not know (as
     its ``unknown_fields``) and drops its null values (their fields take their defaults);
     msgspec then builds the models from that.
  3. exact: `json.loads`, then the codec's own decoders, which decide every other case and
     name what is wrong.
- A faster path only ever returns what the exact one returns for the same body, down to the
  types of the values (``tests/core/test_strict_decoding.py`` holds them to it).
- No error of a faster path reaches the caller, or is chained to the exact path's.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Callable
from typing import Any, TypeVar

import msgspec

from consul_core._codec import (
    decode_json,
    exact_decoder,
    is_model,
    kept_fields,
    known_keys,
    wire_value,
)

__all__ = ["body_decoder"]

T = TypeVar("T")
_Split = Callable[[Any], None]
_UNTYPED = msgspec.json.Decoder()
_REFUSED = (msgspec.MsgspecError, RecursionError)


def _strict_decoder(tp: Any) -> Callable[[bytes], Any] | None:
    """The strict decoder of `tp`, or None for a type msgspec cannot take (a union of several
    JSON-object types, such as a registration's model-or-mapping fields).
    """
    try:
        return msgspec.json.Decoder(tp, dec_hook=wire_value).decode
    except (TypeError, ValueError):
        return None


def _splitter(tp: Any) -> _Split | None:
    """What prepares the JSON value of a `tp` for msgspec to build the models in it: each
    model's object sets apart the keys it does not know and drops its nulls. None for a type
    without models.
    """
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is typing.Annotated:
        return _splitter(args[0])
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in args if arg is not type(None)]
        return _splitter(options[0]) if len(options) == 1 else None
    if origin in (list, dict):
        inner = _splitter(args[-1])
        if inner is None:
            return None
        return _each_value(inner) if origin is dict else _each_item(inner)
    return _object_splitter(tp) if is_model(tp) else None


def _each_item(split: _Split) -> _Split:
    def split_items(value: Any) -> None:
        if type(value) is list:
            for item in value:
                split(item)

    return split_items


def _each_value(split: _Split) -> _Split:
    def split_values(value: Any) -> None:
        if type(value) is dict:
            for item in value.values():
                split(item)

    return split_values


def _object_splitter(cls: type) -> _Split:
    known = known_keys(cls)
    fields = msgspec.structs.fields(cls)
    kept_key = next(info.encode_name for info in fields if info.name == "unknown_fields")
    nested = tuple(
        (info.encode_name, split)
        for info in fields
        if info.encode_name in known and (split := _splitter(info.type)) is not None
    )

    def split_object(value: Any) -> None:
        if type(value) is not dict:
            return  # msgspec refuses it: the exact path names the problem
        kept = None
        if not value.keys() <= known:
            kept = {key: item for key, item in value.items() if key not in known}
            for key in kept:
                del value[key]
        if None in value.values():
            for key in [key for key, item in value.items() if item is None]:
                del value[key]
        for key, split in nested:
            item = value.get(key)
            if item is not None:
                split(item)
        if kept is not None:
            value[kept_key] = kept_fields(kept.items())

    return split_object


def _tolerant_decoder(tp: Any) -> Callable[[bytes], Any] | None:
    """The tolerant decoder of `tp`, or None for a type without models (or that msgspec cannot
    take).
    """
    split = _splitter(tp)
    if split is None or _strict_decoder(tp) is None:
        return None

    def decode(body: bytes) -> Any:
        tree = _UNTYPED.decode(body)
        split(tree)
        return msgspec.convert(tree, tp, dec_hook=wire_value)

    return decode


# What is built for each type, on first use, and shared by every decoder of that type (a
# builder may make a decoder per call, and building msgspec's decoders costs a hundred times a
# decode): its faster decoders, and its exact one (built only when a body needs it).
@functools.cache
def _faster(tp: Any) -> tuple[Callable[[bytes], Any], ...]:
    """The faster decoders of `tp`: strict, then tolerant, those msgspec can take."""
    found = (_strict_decoder(tp), _tolerant_decoder(tp))
    return tuple(decoder for decoder in found if decoder is not None)


_exact = functools.cache(exact_decoder)


def body_decoder(tp: type[T], exact: Callable[[Any], T] | None = None) -> Callable[[bytes], T]:
    """A decoder of a JSON body into `tp` (a model, or a list or map of models or of scalars):
    the strict path, the tolerant one for a type that holds models, then the exact one, with
    `exact` (by default the codec's decoder of `tp`).

    Raises (the decoder):
        DecodeError: The body is not JSON, or not of type `tp`.
    """
    faster: tuple[Callable[[bytes], T], ...] | None = None
    key: Any = tp  # the caches' key (to mypy, type[T] is not Hashable)

    def decode(body: bytes) -> T:
        nonlocal faster
        if faster is None:  # on first use, when every model is defined
            faster = _faster(key)
        for fast in faster:
            try:
                return fast(body)
            except _REFUSED:
                pass  # left to the next path (outside this block: no chained exception)
        return (exact or _exact(key))(decode_json(body))

    return decode
