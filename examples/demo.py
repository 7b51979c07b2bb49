"""The demo: start an embedded Consul dev agent and run every example under asyncio, trio and
sync, printing what each step did. Run it with ``nox -s demo`` (or ``python examples/demo.py``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from consul_transports.testing import ConsulAgent

HERE = Path(__file__).parent
DRIVERS = ("asyncio", "trio", "sync")


def examples() -> list[Path]:
    """Every example script beside this one."""
    return sorted(
        p for p in HERE.glob("*.py") if not p.name.startswith("_") and p.name != "demo.py"
    )


def main() -> int:
    """Run every example with every driver; return the number of failures."""
    failures = 0
    # Prometheus metrics for examples/agent_text.py.
    telemetry = {"telemetry": {"prometheus_retention_time": "60s"}}
    with ConsulAgent(acl=True, extra_config=telemetry) as agent:
        print(f"Consul dev agent at {agent.address} (ACLs on)")
        env = {**os.environ, "CONSUL_HTTP_ADDR": agent.address}
        env["CONSUL_HTTP_TOKEN"] = agent.master_token or ""
        for script in examples():
            for driver in DRIVERS:
                print(f"\n== {script.stem} [{driver}]", flush=True)
                done = subprocess.run([sys.executable, str(script), driver], env=env, check=False)
                if done.returncode:
                    failures += 1
                    print(f"!! {script.name} failed under {driver} ({done.returncode})")
    print(f"\n{len(examples()) * len(DRIVERS) - failures} example runs passed, {failures} failed")
    return failures


if __name__ == "__main__":
    sys.exit(1 if main() else 0)
