# Generated from src/consul_transports/_async/watch.py
# by scripts/unasync.py: do not edit by hand.
"""`Watch`: the iterator of a watch, driving a stream (see `_watch.py`)."""

from __future__ import annotations

from consul_core.flows import Emit
from consul_transports._watch import V, WatchBase

__all__ = ["Watch"]


class Watch(WatchBase[V]):
    def __iter__(self) -> Watch[V]:
        return self

    def __next__(self) -> V:
        while not isinstance(step := self._step(), Emit | None):
            try:
                self._driver.answer(*step)
            except BaseException:
                self._close()
                raise
        if step is None:
            raise StopIteration
        return step.value

    def close(self) -> None:
        """Stop the watch; iterating further ends at once."""
        self._close()

    def __enter__(self) -> Watch[V]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._close()
