"""The ``snapshot`` namespace."""

from __future__ import annotations

from consul_core.binding import D, Namespace, endpoint
from consul_core.endpoints import snapshot

__all__ = ["Snapshot"]


class Snapshot(Namespace[D]):
    """Snapshots: ``/v1/snapshot``."""

    save = endpoint(snapshot.save)
    restore = endpoint(snapshot.restore)
