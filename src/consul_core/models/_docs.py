"""The ``Attributes:`` sections of the models, completed at import (by `consul_core.models`):
a line that many models share is written once, here, and the fields of an unexported base (a
group of fields that several models share, such as `consul_core.models._shared.Indexed`) are
documented once, by the base.

A completed section lists, in field order, each field that the model defines or takes from an
unexported base: with the model's own line if it has one, else the base's, else the shared one
below. The fields of an exported base (`ConfigEntryBase`) stay documented there; a docstring
without the section is left as written, unless the model declares no field of its own (it takes
them all: the section is added). Sections are read and written by
`consul_core._docstrings`.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Iterable

from consul_core import _docstrings
from consul_core._codec import Model, is_model

__all__ = ["complete"]

SHARED = {
    "namespace": "(Enterprise) Its namespace.",
    "partition": "(Enterprise) Its admin partition.",
    "datacenter": "Its datacenter.",
    "description": "A human-readable description.",
    "hash": "The hash of its contents.",
    "node": "The node's name.",
    "peer": "The cluster peer it lives in.",
    "port": "Its port.",
    "tags": "Its tags.",
}
"""The description of a field wherever a model does not describe it."""

_SECTION = "Attributes:"


def complete(exported: Iterable[object]) -> None:
    """Complete the ``Attributes:`` section of each model in `exported`.

    Args:
        exported: What the package exports; its models get their sections completed.
    """
    models = frozenset(cls for cls in exported if isinstance(cls, type) and is_model(cls))
    for cls in models:
        if _SECTION in (cls.__doc__ or "") or not _annotations(cls):
            cls.__doc__ = _completed(cls, models)


def _completed(cls: type, exported: frozenset[type]) -> str:
    bases = [base for base in _bases(cls) if base not in exported]
    # The fields it defines or takes from an unexported base.
    owned = {name for owner in (cls, *bases) for name in _annotations(owner)}
    if not (bases or owned & SHARED.keys()):
        return cls.__doc__ or ""  # nothing it could take
    doc = inspect.cleandoc(cls.__doc__ or "")
    if _SECTION not in doc.splitlines() and _annotations(cls):
        return cls.__doc__ or ""  # "Attributes:" in its text, not as a section
    text, sections, after = _docstrings.split(doc, [_SECTION])
    entries = _docstrings.entries(sections.get(_SECTION, []))
    preamble = entries.pop("")  # lines before its first entry
    described = {name: [f"    {name}: {line}"] for name, line in SHARED.items()}
    for base in reversed(bases):
        described.update(_entries(base))
    described.update(entries)
    fields = [name for name in _struct_fields(cls) if name in owned]
    listed = [name for name in fields if name in described]
    listed += [name for name in entries if name not in fields]  # not a field: kept, last
    if set(listed) == set(entries):
        return cls.__doc__ or ""  # nothing to add: the docstring as written
    lines = [*preamble, *(line for name in listed for line in described[name])]
    return _docstrings.join(text, [(_SECTION, lines)], after)


@functools.cache
def _entries(base: type) -> dict[str, list[str]]:
    """The lines of each entry of the ``Attributes:`` section of `base` (shared by its models)."""
    sections = _docstrings.split(inspect.cleandoc(base.__doc__ or ""), [_SECTION])[1]
    entries = _docstrings.entries(sections.get(_SECTION, []))
    del entries[""]  # lines before its first entry: not a field's
    return entries


def _annotations(cls: type) -> dict[str, object]:
    """The annotations of the class body of `cls` (the fields it declares itself)."""
    annotations: dict[str, object] = vars(cls).get("__annotations__", {})
    return annotations


def _struct_fields(cls: type) -> tuple[str, ...]:
    """The names of the fields of model `cls`, in order (without evaluating their types)."""
    names: tuple[str, ...] = getattr(cls, "__struct_fields__", ())
    return names


def _bases(cls: type) -> list[type]:
    """The model classes `cls` derives from, nearest first, up to (not with) `Model`."""
    return [base for base in cls.__mro__[1:] if is_model(base) and base is not Model]
