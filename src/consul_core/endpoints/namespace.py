"""Builders for Consul Enterprise namespaces (Consul Enterprise 1.7+): ``/v1/namespace``,
``/v1/namespaces``.

A Consul without Enterprise has none of these endpoints (it answers 404). A namespace lives in
an admin partition, given as the ``partition`` query parameter on every call, as the Go client
sends it (a create's or an update's spec may also carry its ``Partition``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from consul_core.call import Call
from consul_core.endpoints import _acl, _named
from consul_core.endpoints._common import Ref
from consul_core.endpoints._options import (
    PartitionedReadOptions,
    PartitionedWriteOptions,
    Unpack,
    builder,
)
from consul_core.meta import QueryMeta
from consul_core.models.namespace import ConsulNamespace, NamespaceACLConfig

__all__ = ["create", "delete", "items", "read", "update"]

_NAMESPACES = _named.NamedObjects[ConsulNamespace, PartitionedReadOptions, PartitionedWriteOptions](
    "namespace", "namespaces", ConsulNamespace, "namespace"
)


class _Fields(PartitionedWriteOptions, total=False):
    description: str | None
    meta: Mapping[str, str] | None
    acls: NamespaceACLConfig | Mapping[str, Any] | None


def _spec(namespace: object, fields: _Fields) -> dict[str, Any]:
    acls = fields.get("acls")
    return _NAMESPACES.spec(
        namespace,
        fields,
        Meta=_named.opt_str_map(fields.get("meta"), "meta"),
        ACLs=None if acls is None else _acl.spec_of(acls, "acls", NamespaceACLConfig),
    )


@builder(needs="operator:write", like=_NAMESPACES.docs.create)
def create(namespace: Ref[ConsulNamespace], **fields: Unpack[_Fields]) -> Call[ConsulNamespace]:
    """Create a namespace.

    Args:
        meta: Free-form metadata.
        acls: Its ACL defaults: a `NamespaceACLConfig` or a mapping in Consul's shape.
    """
    return _NAMESPACES.create(_spec(namespace, fields), fields)


@builder(needs="operator:read", like=_NAMESPACES.docs.read)
def read(
    namespace: Ref[ConsulNamespace], **options: Unpack[PartitionedReadOptions]
) -> Call[tuple[ConsulNamespace, QueryMeta]]:
    """Read a namespace (one marked for deletion reads with its ``deleted_at``)."""
    return _NAMESPACES.read(namespace, options)


@builder(needs="operator:write", like=(create, _NAMESPACES.docs.update))
def update(namespace: Ref[ConsulNamespace], **fields: Unpack[_Fields]) -> Call[ConsulNamespace]:
    """Replace a namespace's description, metadata and ACL defaults (what the spec leaves out
    is cleared).
    """
    return _NAMESPACES.update(_spec(namespace, fields), fields)


@builder(needs="operator:write", like=_NAMESPACES.docs.delete)
def delete(
    namespace: Ref[ConsulNamespace], **options: Unpack[PartitionedWriteOptions]
) -> Call[bool]:
    """Mark a namespace for deletion: Consul deletes what it holds in the background, then
    the namespace.
    """
    return _NAMESPACES.delete(namespace, options)


@builder(needs="operator:read", like=_NAMESPACES.docs.items)
def items(
    **options: Unpack[PartitionedReadOptions],
) -> Call[tuple[list[ConsulNamespace], QueryMeta]]:
    """List the namespaces the token may see."""
    return _NAMESPACES.items(options)
