"""The ``Attributes:`` sections of the models, completed at import (by `consul_core.models`):
a line that many models share is written once, here, and the fields of an unexported base (a
group of fields that several models share, such as `consul_core.models._shared.Indexed`) are
documented once, by the base.

A completed section lists, in field order, each field that the model defines or takes from an
unexported base: with the model's own line if it has one, else the base's, else the shared one
below. The fields of an exported base (`ConfigEntryBase`) stay documented there; a docstring
without the section is left as written. Google style: an entry is ``    name: ...``, its next
lines indented further.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Iterable

from consul_core._codec import Model, is_model

__all__ = ["complete"]

SHARED = {
    "namespace": "(Enterprise) Its namespace.",
    "partition": "(Enterprise) Its admin partition.",
    "datacenter": "Its datacenter.",
    "description": "A human-readable description.",
    "hash": "The hash of its contents.",
}
"""The description of a field wherever a model does not describe it."""

_SECTION = "Attributes:"
_ENTRY = re.compile(r" {4}(\w+):")


def complete(exported: Iterable[object]) -> None:
    """Complete the ``Attributes:`` section of each model in `exported`.

    Args:
        exported: What the package exports; its models get their sections completed.
    """
    models = frozenset(cls for cls in exported if isinstance(cls, type) and is_model(cls))
    for cls in models:
        if _SECTION in (cls.__doc__ or ""):
            cls.__doc__ = _completed(cls, models)


def _completed(cls: type, exported: frozenset[type]) -> str:
    bases = [base for base in _bases(cls) if base not in exported]
    # The fields it defines or takes from an unexported base.
    owned = {name for owner in (cls, *bases) for name in vars(owner).get("__annotations__", {})}
    if not (bases or owned & SHARED.keys()):
        return cls.__doc__ or ""  # nothing it could take
    doc = inspect.cleandoc(cls.__doc__ or "")
    if _SECTION not in doc.splitlines():
        return cls.__doc__ or ""  # "Attributes:" in its text, not as a section
    text, entries, after = _parse(doc)
    described = {name: [f"    {name}: {line}"] for name, line in SHARED.items()}
    for base in reversed(bases):
        described.update(_entries(base))
    described.update(entries)
    fields = [name for name in _struct_fields(cls) if name in owned]
    listed = [name for name in fields if name in described]
    listed += [name for name in entries if name not in fields]  # not a field: kept, last
    if set(listed) == set(entries):
        return cls.__doc__ or ""  # nothing to add: the docstring as written
    lines = [line for name in listed for line in described[name]]
    return "\n".join([*text, _SECTION, *lines, *after])


@functools.cache
def _entries(base: type) -> dict[str, list[str]]:
    """The lines of each entry of the ``Attributes:`` section of `base` (shared by its models)."""
    return _parse(inspect.cleandoc(base.__doc__ or ""))[1]


def _struct_fields(cls: type) -> tuple[str, ...]:
    """The names of the fields of model `cls`, in order (without evaluating their types)."""
    names: tuple[str, ...] = getattr(cls, "__struct_fields__", ())
    return names


def _bases(cls: type) -> list[type]:
    """The model classes `cls` derives from, nearest first, up to (not with) `Model`."""
    return [base for base in cls.__mro__[1:] if is_model(base) and base is not Model]


def _parse(doc: str) -> tuple[list[str], dict[str, list[str]], list[str]]:
    """The lines of `doc` before its ``Attributes:`` section, the lines of each of its entries
    by name, and the lines after the section.
    """
    lines = doc.splitlines()
    if _SECTION not in lines:
        return lines, {}, []
    start = lines.index(_SECTION)
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or lines[end].startswith(" ")):
        end += 1
    entries: dict[str, list[str]] = {}
    entry: list[str] = []
    for line in lines[start + 1 : end]:
        if match := _ENTRY.match(line):
            entry = entries[match[1]] = []
        if line.strip():
            entry.append(line)
    return lines[:start], entries, ["", *lines[end:]] if end < len(lines) else []
