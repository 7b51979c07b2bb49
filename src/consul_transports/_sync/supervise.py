"""Holding with threads: what is held (a session, a lock, ...) is renewed and monitored by two
daemon threads while the body of the ``with`` block runs in the caller's thread.

Rules:
- The renewal starts before the acquisition (which may wait long), the monitor after it.
- A background flow that returns reports the loss: `.lost` turns true and an acquisition
  in progress stops. The body cannot be interrupted: it should check `.lost`.
- Leaving the block sets the stop event first (so that the monitor does not mistake our own
  release for a loss), then runs the cleanup flow, then joins the threads. The monitor's
  blocking read returns as soon as the cleanup changes what it watches. The cleanup retries its
  steps within `CLEANUP_TIMEOUT`, as on the async clients.
- Then leaving the block raises the body's own exception, else `LockLost` after a loss, else
  `ReleaseFailed` if the cleanup could not release everything; a cleanup failure that is not
  raised is logged (and noted on the raised exception). A loss is logged when it happens.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, TypeVar

from consul_core import ConsulError
from consul_core.blocking import DEFAULT_WAIT
from consul_core.flows import Flow, Held
from consul_transports import _observe

if TYPE_CHECKING:
    from consul_transports._sync.driver import BlockingDriver

__all__ = ["THREAD_PREFIX", "Stopped", "hold"]

H = TypeVar("H", bound=Held)


THREAD_PREFIX = "consul-sansio"
# How long leaving a block waits for each thread: the cleanup wakes the monitor's read. A
# monitor whose read the cleanup does not wake (a keepalive of a session it did not create) is
# not waited for: its read ends by itself within a TTL.
_JOIN_TIMEOUT = 2.0


class Stopped(Exception):
    """A flow run with a stop event ended because the event was set."""


@contextmanager
def hold(driver: BlockingDriver, held: H) -> Iterator[H]:
    """Hold `held` for the length of a ``with`` block.

    Raises:
        LockLost: On leaving the block (or on entering it, if lost while acquiring), after the
            cleanup.
        ReleaseFailed: On leaving the block, if the cleanup could not release what was held.
    """
    driver.run(held.open())
    leaving = threading.Event()
    lost = threading.Event()
    marking = threading.Lock()

    def lose(reason: str) -> None:
        with marking:
            if held.mark_lost(reason):
                _observe.lost(held.describe(), reason)
                lost.set()

    renewer = _start(driver, held, "renew", held.renew(), leaving, lose)
    monitor: threading.Thread | None = None
    failure: BaseException | None = None
    try:
        with suppress(Stopped):
            driver.run(held.acquire(), stop=lost)
        if not held.lost:
            watching = held.monitor(DEFAULT_WAIT)
            if watching is not None:
                monitor = _start(driver, held, "monitor", watching, leaving, lose)
            yield held
    except BaseException as exc:  # raised again below, after the cleanup
        failure = exc
    leaving.set()
    unreleased: ConsulError | None = None
    try:
        driver.run(held.close())
    except ConsulError as exc:
        unreleased = exc
    renewer.join(_JOIN_TIMEOUT)
    if monitor is not None and held.monitor_ends_on_close:
        monitor.join(_JOIN_TIMEOUT)
    raised, unreported = held.leaving(failure, unreleased)
    if unreported is not None:
        _observe.LOCKS.warning("%s", unreported)
    if raised is not None:
        raise raised


def _start(
    driver: BlockingDriver,
    held: Held,
    purpose: str,
    flow: Flow[str],
    leaving: threading.Event,
    lose: Callable[[str], None],
) -> threading.Thread:
    def guard() -> None:
        try:
            reason = driver.run(flow, stop=leaving)
        except Stopped:
            return
        except Exception as exc:  # what nobody keeps or watches is as good as lost
            reason = f"its {purpose} failed ({type(exc).__name__}: {exc})"
        if not leaving.is_set():
            lose(reason)

    thread = threading.Thread(
        target=guard, name=f"{THREAD_PREFIX} {purpose}: {held.describe()}", daemon=True
    )
    thread.start()
    return thread
