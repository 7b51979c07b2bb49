"""Go's nil slices and maps: a null where a model has a list or a map, read as the field's default
on msgspec's strict path, as the exact path reads it.

Consul sends an unset slice or map as null (on 1.8.7: a node's ``Meta`` and ``TaggedAddresses``,
a service's ``Meta``, a check's ``ServiceTags``, ...). msgspec refuses a null for a list or a
dict, which sent such replies down the tolerant path, at about twice the time of `json.loads`.

Rules:
- msgspec sees each list or dict field of a model as optional (``list[str] | None``); type
  checkers see the annotation as written (the source's). Only the class's own annotations
  change, when the class is made, before msgspec reads them (on its first decoder).
- The model's ``__post_init__`` puts the field's default where msgspec left None: so a model
  never holds None in such a field, whoever made it (msgspec's decoders, the codec, a
  caller's constructor call).
- A field without a default has no value to put there: the null is refused (a `ValueError`,
  which msgspec reports as a `msgspec.ValidationError`), and the exact path names it missing.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Callable
from typing import Any

import msgspec

__all__ = ["read_nil_as_default"]

_CONTAINERS = ("list[", "dict[")
_NILABLE = "_nilable_fields"  # the class attribute naming a model's list and dict fields


def read_nil_as_default(cls: type) -> None:
    """Let msgspec take a null for each list or dict field that `cls` declares, and give `cls`
    the ``__post_init__`` that puts those fields' defaults in place of None (with its bases'
    fields).
    """
    own: dict[str, Any] = vars(cls).get("__annotations__", {})
    declared = [name for name, annotation in own.items() if _is_container(annotation)]
    if not declared:
        return
    for name in declared:
        annotation = own[name]
        own[name] = f"{annotation} | None" if isinstance(annotation, str) else annotation | None
    names = (*getattr(cls, _NILABLE, ()), *declared)
    setattr(cls, _NILABLE, names)
    setattr(cls, "__post_init__", _post_init(names))  # noqa: B010 (mypy: no such attribute)


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


def _post_init(names: tuple[str, ...]) -> Callable[[Any], None]:
    """A ``__post_init__`` that tests each of `names` for None: one attribute read and one
    identity test per field (written out, as attrs writes its methods: a loop over the names
    costs four times as much per model, and a 500-instance health read makes 3,500 models).
    """
    tests = "".join(
        f"    if self.{name} is None:\n        fill(self, {name!r})\n" for name in names
    )
    namespace: dict[str, Any] = {"fill": _fill}
    exec(f"def __post_init__(self):\n{tests}", namespace)  # names: Python identifiers
    post_init: Callable[[Any], None] = namespace["__post_init__"]
    return post_init


def _fill(model: msgspec.Struct, name: str) -> None:
    """Put the default of field `name` of `model` in place of its None."""
    cls: Any = type(model)  # the cache's key (to mypy, a type is not Hashable)
    make = _defaults(cls).get(name)
    if make is None:
        raise ValueError(f"{type(model).__name__}.{name} must not be null: it has no default")
    msgspec.structs.force_setattr(model, name, make())


@functools.cache
def _defaults(cls: type) -> dict[str, Callable[[], Any]]:
    """What makes the default of each list or dict field of `cls` that has one (a new empty
    list or dict for msgspec's empty default; the factory for one given as a factory).
    """
    found: dict[str, Callable[[], Any]] = {}
    for info in msgspec.structs.fields(cls):
        if info.name not in getattr(cls, _NILABLE):
            continue
        if info.default_factory is not msgspec.NODEFAULT:
            found[info.name] = info.default_factory
        elif info.default is not msgspec.NODEFAULT:
            found[info.name] = functools.partial(_copy, info.default)
    return found


def _copy(value: Any) -> Any:
    return type(value)(value)
