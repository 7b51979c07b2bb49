"""`AsyncWatch`: the async iterator of a watch, driving a stream (see `_watch.py`)."""

from __future__ import annotations

from consul_core.flows import Emit
from consul_transports._watch import V, WatchBase

__all__ = ["AsyncWatch"]


class AsyncWatch(WatchBase[V]):
    def __aiter__(self) -> AsyncWatch[V]:
        return self

    async def __anext__(self) -> V:
        while not isinstance(step := self._step(), Emit | None):
            try:
                await self._driver.answer(*step)
            except BaseException:
                self._close()
                raise
        if step is None:
            raise StopAsyncIteration
        return step.value

    async def aclose(self) -> None:
        """Stop the watch; iterating further ends at once."""
        self._close()

    async def __aenter__(self) -> AsyncWatch[V]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self._close()
