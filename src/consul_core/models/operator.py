"""Models of the operator endpoints: Raft, autopilot, the gossip keyring and usage."""

from __future__ import annotations

from datetime import timedelta

from consul_core._codec import Duration, Model, Timestamp
from consul_core.models._shared import Indexed

__all__ = [
    "AutopilotConfiguration",
    "AutopilotHealth",
    "AutopilotServer",
    "AutopilotState",
    "AutopilotUpgrade",
    "AutopilotZone",
    "KeyringResponse",
    "RaftConfiguration",
    "RaftServer",
    "ServerHealth",
    "ServiceUsage",
    "Usage",
]


class RaftServer(Model, frozen=True):
    """One server of the Raft configuration.

    Attributes:
        id: The server's Raft ID.
        node: Its node name, or ``"(unknown)"`` for a stale peer.
        address: Its Raft address, ``IP:port``.
        leader: Whether it is the leader.
        protocol_version: The Raft protocol version it speaks.
        voter: Whether it has a vote.
    """

    id: str
    node: str = ""
    address: str = ""
    leader: bool = False
    protocol_version: str = ""
    voter: bool = False


class RaftConfiguration(Model, frozen=True):
    """The Raft peer set.

    Attributes:
        servers: The servers in the configuration.
        index: The Raft index of this configuration.
    """

    servers: list[RaftServer] = []
    index: int = 0


class AutopilotConfiguration(Indexed, frozen=True):
    """Autopilot's settings.

    Consul replaces the whole configuration on update and reads a field left out as its zero
    value, so these defaults are Go's zero values, not Consul's initial settings: start from
    `Operator.autopilot_configuration` and change what you need with
    `msgspec.structs.replace`.

    Attributes:
        cleanup_dead_servers: Remove dead servers when a new server joins.
        last_contact_threshold: How long a server may go without leader contact and stay healthy.
        max_trailing_logs: How many Raft log entries a healthy server may lag behind.
        min_quorum: The fewest servers autopilot keeps when it prunes dead ones.
        server_stabilization_time: How long a new server must be healthy before it may vote.
        redundancy_zone_tag: (Enterprise) The node meta key that names redundancy zones.
        disable_upgrade_migration: (Enterprise) Turn off upgrade migrations.
        upgrade_version_tag: (Enterprise) The node meta key that holds the upgrade version.
        modify_index: The index of its last change: pass the configuration as ``cas=``.
    """

    cleanup_dead_servers: bool = False
    last_contact_threshold: Duration = timedelta(0)
    max_trailing_logs: int = 0
    min_quorum: int = 0
    server_stabilization_time: Duration = timedelta(0)
    redundancy_zone_tag: str = ""
    disable_upgrade_migration: bool = False
    upgrade_version_tag: str = ""


class ServerHealth(Model, frozen=True):
    """The health of one server, as the leader sees it.

    Attributes:
        id: The server's Raft ID.
        name: Its node name.
        address: Its Raft address.
        serf_status: Its Serf health (``"alive"``, ``"failed"``, ...).
        version: Its Consul version.
        leader: Whether it is the leader.
        last_contact: How long since it heard from the leader.
        last_term: The highest Raft term in its log.
        last_index: The last Raft index in its log.
        healthy: Whether autopilot considers it healthy.
        voter: Whether it has a vote.
        stable_since: When its health last changed.
    """

    id: str
    name: str = ""
    address: str = ""
    serf_status: str = ""
    version: str = ""
    leader: bool = False
    last_contact: Duration | None = None
    last_term: int = 0
    last_index: int = 0
    healthy: bool = False
    voter: bool = False
    stable_since: Timestamp | None = None


class AutopilotHealth(Model, frozen=True):
    """The health of the servers (Consul answers 429 instead of 200 while it is unhealthy).

    Attributes:
        healthy: Whether every server is healthy.
        failure_tolerance: How many servers may fail without an outage.
        servers: The health of each server.
    """

    healthy: bool = False
    failure_tolerance: int = 0
    servers: list[ServerHealth] = []


