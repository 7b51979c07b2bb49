"""The ``health`` namespace."""

from __future__ import annotations

from consul_core.namespaces import D, Namespace

__all__ = ["Health"]


class Health(Namespace[D]):
    """Health: ``/v1/health``."""
