"""Project sessions: tests, cluster, lint, typecheck, demo, bench, docs, build. Each installs
what it needs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["tests", "lint", "typecheck"]

# The two distributions of the repository, installed for development: the sans-IO core
# (packages/core, consul_core alone) and the client (consul_transports) that depends on it.
CORE = "packages/core"
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


def _develop(session: nox.Session, extras: str, *more: str) -> None:
    """Install the core and the client in development mode, the client with `extras`."""
    session.install("-e", CORE, "-e", f".[{extras}]", *more)


def _install_consul(session: nox.Session) -> None:
    # Finds CONSUL_BIN or consul on PATH, else fetches Consul into the user's cache.
    session.run("python", "-m", "consul_transports.testing.install")


@nox.session(python=PYTHONS, allow_parallel=True)
def tests(session: nox.Session) -> None:
    """Unit, driver and integration tests, on each supported Python the machine has.

    The integration tests start a real Consul agent (fetched when missing).
    """
    _develop(session, "test")
    _install_consul(session)
    session.run(
        "pytest", "-n", "2", "--ignore=tests/cluster", "--ignore=tests/docs", *session.posargs
    )


@nox.session
def cluster(session: nox.Session) -> None:
    """A 3-server cluster losing its leader under locks, semaphores, watches and keepalives
    (one cluster for the session, so no xdist; prints what it measures).
    """
    _develop(session, "test")
    _install_consul(session)
    session.run("pytest", "tests/cluster", "-n", "0", "-s", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff lint and format check, and the generated sync twins up to date with their async
    sources (scripts/unasync.py).
    """
    session.install("ruff==0.17.6")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("python", "scripts/unasync.py", "--check")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict and pyright (basedpyright in pyright's standard mode), incl. tests/typing."""
    _develop(session, "test", "mypy==2.4.1", "basedpyright==1.40.2")
    session.run("mypy")
    session.run("basedpyright", "--pythonpath", session.virtualenv.location + "/bin/python")


@nox.session
def demo(session: nox.Session) -> None:
    """Start an embedded dev agent and run every example under asyncio, trio and sync."""
    _develop(session, "trio")
    _install_consul(session)
    session.run("python", "examples/demo.py")


ROOT = Path(__file__).parent
SITE = ROOT / "build" / "site"
DIST = ROOT / "dist"
# Folders that hold no distribution of the project (virtualenvs, build output).
_NOT_SOURCES = frozenset({".git", ".nox", "build", "dist", "node_modules", "__pycache__"})


@nox.session
def docs(session: nox.Session) -> None:
    """The documentation site: ``mkdocs build --strict`` into build/site (a broken link or a
    missing reference fails), then the built site opened in headless Chromium (Debian's
    ``chromium`` package) by tests/docs; screenshots land in build/screenshots.
    """
    # ruff formats the reference's signatures (mkdocstrings runs it when it is installed);
    # trio and otel: the snippets test imports what the pages import.
    _develop(session, "docs,trio,otel", "pytest", "pytest-timeout", "ruff==0.17.6")
    session.run("mkdocs", "build", "--strict", env={"NO_MKDOCS_2_WARNING": "1"})
    session.run("pytest", "tests/docs", "--confcutdir=tests/docs", *session.posargs)


def _distributions() -> list[Path]:
    """Every folder of the repository whose pyproject.toml defines a distribution."""
    found = []
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = sorted(d for d in subfolders if d not in _NOT_SOURCES)
        if "pyproject.toml" in files:
            text = (Path(folder) / "pyproject.toml").read_text(encoding="utf-8")
            if re.search(r"^\[project\]", text, re.MULTILINE):
                found.append(Path(folder))
    return found


@nox.session
def build(session: nox.Session) -> None:
    """Build the wheel and the sdist of every distribution in the repository into dist/, then
    install the wheels into one fresh virtualenv and the sdists into another (no editable
    install, run from a temporary folder, so nothing comes from the source tree), import
    consul_core and the three clients from it, and run examples/kv.py against a dev agent.
    """
    session.install("build")
    shutil.rmtree(DIST, ignore_errors=True)
    for folder in _distributions():
        session.run("python", "-m", "build", "--outdir", str(DIST), str(folder))
    with tempfile.TemporaryDirectory(prefix="consul-sansio-release-") as tmp:
        work = Path(tmp)
        shutil.copy(ROOT / "tests" / "release" / "check_installed.py", work)
        for name in ("kv.py", "_runner.py"):
            shutil.copy(ROOT / "examples" / name, work)
        shutil.copy(ROOT / "tests" / "release" / "check_core_alone.py", work)
        for kind in ("whl", "tar.gz"):
            artifacts = sorted(str(path) for path in DIST.glob(f"*.{kind}"))
            assert len(artifacts) == len(_distributions()), f"not every .{kind} in {DIST}"
            python = _fresh_venv(session, work / f"venv-{kind}", artifacts)
            with session.chdir(work):
                session.run(python, "-I", "check_installed.py", external=True)
        # The core alone, as a library that brings its own I/O installs it.
        (core_wheel,) = DIST.glob("consul_sansio_core-*.whl")
        python = _fresh_venv(session, work / "venv-core", [str(core_wheel)])
        with session.chdir(work):
            session.run(python, "-I", "check_core_alone.py", external=True)


def _fresh_venv(session: nox.Session, venv: Path, artifacts: list[str]) -> str:
    """A new virtualenv at `venv` with `artifacts` installed; its Python."""
    session.run("python", "-m", "venv", str(venv))
    python = str(venv / "bin" / "python")
    session.run(python, "-m", "pip", "install", "--quiet", *artifacts, external=True)
    return python


@nox.session
def bench(session: nox.Session) -> None:
    """KV benchmarks against raw httpx, aiohttp, py-consul and the floor on one agent, in
    interleaved rounds; results in benchmarks/results/ (JSON and a PNG chart) and
    docs/benchmarks.md.
    """
    _develop(session, "trio", "aiohttp", "py-consul", "uvloop", "matplotlib")
    _install_consul(session)
    session.run("python", "benchmarks/core_cost.py")
    session.run("python", "benchmarks/decode_cost.py")
    session.run("python", "benchmarks/cold_cost.py")
    session.run("python", "benchmarks/bench.py", *session.posargs)
    session.run("python", "benchmarks/snapshot_memory.py")
    session.run("python", "benchmarks/report.py")
