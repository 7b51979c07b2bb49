"""The ``members`` namespace."""

from __future__ import annotations

from consul_core.namespaces import D, Namespace

__all__ = ["Members"]


class Members(Namespace[D]):
    """The agent's Serf members: ``/v1/agent/members``, join, force-leave."""
