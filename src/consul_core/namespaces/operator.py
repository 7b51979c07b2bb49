"""The ``operator`` namespace."""

from __future__ import annotations

from consul_core.binding import D, Namespace, endpoint
from consul_core.endpoints import operator

__all__ = ["Operator"]


class Operator(Namespace[D]):
    """Operator: Raft, autopilot and keyring, ``/v1/operator``."""

    configuration = endpoint(operator.configuration)
    peer_delete = endpoint(operator.peer_delete)
    raft_transfer_leader = endpoint(operator.raft_transfer_leader)
    autopilot_configuration = endpoint(operator.autopilot_configuration)
    autopilot_update = endpoint(operator.autopilot_update)
    autopilot_health = endpoint(operator.autopilot_health)
    autopilot_state = endpoint(operator.autopilot_state)
    keyring_list = endpoint(operator.keyring_list)
    keyring_install = endpoint(operator.keyring_install)
    keyring_use = endpoint(operator.keyring_use)
    keyring_remove = endpoint(operator.keyring_remove)
    usage = endpoint(operator.usage)
