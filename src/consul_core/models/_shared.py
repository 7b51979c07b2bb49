"""The fields that models of many groups end with, declared once. A keyword-only base's fields
come after the model's own, so that its fields, JSON keys and repr keep the order of Consul's
objects (their positional order is not public: models are built with keywords).

A group of fields that models of one group share is a base in that group's module: those they
start with, ``config_common.PathMatch``, ``config_chain.ServiceSubset`` and ``ServiceTarget``,
``config_gateways.NamedValueMatch``; keyword-only, those they end with,
``config_gateways.IngressLimits``. No base is exported; `consul_core.models._docs` lists their
fields in the models' ``Attributes:``.
"""

from __future__ import annotations

from datetime import timedelta

from consul_core._codec import Model, NanoDuration, field

__all__ = ["EnterpriseMeta", "Indexed", "ServerQueryMeta", "TLSParameters"]


class Indexed(Model, frozen=True, kw_only=True):
    """An object of Consul's state store, with the Raft indexes that Go embeds last in it
    (``structs.RaftIndex``); keyword-only, so that they stay the model's last fields.

    Attributes:
        create_index: The index that created it.
        modify_index: The index of its last change.
    """

    create_index: int = 0
    modify_index: int = 0


class EnterpriseMeta(Model, frozen=True, kw_only=True):
    """The admin partition and namespace (Consul Enterprise) of what a model names, which Go's
    structs end with where they name a service or an entry in them (as the server's embed
    ``acl.EnterpriseMeta``); keyword-only, so that they stay the model's last fields. Their
    lines in ``Attributes:`` are `consul_core.models._docs`'s shared ones.
    """

    partition: str = ""
    namespace: str = ""


class ServerQueryMeta(Model, frozen=True, kw_only=True):
    """The read's metadata that the server's structs embed (``structs.QueryMeta``), which the
    replies to prepared queries carry in their bodies besides the headers (`QueryMeta`); the Go
    client drops them. Keyword-only, so that they stay the model's last fields.

    Attributes:
        index: The index of the read (0 for a prepared query's).
        last_contact: How long since the server that answered heard from the leader.
        known_leader: Whether that server knew a leader.
        consistency_level: The consistency the read was served with (``"leader"``,
            ``"stale"``, ``"consistent"``).
        not_modified: Whether the read was not modified since the index it waited on (a newer
            Consul's).
        backend: What served the read: 0 a blocking query, 1 streaming (a newer Consul's).
        results_filtered_by_acls: Whether ACLs left results out (a newer Consul's).
    """

    index: int = 0
    last_contact: NanoDuration = timedelta(0)
    known_leader: bool = False
    consistency_level: str = ""
    not_modified: bool = False
    backend: int = 0
    # Go's field name, untagged: "ACLs", which the automatic name would spell "Acls".
    results_filtered_by_acls: bool = field(json="ResultsFilteredByACLs", default=False)


class TLSParameters(Model, frozen=True, kw_only=True):
    """The TLS versions and cipher suites that a proxy accepts (Envoy's ``TlsParameters``),
    which Go's TLS settings of gateways and of the mesh end with.

    Attributes:
        tls_min_version: The least TLS version (``"TLSv1_2"``, ...).
        tls_max_version: The greatest TLS version.
        cipher_suites: The cipher suites allowed (TLS 1.2 and below).
    """

    tls_min_version: str = ""
    tls_max_version: str = ""
    cipher_suites: list[str] = []
