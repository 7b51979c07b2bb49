# Generated from src/consul_transports/_async/watch.py
# by scripts/unasync.py: do not edit by hand.
"""`Watch`: the iterator of a watch, driving a stream in the caller's thread."""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar

from consul_core.flows import Cursor, Emit, Stream

if TYPE_CHECKING:
    from consul_transports._sync.driver import BlockingDriver

__all__ = ["Watch"]

V = TypeVar("V")


class Watch(Generic[V]):
    """An iterator over the values of a watch; it ends only when closed.

    Each ``__next__`` performs the stream's effects in the caller's thread until the stream
    emits; nothing runs between two of them, so leaving the loop (``break``) leaves nothing
    behind. A failed ``__next__``, `close` or leaving ``with`` end it for
    good.
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
        except StopIteration:
            self._close()
            raise StopIteration from None
        except BaseException:
            self._close()
            raise

    def _close(self) -> None:
        cursor, self._cursor = self._cursor, None
        if cursor is not None:
            cursor.close()

    def close(self) -> None:
        """Stop the watch; iterating further ends at once."""
        self._close()

    def __enter__(self) -> Watch[V]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._close()
