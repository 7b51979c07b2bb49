"""Go's zero values on msgspec's strict path: each model settles them by its fields, as the exact
path reads them.

Consul sends what Go leaves unset as its zero value: a nil slice or map as null (on 1.8.7: a
node's ``Meta`` and ``TaggedAddresses``, a service's ``Meta``, a check's ``ServiceTags``, ...), a
zero time, an empty duration (a prepared query's ``DNS.TTL: ""``, a session's ``TTL: ""``).
msgspec refuses a null for a list or a dict, and its hook cannot tell an optional field (which
reads a zero time or an empty duration as None) from a required one: those replies took the
slower paths, at two to four times the time of `json.loads`.

Rules:
- msgspec sees each list or dict field of a model as optional (``list[str] | None``); type
  checkers see the annotation as written (the source's). Only the class's own annotations
  change, when the class is made, before msgspec reads them (on its first decoder).
- msgspec's hook reads a timestamp's or a duration's zero value as an unset marker of its class
  (`consul_core._go_values.wire_time`).
- The model's ``__post_init__`` puts a list's or a map's default where msgspec left None, and
  what the exact path reads in place of an unset marker: None in an optional field, Go's zero in
  a required one. So a model never holds None for a list or a map, nor a marker, whoever made it
  (msgspec's decoders, the codec, a caller's constructor call).
- A value the exact path refuses is refused here too: a null for a list without a default, an
  empty duration in a required field (a `ValueError`, which msgspec reports as a
  `msgspec.ValidationError`); the exact path then names it.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Callable
from typing import Any, Union

import msgspec

from consul_core._go_values import UNSET, GoDuration, GoNanoseconds, GoTime, settled

__all__ = ["settle_go_zero_values"]

_CONTAINERS = ("list[", "dict[")
# The timed annotations as the models spell them (`consul_core._go_values`' aliases).
_TIMED_NAMES = {"Timestamp": GoTime, "Duration": GoDuration, "NanoDuration": GoNanoseconds}
_OPTIONAL = " | None"
# The class attribute: per field, its name, what marks it unset (None for a list or a map) and
# whether it is optional.
_SETTLED = "_go_zero_fields"
_Field = tuple[str, "type | None", bool]


def settle_go_zero_values(cls: type) -> None:
    """Let msgspec take a null for each list or dict field that `cls` declares, and give `cls`
    the ``__post_init__`` that settles its lists, maps, timestamps and durations (with its
    bases').
    """
    own: dict[str, Any] = vars(cls).get("__annotations__", {})
    declared: list[_Field] = []
    for name, annotation in own.items():
        if _is_container(annotation):
            optional = (
                f"{annotation}{_OPTIONAL}" if isinstance(annotation, str) else annotation | None
            )
            own[name] = optional
            declared.append((name, None, False))
        elif (timed := _timed(annotation)) is not None:
            kind, is_optional = timed
            declared.append((name, UNSET[kind], is_optional))
    if not declared:
        return
    fields = (*getattr(cls, _SETTLED, ()), *declared)
    setattr(cls, _SETTLED, fields)
    setattr(cls, "__post_init__", _post_init(fields))  # noqa: B010 (mypy: no such attribute)


def _is_container(annotation: object) -> bool:
    """Whether `annotation` is a list or a dict (not an optional one), as text or as a type."""
    if isinstance(annotation, str):
        return annotation.startswith(_CONTAINERS) and _closes_at_end(annotation)
    return typing.get_origin(annotation) in (list, dict)


def _closes_at_end(text: str) -> bool:
    """Whether the bracket that `text` opens first closes at its end (``list[str]``, not
    ``list[str] | None``).
    """
    depth = 0
    for index, char in enumerate(text):
        depth += (char == "[") - (char == "]")
        if char == "]" and depth == 0:
            return index == len(text) - 1
    return False


def _timed(annotation: object) -> tuple[type, bool] | None:
    """The class of a timestamp or a duration annotation and whether it is optional (None for
    another annotation).
    """
    if isinstance(annotation, str):
        kind = _TIMED_NAMES.get(annotation.removesuffix(_OPTIONAL))
        return None if kind is None else (kind, annotation.endswith(_OPTIONAL))
    optional = False
    if typing.get_origin(annotation) in (Union, types.UnionType):
        options = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        optional = len(options) < len(typing.get_args(annotation))
        annotation = options[0] if len(options) == 1 else None
    return (annotation, optional) if annotation in UNSET else None


def _post_init(fields: tuple[_Field, ...]) -> Callable[[Any], None]:
    """A ``__post_init__`` that tests each field: a list or a map for None, a timestamp or a
    duration for its unset marker's class; one attribute read and one identity test each
    (written out, as attrs writes its methods: a loop over the fields costs four times as much
    per model, and a 500-instance health read makes 4,500 models with such fields).
    """
    namespace: dict[str, Any] = {"fill": _fill, "settle": _settle}
    tests = []
    for name, marker, optional in fields:
        if marker is None:
            tests.append(f"    if self.{name} is None:\n        fill(self, {name!r})\n")
        else:
            namespace[marker.__name__] = marker
            found = f"type(self.{name}) is {marker.__name__}"
            tests.append(f"    if {found}:\n        settle(self, {name!r}, {optional})\n")
    exec(f"def __post_init__(self):\n{''.join(tests)}", namespace)  # names: Python identifiers
    post_init: Callable[[Any], None] = namespace["__post_init__"]
    return post_init


def _fill(model: msgspec.Struct, name: str) -> None:
    """Put the default of the list or map field `name` of `model` in place of its None."""
    cls: Any = type(model)  # the cache's key (to mypy, a type is not Hashable)
    make = _defaults(cls).get(name)
    if make is None:
        raise ValueError(f"{type(model).__name__}.{name} must not be null: it has no default")
    msgspec.structs.force_setattr(model, name, make())


def _settle(model: msgspec.Struct, name: str, optional: bool) -> None:
    """Put what the exact path reads in place of the unset marker in field `name` of `model`
    (`optional` or not).

    Raises:
        DecodeError: The field is required and the exact path refuses the value.
    """
    msgspec.structs.force_setattr(model, name, settled(getattr(model, name), optional))


@functools.cache
def _defaults(cls: type) -> dict[str, Callable[[], Any]]:
    """What makes the default of each list or dict field of `cls` that has one (a new empty
    list or dict for msgspec's empty default; the factory for one given as a factory).
    """
    found: dict[str, Callable[[], Any]] = {}
    for info in msgspec.structs.fields(cls):
        if info.default_factory is not msgspec.NODEFAULT:
            found[info.name] = info.default_factory
        elif isinstance(info.default, (list, dict)):
            found[info.name] = functools.partial(_copy, info.default)
    return found


def _copy(value: Any) -> Any:
    return type(value)(value)
