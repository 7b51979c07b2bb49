"""`AsyncWatch`: the async iterator of a watch, driving a stream (see `_watch.py`)."""

from __future__ import annotations

from typing import Any

from consul_core.flows import Cursor, Emit
from consul_transports._watch import V, WatchBase

__all__ = ["AsyncWatch"]


class AsyncWatch(WatchBase[V]):
    def __aiter__(self) -> AsyncWatch[V]:
        return self

    async def __anext__(self) -> V:
        step: tuple[Cursor[Any], object] | Emit[V] | None = None
        with self._stepping():
            while not isinstance(step := self._step(), Emit | None):
                await self._driver.answer(*step)
        if not isinstance(step, Emit):  # over, or stopped during the step
            raise StopAsyncIteration
        return step.value

    async def aclose(self) -> None:
        """Stop the watch; iterating further ends at once, and so does a step under way in
        another task.
        """
        self._stop_now()

    async def __aenter__(self) -> AsyncWatch[V]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self._stop_now()
