"""Waiting for what happens over time, with a bound, instead of asserting it at once: a loss a
supervisor reports, the news gossip spreads, the end of a loop closed from elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest

from consul_core.models.agent import MemberStatus


async def body_until_lost(held: Any, flavor: str) -> None:
    """The body of a held block that waits (up to 5 s) until what it holds is lost.

    The sync client cannot interrupt its body, which then returns. The async clients cancel
    it: the cancellation is delivered at a checkpoint, and none may follow the last read of
    the flag, so the body sleeps on, and a body that was not cancelled returns after 5 s.
    """
    with anyio.fail_after(5):
        while not held.lost:
            await anyio.sleep(0.005)
    if flavor != "sync":
        await anyio.sleep(5)


async def members_settle(client: Any, check: Callable[[dict[str, MemberStatus]], bool]) -> bool:
    """Whether the members' states, as `client` sees them, pass `check` within 30 s (a gossip
    round takes under a second; a busy machine may hold it up).
    """
    with anyio.move_on_after(30):
        while not check({m.name: m.status for m in await client.members.items()}):
            await anyio.sleep(0.05)
        return True
    return False


async def closed_from_elsewhere(iterator: Any, ready: Callable[[], bool]) -> list[Any]:
    """Close `iterator` (a watch or a stream) from another task (the sync flavor: another
    thread) once `ready` says a step that takes long (a blocking read, a backoff) is under way
    in a consumer task, and check that the consumer's loop ends within 10 s, the step cut
    short, and that the iterator is over. The values the consumer had.
    """
    seen: list[Any] = []
    ended = anyio.Event()

    async def consume() -> None:
        async for value in iterator:
            seen.append(value)
        ended.set()

    async with anyio.create_task_group() as tasks:
        tasks.start_soon(consume)
        with anyio.fail_after(10):
            while not ready():
                await anyio.sleep(0.01)
        await iterator.aclose()
        with anyio.fail_after(10):
            await ended.wait()
    with pytest.raises(StopAsyncIteration):
        await anext(iterator)
    return seen
