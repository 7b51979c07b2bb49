"""Builders for the local agent's services: ``/v1/agent/services``, ``/v1/agent/service/...``
and their local health, ``/v1/agent/health/service/...``.

Rules:
- A service argument names an instance by its ID string, a mapping with ``"ID"`` (or only
  ``"Name"``: Consul defaults the ID to the name), or an object with ``id``.
- Consul 1.8 answers an unknown service ID with a 500 ``Unknown service ...``; it is `NotFound`.
- A registration (a mapping or a `ServiceRegistration`) is checked for type errors, its checks
  as `checks.check_definition` checks them, before anything is sent.
- ``/v1/agent/service/:id`` blocks on a content hash, not an index: ``watch=`` takes the
  `AgentService` (or its ``content_hash``) read before; `info_reads` builds the reads of a
  watch (``client.services.watch``) that follows the hash.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from consul_core import _params
from consul_core._codec import to_json
from consul_core.blocking import DEFAULT_WAIT, read_timeout
from consul_core.call import Call
from consul_core.endpoints._common import (
    decode_ok,
    local_read,
    make_call,
    map_error_texts,
    model,
    model_list,
    model_map,
    with_meta,
)
from consul_core.endpoints._options import (
    NamespacedCallOptions,
    NamespacedLocalReadOptions,
    Unpack,
    builder,
)
from consul_core.endpoints.agent import maintenance_params
from consul_core.endpoints.checks import check_definition
from consul_core.errors import NotFound, UsageError
from consul_core.meta import QueryMeta
from consul_core.models.agent_services import AgentService, ServiceHealth, ServiceRegistration

__all__ = [
    "InfoRead",
    "deregister",
    "disable",
    "enable",
    "health",
    "health_by_name",
    "info",
    "info_reads",
    "items",
    "register",
    "service_definition",
]

_SERVICE_SOURCES = (("ID", "id"), ("Name", "name"), ("Service", "service"))
_NAME_SOURCES = (("Name", "name"), ("Service", "service"))
_NOT_FOUND = {"Unknown service": NotFound}
_WEIGHT_DEFAULTS = {"Passing": 1, "Warning": 1}
# The local health endpoints answer with the aggregated status: 200 passing, 429 warning,
# 503 critical or maintenance; the body is the same.
_HEALTH_STATUSES = frozenset({200, 429, 503})
_text = partial(_params.check_str, empty=True)
# The docstring sections of a builder that names one instance (`builder`'s ``like=``).
_ONE_INSTANCE = """Args:
    service: The instance: its ID, a mapping with ``"ID"``, or an object with ``id``.

Raises:
    NotFound: The agent has no such instance.
