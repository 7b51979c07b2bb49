"""The ``session`` namespace."""

from __future__ import annotations

from consul_core.endpoints import session
from consul_core.flows.keepalive import Keepalive
from consul_core.namespaces import D, Namespace, endpoint, holder, watcher

__all__ = ["SessionAPI"]


class SessionAPI(Namespace[D]):
    """Sessions: ``/v1/session``."""

    create = endpoint(session.create)
    destroy = endpoint(session.destroy)
    info = endpoint(session.info)
    renew = endpoint(session.renew)
    node = endpoint(session.node)
    items = endpoint(session.items)
    watch = watcher(session.info)
    watch_node = watcher(session.node)
    watch_items = watcher(session.items)
    keepalive = holder(Keepalive)
