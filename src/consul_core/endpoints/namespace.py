"""Builders for Consul Enterprise namespaces (Consul Enterprise 1.7+): ``/v1/namespace``,
``/v1/namespaces``.

A Consul without Enterprise has none of these endpoints (it answers 404).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from consul_core.call import Call
from consul_core.endpoints import _acl, _named
from consul_core.endpoints._options import ReadOptions, WriteOptions, builder
from consul_core.meta import QueryMeta
from consul_core.models.namespace import ConsulNamespace, NamespaceACLConfig

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["create", "delete", "items", "read", "update"]

NamespaceRef = str | Mapping[str, Any] | ConsulNamespace
NamespaceSpec = str | Mapping[str, Any] | ConsulNamespace
_NAMESPACES = _named.NamedObjects("namespace", "namespaces", ConsulNamespace, "namespace")


def _spec(namespace: object, description: object, meta: object, acls: object) -> dict[str, Any]:
    return _named.spec(
        namespace,
        "namespace",
        ConsulNamespace,
        Description=_acl.opt_str(description, "description"),
        Meta=_named.opt_str_map(meta, "meta"),
        ACLs=None if acls is None else _acl.spec_of(acls, "acls", NamespaceACLConfig),
    )


@builder(needs="operator:write")
def create(
    namespace: NamespaceSpec,
    *,
    description: str | None = None,
    meta: Mapping[str, str] | None = None,
    acls: NamespaceACLConfig | Mapping[str, Any] | None = None,
    **options: Unpack[WriteOptions],
) -> Call[ConsulNamespace]:
    """Create a namespace.

    Args:
        namespace: Its name, or a spec: a mapping in Consul's shape or a `ConsulNamespace`;
            the keyword arguments override it.
        description: A human-readable description.
        meta: Free-form metadata.
        acls: Its ACL defaults: a `NamespaceACLConfig` or a mapping in Consul's shape.

    Returns:
        The new namespace.

    Raises:
        UsageError: An argument is invalid, or the spec has no name.
    """
    spec = _spec(namespace, description, meta, acls)
    return _NAMESPACES.create(spec, options)


@builder(needs="operator:read")
def read(
    namespace: NamespaceRef, **options: Unpack[ReadOptions]
) -> Call[tuple[ConsulNamespace, QueryMeta]]:
    """Read a namespace (one marked for deletion reads with its ``deleted_at``).

    Args:
        namespace: Its name, a mapping with ``"Name"``, or a `ConsulNamespace`.

    Returns:
        The namespace and the read's metadata.

    Raises:
        NotFound: No namespace has that name.
    """
    return _NAMESPACES.read(namespace, **options)


@builder(needs="operator:write", like=create)
def update(
    namespace: NamespaceSpec,
    *,
    description: str | None = None,
    meta: Mapping[str, str] | None = None,
    acls: NamespaceACLConfig | Mapping[str, Any] | None = None,
    **options: Unpack[WriteOptions],
) -> Call[ConsulNamespace]:
    """Replace a namespace's description, metadata and ACL defaults (what the spec leaves out
    is cleared).

    Args:
        namespace: The whole namespace, e.g. the one `read` returned (its name says which), or
            its name alone; the keyword arguments override it.

    Returns:
        The updated namespace.
    """
    spec = _spec(namespace, description, meta, acls)
    return _NAMESPACES.update(spec, options)


@builder(needs="operator:write")
def delete(namespace: NamespaceRef, **options: Unpack[WriteOptions]) -> Call[bool]:
    """Mark a namespace for deletion: Consul deletes what it holds in the background, then
    the namespace.

    Args:
        namespace: Its name, a mapping with ``"Name"``, or a `ConsulNamespace`.

    Returns:
        True.
    """
    return _NAMESPACES.delete(namespace, **options)


@builder(needs="operator:read")
def items(**options: Unpack[ReadOptions]) -> Call[tuple[list[ConsulNamespace], QueryMeta]]:
    """List the namespaces the token may see.

    Returns:
        The namespaces and the read's metadata.
    """
    return _NAMESPACES.items(**options)
