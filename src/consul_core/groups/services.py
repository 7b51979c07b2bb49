"""The ``services`` namespace."""

from __future__ import annotations

from consul_core.namespaces import D, Namespace

__all__ = ["Services"]


class Services(Namespace[D]):
    """The local agent's services: ``/v1/agent/service``."""
