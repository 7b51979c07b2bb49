"""Holding with tasks: what is held (a session, a lock, ...) is renewed and monitored by two tasks
of an anyio task group while the body of the ``async with`` block runs in the caller's task.

Rules:
- The renewal starts before the acquisition (which may wait long), the monitor after it.
- A background flow that returns reports the loss: `.lost` turns true and the
  acquisition, or the body, is cancelled.
- The body's own exceptions (and the acquisition's) leave the task group unwrapped: they are
  caught inside it and raised again after it, never as an exception group.
- The cleanup flow runs shielded from cancellation, however the block ends; it retries its
  steps within `CLEANUP_TIMEOUT`, and a cancel scope a little longer stops it in any case.
- Then leaving the block raises the body's own exception, else `LockLost` after a loss, else
  `ReleaseFailed` if the cleanup could not release everything; a cleanup failure that is not
  raised is logged (and noted on the raised exception). A loss is logged when it happens.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, TypeVar

import anyio

from consul_core import ConsulError, ReleaseFailed
from consul_core.blocking import DEFAULT_WAIT
from consul_core.flows import Flow, Held
from consul_core.flows.held import CLEANUP_TIMEOUT
from consul_transports import _observe

if TYPE_CHECKING:
    from consul_transports._async.driver import AnyioDriver

__all__ = ["hold"]

H = TypeVar("H", bound=Held)

# How much longer than its own time the shielded cleanup may run before it is cancelled: its
# last attempts may start near the end of its time.
_CLEANUP_GRACE = 5.0


@asynccontextmanager
async def hold(driver: AnyioDriver, held: H) -> AsyncIterator[H]:
    """Hold `held` for the length of an ``async with`` block.

    Raises:
        LockLost: On leaving the block (or on entering it, if lost while acquiring), after the
            cleanup.
        ReleaseFailed: On leaving the block, if the cleanup could not release what was held.
    """
    await driver.run(held.open())
    failure: BaseException | None = None
    try:
        async with anyio.create_task_group() as tasks:
            acquiring, body = anyio.CancelScope(), anyio.CancelScope()

            def lose(reason: str) -> None:
                if held.mark_lost(reason):
                    _observe.lost(held.describe(), reason)
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
    except BaseException as exc:  # the task group's own: a cancellation while it ended
        failure = exc
    unreleased = await _clean_up(driver, held)
    raised, unreported = held.leaving(failure, unreleased)
    if unreported is not None:
        _observe.LOCKS.warning("%s", unreported)
    if raised is not None:
        raise raised


async def _clean_up(driver: AnyioDriver, held: Held) -> ConsulError | None:
    """Run the cleanup, shielded; return its failure, if any."""
    with anyio.move_on_after(CLEANUP_TIMEOUT + _CLEANUP_GRACE, shield=True) as scope:
        try:
            await driver.run(held.close())
        except ConsulError as exc:
            return exc
    if scope.cancelled_caught:
        return ReleaseFailed(
            f"leaving {held.describe()} did not finish its cleanup within "
            f"{CLEANUP_TIMEOUT + _CLEANUP_GRACE:g}s"
        )
    return None


async def _guard(
    driver: AnyioDriver, purpose: str, flow: Flow[str], lose: Callable[[str], None]
) -> None:
    try:
        reason = await driver.run(flow)
    except Exception as exc:  # what nobody keeps or watches is as good as lost
        reason = f"its {purpose} failed ({type(exc).__name__}: {exc})"
    lose(reason)
