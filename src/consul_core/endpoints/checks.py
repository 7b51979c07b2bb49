"""Builders for the local agent's checks: ``/v1/agent/checks`` and ``/v1/agent/check/...``.

Rules:
- A check argument names a check by its ID string, a mapping with ``"ID"`` (or ``"CheckID"``,
  or only ``"Name"``: Consul defaults the ID to the name), or an object with ``id`` or
  ``check_id`` (a `CheckRegistration`, a `HealthCheck`).
- Consul 1.8 answers an unknown check ID with a 500 ``Unknown check "..."``; it is `NotFound`.
- A definition (a mapping or a `CheckRegistration`) is checked for type errors and its durations
  are formatted before anything is sent; keys this module does not know pass through.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from consul_core import _params
from consul_core._codec import to_json
from consul_core.call import Call
from consul_core.endpoints._common import decode_ok, local_read, make_call, model_map
from consul_core.endpoints._options import (
    NamespacedCallOptions,
    NamespacedLocalReadOptions,
    Unpack,
    builder,
)
from consul_core.errors import NotFound, UsageError
from consul_core.models.agent_checks import CHECK_STATUSES, CheckRegistration, CheckStatus
from consul_core.models.catalog import HealthCheck

__all__ = [
    "check_definition",
    "critical",
    "deregister",
    "items",
    "passing",
    "register",
    "update",
    "warning",
]

_CHECK_SOURCES = (("ID", "id"), ("CheckID", "check_id"), ("Name", "name"))
_NOT_FOUND = {"Unknown check": NotFound, "does not exist": NotFound}
# For a caller whose check is a TTL check (the heartbeat's): Consul 1.8.7 without ACLs answers
# a TTL update of a check it does not know that the check "does not have associated TTL" (with
# ACLs, "Unknown check"), which for any other check means it is not a TTL check.
TTL_CHECK_MISSING = {**_NOT_FOUND, "does not have associated TTL": NotFound}
_DURATIONS = ("Interval", "Timeout", "TTL", "DeregisterCriticalServiceAfter")
_text = partial(_params.check_str, empty=True)
# The docstring sections of a builder that names one check (`builder`'s ``like=``).
_ONE_CHECK = """Args:
    check: The check: its ID, a mapping with ``"ID"``, or an object with ``id``.

Returns:
    True.

Raises:
    NotFound: The agent has no such check.
"""


def _header(value: object, name: str) -> dict[str, list[str]]:
    if not isinstance(value, Mapping):
        raise UsageError(f"{name} must be a mapping of header names to lists of values")
    return {
        _params.check_str(k, f"{name} name"): _params.check_str_list(v, name)
        for k, v in value.items()
    }


def check_status(value: object, name: str) -> str:
    """Return `value` if it is a check's status, else raise `UsageError`."""
    if value not in CHECK_STATUSES:
        raise UsageError(f"{name} must be 'passing', 'warning' or 'critical', not {value!r}")
    return str(value)


_RULES: dict[str, _params.FieldRule] = {
    # Named in paths later (an ID defaults to the name): refused unless they can be.
    **dict.fromkeys(("ID", "CheckID", "Name"), _params.path_field),
    **dict.fromkeys(
        (
            "Notes",
            "ServiceID",
            "HTTP",
            "Method",
            "Body",
            "TCP",
            "GRPC",
            "AliasNode",
            "AliasService",
            "DockerContainerID",
            "Shell",
            "Namespace",
        ),
        _text,
    ),
    **dict.fromkeys(("TLSSkipVerify", "GRPCUseTLS"), _params.check_bool),
    **dict.fromkeys(
        ("SuccessBeforePassing", "FailuresBeforeCritical", "OutputMaxSize"), _params.check_int
    ),
    **dict.fromkeys(("ScriptArgs", "Args"), _params.check_str_list),
    **dict.fromkeys(_DURATIONS, _params.duration_param),
    "Header": _header,
    "Status": check_status,
}


