"""The ``session`` namespace."""

from __future__ import annotations

from consul_core.binding import D, Namespace, endpoint, holder, watcher
from consul_core.endpoints import session
from consul_core.flows.keepalive import Keepalive

__all__ = ["Sessions"]


class Sessions(Namespace[D]):
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
