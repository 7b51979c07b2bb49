"""Models of cluster peering (Consul 1.13+): ``/v1/peering``, ``/v1/peerings``.

Shapes from the Consul HTTP API documentation and the Go client's ``api/peering.go``.
"""

from __future__ import annotations

from consul_core._codec import Model, Timestamp, field
from consul_core.models._shared import Indexed
from consul_core.models.catalog import Locality

__all__ = ["Peering", "PeeringRemoteInfo", "PeeringStreamStatus"]


class PeeringRemoteInfo(Model, frozen=True):
    """What a peering knows of the peer cluster.

    Attributes:
        partition: The peer's admin partition.
        datacenter: The peer's datacenter.
        locality: Where the peer runs, if it said.
    """

    partition: str = ""
    datacenter: str = ""
    locality: Locality | None = None


class PeeringStreamStatus(Model, frozen=True):
    """The state of the replication stream with a peer, computed when read.

    Attributes:
        imported_services: The services imported from the peer.
        exported_services: The services exported to the peer.
        last_heartbeat: When the last heartbeat was received.
        last_receive: When any message was last received.
        last_send: When any message was last sent.
    """

    imported_services: list[str] = []
    exported_services: list[str] = []
    last_heartbeat: Timestamp | None = None
    last_receive: Timestamp | None = None
    last_send: Timestamp | None = None


class Peering(Indexed, frozen=True):
    """A peering with another cluster.

    Attributes:
        id: The peering's ID in this datacenter.
        name: The local name of the peer.
        partition: (Enterprise) The local admin partition that peers.
        deleted_at: When the peering was marked for deletion; None while it is not.
        meta: Free-form metadata.
        state: ``"PENDING"``, ``"ESTABLISHING"``, ``"ACTIVE"``, ``"FAILING"``,
            ``"DELETING"`` or ``"TERMINATED"`` (``"INITIAL"`` in older versions).
        peer_id: The ID the peer gave this peering.
        peer_ca_pems: The peer's CA certificates.
        peer_server_name: The peer servers' TLS name.
        peer_server_addresses: The peer servers' addresses.
        stream_status: The state of the replication stream.
        remote: What the peering knows of the peer.
    """

    id: str = ""
    name: str = ""
    partition: str = ""
    deleted_at: Timestamp | None = None
    meta: dict[str, str] = {}
    state: str = ""
    peer_id: str = ""
    peer_ca_pems: list[str] = []
    peer_server_name: str = ""
    peer_server_addresses: list[str] = []
    stream_status: PeeringStreamStatus = field(factory=PeeringStreamStatus)
    remote: PeeringRemoteInfo = field(factory=PeeringRemoteInfo)
