"""Builders for the local agent's answers in plain text rather than JSON: its metrics in
Prometheus' exposition format, and the aggregated health status of its service instances.

Rules:
- A text body is decoded as UTF-8 and returned as it came.
- The status endpoints answer with the status itself: 200 passing, 429 warning, 503 critical
  or maintenance, all of them results; 404 names no instance (`NotFound`).
"""

from __future__ import annotations

from typing import cast, get_args

from consul_core import _params
from consul_core._codec import DecodeError
from consul_core.call import Call
from consul_core.endpoints._acl import decode_text
from consul_core.endpoints._common import make_call
from consul_core.endpoints._options import CallOptions, NamespacedCallOptions, Unpack, builder
from consul_core.http import Response
from consul_core.models.agent_services import AggregatedStatus

__all__ = ["health_status", "health_status_by_name", "metrics_prometheus"]

_STATUS_CODES = frozenset({200, 429, 503})
_STATUSES = frozenset(get_args(AggregatedStatus))
# What names an instance and a service, as for `services.health` and `health_by_name`
# (Consul defaults an instance's ID to its service's name).
_ID_SOURCES = (("ID", "id"), ("Name", "name"), ("Service", "service"))
_NAME_SOURCES = (("Name", "name"), ("Service", "service"))


@builder(needs="agent:read")
def metrics_prometheus(**options: Unpack[CallOptions]) -> Call[str]:
    """Read the agent's metrics in Prometheus' text exposition format.

    Only an agent configured with ``telemetry.prometheus_retention_time`` keeps them.

    Returns:
        The exposition text, as the agent sent it.

    Raises:
        ResponseError: The agent keeps no Prometheus metrics (Consul answers 415).
    """
    params = [("format", "prometheus")]
    return make_call("GET", "/v1/agent/metrics", decode_text, params=params, **options)


def _decode_status(response: Response) -> AggregatedStatus:
    status = decode_text(response).strip()
    if status not in _STATUSES:
        raise DecodeError("expected an aggregated status, got another text")
    return cast("AggregatedStatus", status)


def _status_call(path: str, options: NamespacedCallOptions) -> Call[AggregatedStatus]:
    params = [("format", "text")]
    return make_call("GET", path, _decode_status, params=params, expect=_STATUS_CODES, **options)


@builder(needs="service:read")
def health_status(
    service: object, **options: Unpack[NamespacedCallOptions]
) -> Call[AggregatedStatus]:
    """Read the aggregated health status of one local service instance, as text.

    Args:
        service: The instance: its ID, a mapping with ``"ID"``, or an object with ``id``.

    Returns:
        ``"passing"``, ``"warning"``, ``"critical"`` or ``"maintenance"``.

    Raises:
        NotFound: The agent has no such instance.
    """
    segment = _params.id_segment(service, "service", _ID_SOURCES)
    return _status_call(f"/v1/agent/health/service/id/{segment}", options)


@builder(needs="service:read")
def health_status_by_name(
    service: object, **options: Unpack[NamespacedCallOptions]
) -> Call[AggregatedStatus]:
    """Read the aggregated health status of every local instance of a service, as text.

    Args:
        service: The service's name, a mapping with ``"Name"``, or an object with ``name``
            or ``service``.

    Returns:
        The worst status of its instances: ``"passing"``, ``"warning"``, ``"critical"`` or
        ``"maintenance"``.

    Raises:
        NotFound: The agent has no instance of the service.
    """
    segment = _params.id_segment(service, "service", _NAME_SOURCES)
    return _status_call(f"/v1/agent/health/service/name/{segment}", options)
