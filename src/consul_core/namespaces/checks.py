"""The ``checks`` namespace."""

from __future__ import annotations

from consul_core.binding import D, Namespace, endpoint
from consul_core.endpoints import checks

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
