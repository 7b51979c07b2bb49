"""Models of Connect: the CA, intentions, leaf certificates and authorization."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from consul_core._codec import Model, Timestamp, field
from consul_core.models._shared import Indexed
from consul_core.models.config_common import HTTPHeaderMatch, PathMatch

__all__ = [
    "Authorization",
    "CAConfiguration",
    "CARoot",
    "CARoots",
    "Intention",
    "IntentionHTTPPermission",
    "IntentionJWTClaimVerification",
    "IntentionJWTProvider",
    "IntentionJWTRequirement",
    "IntentionMatchBy",
    "IntentionPermission",
    "LeafCert",
]

IntentionMatchBy = Literal["source", "destination"]


class CARoot(Indexed, frozen=True):
    """One root certificate of the Connect CA.

    Attributes:
        id: The root's ID (its signing key's fingerprint).
        name: A human-readable name.
        serial_number: The certificate's serial number.
        signing_key_id: The ID of the key that signs with it.
        external_trust_domain: The trust domain of the cluster that made it.
        not_before: The start of its validity.
        not_after: The end of its validity.
        root_cert: The PEM-encoded certificate.
        intermediate_certs: PEM-encoded intermediates between it and the leaves.
        active: Whether it signs new certificates.
        private_key_type: ``"ec"`` or ``"rsa"``.
        private_key_bits: The key's size.
    """

    id: str
    name: str = ""
    serial_number: int = 0
    signing_key_id: str = ""
    external_trust_domain: str = ""
    not_before: Timestamp | None = None
    not_after: Timestamp | None = None
    root_cert: str = ""
    intermediate_certs: list[str] = []
    active: bool = False
    private_key_type: str = ""
    private_key_bits: int = 0


class CARoots(Model, frozen=True):
    """The trusted root certificates of the Connect CA.

    Attributes:
        active_root_id: The ID of the root that signs new certificates.
        trust_domain: The cluster's SPIFFE trust domain.
        roots: The roots, active and retired but still trusted.
    """

    active_root_id: str = ""
    trust_domain: str = ""
    roots: list[CARoot] = []

    @property
    def active_root(self) -> CARoot | None:
        """The root that signs new certificates, if any."""
        return next((root for root in self.roots if root.id == self.active_root_id), None)


class CAConfiguration(Indexed, frozen=True):
    """The configuration of the Connect CA.

    Attributes:
        provider: The CA provider: ``"consul"``, ``"vault"`` or ``"aws-pca"``.
        config: The provider's free-form settings (``{"LeafCertTTL": "72h", ...}``).
        state: The provider's internal state, as Consul reports it.
        force_without_cross_signing: Rotate the root even if the old one cannot cross-sign.
    """

    provider: str
    config: dict[str, Any] = {}
    state: dict[str, str] = {}
    force_without_cross_signing: bool = False


class IntentionJWTClaimVerification(Model, frozen=True):
    """A claim a JWT must carry.

    Attributes:
        path: The path to the claim in the token's payload (``["perms", "role"]``).
        value: The value it must have (or hold, for a list).
    """

    path: list[str] = []
    value: str = ""


class IntentionJWTProvider(Model, frozen=True):
    """A JWT provider whose tokens are accepted, and the claims they must carry.

    Attributes:
        name: The name of a ``jwt-provider`` config entry.
        verify_claims: Claims to verify beyond the provider's own checks.
    """

    name: str = ""
    verify_claims: list[IntentionJWTClaimVerification] = []


class IntentionJWTRequirement(Model, frozen=True):
    """The JWTs a request must carry (Consul 1.16+).

    Attributes:
        providers: The providers whose tokens are accepted.
    """

    providers: list[IntentionJWTProvider] = []


class IntentionHTTPPermission(PathMatch, frozen=True):
    """The HTTP requests an L7 permission applies to; every condition given must hold.

    Attributes:
        header: Conditions on headers.
        methods: The HTTP methods (all when empty).
    """

    header: list[HTTPHeaderMatch] = []
    methods: list[str] = []


class IntentionPermission(Model, frozen=True):
    """One L7 permission of an intention (Consul 1.9+): an action for the requests that match.

    Attributes:
        action: ``"allow"`` or ``"deny"``.
        http: The HTTP requests it applies to.
        jwt: The JWTs those requests must carry (Consul 1.16+).
    """

    action: str = ""
    http: IntentionHTTPPermission | None = None
    jwt: IntentionJWTRequirement | None = None


class Intention(Indexed, frozen=True):
    """An intention: whether one service may connect to another.

    Attributes:
        source_name: The source service (``"*"`` for any).
        destination_name: The destination service (``"*"`` for any).
        action: ``"allow"`` or ``"deny"`` (empty for an L7 intention, which has permissions).
        id: Its ID (assigned by Consul; empty in an intention to create).
        description: A free-form description.
        source_ns: (Enterprise) The source's namespace.
        destination_ns: (Enterprise) The destination's namespace.
        source_partition: (Enterprise) The source's admin partition.
        destination_partition: (Enterprise) The destination's admin partition.
        source_peer: The cluster peer the source lives in (Consul 1.13+).
        source_sameness_group: (Enterprise) The sameness group of the source.
        source_type: The kind of source; only ``"consul"`` exists.
        default_addr: Unused; sent by Consul 1.8 and older (removed in 1.9).
        default_port: Unused; sent by Consul 1.8 and older (removed in 1.9).
        permissions: The L7 permissions, in order (Consul 1.9+; they replace ``action``);
            written only through a ``service-intentions`` config entry or `intention_upsert`.
        meta: Free-form metadata.
        precedence: Its evaluation order (higher first), computed by Consul.
        created_at: When it was created.
        updated_at: When it was last changed.
        hash: A hash of its contents, for replication.
    """

    source_name: str
    destination_name: str
    action: str = ""
    id: str = ""
    description: str = ""
    source_ns: str = field(json="SourceNS", default="")
    destination_ns: str = field(json="DestinationNS", default="")
    source_partition: str = ""
    destination_partition: str = ""
    source_peer: str = ""
    source_sameness_group: str = ""
    source_type: str = ""
    default_addr: str = ""
    default_port: int = 0
    permissions: list[IntentionPermission] = []
    meta: dict[str, str] = {}
    precedence: int = 0
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None
    hash: bytes = b""


class LeafCert(Indexed, frozen=True):
    """A service's leaf certificate and its private key.

    Attributes:
        serial_number: The certificate's serial number, colon-hex.
        cert_pem: The PEM-encoded certificate.
        private_key_pem: The PEM-encoded private key (left out of the repr).
        service: The service it identifies.
        service_uri: Its SPIFFE URI.
        valid_after: The start of its validity.
        valid_before: The end of its validity.
    """

    _repr_hidden: ClassVar[frozenset[str]] = frozenset({"private_key_pem"})

    serial_number: str = ""
    cert_pem: str = field(json="CertPEM", default="")
    private_key_pem: str = field(json="PrivateKeyPEM", default="")
    service: str = ""
    service_uri: str = field(json="ServiceURI", default="")
    valid_after: Timestamp | None = None
    valid_before: Timestamp | None = None


class Authorization(Model, frozen=True):
    """The agent's answer to whether a client certificate may connect to a service.

    Attributes:
        authorized: Whether the connection is allowed.
        reason: Why.
    """

    authorized: bool = False
    reason: str = ""
