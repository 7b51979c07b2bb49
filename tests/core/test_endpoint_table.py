"""Keeps docs/endpoints.md honest: every row names a real client method proven as it says, and
every endpoint method of every namespace has a row."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from consul_core import Namespace, endpoint
from consul_transports.sync import Consul
from consul_transports.testing import MockTransport

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "docs" / "endpoints.md"
ROW = re.compile(
    r"^\|\s*(?P<http>[A-Z]+ /v1/\S*)\s*\|\s*`?(?P<method>[a-z_.]*)`?\s*\|\s*(?P<proof>\w+)\s*\|"
)
PROOFS = {"live", "golden", "missing"}


def _rows() -> list[tuple[str, str, str]]:
    rows = []
    for line in TABLE.read_text().splitlines():
        match = ROW.match(line)
        if match:
            rows.append((match["http"], match["method"], match["proof"]))
    return rows


def _client() -> Consul:
    return Consul("127.0.0.1:1", transport=MockTransport(lambda request: NotImplemented))


def _endpoint_methods(namespace: Namespace[object], prefix: str) -> Iterator[str]:  # type: ignore[type-var]
    for name in dir(type(namespace)):
        if isinstance(getattr(type(namespace), name, None), endpoint):
            yield f"{prefix}.{name}"
    for name, value in vars(namespace).items():
        if isinstance(value, Namespace):
            yield from _endpoint_methods(value, f"{prefix}.{name}")


def _all_endpoint_methods() -> set[str]:
    client = _client()
    methods: set[str] = set()
    for name, value in vars(client).items():
        if isinstance(value, Namespace):
            methods.update(_endpoint_methods(value, name))
    return methods


def _tests_text(folder: str) -> str:
    return "\n".join(p.read_text() for p in (ROOT / "tests" / folder).rglob("test_*.py"))


def test_table_rows_are_well_formed() -> None:
    rows = _rows()
    assert rows, "docs/endpoints.md lists no endpoint"
    assert {proof for _, _, proof in rows} <= PROOFS
    https = [http for http, _, _ in rows]
    assert len(https) == len(set(https)), "an HTTP endpoint is listed twice"


@pytest.mark.parametrize(("http", "method", "proof"), [r for r in _rows() if r[2] != "missing"])
def test_each_row_names_a_method_that_is_proven(http: str, method: str, proof: str) -> None:
    target: object = _client()
    for part in method.split("."):
        target = getattr(target, part)
    assert callable(target), f"{method} ({http}) is not a method"
    name = method.rsplit(".", 1)[-1]
    if proof == "live":
        assert re.search(rf"\.{name}\b", _tests_text("integration")), f"no live test calls {method}"
    else:
        assert re.search(rf"\.{name}\(", _tests_text("core")), f"no golden test builds {method}"


def test_every_endpoint_method_has_a_row() -> None:
    listed = {method for _, method, _ in _rows()}
    assert _all_endpoint_methods() - listed == set()
