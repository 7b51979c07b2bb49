"""The ``operator`` namespace."""

from __future__ import annotations

from consul_core.namespaces import D, Namespace

__all__ = ["Operator"]


class Operator(Namespace[D]):
    """Operator: Raft, autopilot and keyring, ``/v1/operator``."""
