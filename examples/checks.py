"""The local agent's checks: register a TTL check, report its state, deregister it (aioconsul's
examples).
"""

from __future__ import annotations

from typing import Any

from _runner import main, step

CHECK = {"ID": "mem", "Name": "Memory utilization", "TTL": "15s"}


async def run_async(client: Any) -> None:
    step("register", await client.checks.register(CHECK))
    mapping = await client.checks.items()
    step("items", {check_id: c.status for check_id, c in mapping.items()})
    step("critical", await client.checks.critical(CHECK, note="Fatal"))
    step("warning", await client.checks.warning(CHECK, note="Warning"))
    step("passing", await client.checks.passing(CHECK, note="Back to normal"))
    mapping = await client.checks.items()
    step("the check now", (mapping["mem"].status, mapping["mem"].output))
    step("deregister", await client.checks.deregister(CHECK))


# Generated from run_async by scripts/unasync.py: do not edit by hand.
def run_sync(client: Any) -> None:
    step("register", client.checks.register(CHECK))
    mapping = client.checks.items()
    step("items", {check_id: c.status for check_id, c in mapping.items()})
    step("critical", client.checks.critical(CHECK, note="Fatal"))
    step("warning", client.checks.warning(CHECK, note="Warning"))
    step("passing", client.checks.passing(CHECK, note="Back to normal"))
    mapping = client.checks.items()
    step("the check now", (mapping["mem"].status, mapping["mem"].output))
    step("deregister", client.checks.deregister(CHECK))


if __name__ == "__main__":
    main(run_async, run_sync)
