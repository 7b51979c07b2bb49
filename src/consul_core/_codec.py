"""Mapping between Consul's JSON (PascalCase keys, Go zero values) and frozen msgspec models.

Rules:
- A model field's JSON name is its snake_case name in PascalCase with Consul's acronyms
  upper-cased (``check_id`` -> ``CheckID``), unless `field(json=...)` names it.
- Nothing is lost on a write: every model derives from `Model`, whose keyword-only
  ``unknown_fields`` keeps the keys of the decoded object that the model has no field for (a
  newer Consul's), as they came; encoding sends them back, nested models included.
- Decoding is lenient the way Go's is: a missing or null value takes the field's default (a Go
  zero value). A value of the wrong JSON type is a `DecodeError` (never silently converted: a
  string is not a list of characters, an object is not an empty list).
- A `DecodeError` names where (``ACLToken.Policies[0].ID``) and the JSON types expected and
  found, never a value from the body, which may hold a secret (`consul_core._decode_error`).
- Timestamps are RFC 3339 strings on the wire and timezone-aware `datetime`s in models, which
  encode back to exactly Go's text; durations are `timedelta`s; an optional one reads Go's zero
  time or an empty duration as None (`consul_core._go_values`).
- Encoding leaves out a field that holds its default when that default is Go's zero value
  (0, ``""``, false, empty, null, a model that encodes to ``{}``), like Go's ``omitempty``; a
  default Consul fills in otherwise (DNS weights of 1) is sent, as Consul would not restore it.
- Models are frozen msgspec structs, which msgspec decodes straight from a body
  (`consul_core._typed`); this module is the exact path behind it, which defines what a body
  means (each model's plan, compiled once on first use), and what msgspec leaves to it: a
  timestamp's, a duration's and the unknown fields' annotations are classes msgspec hands to
  `wire_value` (type checkers see `datetime`, `timedelta` and a mapping). Each model settles
  Go's zero values that msgspec cannot read by the field (`consul_core._go_zero`, called as
  each model class is made).
"""

from __future__ import annotations

import binascii
import json
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, Union

import attrs
import msgspec

from consul_core._decode_error import DecodeError, json_type, wrong
from consul_core._go_values import (
    EMPTY_DURATIONS,
    Duration,
    GoDuration,
    GoNanoseconds,
    GoTime,
    NanoDuration,
    Timestamp,
    decode_datetime,
    decode_timedelta,
    encode_duration,
    format_time,
    parse_time,
    wire_time,
)
from consul_core._go_zero import settle_go_zero_values
from consul_core.errors import UsageError

__all__ = [
    "DecodeError",
    "Duration",
    "Model",
    "NanoDuration",
    "Timestamp",
    "UnknownFields",
    "as_list",
    "as_object",
    "decode_json",
    "each",
    "each_value",
    "encode_json",
    "exact_decoder",
    "field",
    "format_time",
    "from_json",
    "get_field",
    "is_model",
    "json_name",
    "json_type",
    "kept_fields",
    "known_keys",
    "list_of",
    "parse_time",
    "scalar",
    "to_json",
    "unknown_json",
    "wire_value",
]

M = TypeVar("M")
T = TypeVar("T")
_Convert = Callable[[Any], Any]

_ACRONYMS = frozenset({
    "id", "ttl", "dc", "acl", "http", "https", "tcp", "udp", "grpc", "tls", "ca", "dns", "lan",
    "wan", "ip", "url", "ui", "rpc", "cas", "jwt", "oidc", "sni", "uuid", "api", "sdk",
})  # fmt: skip
_UNKNOWN = "unknown_fields"


class _UnknownFields(dict[str, Any]):
    """The fields a decoded model keeps without knowing them. As the annotation of
    ``unknown_fields``, what msgspec leaves to `wire_value`: a reply's key of that name is one
    more unknown field, never the kept fields themselves.
    """


# The annotation of models' unknown fields: type checkers see a mapping, msgspec the class above
# (the annotations of timestamps and durations are `consul_core._go_values`').
if TYPE_CHECKING:
    UnknownFields: typing.TypeAlias = Mapping[str, Any]
else:
    UnknownFields = _UnknownFields


def json_name(python_name: str) -> str:
    """The Consul JSON key for a snake_case attribute name."""
    return "".join(
        part.upper() if part in _ACRONYMS else part[:1].upper() + part[1:]
        for part in python_name.split("_")
    )


def field(
    *, json: str | None = None, default: Any = msgspec.NODEFAULT, factory: Any = msgspec.NODEFAULT
) -> Any:
    """A model field whose JSON key is `json` (where the automatic one is wrong), with a
    `default` value or a `factory` for it.
    """
    if factory is not msgspec.NODEFAULT:
        return msgspec.field(name=json, default_factory=factory)
    return msgspec.field(name=json, default=default)


