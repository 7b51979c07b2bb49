"""The code shown in the README and the guide still matches the API: every snippet parses, every
name it imports exists, and every call of a client's constructor (``Consul(...)``) or on a client
(``client.kv.get(...)``, ``client.lock(...)``, ...) names a method the clients have, with
arguments its signature accepts.

Snippets leave things out (``client``, ``serve()``, ...), so they are not run: the names they
take from the API are checked against it. Run by ``nox -s docs``.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from consul_transports import asyncio as asyncio_client
from consul_transports import sync as sync_client

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
_FENCE = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
# The names the snippets give a client.
CLIENT_NAMES = frozenset({"client", "east", "west"})
# What stands for a client's namespaces and methods: one client of each kind (built without
# any I/O); a call passes when either kind has it.
CLIENTS = (sync_client.Consul("127.0.0.1:1"), asyncio_client.Consul("127.0.0.1:1"))


_INCLUDE = re.compile(r'^--8<-- "([^"]+)"$', re.M)


def _snippets() -> Iterator[Any]:
    for page in PAGES:
        text = page.read_text()
        for match in _FENCE.finditer(text):
            line = text.count("\n", 0, match.start()) + 2
            name = f"{page.relative_to(ROOT)}:{line}"
            # A file the page includes (pymdownx.snippets) is checked as the page shows it.
            source = _INCLUDE.sub(lambda found: (ROOT / found[1]).read_text(), match.group(1))
            yield pytest.param(source, id=name)


SNIPPETS = list(_snippets())


def _parse(source: str) -> ast.Module:
    flags = ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
    tree = compile(source, "<snippet>", "exec", flags=flags)
    assert isinstance(tree, ast.Module)
    return tree


def _client_chain(node: ast.expr) -> list[str] | None:
    """``["kv", "get"]`` for ``client.kv.get``, ``[]`` for ``Consul``; None when the call is
    neither on a client nor of its constructor.
    """
    names: list[str] = []
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name) and node.id in CLIENT_NAMES and names:
        return names[::-1]
    if isinstance(node, ast.Name) and node.id == "Consul" and not names:
        return []
    return None


def _resolve(chain: list[str]) -> list[Any]:
    """The objects `chain` names on each kind of client that has it (the client's class for
    the constructor).
    """
    found = []
    for client in CLIENTS:
        target: Any = client if chain else type(client)
        try:
            for name in chain:
                target = getattr(target, name)
        except AttributeError:
            continue
        found.append(target)
    return found


def _accepts(target: Any, call: ast.Call) -> bool:
    """Whether `target`'s signature takes the call's positional count and keyword names."""
    if any(isinstance(arg, ast.Starred) for arg in call.args) or any(
        keyword.arg is None for keyword in call.keywords
    ):
        return True  # *args or **options: nothing to check by name
    try:
        signature = inspect.signature(target)
    except (TypeError, ValueError):
        return True
    keywords = {keyword.arg: None for keyword in call.keywords if keyword.arg}
    try:
        signature.bind(*call.args, **keywords)
    except TypeError:
        return False
    return True


def test_there_are_snippets() -> None:
    assert len(SNIPPETS) > 30


@pytest.mark.parametrize("source", SNIPPETS)
def test_imports_exist(source: str) -> None:
    for node in ast.walk(_parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module != "__future__":
            module = importlib.import_module(node.module)
            for alias in node.names:
                assert hasattr(module, alias.name) or importlib.util.find_spec(
                    f"{node.module}.{alias.name}"
                ), f"from {node.module} import {alias.name}: no such name"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                importlib.import_module(alias.name)


@pytest.mark.parametrize("source", SNIPPETS)
def test_client_calls_match_the_api(source: str) -> None:
    for node in ast.walk(_parse(source)):
        if not isinstance(node, ast.Call):
            continue
        chain = _client_chain(node.func)
        if chain is None:
            continue
        targets = _resolve(chain)
        shown = ".".join(["client", *chain]) if chain else "Consul"
        assert targets, f"{shown}: no client has it"
        assert any(_accepts(target, node) for target in targets), (
            f"{shown}{ast.unparse(node)[len(ast.unparse(node.func)) :]}: "
            "not what its signature takes"
        )
