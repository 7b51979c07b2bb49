"""Google-style docstring sections, read and written by one set of rules for the code that
completes docstrings at import: the models' ``Attributes:`` (`consul_core.models._docs`) and the
builders' ``Args:``, ``Returns:``, ``Yields:`` and ``Raises:`` (`consul_core.endpoints._docs`).

A docstring is a text, then its sections, each a header line (``Args:``) and the lines below it;
a section ends at the next header, or at a line that is not indented (the text after the
sections). An entry of a section is a line ``    name: ...`` (or ``    name (type): ...``,
``    **name: ...``), its next lines indented further.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence

__all__ = ["entries", "join", "split"]

_ENTRY = re.compile(r" {4}\**(\w+)( \(.*\))?:")


def split(doc: str, headers: Collection[str]) -> tuple[list[str], dict[str, list[str]], list[str]]:
    """Split a docstring into its text, its sections and the text after them.

    Args:
        doc: A docstring, cleaned (`inspect.cleandoc`).
        headers: The headers of the sections to split off (``"Args:"``...).

    Returns:
        The lines before the first section, the lines of each section by its header (in the
        order they stand in `doc`) and the lines after the last section, each without trailing
        blank lines.
    """
    text: list[str] = []
    sections: dict[str, list[str]] = {}
    after: list[str] = []
    lines = text
    for line in doc.splitlines():
        if line in headers:
            lines = sections[line] = []
        elif lines is not text and lines is not after and line[:1].strip():
            lines = after  # not indented: the section has ended
            lines.append(line)
        else:
            lines.append(line)
    for lines in (text, *sections.values(), after):
        while lines and not lines[-1].strip():
            lines.pop()
    return text, sections, after


def join(
    text: Iterable[str], sections: Iterable[tuple[str, Sequence[str]]], after: Iterable[str] = ()
) -> str:
    """The docstring that `split` reads as `text`, `sections` and `after`.

    Args:
        text: The lines before the first section.
        sections: Each section's header and lines, in order; one without lines is left out.
        after: The lines after the last section.

    Returns:
        The parts, with a blank line between each and the next.
    """
    parts = [list(text), *([header, *lines] for header, lines in sections if lines), list(after)]
    joined: list[str] = []
    for part in filter(None, parts):
        joined += ["", *part] if joined else part
    return "\n".join(joined)


def entries(lines: Iterable[str]) -> dict[str, list[str]]:
    """The lines of each entry of a section, by the entry's name.

    Args:
        lines: A section's lines, without its header.

    Returns:
        The lines of each entry, in order; ``""`` holds the lines before the first.
    """
    found: dict[str, list[str]] = {"": []}
    entry = found[""]
    for line in lines:
        if match := _ENTRY.match(line):
            entry = found[match[1]] = []
        entry.append(line)
    return found
