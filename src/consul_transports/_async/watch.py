"""`AsyncWatch`: the async iterator of a watch, driving a stream in the consumer's task."""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar

from consul_core.flows import Cursor, Emit, Stream

if TYPE_CHECKING:
    from consul_transports._async.driver import AnyioDriver

__all__ = ["AsyncWatch"]

V = TypeVar("V")


class AsyncWatch(Generic[V]):
    """An async iterator over the values of a watch; it ends only when closed.

    Each ``__anext__`` performs the stream's effects in the consumer's task until the stream
    emits; nothing runs between two of them, so leaving the loop (``break``) leaves nothing
    behind. A cancelled or failed ``__anext__``, `aclose` or leaving ``async with`` end it for
    good.
    It is a class rather than an async generator so that nothing is left to an event loop's
    finalizer.
    """

    def __init__(self, driver: AnyioDriver, stream: Stream[V]) -> None:
        self._driver = driver
        self._cursor: Cursor | None = Cursor(stream)

    def __aiter__(self) -> AsyncWatch[V]:
        return self

    async def __anext__(self) -> V:
        cursor = self._cursor
        if cursor is None:
            raise StopAsyncIteration
        try:
            while True:
                step = cursor.next_step()
                if isinstance(step, Emit):
                    return step.value  # type: ignore[no-any-return]
                await self._driver.answer(cursor, step)
        except StopIteration:
            self._close()
            raise StopAsyncIteration from None
        except BaseException:
            self._close()
            raise

    def _close(self) -> None:
        cursor, self._cursor = self._cursor, None
        if cursor is not None:
            cursor.close()

    async def aclose(self) -> None:
        """Stop the watch; iterating further ends at once."""
        self._close()

    async def __aenter__(self) -> AsyncWatch[V]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self._close()
