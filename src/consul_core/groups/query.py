"""The ``query`` namespace."""

from __future__ import annotations

from consul_core.namespaces import D, Namespace

__all__ = ["Query"]


class Query(Namespace[D]):
    """Prepared queries: ``/v1/query``."""
