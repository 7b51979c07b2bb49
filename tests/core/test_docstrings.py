"""The Google-style sections that the models' and the builders' docstrings are completed by."""

from __future__ import annotations

from consul_core import _docstrings

DOC = """Do it.

Args:
    a: The first.
        More of it.
    b (int): The second.

Returns:
    It.

Then a text after the sections."""


def test_split_finds_text_sections_and_the_text_after_them() -> None:
    text, sections, after = _docstrings.split(DOC, ["Args:", "Returns:"])
    assert text == ["Do it."]
    assert sections == {
        "Args:": ["    a: The first.", "        More of it.", "    b (int): The second."],
        "Returns:": ["    It."],
    }
    assert after == ["Then a text after the sections."]
    assert _docstrings.join(text, list(sections.items()), after) == DOC


def test_entries_by_name_with_the_lines_before_the_first() -> None:
    lines = ["    Some words first.", "    **a: A.", "        more", "    b (int): B."]
    assert _docstrings.entries(lines) == {
        "": ["    Some words first."],
        "a": ["    **a: A.", "        more"],
        "b": ["    b (int): B."],
    }


def test_join_leaves_out_an_empty_section() -> None:
    assert _docstrings.join([], [("Args:", []), ("Returns:", ["    X."])]) == "Returns:\n    X."
