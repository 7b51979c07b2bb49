"""The types in the builders' signatures, for code that wraps or forwards them: the bundles
of the options many builders share (each takes them as ``**options: Unpack[<bundle>]``) and
the types of their values. They are defined in private modules; these names are the ones to
import (the version policy covers them).

    from typing_extensions import Unpack

    from consul_core.options import ReadOptions

    async def read_config(client: Consul, key: str, **options: Unpack[ReadOptions]) -> bytes:
        entry, _ = await client.kv.get(key, **options)
        return entry.value or b""
"""

from __future__ import annotations

from consul_core._params import Consistency, Duration, IdLike, IndexLike, Watch
from consul_core.endpoints._options import (
    CacheControlOptions,
    CallOptions,
    FilteredReadOptions,
    FilterOptions,
    IngressHealthReadOptions,
    IngressReadOptions,
    InstanceHealthReadOptions,
    InstanceReadOptions,
    LocalReadOptions,
    LocalWatchOptions,
    NamespacedCallOptions,
    NamespacedFilteredReadOptions,
    NamespacedLocalReadOptions,
    NamespacedLocalWatchOptions,
    NamespacedNodeReadOptions,
    NamespacedReadOptions,
    NamespacedWriteOptions,
    NamespaceOptions,
    NodeReadOptions,
    NodeServicesReadOptions,
    PartitionedCallOptions,
    PartitionedNodeReadOptions,
    PartitionedReadOptions,
    PartitionedWriteOptions,
    PartitionOptions,
    ReadOptions,
    SamenessGroupOptions,
    ServiceReadOptions,
    StaleReadOptions,
    UnindexedReadOptions,
    WatchOptions,
    WriteOptions,
)

__all__ = [
    "CacheControlOptions",
    "CallOptions",
    "Consistency",
    "Duration",
    "FilterOptions",
    "FilteredReadOptions",
    "IdLike",
    "IndexLike",
    "IngressHealthReadOptions",
    "IngressReadOptions",
    "InstanceHealthReadOptions",
    "InstanceReadOptions",
    "LocalReadOptions",
    "LocalWatchOptions",
    "NamespaceOptions",
    "NamespacedCallOptions",
    "NamespacedFilteredReadOptions",
    "NamespacedLocalReadOptions",
    "NamespacedLocalWatchOptions",
    "NamespacedNodeReadOptions",
    "NamespacedReadOptions",
    "NamespacedWriteOptions",
    "NodeReadOptions",
    "NodeServicesReadOptions",
    "PartitionOptions",
    "PartitionedCallOptions",
    "PartitionedNodeReadOptions",
    "PartitionedReadOptions",
    "PartitionedWriteOptions",
    "ReadOptions",
    "SamenessGroupOptions",
    "ServiceReadOptions",
    "StaleReadOptions",
    "UnindexedReadOptions",
    "Watch",
    "WatchOptions",
    "WriteOptions",
]
