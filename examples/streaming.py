"""Streams: follow the agent's log while registering a service, then save a snapshot to a file
and restore it from there, never holding it in memory.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import anyio
from _runner import main, step

SERVICE = {"ID": "streaming-example", "Name": "streaming-example"}
# The log line waited for comes within milliseconds; the bound only keeps the demo finite.
WAIT = 30.0


async def run_async(client: Any) -> None:
    # The stream is open once the block is entered: what the agent logs from now on is in it.
    async with client.agent.monitor_json("info") as records:
        await client.services.register(SERVICE)
        await client.services.deregister(SERVICE["ID"])
        with anyio.fail_after(WAIT):
            async for record in records:
                if record.unknown_fields.get("service") == SERVICE["ID"]:
                    step("agent.monitor_json", (record.level, record.message))
                    break
    # Leaving the block closed the stream's connection.
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "consul.snap"
        meta = await client.snapshot.save_to(path)
        step("snapshot.save_to", f"{path.stat().st_size} bytes at index {meta.index}")
        # The snapshot was just taken: restoring it changes nothing.
        step("snapshot.restore", await client.snapshot.restore(path))


# Hand-written, not generated from run_async by scripts/unasync.py: no cancel scope bounds
# the wait for the log line.
def run_sync(client: Any) -> None:
    with client.agent.monitor_json("info") as records:
        client.services.register(SERVICE)
        client.services.deregister(SERVICE["ID"])
        for record in records:
            if record.unknown_fields.get("service") == SERVICE["ID"]:
                step("agent.monitor_json", (record.level, record.message))
                break
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "consul.snap"
        meta = client.snapshot.save_to(path)
        step("snapshot.save_to", f"{path.stat().st_size} bytes at index {meta.index}")
        step("snapshot.restore", client.snapshot.restore(path))


if __name__ == "__main__":
    main(run_async, run_sync)
