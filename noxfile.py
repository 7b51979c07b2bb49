"""Project sessions: tests, cluster, lint, typecheck, demo, bench. Each installs what it needs."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["tests", "lint", "typecheck"]

TEST_DEPS = ".[test]"
SUPPORTED_PYTHONS = ("3.10", "3.11", "3.12", "3.13")
# The test sessions of the supported Pythons run side by side: their tests mostly wait on the
# agent and on timeouts, so four of them share two cores well.
nox.options.parallel = len(SUPPORTED_PYTHONS)
nox.needs_version = ">=2026.10.20"


def _starts(command: str) -> bool:
    path = shutil.which(command)
    if path is None:
        return False
    ran = subprocess.run([path, "-c", ""], check=False, capture_output=True)
    return ran.returncode == 0


def _available_pythons() -> list[str]:
    """The supported Pythons this machine has, for the tests to run on each.

    A version whose ``pythonX.Y`` does not start (a pyenv shim of a version not selected) but
    that pyenv installed is linked into ``.nox/pythons``, put first on PATH for nox to find.
    """
    links = Path(__file__).parent / ".nox" / "pythons"
    pyenv = Path(os.environ.get("PYENV_ROOT") or "~/.pyenv").expanduser()
    found = []
    for version in SUPPORTED_PYTHONS:
        name = f"python{version}"
        installed = sorted(pyenv.glob(f"versions/{version}.*/bin/{name}"))
        if not _starts(name) and installed:
            links.mkdir(parents=True, exist_ok=True)
            (links / name).unlink(missing_ok=True)
            (links / name).symlink_to(installed[-1])
        if _starts(str(links / name)) or _starts(name):
            found.append(version)
    if links.is_dir():
        os.environ["PATH"] = f"{links}{os.pathsep}{os.environ['PATH']}"
    return found


PYTHONS = _available_pythons()


def _install_consul(session: nox.Session) -> None:
    # Finds CONSUL_BIN or consul on PATH, else fetches Consul into the user's cache.
    session.run("python", "-m", "consul_transports.testing.install")


@nox.session(python=PYTHONS, allow_parallel=True)
def tests(session: nox.Session) -> None:
    """Unit, driver and integration tests, on each supported Python the machine has.

    The integration tests start a real Consul agent (fetched when missing).
    """
    session.install("-e", TEST_DEPS)
    _install_consul(session)
    session.run("pytest", "-n", "2", "--ignore=tests/cluster", *session.posargs)


@nox.session
def cluster(session: nox.Session) -> None:
    """A 3-server cluster losing its leader under locks, semaphores, watches and keepalives
    (one cluster for the session, so no xdist; prints what it measures).
    """
    session.install("-e", TEST_DEPS)
    _install_consul(session)
    session.run("pytest", "tests/cluster", "-n", "0", "-s", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff lint and format check."""
    session.install("ruff==0.17.6")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict and pyright (basedpyright in pyright's standard mode), incl. tests/typing."""
    session.install("-e", TEST_DEPS, "mypy==2.4.1", "basedpyright==1.40.2")
    session.run("mypy")
    session.run("basedpyright", "--pythonpath", session.virtualenv.location + "/bin/python")


@nox.session
def demo(session: nox.Session) -> None:
    """Start an embedded dev agent and run every example under asyncio, trio and sync."""
    session.install("-e", ".[trio]")
    _install_consul(session)
    session.run("python", "examples/demo.py")


@nox.session
def bench(session: nox.Session) -> None:
    """KV benchmarks against raw httpx, aiohttp, py-consul and the floor on one agent, in
    interleaved rounds; results in benchmarks/results/ (JSON and a PNG chart) and
    docs/benchmarks.md.
    """
    session.install("-e", ".[trio]", "aiohttp", "py-consul", "uvloop", "matplotlib")
    _install_consul(session)
    session.run("python", "benchmarks/core_cost.py")
    session.run("python", "benchmarks/bench.py", *session.posargs)
    session.run("python", "benchmarks/report.py")
