"""The ``snapshot`` namespace."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast, overload

from consul_core.binding import AsyncDriver, D, Namespace, SyncDriver, endpoint
from consul_core.endpoints import snapshot

if TYPE_CHECKING:
    from collections.abc import Coroutine

    from consul_core.endpoints._options import StaleReadOptions, Unpack, WriteOptions
    from consul_core.meta import QueryMeta
    from consul_core.streaming import AsyncSink, AsyncSource, Sink, Source

__all__ = ["Snapshot"]

_BYTES = (bytes, bytearray, memoryview)


class Snapshot(Namespace[D]):
    """Snapshots: ``/v1/snapshot``."""

    save = endpoint(snapshot.save)

    @overload
    def save_to(
        self: Snapshot[SyncDriver],
        target: Sink,
        *,
        timeout: object = None,
        **options: Unpack[StaleReadOptions],
    ) -> QueryMeta: ...
    @overload
    def save_to(
        self: Snapshot[AsyncDriver],
        target: AsyncSink,
        *,
        timeout: object = None,
        **options: Unpack[StaleReadOptions],
    ) -> Coroutine[Any, Any, QueryMeta]: ...
    def save_to(self, target: Any, *, timeout: object = None, **options: Any) -> Any:
        """Take a snapshot of the servers' state and write it to `target` as it arrives,
        without holding it in memory (`save` returns it as bytes).

        Each wait for the agent is bounded by `timeout`, not the whole transfer: connecting,
        its answer (it answers once it has built the snapshot), each piece.

        Args:
            target: A file path (created or truncated), or a binary file open for writing (on
                the async clients also an async file such as ``anyio.AsyncFile``; a path or a
                sync file is written from a worker thread). A file passed in is not closed.
            timeout: The longest wait for the agent (a duration; default the client's timeout).
            **options: ``stale``, ``dc``, and ``token`` (needs a management token).

        Returns:
            The metadata (``index`` is the Raft index the snapshot holds).

        Raises:
            UsageError: An option is invalid (before any request).
        """
        return self.driver.download(snapshot.save_stream(timeout=timeout, **options), target)

    @overload
    def restore(
        self: Snapshot[SyncDriver],
        data: bytes | Source,
        *,
        timeout: object = None,
        **options: Unpack[WriteOptions],
    ) -> bool: ...
    @overload
    def restore(
        self: Snapshot[AsyncDriver],
        data: bytes | AsyncSource,
        *,
        timeout: object = None,
        **options: Unpack[WriteOptions],
    ) -> Coroutine[Any, Any, bool]: ...
    def restore(self, data: Any, *, timeout: object = None, **options: Any) -> Any:
        """Replace the servers' state with a snapshot: everything written since it is lost.

        Args:
            data: The snapshot: bytes as `save` returned them, a file path, or a binary file
                open for reading (on the async clients also an async file): a file is sent as
                it is read, with its size as ``Content-Length`` when it is known (else in
                chunks), never held in memory whole. A file passed in is not closed.
            timeout: For bytes, the time the whole call may take; for a file, the longest
                wait for the agent (to send each piece, for its answer once it has applied the
                snapshot). A duration; default the client's timeout.
            **options: ``dc``, and ``token`` (needs a management token).

        Returns:
            True when restored.

        Raises:
            ServerError: Consul could not read the snapshot.
            UsageError: `data` is bytes that are not a gzip archive, or an option is invalid.
        """
        if isinstance(data, _BYTES):
            call = snapshot.restore(cast("bytes", data), timeout=timeout, **options)
            return self.driver.execute(call)
        return self.driver.upload(snapshot.restore_stream(timeout=timeout, **options), data)
