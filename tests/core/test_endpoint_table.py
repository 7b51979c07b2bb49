"""Keeps docs/endpoints.md honest against the list of documented endpoints
(docs/consul-http-api.tsv), the code and the tests: every endpoint of the list has its row, with
its status and Enterprise marker; every row names real client methods proven as it says; the
methods of deprecated and removed endpoints say so; every endpoint method has a row.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from consul_core import Namespace, endpoint
from tests.endpoint_table import (
    CLIENT,
    LISTED,
    PROOFS,
    ROOT,
    ROWS,
    TABLE,
    TESTED_VERSION,
    Row,
    method,
    path_pattern,
)


def _endpoint_methods(target: Any, prefix: str) -> Iterator[str]:
    for name in dir(type(target)):
        if isinstance(getattr(type(target), name, None), endpoint):
            yield f"{prefix}{name}"
    for name, value in vars(target).items():
        if isinstance(value, Namespace) and value is not target:
            yield from _endpoint_methods(value, f"{prefix}{name}.")


def _tests_text(folder: str) -> str:
    return "\n".join(p.read_text() for p in (ROOT / "tests" / folder).rglob("test_*.py"))


INTEGRATION = _tests_text("integration")
CORE = _tests_text("core")


def test_the_table_reads() -> None:
    assert len(ROWS) > len(LISTED) > 150
    assert {row.proof for row in ROWS} <= PROOFS
    https = [row.http for row in ROWS]
    assert len(https) == len(set(https)), "an HTTP endpoint is listed twice"


def test_every_listed_endpoint_has_its_row() -> None:
    assert set(LISTED) - {row.http for row in ROWS} == set()


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.http)
def test_each_row_says_what_the_list_says(row: Row) -> None:
    if row.status == "undocumented":
        assert row.base not in LISTED, f"{row.http} is documented"
        return
    listed = LISTED.get(row.http) or LISTED.get(row.base)
    assert listed, f"{row.http} is neither listed nor a variant of a listed endpoint"
    assert (row.status, row.enterprise) == (listed.status, listed.enterprise)
    if row.methods and row.status != "current":
        assert row.version, f"{row.http}: a {row.status} endpoint with a method needs a version"


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.http)
def test_each_row_is_proven_as_it_says(row: Row) -> None:
    if row.proof == "missing":
        assert not row.methods
        if row.status in ("current", "undocumented"):
            assert row.note, f"{row.http} is missing without a reason"
        return
    assert row.methods, f"{row.http}: a {row.proof} row names no method"
    listed = LISTED.get(row.http) or LISTED.get(row.base)
    for dotted in row.methods:
        bound = method(dotted)
        if row.proof == "live":
            assert listed is None or not listed.enterprise, f"{row.http} is Enterprise-only"
            assert listed is None or listed.since is None or listed.since <= TESTED_VERSION
            call = rf"\.{re.escape(dotted)}\b"
            assert re.search(call, INTEGRATION), f"no integration test calls {dotted}"
        else:
            assert re.search(rf"\.{bound.__name__}\(", CORE), f"no core test builds {dotted}"
            assert path_pattern(row.http).search(CORE), f"no core test requests {row.http}"


@pytest.mark.parametrize(
    "row", [r for r in ROWS if r.status in ("deprecated", "removed") and r.methods]
)
def test_methods_of_deprecated_and_removed_endpoints_say_so(row: Row) -> None:
    phrase = f"{row.status} in consul {row.version}"
    for dotted in row.methods:
        doc = " ".join((method(dotted).__doc__ or "").lower().split())
        assert phrase in doc, f"{dotted}'s docstring does not say {phrase!r}"


def test_every_endpoint_method_has_a_row() -> None:
    listed = {method for row in ROWS for method in row.methods}
    assert set(_endpoint_methods(CLIENT, "")) - listed == set()


def test_the_totals_are_the_tables() -> None:
    counts = Counter((row.status, row.proof) for row in ROWS if row.http in LISTED)
    totals = "; ".join(
        f"{status}: {counts[status, 'live']} live, {counts[status, 'golden']} golden, "
        f"{counts[status, 'missing']} missing"
        for status in ("current", "deprecated", "removed")
    )
    expected = f"Totals over the {len(LISTED)} endpoints of the list: {totals}."
    assert expected in " ".join(TABLE.read_text().split())
