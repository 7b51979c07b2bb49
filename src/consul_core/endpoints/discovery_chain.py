"""Builder for the compiled discovery chain (Consul 1.6+): ``/v1/discovery-chain/<service>``.

Consul takes overrides only in a request body, so a read with overrides is a ``POST`` (it
writes nothing) and one without is a ``GET``, as the Go client does.
"""

from __future__ import annotations

from typing import Literal

import attrs

from consul_core import _params
from consul_core._codec import encode_json
from consul_core.call import Call
from consul_core.endpoints._common import indexed_read, model, name_segment
from consul_core.endpoints._options import NamespacedReadOptions, Unpack, builder
from consul_core.errors import UsageError
from consul_core.http import Response
from consul_core.meta import QueryMeta
from consul_core.models.discovery_chain import CompiledDiscoveryChain, DiscoveryChainReply

__all__ = ["MeshGatewayMode", "get"]

MeshGatewayMode = Literal["none", "local", "remote"]
_MODES = frozenset({"none", "local", "remote"})
_decode_reply = model(DiscoveryChainReply)


def _decode_chain(response: Response) -> CompiledDiscoveryChain:
    return _decode_reply(response).chain


def _overrides(
    connect_timeout: object, protocol: object, mesh_gateway: object
) -> dict[str, object]:
    body: dict[str, object] = {}
    if connect_timeout is not None:
        body["OverrideConnectTimeout"] = _params.duration_param(
            connect_timeout, "override_connect_timeout"
        )
    if protocol is not None:
        body["OverrideProtocol"] = _params.check_str(protocol, "override_protocol")
    if mesh_gateway is not None:
        if mesh_gateway not in _MODES:
            raise UsageError(f"override_mesh_gateway must be one of {sorted(_MODES)}")
        body["OverrideMeshGateway"] = {"Mode": mesh_gateway}
    return body


@builder(needs="service:read")
def get(
    service: object,
    *,
    compile_dc: str | None = None,
    override_connect_timeout: _params.Duration | None = None,
    override_protocol: str | None = None,
    override_mesh_gateway: MeshGatewayMode | None = None,
    **options: Unpack[NamespacedReadOptions],
) -> Call[tuple[CompiledDiscoveryChain, QueryMeta]]:
    """Compile a service's discovery chain from its config entries, as its upstreams see it.

    Args:
        service: The service's name, a mapping with ``"Service"``, or an object with
            ``service``.
        compile_dc: The datacenter to compile for (``compile-dc``); default the agent's.
        override_connect_timeout: The connect timeout of every resolver in the chain.
        override_protocol: The protocol of the chain (a TCP one has no routers or splitters).
        override_mesh_gateway: The mesh gateway mode of every target.

    Returns:
        The chain and the read's metadata.
    """
    path = f"/v1/discovery-chain/{name_segment(service, 'service', 'Service')}"
    params: _params.Params = []
    if compile_dc is not None:
        params.append(("compile-dc", _params.check_str(compile_dc, "compile_dc")))
    body = _overrides(override_connect_timeout, override_protocol, override_mesh_gateway)
    call = indexed_read(path, _decode_chain, params=params, **options)
    if not body:
        return call
    request = attrs.evolve(call.request, method="POST", body=encode_json(body))
    return attrs.evolve(call, request=request)
