"""What the async and sync watch iterators share (`_async/watch.py`, and `_sync/watch.py`
generated from it): their stream's cursor, stepped until it emits; each side only performs the
effects, awaiting them or not.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Generic, Protocol, TypeVar

from consul_core.flows import Cursor, Emit, Stream
from consul_transports._stop import AnyStop

__all__ = ["V", "WatchBase"]

V = TypeVar("V")
"""The type of a watch's values."""


class _Driver(Protocol):
    def answer(self, cursor: Cursor[Any], step: object) -> Any:
        """Perform `step` and give its result to the flow (awaitable on the async driver)."""
        ...


class WatchBase(Generic[V]):
    """An iterator over the values of a watch (an async iterator on the async clients); it ends
    only when closed.

    Each step (``__next__``, ``__anext__``) performs the stream's effects in the caller's
    thread (the consumer's task) until the stream emits; nothing runs between two of them, so
    leaving the loop (``break``) leaves nothing behind. A failed (or cancelled) step, `close`
    (`aclose`) or leaving ``with`` (``async with``) end it for good; `close` from another
    thread (`aclose` from another task) ends a step under way at once.
    It is a class rather than a generator so that nothing is left to an event loop's finalizer.
    """

    def __init__(self, driver: _Driver, stream: Stream[V], stop: AnyStop) -> None:
        """Watch `stream`, performing its effects with `driver`; `stop` ends a step from
        another task or thread.
        """
        self._driver = driver
        self._stop = stop
        # A list, so that taking the cursor to close it is one atomic `pop`: a watch closed from
        # another thread while its own ends is closed once.
        self._cursors = [Cursor(stream)]

    def _step(self) -> tuple[Cursor[Any], object] | Emit[V] | None:
        """The stream's next effect to perform (with the cursor to answer), or what it emits;
        None once the watch is over (it is closed when the stream ends or fails, or was
        stopped).
        """
        if not self._cursors:
            return None
        if self._stop.cancel_called:
            self._close()
            return None
        cursor = self._cursors[0]
        try:
            step = cursor.next_step()
        except StopIteration:
            self._close()
            return None
        except BaseException:
            self._close()
            raise
        return step if isinstance(step, Emit) else (cursor, step)

    @contextmanager
    def _stepping(self) -> Iterator[None]:
        """The block of one step: stopped by `_stop_now` from another task or thread (the step
        then ends quietly), and closing the watch if the step fails.
        """
        with self._stop:
            try:
                yield
            except BaseException:
                self._close()
                raise

    def _stop_now(self) -> None:
        """Stop the watch: a step under way (in another task or thread) ends at once and
        closes it; else it is closed now.
        """
        if self._stop.cancel():
            self._close()

    def _close(self) -> None:
        try:
            cursor = self._cursors.pop()
        except IndexError:  # closed already
            return
        cursor.close()
