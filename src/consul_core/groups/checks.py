"""The ``checks`` namespace."""

from __future__ import annotations

from consul_core.endpoints import checks
from consul_core.namespaces import D, Namespace, endpoint

__all__ = ["Checks"]


class Checks(Namespace[D]):
    """The local agent's checks: ``/v1/agent/check``."""

    register = endpoint(checks.register)
    items = endpoint(checks.items)
    passing = endpoint(checks.passing)
    warning = endpoint(checks.warning)
    critical = endpoint(checks.critical)
    update = endpoint(checks.update)
    deregister = endpoint(checks.deregister)
