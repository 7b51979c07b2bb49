"""The ``event`` namespace."""

from __future__ import annotations

from consul_core.namespaces import D, Namespace

__all__ = ["Event"]


class Event(Namespace[D]):
    """User events: ``/v1/event``."""
