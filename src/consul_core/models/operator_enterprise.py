"""Models of the Consul Enterprise operator endpoints: network areas, the license.

Shapes from the Consul HTTP API documentation and the Go client's ``api/operator_area.go`` and
``api/operator_license.go``. The license's fields have snake_case JSON names, unlike the rest
of the API.
"""

from __future__ import annotations

from typing import Any

from consul_core._codec import Model, NanoDuration, Timestamp, field

__all__ = ["Area", "AreaJoinResponse", "License", "LicenseReply", "SerfMember"]


class Area(Model, frozen=True):
    """A network area: a link between this datacenter's servers and a peer datacenter's.

    Attributes:
        id: The area's ID (Consul assigns it).
        peer_datacenter: The datacenter on the other side.
        retry_join: Servers of the peer datacenter that Consul keeps trying to join.
        use_tls: Whether gossip in the area is encrypted with TLS where it can be.
    """

    id: str = ""
    peer_datacenter: str = ""
    retry_join: list[str] = []
    use_tls: bool = False


class AreaJoinResponse(Model, frozen=True):
    """The outcome of joining one address into an area.

    Attributes:
        address: The address.
        joined: Whether it joined.
        error: Why it did not, as the documentation names the field.
        what: Why it did not, as the Go client names the field.
    """

    address: str = ""
    joined: bool = False
    error: str = ""
    what: str = ""


class SerfMember(Model, frozen=True):
    """A server in a network area.

    Attributes:
        id: Its node ID.
        name: Its node name, with its datacenter appended.
        addr: Its IP address.
        port: Its server RPC port.
        role: ``"server"`` (only servers join areas).
        build: Its Consul version.
        protocol: The protocol version it speaks.
        status: ``"alive"``, ``"leaving"``, ``"left"`` or ``"failed"``.
        rtt: The estimated round trip to it from the answering server (negative when unknown).
    """

    id: str = ""
    name: str = ""
    addr: str = ""
    port: int = 0
    datacenter: str = ""
    role: str = ""
    build: str = ""
    protocol: int = 0
    status: str = ""
    rtt: NanoDuration | None = field(json="RTT", default=None)


class License(Model, frozen=True):
    """A Consul Enterprise license.

    Attributes:
        license_id: The license's ID.
        customer_id: The customer's ID.
        installation_id: The installation it is locked to (``"*"``: any).
        issue_time: When it was issued.
        start_time: When it starts being valid.
        expiration_time: When it expires.
        termination_time: When it stops working at all.
        product: The product it licenses (``"consul"``).
        flags: License flags (``package``, ...).
        modules: The licensed Enterprise modules.
        features: The licensed features.
        temporary: Whether it is a temporary license.
    """

    license_id: str = field(json="license_id", default="")
    customer_id: str = field(json="customer_id", default="")
    installation_id: str = field(json="installation_id", default="")
    issue_time: Timestamp | None = field(json="issue_time", default=None)
    start_time: Timestamp | None = field(json="start_time", default=None)
    expiration_time: Timestamp | None = field(json="expiration_time", default=None)
    termination_time: Timestamp | None = field(json="termination_time", default=None)
    product: str = field(json="product", default="")
    flags: dict[str, Any] = field(json="flags", factory=dict)
    modules: list[str] = field(json="modules", factory=list)
    features: list[str] = field(json="features", factory=list)
    temporary: bool = field(json="temporary", default=False)


class LicenseReply(Model, frozen=True):
    """The cluster's license and whether it is valid.

    Attributes:
        valid: Whether the license is valid.
        license: The license.
        warnings: Warnings about it (soon to expire, ...).
    """

    valid: bool = False
    license: License | None = None
    warnings: list[str] = []
