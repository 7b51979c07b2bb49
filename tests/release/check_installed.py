"""The installed package on its own: run by ``nox -s build`` with the Python of a fresh virtualenv
holding a built wheel (or sdist), as ``python -I check_installed.py`` from a temporary folder that
also holds ``kv.py`` and ``_runner.py`` from examples/.

Every package must import from the virtualenv's site-packages, never from a source tree; then a
dev agent (from the installed ``consul_transports.testing``) serves the KV example, run by the
sync and the asyncio client.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

MODULES = (
    "consul_core",
    "consul_core.endpoints",
    "consul_core.models",
    "consul_core.flows",
    "consul_transports",
    "consul_transports.asyncio",
    "consul_transports.trio",
    "consul_transports.sync",
    "consul_transports.testing",
)
DRIVERS = ("sync", "asyncio")  # trio is an extra: the base install runs these two
EXAMPLE_TIMEOUT = 120


def check_imports() -> None:
    """Import every public package and check that it comes from this virtualenv."""
    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    for name in MODULES:
        where = Path(importlib.import_module(name).__file__ or "").resolve()
        if site not in where.parents:
            raise SystemExit(f"{name} was imported from {where}, not from {site}")
        print(f"imported {name} from {where.relative_to(site)}")


def run_example() -> None:
    """Run kv.py beside this script against a dev agent with ACLs on."""
    from consul_transports.testing import ConsulAgent

    example = Path(__file__).resolve().parent / "kv.py"
    with ConsulAgent(acl=True) as agent:
        env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
        env.update(CONSUL_HTTP_ADDR=agent.address, CONSUL_HTTP_TOKEN=agent.master_token or "")
        for driver in DRIVERS:
            print(f"== {example.name} [{driver}] against {agent.address}", flush=True)
            subprocess.run(
                [sys.executable, "-s", str(example), driver],
                env=env,
                check=True,
                timeout=EXAMPLE_TIMEOUT,
            )


if __name__ == "__main__":
    check_imports()
    run_example()
