"""The ``coordinate`` namespace."""

from __future__ import annotations

from consul_core.namespaces import D, Namespace

__all__ = ["Coordinate"]


class Coordinate(Namespace[D]):
    """Network coordinates: ``/v1/coordinate``."""
