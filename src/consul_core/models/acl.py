"""Models of the ACL system: legacy tokens, and the tokens, policies, roles, auth methods and
binding rules of the modern one (Consul >= 1.4).

Rules:
- A token's secret never shows in a repr: `ACLToken.secret_id`, and the ID of a legacy token
  (which is its secret), are left out of it.
- One model serves a full read and a listing; a listing leaves out what Consul does not list
  (a policy's rules, an auth method's config, a token's secret).
- The codec's `parse_time` and `format_time` (for the timestamps) are re-exported here.
- Every model decodes through the generic codec; `ACLToken` writes out its `to_json`, which
  sends only the fields a client may write, and, as every model, the fields it kept without
  knowing them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from consul_core._codec import (
    Duration,
    Model,
    NanoDuration,
    Timestamp,
    field,
    format_time,
    from_json,
    parse_time,
    to_json,
    unknown_json,
)
from consul_core.models._shared import Indexed

__all__ = [
    "ACLAuthMethod",
    "ACLBindingRule",
    "ACLLegacyToken",
    "ACLLink",
    "ACLNodeIdentity",
    "ACLPolicy",
    "ACLPolicyTemplate",
    "ACLReplicationStatus",
    "ACLRole",
    "ACLServiceIdentity",
    "ACLTemplatedPolicy",
    "ACLToken",
    "ACLTokenExpanded",
    "LegacyTokenType",
    "format_time",
    "parse_time",
]

LegacyTokenType = Literal["client", "management"]


class ACLLegacyToken(Indexed, frozen=True):
    """A token of the legacy ACL system (``/v1/acl/create``, ``/v1/acl/info``, ...).

    Attributes:
        id: The token's ID, which is also its secret (left out of the repr).
        name: A human-readable name.
        type: ``"client"`` or ``"management"``.
        rules: The legacy HCL rules.
    """

    _repr_hidden = frozenset({"id"})

    id: str = ""
    name: str = ""
    type: LegacyTokenType = "client"
    rules: str = ""


class ACLReplicationStatus(Model, frozen=True):
    """The state of ACL replication in a datacenter (``/v1/acl/replication``).

    Attributes:
        enabled: Whether replication is enabled.
        running: Whether the replication routine runs.
        source_datacenter: The authoritative datacenter replicated from.
        replication_type: ``"legacy"``, ``"policies"`` or ``"tokens"``.
        replicated_index: The last index of policies replicated.
        replicated_role_index: The last index of roles replicated.
        replicated_token_index: The last index of tokens replicated.
        last_success: When replication last succeeded, or None.
        last_error: When replication last failed, or None.
        last_error_message: Why it last failed (Consul >= 1.13).
    """

    enabled: bool = False
    running: bool = False
    source_datacenter: str = ""
    replication_type: str = ""
    replicated_index: int = 0
    replicated_role_index: int = 0
    replicated_token_index: int = 0
    last_success: Timestamp | None = None
    last_error: Timestamp | None = None
    last_error_message: str = ""

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ACLReplicationStatus:
        """Decode Consul's JSON object for the replication status."""
        return from_json(cls, data)


class ACLLink(Model, frozen=True):
    """A reference from a token or role to a policy or role: by ID, by name, or both.

    Attributes:
        id: The linked object's ID.
        name: The linked object's name.
    """

    id: str = ""
    name: str = ""


class ACLServiceIdentity(Model, frozen=True):
    """The privileges a service and its sidecar proxy need, granted by name.

    Attributes:
        service_name: The service's name.
        datacenters: The datacenters where it applies; empty for all.
    """

    service_name: str
    datacenters: list[str] = []


class ACLNodeIdentity(Model, frozen=True):
    """The privileges a node's agent needs, granted by name (Consul >= 1.8.1).

    Attributes:
        node_name: The node's name.
        datacenter: The datacenter of the node.
    """

    node_name: str
    datacenter: str