class Model(
    msgspec.Struct,
    frozen=True,
    kw_only=True,
    rename=json_name,
    forbid_unknown_fields=True,
    # Frozen values hold no cycles: untracked by the collector, a 500-instance health read
    # decodes in about 0.7x the time of json.loads rather than 0.95x.
    gc=False,
):
    """The base of every model decoded from (or encoded to) Consul's JSON: a frozen, slotted
    msgspec struct (copy one with changes with `msgspec.structs.replace`).

    Attributes:
        unknown_fields: The keys of the decoded object that the model has no field for (sent
            by a newer Consul), with their JSON values as they came; encoding the model sends
            them back unchanged. Left out of the repr and the hash.
    """

    # Fields left out of the repr (secrets), besides `unknown_fields`.
    _repr_hidden: ClassVar[frozenset[str]] = frozenset()

    unknown_fields: UnknownFields = field(factory=_UnknownFields)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        settle_go_zero_values(cls)

    def __hash__(self) -> int:
        return hash((type(self), *(getattr(self, name) for name in _plan(type(self)).attrs)))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in self.__rich_repr__())
        return f"{type(self).__name__}({shown})"

    def __rich_repr__(self) -> list[tuple[str, Any]]:
        hidden = self._repr_hidden
        return [
            (name, getattr(self, name)) for name in _plan(type(self)).attrs if name not in hidden
        ]


def is_model(tp: object) -> bool:
    """Whether `tp` is a model class (one the codec decodes and encodes)."""
    return isinstance(tp, type) and issubclass(tp, Model)


_JSON_NAMES = {str: "a string", int: "an integer", float: "a number", bool: "a boolean"}


def scalar(tp: type[T]) -> Callable[[Any], T]:
    """A decoder for a JSON string, integer, number or boolean (`tp` is str, int, float or bool).

    The decoder raises `DecodeError` for a value of another JSON type (an integer is a number).
    """
    expected = _JSON_NAMES[tp]

    def convert(value: Any) -> T:
        kind = type(value)
        if kind is tp:
            return typing.cast(T, value)
        if tp is float and kind is int:
            return typing.cast(T, float(value))
        raise wrong(expected, value)

    return convert


def _decode_bytes(value: Any) -> bytes:
    if not isinstance(value, str):
        raise wrong("base64 text (a string)", value)
    try:
        return binascii.a2b_base64(value)
    except ValueError:  # binascii.Error, or a character outside ASCII
        raise DecodeError("expected base64 text, got another string") from None


def _list_decoder(item: _Convert, make: Callable[[Any], Any]) -> _Convert:
    def convert(value: Any) -> Any:
        return make(each(value, item))

    return convert


def _dict_decoder(item: _Convert) -> _Convert:
    def convert(value: Any) -> Any:
        return each_value(value, item)

    return convert


def _literal_decoder(tp: Any) -> _Convert:
    kinds = tuple({type(arg) for arg in typing.get_args(tp)})
    expected = " or ".join(sorted(_JSON_NAMES.get(kind, kind.__name__) for kind in kinds))

    def convert(value: Any) -> Any:
        # A newer Consul may send a value this version does not list: only the type is checked.
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            raise wrong(expected, value)
        return value

    return convert


def _identity(value: Any) -> Any:
    return value


def exact_decoder(tp: Any) -> _Convert:
    """The exact decoder of a JSON value into `tp`."""
    origin = typing.get_origin(tp)
    if tp is Any or tp is object:
        return _identity
    if origin is typing.Annotated:
        return exact_decoder(typing.get_args(tp)[0])
    if origin in (Union, types.UnionType):
        options = [arg for arg in typing.get_args(tp) if arg is not type(None)]
        if options == [GoTime]:
            return parse_time  # None for null, "" and Go's zero time
        # A union of several types is a write-only field (a registration's): kept as it came.
        inner = exact_decoder(options[0]) if len(options) == 1 else _identity
        # Go sends an unset optional duration as "", or as 0 where it counts nanoseconds.
        empty = EMPTY_DURATIONS.get(options[0], ()) if len(options) == 1 else ()
        return lambda value: None if value is None or value in empty else inner(value)
    if origin is typing.Literal:
        return _literal_decoder(tp)
    if origin in (list, tuple) or tp in (list, tuple):
        args = typing.get_args(tp)
        make = tuple if origin is tuple else list
        return _list_decoder(exact_decoder(args[0]) if args else _identity, make)
    if origin in (dict, Mapping) or tp is dict:
        args = typing.get_args(tp)
        return _dict_decoder(exact_decoder(args[1]) if args else _identity)
    if tp is bytes:
        return _decode_bytes
    if tp in (GoDuration, GoNanoseconds):
        return lambda value: decode_timedelta(value, tp)
    if tp is GoTime:
        return decode_datetime
    if tp in (datetime, timedelta):  # msgspec would read them its own way
        raise TypeError(f"annotate a model's {tp.__name__} as Timestamp, Duration or NanoDuration")
    if is_model(tp):
        return lambda value: from_json(tp, value)
    if tp in _JSON_NAMES:
        return scalar(tp)
    raise TypeError(f"no JSON decoder for {tp!r}")


