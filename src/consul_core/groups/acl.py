"""The ``acl`` namespace."""

from __future__ import annotations

from consul_core.namespaces import D, Namespace

__all__ = ["ACL"]


class ACL(Namespace[D]):
    """The ACL system: legacy tokens and, as sub-namespaces, the modern one."""
