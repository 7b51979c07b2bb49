"""Measure the endpoint builders: how many there are and how long a typical one is.

A builder is a public function (no leading underscore) of ``src/consul_core`` whose return
annotation starts with ``Call[``. Its length runs from its first decorator (or ``def``) to its
last line, docstring included. Prints the count, the median and mean length, and the share of
builder lines that are docstring.

    python scripts/builder_stats.py [SRC]
"""

from __future__ import annotations

import ast
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _builders(tree: ast.Module) -> list[ast.FunctionDef]:
    return [
        node
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and not node.name.startswith("_")
        and node.returns is not None
        and ast.unparse(node.returns).startswith("Call[")
    ]


def _span(node: ast.FunctionDef) -> tuple[int, int]:
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    return first, node.end_lineno or node.lineno


def _docstring_lines(node: ast.FunctionDef) -> int:
    first = node.body[0]
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        return (first.end_lineno or first.lineno) - first.lineno + 1
    return 0


def main(source: Path) -> None:
    """Print the figures for the builders under `source`."""
    lengths: list[int] = []
    doc_lines = 0
    for path in sorted(source.rglob("*.py")):
        for node in _builders(ast.parse(path.read_text(), str(path))):
            first, last = _span(node)
            lengths.append(last - first + 1)
            doc_lines += _docstring_lines(node)
    if not lengths:
        sys.exit(f"no builder under {source}")
    print(f"builders: {len(lengths)}")
    print(f"median lines: {statistics.median(lengths):g}")
    print(f"mean lines: {statistics.mean(lengths):.1f}")
    print(f"docstring share: {doc_lines / sum(lengths):.0%}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "src" / "consul_core")
