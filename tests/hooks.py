"""Event hooks for tests, of the color a flavor's client takes: plain functions for the sync
client, async functions for the asyncio and trio ones.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def recording(flavor: str, events: list[tuple[Any, ...]]) -> dict[str, list[Any]]:
    """Event hooks that append (kind, *arguments) to `events`: plain functions for the sync
    client, async ones for the others.
    """

    def hook(kind: str) -> Any:
        def record(*args: Any) -> None:
            events.append((kind, *args))

        async def arecord(*args: Any) -> None:
            record(*args)

        return record if flavor == "sync" else arecord

    return {kind: [hook(kind)] for kind in ("request", "response", "error")}


def count(events: list[tuple[Any, ...]], kind: str) -> Callable[[], int]:
    """How many events of `kind` the recording hooks have seen so far."""
    return lambda: sum(event[0] == kind for event in events)


def raising(flavor: str, error: Exception) -> Any:
    """A hook that raises `error`, of the flavor's color."""

    def fail(*_: Any) -> None:
        raise error

    async def afail(*_: Any) -> None:
        raise error

    return fail if flavor == "sync" else afail
