"""The ``checks`` namespace."""

from __future__ import annotations

from consul_core.namespaces import D, Namespace

__all__ = ["Checks"]


class Checks(Namespace[D]):
    """The local agent's checks: ``/v1/agent/check``."""