def _encoder(tp: Any) -> _Convert:
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _encoder(typing.get_args(tp)[0])
    if origin in (Union, types.UnionType):
        options = [arg for arg in typing.get_args(tp) if arg is not type(None)]
        inner = _encoder(options[0]) if len(options) == 1 else to_json
        return lambda value: None if value is None else inner(value)
    if origin in (list, tuple):
        args = typing.get_args(tp)
        item = _encoder(args[0]) if args else to_json
        return lambda value: [item(v) for v in value]
    if origin in (dict, Mapping):
        args = typing.get_args(tp)
        item = _encoder(args[1]) if args else to_json
        return lambda value: {k: item(v) for k, v in value.items()}
    if tp is bytes:
        return lambda value: binascii.b2a_base64(value, newline=False).decode()
    if tp in (GoDuration, GoNanoseconds):
        nanoseconds = tp is GoNanoseconds
        return lambda value: encode_duration(value, nanoseconds)
    if tp is GoTime:
        return lambda value: format_time(value, "a timestamp")
    return to_json


@attrs.frozen
class _Slot:
    attr: str
    key: str
    decode: _Convert
    encode: _Convert
    default: Any  # msgspec.NODEFAULT for a required field
    omit_default: bool  # the default is Go's zero value: leave the field out when it holds it


def _is_go_zero(value: Any) -> bool:
    if is_model(type(value)):
        return not to_json(value)
    if isinstance(value, (bool, int, float, str, bytes, list, tuple, dict, timedelta)):
        return not value
    return value is None


@attrs.frozen
class _Plan:
    slots: tuple[_Slot, ...]
    keys: frozenset[str]  # the JSON keys the model knows
    attrs: tuple[str, ...]  # the fields of its repr and hash: all but `unknown_fields`


_PLANS: dict[type, _Plan] = {}


def _plan(cls: type) -> _Plan:
    plan = _PLANS.get(cls)
    if plan is None:
        if not is_model(cls):
            raise TypeError(f"{cls.__name__} must derive from Model to keep what it does not know")
        slots = []
        for info in msgspec.structs.fields(cls):
            if info.name == _UNKNOWN:
                continue
            default = info.default
            if info.default_factory is not msgspec.NODEFAULT:
                default = info.default_factory()
            slots.append(
                _Slot(
                    attr=info.name,
                    key=info.encode_name,
                    decode=exact_decoder(info.type),
                    encode=_encoder(info.type),
                    default=default,
                    omit_default=default is not msgspec.NODEFAULT and _is_go_zero(default),
                )
            )
        plan = _PLANS[cls] = _Plan(
            tuple(slots),
            frozenset(slot.key for slot in slots),
            tuple(slot.attr for slot in slots),
        )
    return plan


def from_json(cls: type[M], data: Any) -> M:
    """Build a model of type `cls` from Consul's JSON object `data`, keeping the keys it does
    not know in ``unknown_fields``.

    Raises:
        DecodeError: `data` is not an object, a value has the wrong JSON type, or a field
            without a default is missing.
    """
    name = cls.__name__
    if not isinstance(data, Mapping):
        raise DecodeError(f"expected an object, got {json_type(data)}", model=name)
    plan = _plan(cls)
    kwargs: dict[str, Any] = {}
    for slot in plan.slots:
        value = data.get(slot.key)
        if value is None:
            if slot.default is msgspec.NODEFAULT:
                raise DecodeError("missing", f".{slot.key}", name)
            continue
        try:
            kwargs[slot.attr] = slot.decode(value)
        except DecodeError as error:
            raise error.inside(f".{slot.key}", name) from None
    known = plan.keys
    if not data.keys() <= known:
        kwargs[_UNKNOWN] = kept_fields(
            (key, value) for key, value in data.items() if key not in known
        )
    return cls(**kwargs)


def unknown_json(model: object) -> dict[str, Any]:
    """The fields of `model` that it keeps without knowing them, in JSON shape (for a model's
    own ``to_json``, which must send them back as `to_json` does).
    """
    unknown: Mapping[str, Any] = getattr(model, _UNKNOWN, None) or {}
    if not unknown:
        return {}
    known = _plan(type(model)).keys
    return {key: to_json(value) for key, value in unknown.items() if key not in known}


