"""The ``event`` namespace."""

from __future__ import annotations

from consul_core.binding import D, Namespace, endpoint, watcher
from consul_core.endpoints import event

__all__ = ["Event"]


class Event(Namespace[D]):
    """User events: ``/v1/event``."""

    fire = endpoint(event.fire)
    items = endpoint(event.items)
    watch = watcher(event.items, ordered=False)