class ACLTemplatedPolicy(Model, frozen=True):
    """A use of a templated policy by a token or role (Consul >= 1.17).

    Attributes:
        template_name: The template, e.g. ``"builtin/service"``.
        template_variables: The template's variables, e.g. ``{"Name": "api"}``.
        datacenters: The datacenters where it applies; empty for all.
    """

    template_name: str
    template_variables: dict[str, Any] = {}
    datacenters: list[str] = []


class ACLToken(Indexed, frozen=True):
    """A token of the ACL system.

    Attributes:
        accessor_id: The token's public ID, used to manage it.
        secret_id: The secret to send as the token (left out of the repr; empty in listings).
        policies: The policies it grants.
        roles: The roles it grants.
        service_identities: The service identities it grants.
        node_identities: The node identities it grants.
        templated_policies: The templated policies it grants (Consul >= 1.17).
        local: Whether it is valid only in its datacenter.
        auth_method: The auth method whose login created it, if any.
        expiration_ttl: On create, how long it lives; Consul answers with `expiration_time`.
        expiration_time: When it expires, or None.
        create_time: When it was created, or None for a token from before Consul 1.4.
        legacy: Whether it is a legacy token (in listings).
        rules: The rules of a legacy token.
    """

    _repr_hidden = frozenset({"secret_id"})

    accessor_id: str = ""
    secret_id: str = ""
    description: str = ""
    policies: list[ACLLink] = []
    roles: list[ACLLink] = []
    service_identities: list[ACLServiceIdentity] = []
    node_identities: list[ACLNodeIdentity] = []
    templated_policies: list[ACLTemplatedPolicy] = []
    local: bool = False
    auth_method: str = ""
    # A Go time.Duration: Consul sends integer nanoseconds (or a string like "1h0m0s").
    expiration_ttl: NanoDuration | None = None
    expiration_time: Timestamp | None = None
    create_time: Timestamp | None = None
    hash: bytes = b""
    legacy: bool = False
    rules: str = ""
    namespace: str = ""

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ACLToken:
        """Decode Consul's JSON object for a token (or a token listing entry)."""
        return from_json(cls, data)

    def to_json(self) -> dict[str, Any]:
        """Encode the fields a client may write, in Consul's shape, leaving out empty ones, and
        the fields it keeps without knowing them (a newer Consul's), unchanged.
        """
        out: dict[str, Any] = {
            "AccessorID": self.accessor_id,
            "SecretID": self.secret_id,
            "Description": self.description,
            "Policies": to_json(self.policies),
            "Roles": to_json(self.roles),
            "ServiceIdentities": to_json(self.service_identities),
            "NodeIdentities": to_json(self.node_identities),
            "TemplatedPolicies": to_json(self.templated_policies),
            "Local": self.local,
            # A legacy token's: Consul's token API refuses them (`acl_tokens.update` says so
            # first), but left out they would be lost without a word.
            "Rules": self.rules,
            "Namespace": self.namespace,
        }
        if self.expiration_ttl is not None:
            out["ExpirationTTL"] = to_json(self.expiration_ttl)
        if self.expiration_time is not None:
            out["ExpirationTime"] = format_time(self.expiration_time, "expiration_time")
        written = {key: value for key, value in out.items() if value not in ("", [], False)}
        return {**unknown_json(self), **written}


class ACLPolicy(Indexed, frozen=True):
    """A named set of rules.

    Attributes:
        id: The policy's ID.
        name: Its unique name.
        rules: Its HCL or JSON rules (empty in listings).
        datacenters: The datacenters where it applies; empty for all.
    """

    id: str = ""
    name: str = ""
    description: str = ""
    rules: str = ""
    datacenters: list[str] = []
    hash: bytes = b""
    namespace: str = ""


