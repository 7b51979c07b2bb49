"""The ``catalog`` namespace."""

from __future__ import annotations

from consul_core.namespaces import D, Namespace

__all__ = ["Catalog"]


class Catalog(Namespace[D]):
    """The catalog: ``/v1/catalog``."""
