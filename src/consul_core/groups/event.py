"""The ``event`` namespace."""

from __future__ import annotations

from consul_core.endpoints import event
from consul_core.namespaces import D, Namespace, endpoint, watcher

__all__ = ["Event"]


class Event(Namespace[D]):
    """User events: ``/v1/event``."""

    fire = endpoint(event.fire)
    items = endpoint(event.items)
    watch = watcher(event.items, ordered=False)
