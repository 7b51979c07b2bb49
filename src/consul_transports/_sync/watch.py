"""`Watch`: the iterator of a sync watch, driving a stream in the caller's thread."""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar

from consul_core.flows import Cursor, Emit, Stream

if TYPE_CHECKING:
    from consul_transports._sync.driver import BlockingDriver

__all__ = ["Watch"]

V = TypeVar("V")


class Watch(Generic[V]):
    """An iterator over the values of a watch; it ends only when closed.

    Each ``next()`` performs the stream's effects (blocking reads, sleeps) in the calling thread
    until the stream emits. Nothing runs between two ``next()`` calls, so leaving the loop
    leaves nothing behind; `close` (or ``with``) ends it for good.
    """

    def __init__(self, driver: BlockingDriver, stream: Stream[V]) -> None:
        self._driver = driver
        self._cursor: Cursor | None = Cursor(stream)

    def __iter__(self) -> Watch[V]:
        return self

    def __next__(self) -> V:
        cursor = self._cursor
        if cursor is None:
            raise StopIteration
        try:
            while True:
                step = cursor.next_step()
                if isinstance(step, Emit):
                    return step.value  # type: ignore[no-any-return]
                self._driver.answer(cursor, step)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Stop the watch; iterating further ends at once."""
        cursor, self._cursor = self._cursor, None
        if cursor is not None:
            cursor.close()

    def __enter__(self) -> Watch[V]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
