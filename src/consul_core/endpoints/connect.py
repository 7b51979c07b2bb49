"""Builders for the Connect CA (``/v1/connect/ca``) and the agent's Connect endpoints
(``/v1/agent/connect``). Intentions are in `consul_core.endpoints.connect_intentions`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from consul_core import _params
from consul_core._codec import to_json
from consul_core.call import Call
from consul_core.endpoints._common import (
    READ_DEFAULTS,
    dc_call,
    decode_ok,
    indexed_read,
    local_watch,
    make_call,
    model,
    name_segment,
)
from consul_core.endpoints._options import (
    LocalWatchOptions,
    NamespacedCallOptions,
    NamespacedLocalWatchOptions,
    ReadOptions,
    UnindexedReadOptions,
    Unpack,
    WriteOptions,
    builder,
)
from consul_core.errors import UsageError
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


@builder
def ca_roots(**options: Unpack[ReadOptions]) -> Call[tuple[CARoots, QueryMeta]]:
    """List the trusted root certificates of the Connect CA.

    Returns:
        The roots and the read's metadata.
    """
    return indexed_read("/v1/connect/ca/roots", model(CARoots), **options)


@builder
def ca_configuration(**options: Unpack[UnindexedReadOptions]) -> Call[CAConfiguration]:
    """Read the configuration of the Connect CA.

    It cannot block: Consul reads the configuration once and sends no index (the docs' table
    says otherwise), so there is no ``watch``.

    Args:
        token: An ACL token for this call only (needs ``operator:write`` since Consul 1.8.6).

    Returns:
        The configuration.
    """
    params: _params.Params = []
    _params.add_dc(params, options.get("dc"))
    _params.add_consistency(params, options.get("consistency"))
    path, decode = "/v1/connect/ca/configuration", model(CAConfiguration)
    token = options.get("token")
    return make_call("GET", path, decode, params=params, token=token, defaults=READ_DEFAULTS)


@builder(needs="operator:write")
def ca_update(
    config: CAConfiguration | Mapping[str, Any], **options: Unpack[WriteOptions]
) -> Call[bool]:
    """Replace the configuration of the Connect CA (a new root starts a root rotation).

    Args:
        config: A `CAConfiguration` (its indexes are not sent), or a mapping with
            ``Provider`` and ``Config`` (a ``ModifyIndex`` in it makes Consul apply it only
            if the configuration did not change since, and still answer success).

    Returns:
        True when applied.

    Raises:
        ServerError: The provider rejected the configuration.
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
    return dc_call("PUT", "/v1/connect/ca/configuration", decode_ok, body=body, **options)


@builder
def agent_ca_roots(**options: Unpack[LocalWatchOptions]) -> Call[tuple[CARoots, QueryMeta]]:
    """List the CA roots from the local agent's cache (what proxies should use).

    Returns:
        The roots and the read's metadata (``cache_hit`` says whether the cache answered).
    """
    return local_watch("/v1/agent/connect/ca/roots", model(CARoots), **options)


@builder
def agent_leaf(
    service: object, **options: Unpack[NamespacedLocalWatchOptions]
) -> Call[tuple[LeafCert, QueryMeta]]:
    """Get a leaf certificate for a service from the local agent, which makes and renews it.

    Args:
        service: The service's name (it need not be registered), a mapping with
            ``"Service"``, or a model with a ``service`` name.
        watch: A blocking read, which returns when the certificate is renewed or rotated.
        token: An ACL token for this call only (needs ``service:write`` on the service).

    Returns:
        The certificate with its private key, and the read's metadata.
    """
    name = name_segment(service, "service", "Service")
    return local_watch(f"/v1/agent/connect/ca/leaf/{name}", model(LeafCert), **options)


@builder
def authorize(
    target: str,
    client_cert_uri: str,
    client_cert_serial: str,
    **options: Unpack[NamespacedCallOptions],
) -> Call[Authorization]:
    """Ask the local agent whether a client certificate may connect to a service.

    Args:
        target: The destination service.
        client_cert_uri: The SPIFFE URI SAN of the client's certificate.
        client_cert_serial: The colon-hex serial number of the client's certificate.
        token: An ACL token for this call only (needs ``service:write`` on `target`).

    Returns:
        Whether it is authorized, and why.
    """
    body = {
        "Target": _params.check_str(target, "target"),
        "ClientCertURI": _params.check_str(client_cert_uri, "client_cert_uri"),
        "ClientCertSerial": _params.check_str(client_cert_serial, "client_cert_serial"),
    }
    return make_call(
        "POST", "/v1/agent/connect/authorize", model(Authorization), body=body, **options
    )
