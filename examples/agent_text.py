"""The agent's answers in plain text: its metrics in Prometheus' format (the demo's agent keeps
them: ``telemetry.prometheus_retention_time``), and the aggregated health status of a local
service's instances as its TTL check moves.
"""

from __future__ import annotations

from typing import Any

from _runner import main, step

SERVICE = {"ID": "cache-1", "Name": "cache", "Check": {"TTL": "60s"}}


def _goroutines(text: str) -> str:
    return next(line for line in text.splitlines() if line.startswith("go_goroutines "))


async def run_async(client: Any) -> None:
    text = await client.agent.metrics_prometheus()
    step("prometheus", (len(text.splitlines()), _goroutines(text)))
    await client.services.register(SERVICE)
    try:
        step("a new TTL check", await client.services.health_status("cache-1"))
        await client.checks.passing("service:cache-1")
        step("after passing", await client.services.health_status_by_name("cache"))
        await client.services.disable("cache-1", reason="upgrade")
        step("in maintenance", await client.services.health_status("cache-1"))
    finally:
        await client.services.deregister("cache-1")


# Generated from run_async by scripts/unasync.py: do not edit by hand.
def run_sync(client: Any) -> None:
    text = client.agent.metrics_prometheus()
    step("prometheus", (len(text.splitlines()), _goroutines(text)))
    client.services.register(SERVICE)
    try:
        step("a new TTL check", client.services.health_status("cache-1"))
        client.checks.passing("service:cache-1")
        step("after passing", client.services.health_status_by_name("cache"))
        client.services.disable("cache-1", reason="upgrade")
        step("in maintenance", client.services.health_status("cache-1"))
    finally:
        client.services.deregister("cache-1")


if __name__ == "__main__":
    main(run_async, run_sync)