"""


def _port(value: object, name: str) -> int:
    return _params.check_int(value, name, maximum=65535)


def _weights(value: object, name: str) -> dict[str, int]:
    if not isinstance(value, Mapping):
        raise UsageError(f"{name} must be a mapping with Passing and Warning")
    # A Weights model whose fields hold Consul's defaults encodes to {}: fill them back in.
    weights = {**_WEIGHT_DEFAULTS, **value}
    return {
        **weights,
        "Passing": _params.check_int(weights["Passing"], f"{name}.Passing", minimum=1),
        "Warning": _params.check_int(weights["Warning"], f"{name}.Warning"),
    }


def _tagged_addresses(value: object, name: str) -> dict[str, dict[str, Any]]:
    if not isinstance(value, Mapping):
        raise UsageError(f"{name} must be a mapping of tags to addresses")
    addresses: dict[str, dict[str, Any]] = {}
    for tag, address in value.items():
        if not isinstance(address, Mapping):
            raise UsageError(f"{name}[{tag!r}] must be a mapping with Address and Port")
        addresses[_params.check_str(tag, f"{name} tag")] = {
            **address,
            "Address": _text(address.get("Address", ""), f"{name}[{tag!r}].Address"),
            "Port": _port(address.get("Port", 0), f"{name}[{tag!r}].Port"),
        }
    return addresses


def _service_check(value: object, name: str) -> dict[str, Any]:
    del name
    return check_definition(value, in_service=True)


def _service_checks(value: object, name: str) -> list[dict[str, Any]]:
    if not isinstance(value, (list, tuple)):
        raise UsageError(f"{name} must be a list of checks")
    return [check_definition(check, in_service=True) for check in value]


def _object(value: object, name: str) -> object:
    if not isinstance(value, Mapping):
        raise UsageError(f"{name} must be a mapping")
    return value


_RULES: dict[str, _params.FieldRule] = {
    # Named in paths later (deregistering, health reads): refused unless they can be.
    **dict.fromkeys(("ID", "Name"), _params.path_field),
    **dict.fromkeys(("Address", "Kind", "SocketPath", "Namespace", "Partition"), _text),
    "Locality": _object,
    "Port": _port,
    "EnableTagOverride": _params.check_bool,
    "Tags": _params.check_str_list,
    "Meta": _params.check_str_map,
    "Weights": _weights,
    "TaggedAddresses": _tagged_addresses,
    "Check": _service_check,
    "Checks": _service_checks,
    "Proxy": _object,
    "Connect": _object,
}


def service_definition(service: object) -> dict[str, Any]:
    """Validate a service registration and return it in Consul's JSON shape.

    Args:
        service: A mapping in Consul's shape, a `ServiceRegistration`, or an `AgentService`
            read from the agent (registered back as it is: `AgentService.to_registration`).

    Returns:
        The registration, its checks' IDs under ``CheckID`` and their durations formatted.

    Raises:
        UsageError: The registration is not a mapping, a `ServiceRegistration` or an
            `AgentService`, has no name, or holds a value of the wrong type.
    """
    if isinstance(service, AgentService):
        service = service.to_registration()
    if not isinstance(service, (Mapping, ServiceRegistration)):
        raise UsageError(
            "a service must be a mapping of Consul's service fields, a ServiceRegistration"
            " or an AgentService"
        )
    spec: dict[str, Any] = dict(to_json(service))
    _params.canonical_fields(spec, _RULES)
    _params.check_fields(spec, _RULES)
    if not spec.get("Name"):
        raise UsageError("a service needs a non-empty Name")
    return spec


def _service_id(service: object) -> str:
    return _params.id_segment(service, "service", _SERVICE_SOURCES)


def _write(call: Call[bool]) -> Call[bool]:
    return map_error_texts(call, _NOT_FOUND)


@builder(needs="service:write")
def register(
    service: Mapping[str, Any] | ServiceRegistration | AgentService,
    *,
    replace_existing_checks: bool = False,
    **options: Unpack[NamespacedCallOptions],
) -> Call[bool]:
    """Register a service instance (and its checks) with the local agent.

    Args:
        service: The registration, e.g. ``{"ID": "redis1", "Name": "redis", "Tags": ["v1"]}``
            or a `ServiceRegistration`; it may carry ``Check``/``Checks``, ``Meta``,
            ``Weights``, ``TaggedAddresses``, ``Proxy`` and ``Connect``; its field names are
            read as Consul reads them, in any case or in snake case (``"name"``,
            ``"enable_tag_override"``, as in an agent's configuration file). An `AgentService`
            that `info` or `items` returned registers that instance back as it was, fields
            unknown to this version included.
        replace_existing_checks: Remove the instance's checks that this registration does not
            list (a re-registration otherwise keeps them).

    Returns:
        True.

    Raises:
        BadRequest: Consul refused the registration.
    """
    params: _params.Params = []
    _params.add_true_flag(params, "replace-existing-checks", replace_existing_checks)
    body = service_definition(service)
    return _write(
        make_call(
            "PUT", "/v1/agent/service/register", decode_ok, params=params, body=body, **options
        )
    )


@builder
def items(**options: Unpack[NamespacedLocalReadOptions]) -> Call[dict[str, AgentService]]:
    """List the service instances registered with the local agent.

    Args:
        filter: A filter expression (``'Service == "redis"'``).

    Returns:
        The instances by ID.
    """
    return local_read("/v1/agent/services", model_map(AgentService), **options)


def _watch_target(watch: object) -> tuple[str, float] | None:
    """The content hash and the wait of a ``watch=`` argument, validated."""
    if watch is None:
        return None
    target, wait = watch if isinstance(watch, tuple) and len(watch) == 2 else (watch, DEFAULT_WAIT)
    content_hash = target.content_hash if isinstance(target, AgentService) else target
    if not isinstance(content_hash, str) or not content_hash:
        raise UsageError("watch must be an AgentService, its content hash, or a pair (that, wait)")
    _params.check_encodable(content_hash, "watch")
    return content_hash, _params.parse_duration(wait, "watch wait")


@builder(needs="service:read", like=_ONE_INSTANCE)
def info(
    service: object,
    *,
    watch: AgentService | str | tuple[AgentService | str, _params.Duration] | None = None,
    **options: Unpack[NamespacedCallOptions],
) -> Call[AgentService]:
    """Read one service instance of the local agent, with its content hash.

    Args:
        watch: Block until the instance differs from this `AgentService` (or content hash);
            a pair ``(service, wait)`` bounds the wait (default 5 minutes).

    Returns:
        The instance.
    """
    params: _params.Params = []
    timeout = None
    target = _watch_target(watch)
    if target is not None:
        content_hash, seconds = target
        params = [("hash", content_hash), ("wait", _params.format_duration(seconds))]
        timeout = read_timeout(seconds)
    path = f"/v1/agent/service/{_service_id(service)}"
    return make_call("GET", path, model(AgentService), params=params, timeout=timeout, **options)


InfoRead = Callable[[tuple[str, float] | None], Call[tuple[AgentService, QueryMeta]]]
"""Builds one read of a watched instance: without blocking (None), or blocking on
``(content hash, wait)``."""


def info_reads(
    service: object,
    *,
    watch: AgentService | str | tuple[AgentService | str, _params.Duration] | None = None,
    **options: Unpack[NamespacedCallOptions],
) -> tuple[InfoRead, str, float]:
    """The reads of a watch of one local service instance (for
    `consul_core.flows.watch.watch_hash`), their arguments validated now.

    Args:
        service: The instance: its ID, a mapping with ``"ID"``, or an object with ``id``.
        watch: Start after this `AgentService` (or content hash): hand out only what differs
            from it; a pair ``(service, wait)`` also sets the wait of each read, and
            ``("", wait)`` only the wait.
        **options: ``token``, an ACL token for these calls only; ``ns`` and ``partition``
            (Enterprise), as `info` takes them.

    Returns:
        The read (each with the reply's `QueryMeta`), the content hash to start after ("" for
        none) and the wait of each read in seconds.

    Raises:
        UsageError: An argument is invalid.
    """
    if isinstance(watch, tuple) and len(watch) == 2 and watch[0] == "":
        start, wait = "", _params.parse_duration(watch[1], "watch wait")
    else:
        start, wait = _watch_target(watch) or ("", DEFAULT_WAIT)

    def read(blocking: tuple[str, float] | None) -> Call[tuple[AgentService, QueryMeta]]:
        call = info(service, watch=blocking, **options)
        return Call(call.request, with_meta(call.decode), call.expect, call.on_error)

    read(None)
    return read, start, wait


def _maintenance(
    service: object, enable: bool, reason: object, options: NamespacedCallOptions
) -> Call[bool]:
    path = f"/v1/agent/service/maintenance/{_service_id(service)}"
    params = maintenance_params(enable, reason)
    return _write(make_call("PUT", path, decode_ok, params=params, **options))


@builder(needs="service:write", like=_ONE_INSTANCE)
def disable(
    service: object, reason: str | None = None, **options: Unpack[NamespacedCallOptions]
) -> Call[bool]:
    """Put a service instance in maintenance mode: it fails its health and leaves DNS.

    Args:
        reason: Why, shown as the notes of the maintenance check.

    Returns:
        True.
    """
    return _maintenance(service, True, reason, options)


@builder(needs="service:write", like=disable)
def enable(
    service: object, reason: str | None = None, **options: Unpack[NamespacedCallOptions]
) -> Call[bool]:
    """Take a service instance out of maintenance mode.

    Args:
        reason: Why (Consul accepts it, though it has no check left to show it on).
    """
    return _maintenance(service, False, reason, options)


@builder(needs="service:write", like=_ONE_INSTANCE)
def deregister(service: object, **options: Unpack[NamespacedCallOptions]) -> Call[bool]:
    """Remove a service instance, its checks and its sidecar from the local agent.

    Returns:
        True.
    """
    path = f"/v1/agent/service/deregister/{_service_id(service)}"
    return _write(make_call("PUT", path, decode_ok, **options))


_decode_health_list = model_list(ServiceHealth)


@builder(needs="service:read", like=_ONE_INSTANCE)
def health(service: object, **options: Unpack[NamespacedCallOptions]) -> Call[ServiceHealth]:
    """Read the local health of one service instance: its checks and their aggregated status.

    Returns:
        The instance, its checks and their aggregated status (whatever that status is).
    """
    return make_call(
        "GET",
        f"/v1/agent/health/service/id/{_service_id(service)}",
        model(ServiceHealth),
        params=[("format", "json")],
        expect=_HEALTH_STATUSES,
        **options,
    )


@builder(needs="service:read")
def health_by_name(
    service: object, **options: Unpack[NamespacedCallOptions]
) -> Call[list[ServiceHealth]]:
    """Read the local health of every instance of a service on this agent.

    Args:
        service: The service's name, a mapping with ``"Name"``, or an object with ``name``
            or ``service``.

    Returns:
        One entry per instance, with its checks and their aggregated status; empty when the
        agent has no instance of the service.
    """
    name = _params.id_segment(service, "service", _NAME_SOURCES)
    return make_call(
        "GET",
        f"/v1/agent/health/service/name/{name}",
        _decode_health_list,
        params=[("format", "json")],
        **options,  # Consul answers 404 with an empty list when no local instance has the name.
        expect=_HEALTH_STATUSES | {404},
    )
