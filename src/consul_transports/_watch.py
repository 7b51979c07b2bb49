"""What the async and sync watch iterators share (`_async/watch.py`, and `_sync/watch.py`
generated from it): their stream's cursor, stepped until it emits; each side only performs the
effects, awaiting them or not.
"""

from __future__ import annotations

from typing import Any, Generic, Protocol, TypeVar

from consul_core.flows import Cursor, Emit, Stream

__all__ = ["V", "WatchBase"]

V = TypeVar("V")
"""The type of a watch's values."""


class _Driver(Protocol):
    def answer(self, cursor: Cursor, step: object) -> Any:
        """Perform `step` and give its result to the flow (awaitable on the async driver)."""
        ...


class WatchBase(Generic[V]):
    """An iterator over the values of a watch (an async iterator on the async clients); it ends
    only when closed.

    Each step (``__next__``, ``__anext__``) performs the stream's effects in the caller's
    thread (the consumer's task) until the stream emits; nothing runs between two of them, so
    leaving the loop (``break``) leaves nothing behind. A failed (or cancelled) step, `close`
    (`aclose`) or leaving ``with`` (``async with``) end it for good.
    It is a class rather than a generator so that nothing is left to an event loop's finalizer.
    """

    def __init__(self, driver: _Driver, stream: Stream[V]) -> None:
        """Watch `stream`, performing its effects with `driver`."""
        self._driver = driver
        self._cursor: Cursor | None = Cursor(stream)

    def _step(self) -> tuple[Cursor, object] | Emit[V] | None:
        """The stream's next effect to perform (with the cursor to answer), or what it emits;
        None once the watch is over (it is closed when the stream ends or fails).
        """
        cursor = self._cursor
        if cursor is None:
            return None
        try:
            step = cursor.next_step()
        except StopIteration:
            self._close()
            return None
        except BaseException:
            self._close()
            raise
        return step if isinstance(step, Emit) else (cursor, step)

    def _close(self) -> None:
        cursor, self._cursor = self._cursor, None
        if cursor is not None:
            cursor.close()
