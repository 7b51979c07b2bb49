"""Mapping between Consul's JSON (PascalCase keys, Go zero values) and frozen attrs models.

Rules:
- A model field's JSON name is its snake_case name in PascalCase with Consul's acronyms
  upper-cased (``check_id`` -> ``CheckID``), unless `field(json=...)` names it.
- Decoding is lenient the way Go's is: unknown keys are ignored, a missing or null value takes
  the field's default (a Go zero value). A value of the wrong type is an error.
- Timestamps are RFC 3339 strings on the wire and timezone-aware `datetime`s in models; Go's
  nanoseconds are truncated to microseconds. In a `datetime | None` field Go's zero time (and
  ``""``) decodes as None, as does an unset optional duration (``""``, or ``0`` nanoseconds).
- Encoding leaves out fields that hold their default, like Go's ``omitempty``.
- Each model's plan is compiled once, on first use.
"""

from __future__ import annotations

import base64
import json
import re
import types
import typing
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any, TypeVar, Union

import attrs

from consul_core._params import format_duration, parse_duration
from consul_core.errors import UsageError

__all__ = [
    "decode_json",
    "encode_json",
    "field",
    "format_time",
    "from_json",
    "json_name",
    "parse_time",
    "to_json",
]

M = TypeVar("M")
_Convert = Callable[[Any], Any]

_ACRONYMS = frozenset({
    "id", "ttl", "dc", "acl", "http", "https", "tcp", "udp", "grpc", "tls", "ca", "dns", "lan",
    "wan", "ip", "url", "ui", "rpc", "cas", "jwt", "oidc", "sni", "uuid", "api", "sdk",
})  # fmt: skip
_NS = 1e9
_RFC3339 = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)")
_GO_ZERO_TIME = datetime(1, 1, 1)


def _decode_datetime(value: object) -> datetime:
    if not isinstance(value, str):
        raise TypeError(f"expected an RFC 3339 timestamp, got {type(value).__name__}")
    match = _RFC3339.fullmatch(value)
    if match is None:
        raise ValueError(f"not an RFC 3339 timestamp: {value!r}")
    seconds, fraction, zone = match.groups()
    # Python keeps microseconds (and 3.10's fromisoformat reads neither more digits nor "Z"):
    # Go's nanoseconds are truncated.
    micros = (fraction or "").ljust(6, "0")[:6]
    return datetime.fromisoformat(f"{seconds}.{micros}{'+00:00' if zone == 'Z' else zone}")


def parse_time(value: object) -> datetime | None:
    """Decode an RFC 3339 timestamp with up to nanoseconds; None for null, "" or Go's zero time.

    Raises:
        TypeError: `value` is not a string.
        ValueError: `value` is not an RFC 3339 timestamp.
    """
    if value is None or value == "":
        return None
    when = _decode_datetime(value)
    return None if when.replace(tzinfo=None) == _GO_ZERO_TIME else when


def format_time(value: object, name: str) -> str:
    """Encode a timezone-aware `datetime` as RFC 3339.

    Raises:
        UsageError: `value` is not a timezone-aware `datetime`.
    """
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise UsageError(f"{name} must be a timezone-aware datetime, not {value!r}")
    return value.isoformat()


def json_name(python_name: str) -> str:
    """The Consul JSON key for a snake_case attribute name."""
    return "".join(
        part.upper() if part in _ACRONYMS else part[:1].upper() + part[1:]
        for part in python_name.split("_")
    )


def field(
    *,
    json: str | None = None,
    default: Any = attrs.NOTHING,
    factory: Callable[[], Any] | None = None,
    nanoseconds: bool = False,
) -> Any:
    """An attrs field with Consul-specific metadata.

    Args:
        json: The JSON key, where the automatic one is wrong.
        default: The default value.
        factory: A factory for the default value.
        nanoseconds: For `timedelta` fields that Consul sends as integer nanoseconds.
    """
    metadata = {"consul_json": json, "consul_ns": nanoseconds}
    if factory is not None:
        return attrs.field(factory=factory, metadata=metadata)
    return attrs.field(default=default, metadata=metadata)


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and attrs.has(tp)


def _decode_timedelta(value: Any, nanoseconds: bool) -> timedelta:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return timedelta(microseconds=value / 1000) if nanoseconds else timedelta(seconds=value)
    return timedelta(seconds=parse_duration(value, "duration"))


def _scalar(tp: type) -> _Convert:
    def convert(value: Any) -> Any:
        if tp is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if not isinstance(value, tp) or (tp is int and isinstance(value, bool)):
            raise TypeError(f"expected {tp.__name__}, got {type(value).__name__}")
        return value

    return convert


