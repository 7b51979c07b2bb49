"""Project sessions: tests, cluster, lint, typecheck, demo, bench. Each installs what it needs."""

from __future__ import annotations

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["tests", "lint", "typecheck"]

TEST_DEPS = ".[test]"


def _install_consul(session: nox.Session) -> None:
    # Finds CONSUL_BIN or consul on PATH, else fetches Consul into the user's cache.
    session.run("python", "-m", "consul_transports.testing.install")


@nox.session
def tests(session: nox.Session) -> None:
    """Unit, driver and integration tests (a real Consul agent; fetched when missing)."""
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
    """KV benchmarks against raw httpx, aiohttp and py-consul on one agent, as ratios."""
    session.install("-e", ".[trio]", "aiohttp", "py-consul")
    _install_consul(session)
    session.run("python", "benchmarks/core_cost.py")
    session.run("python", "benchmarks/bench.py", *session.posargs)
