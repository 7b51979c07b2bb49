"""Holding with tasks: what is held (a session, a lock, ...) is renewed and monitored by two tasks
of an anyio task group while the body of the ``async with`` block runs in the caller's task.

Rules:
- The renewal starts before the acquisition (which may wait long), the monitor after it.
- A background flow that returns reports the loss: `.lost` turns true and the
  acquisition, or the body, is cancelled.
- The body's own exceptions (and the acquisition's) leave the task group unwrapped: they are
  caught inside it and raised again after it, never as an exception group.
- The cleanup flow runs shielded from cancellation (with a deadline), however the block ends;
  then leaving the block after a loss raises `LockLost`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, TypeVar

import anyio

from consul_core.blocking import DEFAULT_WAIT
from consul_core.flows import Flow, Held

if TYPE_CHECKING:
    from consul_transports._async.driver import AsyncDriver

__all__ = ["hold"]

H = TypeVar("H", bound=Held)

# The most time the shielded cleanup (release, destroy) may take when the agent does not answer.
CLEANUP_TIMEOUT = 15.0


@asynccontextmanager
async def hold(driver: AsyncDriver, held: H) -> AsyncIterator[H]:
    """Hold `held` for the length of an ``async with`` block.

    Raises:
        LockLost: On leaving the block (or on entering it, if lost while acquiring), after the
            cleanup.
    """
    await driver.run(held.open())
    failure: BaseException | None = None
    try:
        async with anyio.create_task_group() as tasks:
            acquiring, body = anyio.CancelScope(), anyio.CancelScope()

            def lose(reason: str) -> None:
                if held.mark_lost(reason):
                    acquiring.cancel()
                    body.cancel()

            tasks.start_soon(_guard, driver, "renew", held.renew(), lose)
            try:
                with acquiring:
                    await driver.run(held.acquire())
                if not held.lost:
                    monitor = held.monitor(DEFAULT_WAIT)
                    if monitor is not None:
                        tasks.start_soon(_guard, driver, "monitor", monitor, lose)
                    with body:
                        yield held
            except BaseException as exc:  # raised again below, outside the task group
                failure = exc
            tasks.cancel_scope.cancel()
    finally:
        with anyio.move_on_after(CLEANUP_TIMEOUT, shield=True):
            await driver.run(held.close())
    if failure is not None:
        raise failure
    if held.lost:
        raise held.lost_error()


async def _guard(
    driver: AsyncDriver, purpose: str, flow: Flow[str], lose: Callable[[str], None]
) -> None:
    try:
        reason = await driver.run(flow)
    except Exception as exc:  # what nobody keeps or watches is as good as lost
        reason = f"its {purpose} failed ({type(exc).__name__}: {exc})"
    lose(reason)
