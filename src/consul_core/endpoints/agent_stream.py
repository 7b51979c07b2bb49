"""Builders for the agent's streams: its log (``GET /v1/agent/monitor``) and its metrics
(``GET /v1/agent/metrics/stream``), read for as long as the consumer wants them.
"""

from __future__ import annotations

import inspect
from typing import Literal

from consul_core._typed import body_decoder
from consul_core.call import Call
from consul_core.endpoints._common import decode_ok, make_call
from consul_core.errors import UsageError
from consul_core.models.agent import LogRecord, MetricsInfo
from consul_core.streaming import JsonDocuments, Lines, StreamCall

__all__ = ["LogLevel", "metrics_stream", "monitor", "monitor_json"]

LogLevel = Literal["trace", "debug", "info", "warn", "err"]
_LEVELS = frozenset({"trace", "debug", "info", "warn", "err", "error"})


def _text_line(line: bytes) -> str:
    return line.decode("utf-8", "replace").rstrip("\r")


def _text_lines() -> Lines[str]:
    return Lines(_text_line)


def _records() -> Lines[LogRecord]:
    return Lines(body_decoder(LogRecord))


def _snapshots() -> JsonDocuments[MetricsInfo]:
    return JsonDocuments(body_decoder(MetricsInfo))


def _monitor(loglevel: object, token: str | None, logjson: bool) -> Call[bool]:
    if not isinstance(loglevel, str) or loglevel.lower() not in _LEVELS:
        raise UsageError(f"loglevel must be one of {sorted(_LEVELS)}, not {loglevel!r}")
    params = [("loglevel", loglevel.lower())]
    if logjson:
        params.append(("logjson", ""))
    return make_call("GET", "/v1/agent/monitor", decode_ok, params=params, token=token)


def monitor(loglevel: str = "info", *, token: str | None = None) -> StreamCall[str]:
    """Follow the agent's log: its lines from now on, for as long as the stream is read (the Go
    client's ``Agent.Monitor``).

    Args:
        loglevel: The lowest level shown: ``"trace"``, ``"debug"``, ``"info"``, ``"warn"`` or
            ``"err"``.
        token: An ACL token for this call only (needs ``agent:read``).

    Returns:
        The stream: an iterator of lines (``str``, without the newline).

    Raises:
        PermissionDenied: The token may not read the agent.
        UsageError: `loglevel` is not a log level, or an argument is not of its type (before
            any request).
    """
    return StreamCall(_monitor(loglevel, token, logjson=False), _text_lines)


def monitor_json(loglevel: str = "info", *, token: str | None = None) -> StreamCall[LogRecord]:
    """Follow the agent's log as records: each line from now on as a `LogRecord` (the agent
    writes it as JSON), for as long as the stream is read (the Go client's
    ``Agent.MonitorJSON``).

    Args:
        loglevel: The lowest level shown: ``"trace"``, ``"debug"``, ``"info"``, ``"warn"`` or
            ``"err"``.
        token: An ACL token for this call only (needs ``agent:read``).

    Returns:
        The stream: an iterator of `LogRecord`.

    Raises:
        PermissionDenied: The token may not read the agent.
        UsageError: `loglevel` is not a log level, or an argument is not of its type (before
            any request).
    """
    return StreamCall(_monitor(loglevel, token, logjson=True), _records)


def metrics_stream(*, token: str | None = None) -> StreamCall[MetricsInfo]:
    """Follow the agent's metrics: a snapshot at the end of each of its intervals (10 s by
    default), for as long as the stream is read (the Go client's ``Agent.MetricsStream``;
    Consul 1.9 and later).

    Args:
        token: An ACL token for this call only (needs ``agent:read``).

    Returns:
        The stream: an iterator of `MetricsInfo`.

    Raises:
        PermissionDenied: The token may not read the agent.
        NotFound: The agent is older than Consul 1.9.
        UsageError: The token is not a string (before any request).
    """
    call = make_call("GET", "/v1/agent/metrics/stream", decode_ok, token=token)
    return StreamCall(call, _snapshots)


# Dedented as @builder leaves the other builders' docstrings (help() and the reference read
# them alike).
for _build in (monitor, monitor_json, metrics_stream):
    _build.__doc__ = inspect.cleandoc(_build.__doc__ or "")
