"""Builders for the Connect CA (``/v1/connect/ca``) and the agent's Connect endpoints
(``/v1/agent/connect``). Intentions are in `consul_core.endpoints.connect_intentions`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from consul_core import _params
from consul_core._codec import to_json
from consul_core.call import Call
from consul_core.endpoints._common import (
    READ_DEFAULTS,
    dc_call,
    decode_ok,
    indexed_read,
    make_call,
    model,
    name_segment,
    read_params,
    with_meta,
)
from consul_core.errors import UsageError
from consul_core.http import Response
from consul_core.meta import QueryMeta
from consul_core.models.connect import Authorization, CAConfiguration, CARoots, LeafCert

__all__ = [
    "agent_ca_roots",
    "agent_leaf",
    "authorize",
    "ca_configuration",
    "ca_roots",
    "ca_update",
]

T = TypeVar("T")


def ca_roots(
    *,
    dc: str | None = None,
    watch: _params.Watch | None = None,
    consistency: _params.Consistency | None = None,
    token: str | None = None,
) -> Call[tuple[CARoots, QueryMeta]]:
    """List the trusted root certificates of the Connect CA.

    Args:
        dc: The datacenter; default the agent's.
        watch: A blocking read: an index, a `QueryMeta`, or ``(index, wait)``.
        consistency: ``"default"``, ``"consistent"`` or ``"stale"``.
        token: An ACL token for this call only.

    Returns:
        The roots and the read's metadata.

    Raises:
        UsageError: An argument is invalid.
    """
    return indexed_read(
        "/v1/connect/ca/roots",
        model(CARoots),
        dc=dc,
        watch=watch,
        consistency=consistency,
        token=token,
    )


def ca_configuration(
    *,
    dc: str | None = None,
    consistency: _params.Consistency | None = None,
    token: str | None = None,
) -> Call[CAConfiguration]:
    """Read the configuration of the Connect CA.

    Args:
        dc: The datacenter.
        consistency: The consistency mode.
        token: An ACL token for this call only (needs ``operator:write`` since Consul 1.8.6).

    Returns:
        The configuration.

    Raises:
        UsageError: An argument is invalid.
    """
    params, _ = read_params(dc=dc, consistency=consistency)
    return make_call(
        "GET",
        "/v1/connect/ca/configuration",
        model(CAConfiguration),
        params=params,
        token=token,
        defaults=READ_DEFAULTS,
    )


def ca_update(
    config: CAConfiguration | Mapping[str, Any],
    *,
    dc: str | None = None,
    token: str | None = None,
) -> Call[bool]:
    """Replace the configuration of the Connect CA (a new root starts a root rotation).

    Args:
        config: A `CAConfiguration` (its indexes are not sent), or a mapping with
            ``Provider`` and ``Config`` (a ``ModifyIndex`` in it makes Consul apply it only
            if the configuration did not change since, and still answer success).
        dc: The datacenter.
        token: An ACL token for this call only (needs ``operator:write``).

    Returns:
        True when applied.

    Raises:
        ServerError: The provider rejected the configuration.
        UsageError: An argument is invalid.
    """
    if isinstance(config, CAConfiguration):
        body: dict[str, Any] = to_json(config)
        # Consul applies a configuration that carries a ModifyIndex only if it is still
        # current, and answers 200 either way: a configuration read earlier must not be
        # dropped silently.
        body.pop("CreateIndex", None)
        body.pop("ModifyIndex", None)
    elif isinstance(config, Mapping):
        body = dict(config)
    else:
        raise UsageError("config must be a CAConfiguration or a mapping")
    _params.check_str(body.get("Provider"), "the configuration's Provider")
    return dc_call("PUT", "/v1/connect/ca/configuration", decode_ok, body=body, dc=dc, token=token)


def _agent_read(
    path: str, decode: Callable[[Response], T], watch: object, token: object
) -> Call[tuple[T, QueryMeta]]:
    params: _params.Params = []
    timeout = _params.add_watch(params, watch)
    # Agent-local endpoints take no datacenter or consistency: no client-wide defaults apply.
    return make_call("GET", path, with_meta(decode), params=params, token=token, timeout=timeout)


def agent_ca_roots(
    *, watch: _params.Watch | None = None, token: str | None = None
) -> Call[tuple[CARoots, QueryMeta]]:
    """List the CA roots from the local agent's cache (what proxies should use).

    Args:
        watch: A blocking read: an index, a `QueryMeta`, or ``(index, wait)``.
        token: An ACL token for this call only.

    Returns:
        The roots and the read's metadata (``cache_hit`` says whether the cache answered).

    Raises:
        UsageError: An argument is invalid.
    """
    return _agent_read("/v1/agent/connect/ca/roots", model(CARoots), watch, token)


def agent_leaf(
    service: object, *, watch: _params.Watch | None = None, token: str | None = None
) -> Call[tuple[LeafCert, QueryMeta]]:
    """Get a leaf certificate for a service from the local agent, which makes and renews it.

    Args:
        service: The service's name (it need not be registered), a mapping with
            ``"Service"``, or a model with a ``service`` name.
        watch: A blocking read, which returns when the certificate is renewed or rotated.
        token: An ACL token for this call only (needs ``service:write`` on the service).

    Returns:
        The certificate with its private key, and the read's metadata.

    Raises:
        UsageError: An argument is invalid.
    """
    name = name_segment(service, "service", "Service")
    return _agent_read(f"/v1/agent/connect/ca/leaf/{name}", model(LeafCert), watch, token)


def authorize(
    target: str,
    client_cert_uri: str,
    client_cert_serial: str,
    *,
    token: str | None = None,
) -> Call[Authorization]:
    """Ask the local agent whether a client certificate may connect to a service.

    Args:
        target: The destination service.
        client_cert_uri: The SPIFFE URI SAN of the client's certificate.
        client_cert_serial: The colon-hex serial number of the client's certificate.
        token: An ACL token for this call only (needs ``service:write`` on `target`).

    Returns:
        Whether it is authorized, and why.

    Raises:
        UsageError: An argument is invalid.
    """
    body = {
        "Target": _params.check_str(target, "target"),
        "ClientCertURI": _params.check_str(client_cert_uri, "client_cert_uri"),
        "ClientCertSerial": _params.check_str(client_cert_serial, "client_cert_serial"),
    }
    return make_call(
        "POST", "/v1/agent/connect/authorize", model(Authorization), body=body, token=token
    )
