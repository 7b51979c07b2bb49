"""The ``connect`` namespace."""

from __future__ import annotations

from consul_core.binding import D, Namespace, endpoint, watcher
from consul_core.endpoints import connect, connect_intentions

__all__ = ["Connect"]


class Connect(Namespace[D]):
    """Connect: CA and intentions, ``/v1/connect``, and the agent's ``/v1/agent/connect``."""

    ca_roots = endpoint(connect.ca_roots)
    ca_configuration = endpoint(connect.ca_configuration)
    ca_update = endpoint(connect.ca_update)
    intentions = endpoint(connect_intentions.intentions)
    intention_create = endpoint(connect_intentions.intention_create)
    intention_read = endpoint(connect_intentions.intention_read)
    intention_update = endpoint(connect_intentions.intention_update)
    intention_delete = endpoint(connect_intentions.intention_delete)
    intention_check = endpoint(connect_intentions.intention_check)
    intention_match = endpoint(connect_intentions.intention_match)
    intention_exact = endpoint(connect_intentions.intention_exact)
    intention_upsert = endpoint(connect_intentions.intention_upsert)
    intention_delete_exact = endpoint(connect_intentions.intention_delete_exact)
    agent_ca_roots = endpoint(connect.agent_ca_roots)
    agent_leaf = endpoint(connect.agent_leaf)
    authorize = endpoint(connect.authorize)
    watch_ca_roots = watcher(connect.ca_roots)
    watch_agent_ca_roots = watcher(connect.agent_ca_roots)
    watch_agent_leaf = watcher(connect.agent_leaf)
