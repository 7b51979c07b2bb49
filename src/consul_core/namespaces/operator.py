"""The ``operator`` namespace."""

from __future__ import annotations

from consul_core.binding import D, Namespace, endpoint
from consul_core.endpoints import operator, operator_enterprise

__all__ = ["Operator"]


class Operator(Namespace[D]):
    """Operator: Raft, autopilot and keyring, ``/v1/operator``; network areas and segments, the
    license, the audit hash and utilization with Consul Enterprise.
    """

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
    area_create = endpoint(operator_enterprise.area_create)
    area_update = endpoint(operator_enterprise.area_update)
    area_get = endpoint(operator_enterprise.area_get)
    area_list = endpoint(operator_enterprise.area_list)
    area_delete = endpoint(operator_enterprise.area_delete)
    area_join = endpoint(operator_enterprise.area_join)
    area_members = endpoint(operator_enterprise.area_members)
    segment_list = endpoint(operator_enterprise.segment_list)
    license_get = endpoint(operator_enterprise.license_get)
    audit_hash = endpoint(operator_enterprise.audit_hash)
    utilization = endpoint(operator_enterprise.utilization)
