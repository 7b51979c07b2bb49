"""Builders for the agent's streams: its log (``GET /v1/agent/monitor``) and its metrics
(``GET /v1/agent/metrics/stream``), read for as long as the consumer wants them.
"""

from __future__ import annotations

import inspect
from typing import Literal, overload

from consul_core._typed import body_decoder
from consul_core.endpoints._common import decode_ok, make_call
from consul_core.errors import UsageError
from consul_core.models.agent import LogRecord, MetricsInfo
from consul_core.streaming import JsonDocuments, Lines, StreamCall

__all__ = ["LogLevel", "metrics_stream", "monitor"]

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


@overload
def monitor(
    loglevel: str = ..., *, logjson: Literal[False] = ..., token: str | None = ...
) -> StreamCall[str]: ...
@overload
def monitor(
    loglevel: str = ..., *, logjson: Literal[True], token: str | None = ...
) -> StreamCall[LogRecord]: ...
def monitor(
    loglevel: str = "info", *, logjson: bool = False, token: str | None = None
) -> StreamCall[str] | StreamCall[LogRecord]:
    """Follow the agent's log: its lines from now on, for as long as the stream is read.

    Args:
        loglevel: The lowest level shown: ``"trace"``, ``"debug"``, ``"info"``, ``"warn"`` or
            ``"err"``.
        logjson: Hand out each line as a `LogRecord` (the agent writes it as JSON) instead of
            its text.
        token: An ACL token for this call only (needs ``agent:read``).

    Returns:
        The stream: an iterator of lines (``str``, without the newline) or of `LogRecord`.

    Raises:
        PermissionDenied: The token may not read the agent.
        UsageError: `loglevel` is not a log level, or an argument is not of its type (before
            any request).
    """
    if not isinstance(loglevel, str) or loglevel.lower() not in _LEVELS:
        raise UsageError(f"loglevel must be one of {sorted(_LEVELS)}, not {loglevel!r}")
    if not isinstance(logjson, bool):
        raise UsageError(f"logjson must be a bool, not {type(logjson).__name__}")
    params = [("loglevel", loglevel.lower())]
    if logjson:
        params.append(("logjson", ""))
    call = make_call("GET", "/v1/agent/monitor", decode_ok, params=params, token=token)
    if logjson:
        return StreamCall(call, _records)
    return StreamCall(call, _text_lines)


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
for _build in (monitor, metrics_stream):
    _build.__doc__ = inspect.cleandoc(_build.__doc__ or "")
