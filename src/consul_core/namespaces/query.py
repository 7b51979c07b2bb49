"""The ``query`` namespace."""

from __future__ import annotations

from consul_core.binding import D, Namespace, endpoint
from consul_core.endpoints import query

__all__ = ["Query"]


class Query(Namespace[D]):
    """Prepared queries: ``/v1/query``."""

    items = endpoint(query.items)
    create = endpoint(query.create)
    read = endpoint(query.read)
    explain = endpoint(query.explain)
    update = endpoint(query.update)
    delete = endpoint(query.delete)
    execute = endpoint(query.execute)
