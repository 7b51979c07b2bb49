"""Builders for Consul Enterprise admin partitions (Consul Enterprise 1.11+): ``/v1/partition``,
``/v1/partitions``.

A Consul without Enterprise has none of these endpoints (it answers 404). Partition reads
cannot block: they take a consistency mode but no ``watch``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from consul_core.call import Call
from consul_core.endpoints import _acl, _named
from consul_core.endpoints._options import UnindexedReadOptions, WriteOptions, builder
from consul_core.meta import QueryMeta
from consul_core.models.partition import AdminPartition

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["create", "delete", "items", "read", "update"]

PartitionRef = str | Mapping[str, Any] | AdminPartition
_PARTITIONS = _named.NamedObjects("partition", "partitions", AdminPartition, "admin_partition")


def _spec(admin_partition: object, description: object, disable_gossip: object) -> dict[str, Any]:
    return _named.spec(
        admin_partition,
        "admin_partition",
        AdminPartition,
        Description=_acl.opt_str(description, "description"),
        DisableGossip=_acl.opt_bool(disable_gossip, "disable_gossip"),
    )


@builder(needs="operator:write")
def create(
    admin_partition: PartitionRef,
    *,
    description: str | None = None,
    disable_gossip: bool | None = None,
    **options: Unpack[WriteOptions],
) -> Call[AdminPartition]:
    """Create an admin partition.

    Args:
        admin_partition: Its name, or a spec: a mapping in Consul's shape or an `AdminPartition`;
            the keyword arguments override it.
        description: A human-readable description.
        disable_gossip: Give the partition no gossip pool (no client agent can join it).

    Returns:
        The new partition.

    Raises:
        UsageError: An argument is invalid, or the spec has no name.
    """
    return _PARTITIONS.create(_spec(admin_partition, description, disable_gossip), options)


@builder(needs="operator:read")
def read(
    admin_partition: PartitionRef, **options: Unpack[UnindexedReadOptions]
) -> Call[tuple[AdminPartition, QueryMeta]]:
    """Read an admin partition (one marked for deletion reads with its ``deleted_at``).

    Args:
        admin_partition: Its name, a mapping with ``"Name"``, or an `AdminPartition`.

    Returns:
        The partition and the read's metadata.

    Raises:
        NotFound: No partition has that name.
    """
    return _PARTITIONS.read(admin_partition, **options)


@builder(needs="operator:write", like=create)
def update(
    admin_partition: PartitionRef,
    *,
    description: str | None = None,
    disable_gossip: bool | None = None,
    **options: Unpack[WriteOptions],
) -> Call[AdminPartition]:
    """Replace an admin partition's description and gossip setting.

    Args:
        admin_partition: The whole partition, e.g. the one `read` returned (its name says which),
            or its name alone; the keyword arguments override it.

    Returns:
        The updated partition.
    """
    return _PARTITIONS.update(_spec(admin_partition, description, disable_gossip), options)


@builder(needs="operator:write")
def delete(admin_partition: PartitionRef, **options: Unpack[WriteOptions]) -> Call[bool]:
    """Mark an admin partition for deletion: Consul deletes what it holds in the background,
    then the partition.

    Args:
        admin_partition: Its name, a mapping with ``"Name"``, or an `AdminPartition`.

    Returns:
        True.
    """
    return _PARTITIONS.delete(admin_partition, **options)


@builder(needs="operator:read")
def items(**options: Unpack[UnindexedReadOptions]) -> Call[tuple[list[AdminPartition], QueryMeta]]:
    """List the admin partitions.

    Returns:
        The partitions and the read's metadata.
    """
    return _PARTITIONS.items(**options)
