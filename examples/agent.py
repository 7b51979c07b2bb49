"""The local agent: describe it, put its node in maintenance and take it out (aioconsul's
examples).
"""

from __future__ import annotations

from typing import Any

from _runner import main, step


async def run_async(client: Any) -> None:
    obj = await client.agent.info()
    step("info", (obj.config.node_name, obj.config.version, obj.member.addr))
    step("disable", await client.agent.disable(reason="migrating"))
    check = (await client.checks.items())["_node_maintenance"]
    step("the maintenance check", (check.status, check.notes))
    step("enable", await client.agent.enable(reason="migration done"))
    step("still in maintenance", "_node_maintenance" in await client.checks.items())


# Generated from run_async by scripts/unasync.py: do not edit by hand.
def run_sync(client: Any) -> None:
    obj = client.agent.info()
    step("info", (obj.config.node_name, obj.config.version, obj.member.addr))
    step("disable", client.agent.disable(reason="migrating"))
    check = client.checks.items()["_node_maintenance"]
    step("the maintenance check", (check.status, check.notes))
    step("enable", client.agent.enable(reason="migration done"))
    step("still in maintenance", "_node_maintenance" in client.checks.items())


if __name__ == "__main__":
    main(run_async, run_sync)
