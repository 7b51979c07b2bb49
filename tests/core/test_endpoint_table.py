"""Keeps docs/endpoints.md honest against the list of documented endpoints
(docs/consul-http-api.tsv), the code and the tests: every endpoint of the list has its row, with
its status and Enterprise marker; every row names real client methods proven as it says; the
methods of deprecated and removed endpoints say so; every endpoint method has a row.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from consul_core import Namespace, endpoint
from consul_transports.sync import Consul
from consul_transports.testing import MockTransport

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "docs" / "endpoints.md"
LIST = ROOT / "docs" / "consul-http-api.tsv"
TESTED_VERSION = (1, 8, 7)
PROOFS = {"live", "golden", "missing"}
_ROW = re.compile(r"^\| (?P<http>[A-Z]+ /\S+) \|(?P<rest>.*)\|$")
_STATUS = re.compile(
    r"(?P<status>current|deprecated|removed|undocumented)"
    r"(?: in (?P<version>\d+(?:\.\d+)+))?(?P<enterprise> \(Enterprise\))?"
)


@attrs.frozen
class Listed:
    """An endpoint of the documented list."""

    status: str
    enterprise: bool
    since: tuple[int, ...] | None


@attrs.frozen
class Row:
    """A row of docs/endpoints.md."""

    http: str
    methods: tuple[str, ...]
    proof: str
    status: str
    version: str | None
    enterprise: bool
    note: str

    @property
    def base(self) -> str:
        """The endpoint without its query string (a variant's listed endpoint)."""
        return self.http.partition("?")[0]


def _version(text: str) -> tuple[int, ...] | None:
    return tuple(int(part) for part in text.split(".")) if text else None


def _listed() -> dict[str, Listed]:
    with LIST.open(newline="") as file:
        return {
            f"{row['method']} {row['path']}": Listed(
                row["status"], row["enterprise"] == "yes", _version(row["since"])
            )
            for row in csv.DictReader(file, delimiter="\t")
        }


def _rows() -> list[Row]:
    rows = []
    for line in TABLE.read_text().splitlines():
        match = _ROW.match(line)
        if not match:
            continue
        methods, proof, status, note = (cell.strip() for cell in match["rest"].split("|"))
        parsed = _STATUS.fullmatch(status)
        assert parsed, f"{match['http']}: unreadable status {status!r}"
        rows.append(
            Row(
                match["http"],
                tuple(m.strip().strip("`") for m in methods.split(",") if m.strip()),
                proof,
                parsed["status"],
                parsed["version"],
                bool(parsed["enterprise"]),
                note,
            )
        )
    return rows


LISTED = _listed()
ROWS = _rows()


def _client() -> Consul:
    return Consul("127.0.0.1:1", transport=MockTransport(lambda request: NotImplemented))


CLIENT = _client()


def _endpoint_methods(target: Any, prefix: str) -> Iterator[str]:
    for name in dir(type(target)):
        if isinstance(getattr(type(target), name, None), endpoint):
            yield f"{prefix}{name}"
    for name, value in vars(target).items():
        if isinstance(value, Namespace) and value is not target:
            yield from _endpoint_methods(value, f"{prefix}{name}.")


def _method(dotted: str) -> Callable[..., Any]:
    target: Any = CLIENT
    for part in dotted.split("."):
        target = getattr(target, part)
    assert callable(target), f"{dotted} is not a method"
    return target  # type: ignore[no-any-return]


def _tests_text(folder: str) -> str:
    return "\n".join(p.read_text() for p in (ROOT / "tests" / folder).rglob("test_*.py"))


INTEGRATION = _tests_text("integration")
CORE = _tests_text("core")


def _path_pattern(http: str) -> re.Pattern[str]:
    """The requests to the row's path that a golden test spells: ``:name`` is any segment."""
    path = http.split(" ", 1)[1]
    parts = re.split(r"(:\w+)", path)
    return re.compile(
        "".join(r"[^\s\"'?]+" if part.startswith(":") else re.escape(part) for part in parts)
        + r"(?![\w/-])"
    )


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
        method = _method(dotted)
        if row.proof == "live":
            assert listed is None or not listed.enterprise, f"{row.http} is Enterprise-only"
            assert listed is None or listed.since is None or listed.since <= TESTED_VERSION
            call = rf"\.{re.escape(dotted)}\b"
            assert re.search(call, INTEGRATION), f"no integration test calls {dotted}"
        else:
            assert re.search(rf"\.{method.__name__}\(", CORE), f"no core test builds {dotted}"
            assert _path_pattern(row.http).search(CORE), f"no core test requests {row.http}"


@pytest.mark.parametrize(
    "row", [r for r in ROWS if r.status in ("deprecated", "removed") and r.methods]
)
def test_methods_of_deprecated_and_removed_endpoints_say_so(row: Row) -> None:
    phrase = f"{row.status} in consul {row.version}"
    for dotted in row.methods:
        doc = " ".join((_method(dotted).__doc__ or "").lower().split())
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
