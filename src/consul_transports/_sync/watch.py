# Generated from src/consul_transports/_async/watch.py
# by scripts/unasync.py: do not edit by hand.
"""`Watch`: the iterator of a watch, driving a stream (see `_watch.py`)."""

from __future__ import annotations

from typing import Any

from consul_core.flows import Cursor, Emit
from consul_transports._watch import V, WatchBase

__all__ = ["Watch"]


class Watch(WatchBase[V]):
    def __iter__(self) -> Watch[V]:
        return self

    def __next__(self) -> V:
        step: tuple[Cursor[Any], object] | Emit[V] | None = None
        with self._stepping():
            while not isinstance(step := self._step(), Emit | None):
                self._driver.answer(*step)
        if not isinstance(step, Emit):  # over, or stopped during the step
            raise StopIteration
        return step.value

    def close(self) -> None:
        """Stop the watch; iterating further ends at once, and so does a step under way in
        another thread.
        """
        self._stop_now()

    def __enter__(self) -> Watch[V]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop_now()
