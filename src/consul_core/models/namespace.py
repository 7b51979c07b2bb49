"""Models of Consul Enterprise namespaces (Consul Enterprise 1.7+): ``/v1/namespace``.

Shapes from the Consul HTTP API documentation and the Go client's ``api/namespace.go``.
"""

from __future__ import annotations

from consul_core._codec import Model, Timestamp, field
from consul_core.models._shared import Indexed
from consul_core.models.acl import ACLLink

__all__ = ["ConsulNamespace", "NamespaceACLConfig"]


class NamespaceACLConfig(Model, frozen=True):
    """The ACL defaults of a namespace: what every token in it gets, besides its own links.

    Attributes:
        policy_defaults: The policies every token of the namespace is granted.
        role_defaults: The roles every token of the namespace is granted.
    """

    policy_defaults: list[ACLLink] = []
    role_defaults: list[ACLLink] = []


class ConsulNamespace(Indexed, frozen=True):
    """A namespace (Consul Enterprise).

    Attributes:
        name: The namespace's name (a DNS label).
        acls: Its ACL defaults, if any.
        meta: Free-form metadata.
        deleted_at: When it was marked for deletion; None while it is not.
        partition: The admin partition that holds it.
    """

    name: str = ""
    description: str = ""
    acls: NamespaceACLConfig | None = field(json="ACLs", default=None)
    meta: dict[str, str] = {}
    deleted_at: Timestamp | None = None
    partition: str = ""
