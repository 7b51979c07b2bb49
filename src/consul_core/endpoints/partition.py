"""Builders for Consul Enterprise admin partitions (Consul Enterprise 1.11+): ``/v1/partition``,
``/v1/partitions``.

A Consul without Enterprise has none of these endpoints (it answers 404). Partition reads
cannot block: they take a consistency mode but no ``watch``.
"""

from __future__ import annotations

from typing import Any

from consul_core.call import Call
from consul_core.endpoints import _acl, _named
from consul_core.endpoints._common import Ref
from consul_core.endpoints._options import UnindexedReadOptions, Unpack, WriteOptions, builder
from consul_core.meta import QueryMeta
from consul_core.models.partition import AdminPartition

__all__ = ["create", "delete", "items", "read", "update"]

# A partition is in no namespace or other partition: its calls take neither.
_PARTITIONS = _named.NamedObjects[AdminPartition, UnindexedReadOptions, WriteOptions](
    "partition", "partitions", AdminPartition, "admin_partition"
)


class _Fields(WriteOptions, total=False):
    description: str | None
    disable_gossip: bool | None


def _spec(admin_partition: object, fields: _Fields) -> dict[str, Any]:
    disable_gossip = _acl.opt_bool(fields.get("disable_gossip"), "disable_gossip")
    return _PARTITIONS.spec(admin_partition, fields, DisableGossip=disable_gossip)


@builder(needs="operator:write", like=_PARTITIONS.docs.create)
def create(admin_partition: Ref[AdminPartition], **fields: Unpack[_Fields]) -> Call[AdminPartition]:
    """Create an admin partition.

    Args:
        disable_gossip: Give the partition no gossip pool (no client agent can join it).
    """
    return _PARTITIONS.create(_spec(admin_partition, fields), fields)


@builder(needs="operator:read", like=_PARTITIONS.docs.read)
def read(
    admin_partition: Ref[AdminPartition], **options: Unpack[UnindexedReadOptions]
) -> Call[tuple[AdminPartition, QueryMeta]]:
    """Read an admin partition (one marked for deletion reads with its ``deleted_at``)."""
    return _PARTITIONS.read(admin_partition, options)


@builder(needs="operator:write", like=(create, _PARTITIONS.docs.update))
def update(admin_partition: Ref[AdminPartition], **fields: Unpack[_Fields]) -> Call[AdminPartition]:
    """Replace an admin partition's description and gossip setting."""
    return _PARTITIONS.update(_spec(admin_partition, fields), fields)


@builder(needs="operator:write", like=_PARTITIONS.docs.delete)
def delete(admin_partition: Ref[AdminPartition], **options: Unpack[WriteOptions]) -> Call[bool]:
    """Mark an admin partition for deletion: Consul deletes what it holds in the background,
    then the partition.
    """
    return _PARTITIONS.delete(admin_partition, options)


@builder(needs="operator:read", like=_PARTITIONS.docs.items)
def items(**options: Unpack[UnindexedReadOptions]) -> Call[tuple[list[AdminPartition], QueryMeta]]:
    """List the admin partitions."""
    return _PARTITIONS.items(options)
