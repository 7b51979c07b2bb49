"""The docstrings of the builders, completed at import: their ``Args:`` in signature order with
the shared options' lines, and a ``UsageError`` in ``Raises:``, optionally on the sections of
another builder's docstring (see `_options.builder`).

Docstrings are Google-style: a text, then the sections ``Args:``, ``Returns:``, ``Yields:``,
``Raises:``, each entry indented by four spaces (``    name: ...``) and its next lines by more.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

__all__ = ["complete"]

SECTIONS = ("Args:", "Returns:", "Yields:", "Raises:")
USAGE_ERROR = "    UsageError: An argument is invalid."
_ENTRY = re.compile(r" {4}\**(\w+)( \(.*\))?:")
_NAMED = ("Args:", "Raises:")  # sections whose entries are merged by name


def complete(
    doc: str,
    parameters: Iterable[str],
    shared: Mapping[str, str],
    *,
    errors: Mapping[str, str] | None = None,
    like: str | None = None,
) -> str:
    """Return `doc` completed.

    Args:
        doc: A builder's own docstring, cleaned (`inspect.getdoc`).
        parameters: The names of its parameters, in order.
        shared: The description of each parameter that `doc` may leave out.
        errors: What each error that `doc` may leave out means (by its name).
        like: Another builder's docstring whose sections `doc` takes, its own entries and
            sections winning (an ``Args:`` entry of `like` only for a parameter of this one).

    Returns:
        The text of `doc`, then ``Args:`` with a line for every parameter, in order, from `doc`,
        `like` or `shared`; ``Returns:``/``Yields:``; and ``Raises:`` with a ``UsageError``.
    """
    names = list(parameters)
    text, sections = _parse(doc)
    if like is not None:
        sections = _merged(_parse(like)[1], sections, names)
    documented = _by_name(sections.get("Args:", []))
    args = documented.pop("")
    for name in names:
        if name in documented:
            args += documented.pop(name)
        elif name in shared:
            args.append(f"    {name}: {shared[name]}")
    sections["Args:"] = [*args, *(line for rest in documented.values() for line in rest)]
    raises = _by_name(sections.get("Raises:", []))
    for error, meaning in (errors or {}).items():
        raises.setdefault(error, [f"    {error}: {meaning}"])
    usage = raises.pop("UsageError", [USAGE_ERROR])  # last, as the catch-all
    sections["Raises:"] = [*(line for lines in raises.values() for line in lines), *usage]
    return "\n".join(
        [*text, *(line for s in SECTIONS if sections.get(s) for line in ("", s, *sections[s]))]
    )


def _parse(doc: str) -> tuple[list[str], dict[str, list[str]]]:
    """The text of `doc` before its sections, and the lines of each section."""
    text: list[str] = []
    sections: dict[str, list[str]] = {}
    lines = text
    for line in doc.splitlines():
        if line in SECTIONS:
            lines = sections[line] = []
        else:
            lines.append(line)
    for lines in (text, *sections.values()):
        while lines and not lines[-1].strip():
            lines.pop()
    return text, sections


def _by_name(lines: Iterable[str]) -> dict[str, list[str]]:
    """The lines of each entry of a section by its name; ``""`` holds lines before the first."""
    entries: dict[str, list[str]] = {"": []}
    entry = entries[""]
    for line in lines:
        if match := _ENTRY.match(line):
            entry = entries[match[1]] = []
        entry.append(line)
    return entries


def _merged(
    base: Mapping[str, list[str]], own: Mapping[str, list[str]], parameters: list[str]
) -> dict[str, list[str]]:
    merged = {**base, **own}
    for section in _NAMED:
        inherited = _by_name(base.get(section, []))
        if section == "Args:":
            inherited = {k: v for k, v in inherited.items() if k in parameters}
        entries = {**inherited, **_by_name(own.get(section, []))}
        merged[section] = [line for lines in entries.values() for line in lines]
    return merged