def to_json(value: Any) -> Any:
    """Turn a model (or a structure of models) into Consul's JSON shape, leaving out defaults
    and sending back the fields each model kept without knowing them.
    """
    if is_model(type(value)):
        out: dict[str, Any] = {}
        for slot in _plan(type(value)).slots:
            item = getattr(value, slot.attr)
            if slot.omit_default and item == slot.default:
                continue
            out[slot.key] = slot.encode(item)
        out.update(unknown_json(value))
        return out
    if isinstance(value, Mapping):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, timedelta):
        return encode_duration(value, False)
    if isinstance(value, datetime):
        return format_time(value, "a timestamp")
    return value


def decode_json(body: bytes) -> Any:
    """Parse a JSON body.

    Raises:
        DecodeError: The body is not JSON (or nests too deeply to parse).
    """
    try:
        return json.loads(body)
    except RecursionError:
        raise DecodeError("the body nests too deeply") from None
    except ValueError:  # JSONDecodeError, UnicodeDecodeError, a number too long to convert
        raise DecodeError("the body is not JSON") from None


def encode_json(value: Any) -> bytes:
    """Serialise `value` (models included) to a compact JSON body.

    Raises:
        UsageError: JSON cannot carry it: it holds NaN or an infinity (which Consul would
            refuse as not JSON), or refers to itself.
    """
    try:
        text = json.dumps(to_json(value), separators=(",", ":"), allow_nan=False)
    except ValueError:
        text = None  # raised below, outside the handler: no context to chain
    if text is None:
        raise UsageError(
            "the request's body cannot be JSON: it holds NaN or an infinity, or refers to itself"
        )
    return text.encode()


def wire_value(kind: type, value: Any) -> Any:
    """Decode `value` for msgspec (its hook) in a field whose runtime annotation is `kind`: a
    timestamp or a duration as `consul_core._go_values.wire_time` does (Go's zero values as
    markers that the model settles by its field); for ``unknown_fields`` only what the tolerant
    path set apart: a reply's own key of that name raises `DecodeError`, and the exact path
    keeps it.
    """
    if kind is _UnknownFields:
        if type(value) is _UnknownFields:
            return value
        raise DecodeError("left to the exact path: a key named as the unknown fields")
    return wire_time(kind, value)


def kept_fields(items: Iterable[tuple[str, Any]]) -> Mapping[str, Any]:
    """The ``unknown_fields`` of a decoded model: `items`, the keys it has no field for."""
    return _UnknownFields(items)


def known_keys(cls: type) -> frozenset[str]:
    """The JSON keys model `cls` has fields for."""
    return _plan(cls).keys


def as_list(value: Any) -> list[Any]:
    """`value`, a JSON array (null is an empty one).

    Raises:
        DecodeError: `value` is not an array.
    """
    if value is None:
        return []
    if type(value) is not list:
        raise wrong("an array", value)
    return value


def as_object(value: Any) -> Mapping[str, Any]:
    """`value`, a JSON object (null is an empty one).

    Raises:
        DecodeError: `value` is not an object.
    """
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise wrong("an object", value)
    return value


def get_field(data: Any, key: str, kind: type[T]) -> T:
    """The value of `key` in the JSON object `data`, which must be of type `kind` (str, int,
    float or bool).

    Raises:
        DecodeError: `data` is not an object, or `key` is missing or of another type.
    """
    value = as_object(data).get(key)
    if value is None:
        raise DecodeError("missing", f".{key}")
    try:
        return scalar(kind)(value)
    except DecodeError as error:
        raise error.inside(f".{key}") from None


def each(value: Any, decode: Callable[[Any], T]) -> list[T]:
    """Decode each item of a JSON array (null is an empty one) with `decode`.

    Raises:
        DecodeError: `value` is not an array, or `decode` failed on an item (located by index).
    """
    items = as_list(value)
    try:
        return [decode(item) for item in items]
    except DecodeError as error:
        failed = error
    # Only to say which item failed (off the fast path): decoding is pure, it fails again.
    index = next(index for index, item in enumerate(items) if _fails(decode, item))
    raise failed.inside(f"[{index}]") from None


def _fails(decode: Callable[[Any], object], item: Any) -> bool:
    try:
        decode(item)
    except DecodeError:
        return True
    return False


def each_value(value: Any, decode: Callable[[Any], T]) -> dict[str, T]:
    """Decode each value of a JSON object (null is an empty one) with `decode`.

    Raises:
        DecodeError: `value` is not an object, or `decode` failed on a value (located as
            ``[*]``: a key may be anything the server chose, so it is not shown).
    """
    items = as_object(value)
    try:
        return {key: decode(item) for key, item in items.items()}
    except DecodeError as error:
        raise error.inside("[*]") from None


def list_of(cls: type[M], value: Any) -> list[M]:
    """Decode a JSON array (null is an empty one) of `cls` objects.

    Raises:
        DecodeError: `value` is not an array of such objects.
    """
    return each(value, lambda item: from_json(cls, item))
