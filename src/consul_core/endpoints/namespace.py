"""Builders for Consul Enterprise namespaces (Consul Enterprise 1.7+): ``/v1/namespace``,
``/v1/namespaces``.

A Consul without Enterprise has none of these endpoints (it answers 404). A namespace lives in
an admin partition, given as the ``partition`` query parameter on every call, as the Go client
sends it (a create's or an update's spec may also carry its ``Partition``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from consul_core.call import Call
from consul_core.endpoints import _acl, _named
from consul_core.endpoints._options import (
    PartitionedReadOptions,
    PartitionedWriteOptions,
    builder,
)
from consul_core.meta import QueryMeta
from consul_core.models.namespace import ConsulNamespace, NamespaceACLConfig

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["create", "delete", "items", "read", "update"]

NamespaceRef = str | Mapping[str, Any] | ConsulNamespace
NamespaceSpec = str | Mapping[str, Any] | ConsulNamespace
_NAMESPACES = _named.NamedObjects[ConsulNamespace, PartitionedReadOptions, PartitionedWriteOptions](
    "namespace", "namespaces", ConsulNamespace, "namespace"
)


def _spec(namespace: object, description: object, meta: object, acls: object) -> dict[str, Any]:
    return _named.spec(
        namespace,
        "namespace",
        ConsulNamespace,
        Description=_acl.opt_str(description, "description"),
        Meta=_named.opt_str_map(meta, "meta"),
        ACLs=None if acls is None else _acl.spec_of(acls, "acls", NamespaceACLConfig),
    )


@builder(needs="operator:write", like=_NAMESPACES.docs.create)
def create(
    namespace: NamespaceSpec,
    *,
    description: str | None = None,
    meta: Mapping[str, str] | None = None,
    acls: NamespaceACLConfig | Mapping[str, Any] | None = None,
    **options: Unpack[PartitionedWriteOptions],
) -> Call[ConsulNamespace]:
    """Create a namespace.

    Args:
        namespace: Its name, or a spec: a mapping in Consul's shape or a `ConsulNamespace`;
            the keyword arguments override it.
        description: A human-readable description.
        meta: Free-form metadata.
        acls: Its ACL defaults: a `NamespaceACLConfig` or a mapping in Consul's shape.
    """
    spec = _spec(namespace, description, meta, acls)
    return _NAMESPACES.create(spec, options)


@builder(needs="operator:read", like=_NAMESPACES.docs.read)
def read(
    namespace: NamespaceRef, **options: Unpack[PartitionedReadOptions]
) -> Call[tuple[ConsulNamespace, QueryMeta]]:
    """Read a namespace (one marked for deletion reads with its ``deleted_at``)."""
    return _NAMESPACES.read(namespace, options)


@builder(needs="operator:write", like=(create, _NAMESPACES.docs.update))
def update(
    namespace: NamespaceSpec,
    *,
    description: str | None = None,
    meta: Mapping[str, str] | None = None,
    acls: NamespaceACLConfig | Mapping[str, Any] | None = None,
    **options: Unpack[PartitionedWriteOptions],
) -> Call[ConsulNamespace]:
    """Replace a namespace's description, metadata and ACL defaults (what the spec leaves out
    is cleared).

    Args:
        namespace: The whole namespace, e.g. the one `read` returned (its name says which), or
            its name alone; the keyword arguments override it.
    """
    spec = _spec(namespace, description, meta, acls)
    return _NAMESPACES.update(spec, options)


@builder(needs="operator:write", like=_NAMESPACES.docs.delete)
def delete(namespace: NamespaceRef, **options: Unpack[PartitionedWriteOptions]) -> Call[bool]:
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
