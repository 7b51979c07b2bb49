"""The ``connect`` namespace."""

from __future__ import annotations

from consul_core.namespaces import D, Namespace

__all__ = ["Connect"]


class Connect(Namespace[D]):
    """Connect: CA and intentions, ``/v1/connect``."""
