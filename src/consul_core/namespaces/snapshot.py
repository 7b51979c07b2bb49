"""The ``snapshot`` namespace."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast, overload

from consul_core.binding import AsyncDriver, D, Namespace, SyncDriver, endpoint
from consul_core.endpoints import snapshot

if TYPE_CHECKING:
    from collections.abc import Coroutine

    from typing_extensions import Unpack

    from consul_core.endpoints._options import StaleReadOptions, WriteOptions
    from consul_core.meta import QueryMeta
    from consul_core.streaming import AsyncSink, AsyncSource, Sink, Source

__all__ = ["Snapshot"]

_BYTES = (bytes, bytearray, memoryview)


class Snapshot(Namespace[D]):
    """Snapshots: ``/v1/snapshot``."""

    save = endpoint(snapshot.save)

    @overload
    def save_to(
        self: Snapshot[SyncDriver], target: Sink, **options: Unpack[StaleReadOptions]
    ) -> QueryMeta: ...
    @overload
    def save_to(
        self: Snapshot[AsyncDriver], target: AsyncSink, **options: Unpack[StaleReadOptions]
    ) -> Coroutine[Any, Any, QueryMeta]: ...
    def save_to(self, target: Any, **options: Any) -> Any:
        """Take a snapshot of the servers' state and write it to `target` as it arrives,
        without holding it in memory (`save` returns it as bytes).

        Each wait for the agent (connecting, each piece of the snapshot) is bounded by the
        client's timeout, not the whole transfer.

        Args:
            target: A file path (created or truncated), or a binary file open for writing (on
                the async clients also an async file such as ``anyio.AsyncFile``; a path or a
                sync file is written from a worker thread). A file passed in is not closed.
            **options: ``stale``, ``dc``, and ``token`` (needs a management token).

        Returns:
            The metadata (``index`` is the Raft index the snapshot holds).

        Raises:
            UsageError: An option is invalid (before any request).
        """
        return self.driver.download(snapshot.save_stream(**options), target)

    @overload
    def restore(
        self: Snapshot[SyncDriver], data: bytes | Source, **options: Unpack[WriteOptions]
    ) -> bool: ...
    @overload
    def restore(
        self: Snapshot[AsyncDriver], data: bytes | AsyncSource, **options: Unpack[WriteOptions]
    ) -> Coroutine[Any, Any, bool]: ...
    def restore(self, data: Any, **options: Any) -> Any:
        """Replace the servers' state with a snapshot: everything written since it is lost.

        Args:
            data: The snapshot: bytes as `save` returned them, a file path, or a binary file
                open for reading (on the async clients also an async file): a file is sent as
                it is read, with its size as ``Content-Length`` when it is known (else in
                chunks), never held in memory whole. A file passed in is not closed.
            **options: ``dc``, and ``token`` (needs a management token).

        Returns:
            True when restored.

        Raises:
            ServerError: Consul could not read the snapshot.
            UsageError: `data` is bytes that are not a gzip archive, or an option is invalid.
        """
        if isinstance(data, _BYTES):
            return self.driver.execute(snapshot.restore(cast("bytes", data), **options))
        return self.driver.upload(snapshot.restore_stream(**options), data)
