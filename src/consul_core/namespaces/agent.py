"""The ``agent`` namespace."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, overload

from consul_core.binding import (
    AsyncDriver,
    AsyncWatchIterator,
    D,
    Namespace,
    SyncDriver,
    WatchIterator,
    endpoint,
)
from consul_core.endpoints import agent, agent_stream, agent_text, agent_version

if TYPE_CHECKING:
    from consul_core.endpoints._options import CallOptions, Unpack
    from consul_core.models.agent import LogRecord, MetricsInfo
    from consul_core.streaming import StreamCall

__all__ = ["Agent"]


class Agent(Namespace[D]):
    """The local agent: ``/v1/agent``."""

    info = endpoint(agent.info)
    disable = endpoint(agent.disable)
    enable = endpoint(agent.enable)
    reload = endpoint(agent.reload)
    leave = endpoint(agent.leave)
    metrics = endpoint(agent.metrics)
    host = endpoint(agent.host)
    update_token = endpoint(agent.update_token)
    version = endpoint(agent_version.version)
    metrics_prometheus = endpoint(agent_text.metrics_prometheus)

    @overload
    def monitor(
        self: Agent[SyncDriver],
        loglevel: str = ...,
        *,
        logjson: Literal[False] = ...,
        **options: Unpack[CallOptions],
    ) -> WatchIterator[str]: ...
    @overload
    def monitor(
        self: Agent[SyncDriver],
        loglevel: str = ...,
        *,
        logjson: Literal[True],
        **options: Unpack[CallOptions],
    ) -> WatchIterator[LogRecord]: ...
    @overload
    def monitor(
        self: Agent[AsyncDriver],
        loglevel: str = ...,
        *,
        logjson: Literal[False] = ...,
        **options: Unpack[CallOptions],
    ) -> AsyncWatchIterator[str]: ...
    @overload
    def monitor(
        self: Agent[AsyncDriver],
        loglevel: str = ...,
        *,
        logjson: Literal[True],
        **options: Unpack[CallOptions],
    ) -> AsyncWatchIterator[LogRecord]: ...
    def monitor(self, loglevel: str = "info", *, logjson: bool = False, **options: Any) -> Any:
        """Follow the agent's log: iterate over its lines from now on (an async iterator on
        the async clients), for as long as you read them.

        The connection stays open while the iterator does: leave it with ``with`` (``async
        with``) or ``close()`` (``aclose()``), which closes the connection at once. It counts
        as a blocking query in the client's connection budget.

        Args:
            loglevel: The lowest level shown: ``"trace"``, ``"debug"``, ``"info"``, ``"warn"``
                or ``"err"``.
            logjson: Hand out each line as a `LogRecord` instead of its text.
            **options: ``token``, an ACL token for this call only (needs ``agent:read``).

        Returns:
            An iterator of lines (``str``) or of `LogRecord`.

        Raises:
            UsageError: An argument is invalid (before any request).
            PermissionDenied: The token may not read the agent (when iterating starts).
        """
        call: StreamCall[Any] = agent_stream.monitor(  # type: ignore[call-overload]
            loglevel, logjson=logjson, **options
        )
        return self.driver.stream(call)

    @overload
    def metrics_stream(
        self: Agent[SyncDriver], **options: Unpack[CallOptions]
    ) -> WatchIterator[MetricsInfo]: ...
    @overload
    def metrics_stream(
        self: Agent[AsyncDriver], **options: Unpack[CallOptions]
    ) -> AsyncWatchIterator[MetricsInfo]: ...
    def metrics_stream(self, **options: Any) -> Any:
        """Follow the agent's metrics: iterate over a `MetricsInfo` at the end of each of its
        intervals (10 s by default), as the Go client's ``Agent.MetricsStream`` (Consul 1.9 and
        later; an older agent answers `NotFound`).

        Leave it as `monitor`'s iterator: ``with`` (``async with``) or ``close()``
        (``aclose()``).

        Args:
            **options: ``token``, an ACL token for this call only (needs ``agent:read``).

        Returns:
            An iterator of `MetricsInfo` (an async iterator on the async clients).
        """
        return self.driver.stream(agent_stream.metrics_stream(**options))
