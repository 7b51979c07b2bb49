"""The ``config`` namespace."""

from __future__ import annotations

from consul_core.binding import D, Namespace, endpoint
from consul_core.endpoints import config

__all__ = ["Config"]


class Config(Namespace[D]):
    """Config entries: ``/v1/config``."""

    get = endpoint(config.get)
    items = endpoint(config.items)
    set = endpoint(config.set)
    delete = endpoint(config.delete)