class ACLRole(Indexed, frozen=True):
    """A named set of policies and identities that tokens can link to.

    Attributes:
        id: The role's ID.
        name: Its unique name.
        policies: The policies it grants.
        service_identities: The service identities it grants.
        node_identities: The node identities it grants.
        templated_policies: The templated policies it grants (Consul >= 1.17).
    """

    id: str = ""
    name: str = ""
    description: str = ""
    policies: list[ACLLink] = []
    service_identities: list[ACLServiceIdentity] = []
    node_identities: list[ACLNodeIdentity] = []
    templated_policies: list[ACLTemplatedPolicy] = []
    hash: bytes = b""
    namespace: str = ""


class ACLTokenExpanded(ACLToken, frozen=True):
    """A token with what decides its privileges (``/v1/acl/token/:id?expanded``, Consul >= 1.12):
    the policies and roles that apply to it, read whole, and the ACL defaults of the agent that
    resolved it. It is an `ACLToken`, so `acl.tokens.update` takes it back as one (the expansion
    is not sent).

    Attributes:
        expanded_policies: The policies that apply to it, with their rules: those it links, those
            of its roles, and the synthetic ones of its identities.
        expanded_roles: The roles it links, with their policies and identities.
        namespace_default_policy_ids: (Enterprise) The policies its namespace grants every
            token in it.
        namespace_default_role_ids: (Enterprise) The roles its namespace grants every token in
            it.
        agent_acl_default_policy: The ``acl.default_policy`` of the agent that resolved it
            (``"allow"`` or ``"deny"``).
        agent_acl_down_policy: That agent's ``acl.down_policy``.
        resolved_by_agent: The node name of that agent.
    """

    expanded_policies: list[ACLPolicy] = []
    expanded_roles: list[ACLRole] = []
    # Go's field names, untagged: "IDs", which the automatic names would spell "Ids".
    namespace_default_policy_ids: list[str] = field(json="NamespaceDefaultPolicyIDs", default=[])
    namespace_default_role_ids: list[str] = field(json="NamespaceDefaultRoleIDs", default=[])
    agent_acl_default_policy: str = ""
    agent_acl_down_policy: str = ""
    resolved_by_agent: str = ""

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ACLTokenExpanded:
        """Decode Consul's JSON object for an expanded token."""
        return from_json(cls, data)


class ACLAuthMethod(Indexed, frozen=True):
    """A way to log in with an outside identity (Kubernetes, JWT, OIDC) and get a token.

    Attributes:
        name: The method's unique name.
        type: ``"kubernetes"``, ``"jwt"``, ``"oidc"`` (Enterprise) or ``"aws-iam"``.
        display_name: A name to show to users.
        max_token_ttl: The lifetime of the tokens it creates; None for no limit.
        token_locality: ``"local"`` or ``"global"`` tokens.
        config: The configuration of its type (empty in listings).
    """

    name: str = ""
    type: str = ""
    display_name: str = ""
    description: str = ""
    max_token_ttl: Duration | None = None
    token_locality: str = ""
    config: dict[str, Any] = {}
    namespace: str = ""


class ACLBindingRule(Indexed, frozen=True):
    """A rule that turns an auth method's verified identity into a token's privileges.

    Attributes:
        id: The rule's ID.
        auth_method: The auth method it applies to.
        selector: A filter expression over the identity's attributes; empty matches all.
        bind_type: What it grants: ``"service"``, ``"node"``, ``"role"``, ``"policy"`` or
            ``"templated-policy"`` (the last two in newer Consul versions).
        bind_name: The name to grant, which may use ``${...}`` attributes.
    """

    id: str = ""
    description: str = ""
    auth_method: str = ""
    selector: str = ""
    bind_type: str = ""
    bind_name: str = ""
    namespace: str = ""


class ACLPolicyTemplate(Model, frozen=True):
    """A built-in policy template (Consul >= 1.17).

    Attributes:
        template_name: Its name, e.g. ``"builtin/service"``.
        schema: The JSON schema of its variables.
        template: The rules it renders.
    """

    template_name: str
    schema: str = ""
    template: str = ""
    description: str = ""