class AutopilotServer(Model, frozen=True):
    """One server in autopilot's state (Consul 1.9+).

    Attributes:
        id: The server's Raft ID.
        name: Its node name.
        address: Its Raft address.
        node_status: Its Serf status.
        version: Its Consul version.
        last_contact: How long since it heard from the leader.
        last_term: The highest Raft term in its log.
        last_index: The last Raft index in its log.
        healthy: Whether autopilot considers it healthy.
        stable_since: When its health last changed.
        redundancy_zone: (Enterprise) Its redundancy zone.
        upgrade_version: (Enterprise) Its upgrade version.
        read_replica: Whether it is a read replica.
        status: ``"leader"``, ``"voter"``, ``"non-voter"``, ``"staging"`` or ``"none"``.
        meta: Its node metadata.
        node_type: ``"voter"``, ``"read-replica"``, ``"zone-voter"``, ...
    """

    id: str
    name: str = ""
    address: str = ""
    node_status: str = ""
    version: str = ""
    last_contact: Duration | None = None
    last_term: int = 0
    last_index: int = 0
    healthy: bool = False
    stable_since: Timestamp | None = None
    redundancy_zone: str = ""
    upgrade_version: str = ""
    read_replica: bool = False
    status: str = ""
    meta: dict[str, str] = {}
    node_type: str = ""


class AutopilotZone(Model, frozen=True):
    """(Enterprise) One redundancy zone.

    Attributes:
        servers: The IDs of its servers.
        voters: The IDs of its voters.
        failure_tolerance: How many of its servers may fail.
    """

    servers: list[str] = []
    voters: list[str] = []
    failure_tolerance: int = 0


class AutopilotUpgrade(Model, frozen=True):
    """(Enterprise) The state of an automated upgrade.

    Attributes:
        status: ``"idle"``, ``"await-new-voters"``, ``"promoting"``, ...
        target_version: The version being upgraded to.
        target_version_voters: Voters on the target version.
        target_version_non_voters: Non-voters on the target version.
        target_version_read_replicas: Read replicas on the target version.
        other_version_voters: Voters on another version.
        other_version_non_voters: Non-voters on another version.
        other_version_read_replicas: Read replicas on another version.
        redundancy_zones: Per zone, the same lists keyed by their JSON names.
    """

    status: str = ""
    target_version: str = ""
    target_version_voters: list[str] = []
    target_version_non_voters: list[str] = []
    target_version_read_replicas: list[str] = []
    other_version_voters: list[str] = []
    other_version_non_voters: list[str] = []
    other_version_read_replicas: list[str] = []
    redundancy_zones: dict[str, dict[str, list[str]]] = {}


class AutopilotState(Model, frozen=True):
    """Autopilot's view of the cluster (Consul 1.9+).

    Attributes:
        healthy: Whether every server is healthy.
        failure_tolerance: How many voters may fail without an outage.
        optimistic_failure_tolerance: The same, counting servers that could be promoted.
        servers: The servers by Raft ID.
        leader: The leader's Raft ID.
        voters: The voters' Raft IDs.
        read_replicas: The read replicas' Raft IDs.
        redundancy_zones: (Enterprise) The zones by name.
        upgrade: (Enterprise) The state of an automated upgrade, if any.
    """

    healthy: bool = False
    failure_tolerance: int = 0
    optimistic_failure_tolerance: int = 0
    servers: dict[str, AutopilotServer] = {}
    leader: str = ""
    voters: list[str] = []
    read_replicas: list[str] = []
    redundancy_zones: dict[str, AutopilotZone] = {}
    upgrade: AutopilotUpgrade | None = None


class KeyringResponse(Model, frozen=True):
    """The gossip keys of one ring (the WAN ring, or one datacenter's LAN ring).

    Attributes:
        wan: Whether this is the WAN ring.
        datacenter: The datacenter of the ring.
        segment: (Enterprise) The network segment of the ring.
        messages: Messages or errors from Serf, by node.
        keys: Each installed key, with the number of nodes that have it.
        primary_keys: Each primary key, with the number of nodes that use it.
        num_nodes: The number of nodes in the ring.
    """

    wan: bool = False
    datacenter: str = ""
    segment: str = ""
    messages: dict[str, str] = {}
    keys: dict[str, int] = {}
    primary_keys: dict[str, int] = {}
    num_nodes: int = 0


class ServiceUsage(Model, frozen=True):
    """Service counts of one datacenter (Consul 1.10+).

    Attributes:
        services: Unique services.
        service_instances: Service instances.
        connect_service_instances: Connect instances by kind (``"connect-proxy"``, ...).
        billable_service_instances: Instances that are neither proxies nor gateways.
        partition_namespace_services: (Enterprise) Unique services by partition and namespace.
        partition_namespace_service_instances: (Enterprise) Instances by partition and namespace.
    """

    services: int = 0
    service_instances: int = 0
    connect_service_instances: dict[str, int] = {}
    billable_service_instances: int = 0
    partition_namespace_services: dict[str, dict[str, int]] = {}
    partition_namespace_service_instances: dict[str, dict[str, int]] = {}


class Usage(Model, frozen=True):
    """Usage counts (Consul 1.10+).

    Attributes:
        usage: The counts by datacenter.
    """

    usage: dict[str, ServiceUsage] = {}
