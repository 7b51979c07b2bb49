"""The ``agent`` namespace."""

from __future__ import annotations

from consul_core.namespaces import D, Namespace

__all__ = ["Agent"]


class Agent(Namespace[D]):
    """The local agent: ``/v1/agent``."""
