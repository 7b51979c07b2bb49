"""The ``snapshot`` namespace."""

from __future__ import annotations

from consul_core.namespaces import D, Namespace

__all__ = ["Snapshot"]


class Snapshot(Namespace[D]):
    """Snapshots: ``/v1/snapshot``."""