def _decoder(tp: Any, nanoseconds: bool = False) -> _Convert:
    origin = typing.get_origin(tp)
    if tp is Any or tp is object:
        return lambda value: value
    if origin in (Union, types.UnionType):
        options = [arg for arg in typing.get_args(tp) if arg is not type(None)]
        if options == [datetime]:
            return parse_time  # None for null, "" and Go's zero time
        inner = _decoder(options[0], nanoseconds) if len(options) == 1 else (lambda v: v)
        # Go sends an unset optional duration as "", or as 0 where it counts nanoseconds.
        empty: tuple[object, ...] = ()
        if options == [timedelta]:
            empty = ("", 0) if nanoseconds else ("",)
        return lambda value: None if value is None or value in empty else inner(value)
    if origin is typing.Literal:
        return lambda value: value
    if origin in (list, tuple) or tp in (list, tuple):
        args = typing.get_args(tp)
        item = _decoder(args[0]) if args else (lambda v: v)
        make = tuple if origin is tuple else list
        return lambda value: make(item(v) for v in value or ())
    if origin in (dict, Mapping) or tp is dict:
        args = typing.get_args(tp)
        item = _decoder(args[1]) if args else (lambda v: v)
        return lambda value: {str(k): item(v) for k, v in (value or {}).items()}
    if tp is bytes:
        return base64.b64decode
    if tp is timedelta:
        return lambda value: _decode_timedelta(value, nanoseconds)
    if tp is datetime:
        return _decode_datetime
    if _is_model(tp):
        return lambda value: from_json(tp, value)
    if tp in (str, int, float, bool):
        return _scalar(tp)
    raise TypeError(f"no JSON decoder for {tp!r}")


def _encoder(tp: Any, nanoseconds: bool = False) -> _Convert:
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        options = [arg for arg in typing.get_args(tp) if arg is not type(None)]
        inner = _encoder(options[0], nanoseconds) if len(options) == 1 else to_json
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
        return lambda value: base64.b64encode(value).decode()
    if tp is timedelta:
        if nanoseconds:
            return lambda value: round(value.total_seconds() * _NS)
        return lambda value: format_duration(value.total_seconds())
    if tp is datetime:
        return lambda value: format_time(value, "a timestamp")
    return to_json


@attrs.frozen
class _Slot:
    attr: str
    key: str
    decode: _Convert
    encode: _Convert
    default: Any


_PLANS: dict[type, list[_Slot]] = {}


def _plan(cls: type) -> list[_Slot]:
    plan = _PLANS.get(cls)
    if plan is None:
        hints = typing.get_type_hints(cls)
        plan = []
        for attribute in attrs.fields(cls):
            tp = hints[attribute.name]
            nanoseconds = bool(attribute.metadata.get("consul_ns"))
            default = attribute.default
            if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                default = default.factory()
            plan.append(
                _Slot(
                    attr=attribute.name,
                    key=attribute.metadata.get("consul_json") or json_name(attribute.name),
                    decode=_decoder(tp, nanoseconds),
                    encode=_encoder(tp, nanoseconds),
                    default=default,
                )
            )
        _PLANS[cls] = plan
    return plan


def from_json(cls: type[M], data: Any) -> M:
    """Build a model of type `cls` from Consul's JSON object `data`.

    Raises:
        TypeError: `data` is not an object, or a value has the wrong type.
        KeyError: A field without a default is missing.
    """
    if not isinstance(data, Mapping):
        raise TypeError(f"expected a JSON object for {cls.__name__}, got {type(data).__name__}")
    kwargs: dict[str, Any] = {}
    for slot in _plan(cls):
        value = data.get(slot.key)
        if value is None:
            if slot.default is attrs.NOTHING:
                raise KeyError(f"{cls.__name__} needs {slot.key!r}")
            continue
        try:
            kwargs[slot.attr] = slot.decode(value)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"{cls.__name__}.{slot.key}: {exc}") from exc
    return cls(**kwargs)


def to_json(value: Any) -> Any:
    """Turn a model (or a structure of models) into Consul's JSON shape, leaving out defaults."""
    if _is_model(type(value)):
        out: dict[str, Any] = {}
        for slot in _plan(type(value)):
            item = getattr(value, slot.attr)
            if slot.default is not attrs.NOTHING and item == slot.default:
                continue
            out[slot.key] = slot.encode(item)
        return out
    if isinstance(value, Mapping):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, timedelta):
        return format_duration(value.total_seconds())
    if isinstance(value, datetime):
        return format_time(value, "a timestamp")
    return value


def decode_json(body: bytes) -> Any:
    """Parse a JSON body."""
    return json.loads(body)


def encode_json(value: Any) -> bytes:
    """Serialise `value` (models included) to a compact JSON body."""
    return json.dumps(to_json(value), separators=(",", ":")).encode()
