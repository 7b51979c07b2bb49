"""The repository's two distributions stay one release: the client (the root pyproject.toml)
and the core alone (packages/core) have one version, the client pins the core to it, and the
core ships the project's sources and license.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "packages" / "core"


def _version(pyproject: Path) -> str:
    found = re.search(r'^version = "([^"]+)"$', pyproject.read_text(), re.MULTILINE)
    assert found, pyproject
    return found.group(1)


def test_the_client_pins_the_core_to_its_own_version() -> None:
    version = _version(ROOT / "pyproject.toml")
    assert _version(CORE / "pyproject.toml") == version
    assert f'"consul-sansio-core=={version}"' in (ROOT / "pyproject.toml").read_text()


def test_the_core_ships_the_project_s_sources_and_license() -> None:
    assert (CORE / "src" / "consul_core").resolve() == ROOT / "src" / "consul_core"
    assert (CORE / "LICENSE").read_bytes() == (ROOT / "LICENSE").read_bytes()
