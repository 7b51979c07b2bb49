"""The rows of docs/endpoints.md and of the list of documented endpoints it answers
(docs/consul-http-api.tsv), for the tests that keep the page honest.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from consul_transports.sync import Consul
from consul_transports.testing import MockTransport

ROOT = Path(__file__).resolve().parents[1]
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


def path_pattern(http: str) -> re.Pattern[str]:
    """The requests to the row's path that a golden test spells: ``:name`` is any segment."""
    path = http.split(" ", 1)[1]
    parts = re.split(r"(:\w+)", path)
    return re.compile(
        "".join(r"[^\s\"'?]+" if part.startswith(":") else re.escape(part) for part in parts)
        + r"(?![\w/-])"
    )


CLIENT = Consul("127.0.0.1:1", transport=MockTransport(lambda request: NotImplemented))


def method(dotted: str) -> Callable[..., Any]:
    """The method of a (sync, unconnected) client that a row names: ``"acl.tokens.read"``."""
    target: Any = CLIENT
    for part in dotted.split("."):
        target = getattr(target, part)
    assert callable(target), f"{dotted} is not a method"
    return target  # type: ignore[no-any-return]
