"""Leader election with `client.lock`: two candidates hand the leadership over, then a leader
whose session an operator destroys sees the loss (and, on asyncio and trio, its work cancelled).

Run: ``python examples/leader_election.py asyncio|trio|sync`` with CONSUL_HTTP_ADDR (and
CONSUL_HTTP_TOKEN) naming the agent.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import anyio
from _runner import main, step

from consul_transports import LockLost

KEY = "examples/leader"
OPTIONS: dict[str, Any] = {"ttl": "10s", "lock_delay": 0}


def milliseconds(since: float) -> str:
    return f"{(time.monotonic() - since) * 1000:.1f} ms"


async def run_async(client: Any) -> None:
    async with type(client)() as rival:
        alpha_leads = anyio.Event()
        stepped_down = 0.0

        async def alpha() -> None:
            nonlocal stepped_down
            async with client.lock(KEY, value="alpha", **OPTIONS) as lock:
                step("alpha leads, with session", lock.session)
                alpha_leads.set()
                await anyio.sleep(0.5)
                stepped_down = time.monotonic()
            step("alpha stepped down; lost", lock.lost)

        async def beta() -> None:
            await alpha_leads.wait()
            step("beta waits for the lock", KEY)
            async with rival.lock(KEY, value="beta", **OPTIONS):
                step("beta leads; hand-over took", milliseconds(stepped_down))
                entry, _ = await rival.kv.get(KEY)
                step("the key names the leader", entry.value)

        async with anyio.create_task_group() as tasks:
            tasks.start_soon(alpha)
            tasks.start_soon(beta)

        try:
            async with client.lock(KEY, value="gamma", **OPTIONS) as lock:
                step("gamma leads", lock.session)
                destroyed = time.monotonic()
                step(
                    "an operator destroys gamma's session",
                    await rival.session.destroy(lock.session),
                )
                await anyio.sleep(10)  # gamma's work: cancelled as soon as the lock is lost
                step("gamma finished its work", "never printed")
        except LockLost as lost:
            step("gamma's work was cancelled; loss seen after", milliseconds(destroyed))
            step("LockLost", str(lost))
        step("the key is released and kept", (await client.kv.get(KEY))[0].session)
        step("kv.delete", await client.kv.delete(KEY))


# Hand-written, not generated from run_async by scripts/unasync.py: threads and a body that
# checks .lost stand for the task group and the cancelled body.
def run_sync(client: Any) -> None:
    with type(client)() as rival:
        alpha_leads = threading.Event()
        stepped_down = 0.0

        def beta() -> None:
            alpha_leads.wait()
            step("beta waits for the lock", KEY)
            with rival.lock(KEY, value="beta", **OPTIONS):
                step("beta leads; hand-over took", milliseconds(stepped_down))
                step("the key names the leader", rival.kv.get(KEY)[0].value)

        contender = threading.Thread(target=beta)
        contender.start()
        with client.lock(KEY, value="alpha", **OPTIONS) as lock:
            step("alpha leads, with session", lock.session)
            alpha_leads.set()
            time.sleep(0.5)
            stepped_down = time.monotonic()
        step("alpha stepped down; lost", lock.lost)
        contender.join()

        try:
            with client.lock(KEY, value="gamma", **OPTIONS) as lock:
                step("gamma leads", lock.session)
                destroyed = time.monotonic()
                step("an operator destroys gamma's session", rival.session.destroy(lock.session))
                while not lock.lost:  # a sync body cannot be interrupted: it checks .lost
                    time.sleep(0.005)
                step("gamma sees the loss after", milliseconds(destroyed))
        except LockLost as lost:
            step("LockLost", str(lost))
        step("the key is released and kept", client.kv.get(KEY)[0].session)
        step("kv.delete", client.kv.delete(KEY))


if __name__ == "__main__":
    main(run_async, run_sync)
