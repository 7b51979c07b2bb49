"""Watching configuration with `client.kv.watch`: each change is handed out once, a deleted key
is None (the watch goes on), and changes made between two reads are not lost.

Run: ``python examples/config_watch.py asyncio|trio|sync`` with CONSUL_HTTP_ADDR (and
CONSUL_HTTP_TOKEN) naming the agent.
"""

from __future__ import annotations

from typing import Any

from _runner import main, step

KEY = "examples/config/log-level"
# Block at most 5 seconds per read, starting from the current value (index 0).
WATCH = (0, "5s")


def show(item: tuple[Any, Any]) -> tuple[bytes | None, int]:
    entry, meta = item
    return (entry.value if entry is not None else None), meta.index


async def run_async(client: Any) -> None:
    step("kv.set", await client.kv.set(KEY, "info"))
    async with client.kv.watch(KEY, watch=WATCH) as watch:
        step("current value", show(await anext(watch)))
        for level in ("debug", "warning"):
            step("kv.set", (level, await client.kv.set(KEY, level)))
            step("the watch hands out", show(await anext(watch)))
        await client.kv.set(KEY, "error")
        await client.kv.set(KEY, "critical")
        step("two writes, then one read: the latest", show(await anext(watch)))
        step("kv.delete", await client.kv.delete(KEY))
        step("a deleted key is None", show(await anext(watch)))
        await client.kv.set(KEY, "info")
        step("and the watch goes on", show(await anext(watch)))
    step("kv.delete", await client.kv.delete(KEY))


# Generated from run_async by scripts/unasync.py: do not edit by hand.
def run_sync(client: Any) -> None:
    step("kv.set", client.kv.set(KEY, "info"))
    with client.kv.watch(KEY, watch=WATCH) as watch:
        step("current value", show(next(watch)))
        for level in ("debug", "warning"):
            step("kv.set", (level, client.kv.set(KEY, level)))
            step("the watch hands out", show(next(watch)))
        client.kv.set(KEY, "error")
        client.kv.set(KEY, "critical")
        step("two writes, then one read: the latest", show(next(watch)))
        step("kv.delete", client.kv.delete(KEY))
        step("a deleted key is None", show(next(watch)))
        client.kv.set(KEY, "info")
        step("and the watch goes on", show(next(watch)))
    step("kv.delete", client.kv.delete(KEY))


if __name__ == "__main__":
    main(run_async, run_sync)