def check_definition(check: object, *, in_service: bool = False) -> dict[str, Any]:
    """Validate a check definition and return it in Consul's JSON shape.

    Args:
        check: A mapping in Consul's shape or a `CheckRegistration`.
        in_service: The check is part of a service registration, where Consul names the ID
            ``CheckID`` (a top-level registration names it ``ID``) and a name is optional.

    Returns:
        The definition, its ID under the key Consul expects and its durations formatted.

    Raises:
        UsageError: The definition is not a mapping or a `CheckRegistration`, has no name, or
            holds a value of the wrong type.
    """
    if not isinstance(check, (Mapping, CheckRegistration)):
        raise UsageError(
            "a check must be a mapping of Consul's check fields or a CheckRegistration"
        )
    spec: dict[str, Any] = dict(to_json(check))
    _params.canonical_fields(spec, _RULES)
    key, alias = ("CheckID", "ID") if in_service else ("ID", "CheckID")
    if alias in spec:
        if spec.get(key, spec[alias]) != spec[alias]:
            raise UsageError(f"a check has two different IDs: {spec[key]!r} and {spec[alias]!r}")
        spec[key] = spec.pop(alias)
    _params.check_fields(spec, _RULES)
    if not in_service and not spec.get("Name"):
        raise UsageError("a check needs a non-empty Name")
    return spec


def _check_path(action: str, check: object) -> str:
    return f"/v1/agent/check/{action}/{_params.id_segment(check, 'check', _CHECK_SOURCES)}"


def _write(
    path: str,
    options: NamespacedCallOptions,
    *,
    params: _params.Params | None = None,
    body: dict[str, Any] | None = None,
) -> Call[bool]:
    return make_call(
        "PUT", path, decode_ok, params=params or (), body=body, error_texts=_NOT_FOUND, **options
    )


@builder
def register(
    check: Mapping[str, Any] | CheckRegistration, **options: Unpack[NamespacedCallOptions]
) -> Call[bool]:
    """Register a check with the local agent (replacing one with the same ID).

    Args:
        check: The definition, e.g. ``{"ID": "mem", "Name": "Memory", "TTL": "15s"}`` or a
            `CheckRegistration`; durations may be strings, timedeltas or seconds, and field
            names are read as Consul reads them, in any case or in snake case (``"ttl"``).

    Returns:
        True.

    Raises:
        NotFound: The check names a service the agent does not have.
        BadRequest: Consul refused the definition (no check type, a TTL of 0, ...).
    """
    return _write("/v1/agent/check/register", options, body=check_definition(check))


@builder
def items(**options: Unpack[NamespacedLocalReadOptions]) -> Call[dict[str, HealthCheck]]:
    """List the checks registered with the local agent.

    Args:
        filter: A filter expression (``'Status == "critical"'``).

    Returns:
        The checks by ID.
    """
    return local_read("/v1/agent/checks", model_map(HealthCheck), **options)


def _mark(action: str, check: object, note: object, options: NamespacedCallOptions) -> Call[bool]:
    params: _params.Params = []
    if note is not None:
        params.append(("note", _params.check_str(note, "note", empty=True)))
    return _write(_check_path(action, check), options, params=params)


@builder(like=_ONE_CHECK)
def passing(
    check: object, note: str | None = None, **options: Unpack[NamespacedCallOptions]
) -> Call[bool]:
    """Report a TTL check as passing.

    Args:
        note: A note to store as the check's output.

    Raises:
        ServerError: The check is not a TTL check.
    """
    return _mark("pass", check, note, options)


@builder(like=passing)
def warning(
    check: object, note: str | None = None, **options: Unpack[NamespacedCallOptions]
) -> Call[bool]:
    """Report a TTL check as warning."""
    return _mark("warn", check, note, options)


@builder(like=passing)
def critical(
    check: object, note: str | None = None, **options: Unpack[NamespacedCallOptions]
) -> Call[bool]:
    """Report a TTL check as critical."""
    return _mark("fail", check, note, options)


@builder(like=passing)
def update(
    check: object,
    status: CheckStatus,
    output: str | None = None,
    **options: Unpack[NamespacedCallOptions],
) -> Call[bool]:
    """Set the status and output of a TTL check.

    Args:
        status: ``"passing"``, ``"warning"`` or ``"critical"``.
        output: The output to store (what the process that decided the status said).
    """
    body = {"Status": check_status(status, "status")}
    if output is not None:
        body["Output"] = _params.check_str(output, "output", empty=True)
    return _write(_check_path("update", check), options, body=body)


@builder(like=_ONE_CHECK)
def deregister(check: object, **options: Unpack[NamespacedCallOptions]) -> Call[bool]:
    """Remove a check from the local agent."""
    return _write(_check_path("deregister", check), options)
