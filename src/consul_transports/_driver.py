"""What the async and sync drivers share (`_async/driver.py`, and `_sync/driver.py` generated
from it): what they hold, and how a response becomes a call's result; each side only performs,
awaiting or not.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from consul_core import Call, ClientDefaults
from consul_core.flows import Pacing
from consul_core.http import Request
from consul_transports._observe import Exchange, Observer
from consul_transports._pacing import driver_pacing

__all__ = ["DriverBase", "OpenIterators"]

It = TypeVar("It")
R = TypeVar("R")
T = TypeVar("T")
Transport = TypeVar("Transport")


class OpenIterators:
    """The watches and streams a client's driver made that are still referenced (weakly): closing
    the client closes them, as their own ``close`` (``aclose``) does, so that a reader waiting
    in one ends at once rather than with its read (a stream's: never).
    """

    __slots__ = ("_iterators", "_lock")

    def __init__(self) -> None:
        self._lock = threading.Lock()  # iterators are made in any thread of a sync client
        self._iterators: weakref.WeakSet[Any] = weakref.WeakSet()

    def add(self, iterator: It) -> It:
        """Keep `iterator` (weakly), and return it."""
        with self._lock:
            self._iterators.add(iterator)
        return iterator

    def taken(self) -> list[Any]:
        """Those still referenced, now forgotten here (to close them)."""
        with self._lock:
            iterators = list(self._iterators)
            self._iterators.clear()
        return iterators


class Entering:
    """A lock, semaphore or keepalive being entered (its wait for the key may last until the
    holder leaves), which closing the client stops, as it closes watches and streams: the
    entering then raises `UsageError` (the client is closed).

    Attributes:
        stopped: Whether the client's close stopped it.
    """

    __slots__ = ("__weakref__", "_stop", "stopped")

    def __init__(self, stop: Callable[[], object]) -> None:
        """Stop the entering with `stop` (its step's or its scope's cancel), from any thread."""
        self._stop = stop
        self.stopped = False

    def close(self) -> None:
        """Stop the wait to enter (the sync client's close)."""
        self.stopped = True
        self._stop()

    async def aclose(self) -> None:
        """Stop the wait to enter (the async clients' close)."""
        self.close()


class DriverBase(Generic[Transport, R]):
    """A driver's parts.

    Attributes:
        transport: The transport requests go through.
        defaults: The client's defaults, added to each request.
        parsed: A call's result for its response (`ClientDefaults.parse`: an error's secrets
            redacted, the client's too).
        pacing: The pace of the helpers' loops.
        observer: The event hooks (returning `R`) and the request log.
        iterators: The watches and streams made here, which closing the client closes.
    """

    def __init__(
        self,
        transport: Transport,
        defaults: ClientDefaults,
        pacing: Pacing | None,
        observer: Observer[R],
        iterators: OpenIterators,
    ) -> None:
        self.transport = transport
        self.defaults = defaults
        self.parsed = defaults.parse  # bound once: no frame of its own per call
        self.pacing = driver_pacing(pacing)
        self.observer = observer
        self.iterators = iterators

    def observing(self, call: Call[Any]) -> tuple[Request, Exchange[R]]:
        """The call's request (with the client's defaults) and its observation, made even when
        nothing observes it (for a path that is not hot, such as a stream's).
        """
        request = self.defaults.apply(call.request)
        exchange = self.observer.start(request)
        return request, Exchange(request, None, False) if exchange is None else exchange
