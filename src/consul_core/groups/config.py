"""The ``config`` namespace."""

from __future__ import annotations

from consul_core.namespaces import D, Namespace

__all__ = ["Config"]


class Config(Namespace[D]):
    """Config entries: ``/v1/config``."""
