"""Models of config entries: ``/v1/config``.

Config entries are polymorphic by ``Kind``. `ServiceDefaults` and `ProxyDefaults` are typed in
full; every other kind (``service-router``, ``service-splitter``, ``service-resolver``,
``ingress-gateway``, ``terminating-gateway``, and the kinds of later Consul versions) decodes to
the generic `ConfigEntry`, which keeps the kind, the name and the indexes as attributes and the
rest of the entry as Consul's JSON mapping.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeAlias

import msgspec

from consul_core._codec import DecodeError, Model, field, from_json, to_json
from consul_core.models.catalog import ExposeConfig, MeshGatewayConfig

__all__ = [
    "AnyConfigEntry",
    "ConfigEntry",
    "ProxyDefaults",
    "ServiceDefaults",
    "decode_entry",
    "encode_entry",
]


class ServiceDefaults(Model, frozen=True):
    """A ``service-defaults`` entry: defaults for every instance of one service.

    Attributes:
        name: The service's name.
        kind: Always ``"service-defaults"``.
        protocol: The service's protocol (``"tcp"``, ``"http"``, ``"http2"``, ``"grpc"``).
        mesh_gateway: How the service's proxies reach other datacenters.
        expose: What the service's proxies expose without mTLS.
        external_sni: The SNI a terminating gateway uses for this external service.
        meta: Free-form metadata.
        namespace: (Enterprise) The service's namespace.
        create_index: The index that created it.
        modify_index: The index of its last change: pass the entry as ``cas=``.
    """

    name: str
    kind: Literal["service-defaults"] = "service-defaults"
    protocol: str = ""
    mesh_gateway: MeshGatewayConfig = field(factory=MeshGatewayConfig)
    expose: ExposeConfig = field(factory=ExposeConfig)
    external_sni: str = ""
    meta: dict[str, str] = field(factory=dict)
    namespace: str = ""
    create_index: int = 0
    modify_index: int = 0


class ProxyDefaults(Model, frozen=True):
    """The ``proxy-defaults`` entry: defaults for every proxy (its name is always ``global``).

    Attributes:
        name: ``"global"``.
        kind: Always ``"proxy-defaults"``.
        config: Free-form proxy configuration (``{"protocol": "http", ...}``), JSON values.
        mesh_gateway: How proxies reach other datacenters.
        expose: What proxies expose without mTLS.
        meta: Free-form metadata.
        namespace: (Enterprise) The namespace.
        create_index: The index that created it.
        modify_index: The index of its last change: pass the entry as ``cas=``.
    """

    name: str = "global"
    kind: Literal["proxy-defaults"] = "proxy-defaults"
    config: dict[str, Any] = field(factory=dict)
    mesh_gateway: MeshGatewayConfig = field(factory=MeshGatewayConfig)
    expose: ExposeConfig = field(factory=ExposeConfig)
    meta: dict[str, str] = field(factory=dict)
    namespace: str = ""
    create_index: int = 0
    modify_index: int = 0


class ConfigEntry(msgspec.Struct, frozen=True):
    """A config entry of a kind without a typed model, e.g. ``service-resolver``.

    Attributes:
        kind: The entry's kind.
        name: Its name.
        settings: Every other field, in Consul's JSON shape (``{"DefaultSubset": "v1"}``).
        create_index: The index that created it.
        modify_index: The index of its last change: pass the entry as ``cas=``.
    """

    kind: str
    name: str
    settings: dict[str, Any] = field(factory=dict)
    create_index: int = 0
    modify_index: int = 0

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ConfigEntry:
        """Decode Consul's JSON object, keeping the fields without an attribute as settings.

        Raises:
            DecodeError: `data` is not an object, or an attribute's value has the wrong type.
        """
        try:
            head = from_json(ConfigEntryHead, data)
        except DecodeError as error:
            raise DecodeError(error.problem, error.path, cls.__name__) from None
        return cls(
            head.kind,
            head.name,
            dict(head.unknown_fields),
            head.create_index,
            head.modify_index,
        )


class ConfigEntryHead(Model, frozen=True):
    """What a `ConfigEntry` keeps as attributes; the rest of the entry is its settings."""

    kind: str
    name: str
    create_index: int = 0
    modify_index: int = 0


AnyConfigEntry: TypeAlias = ServiceDefaults | ProxyDefaults | ConfigEntry

_TYPED: dict[str, type[ServiceDefaults] | type[ProxyDefaults]] = {
    "service-defaults": ServiceDefaults,
    "proxy-defaults": ProxyDefaults,
}


def decode_entry(data: Any) -> AnyConfigEntry:
    """Decode one entry of any kind into its model.

    Raises:
        DecodeError: `data` is not a config entry object.
    """
    entry = ConfigEntry.from_json(data)
    typed = _TYPED.get(entry.kind)
    return from_json(typed, data) if typed else entry


def encode_entry(entry: AnyConfigEntry) -> dict[str, Any]:
    """Encode an entry into Consul's JSON shape, ``Kind`` and ``Name`` included."""
    if isinstance(entry, ConfigEntry):
        return {**entry.settings, "Kind": entry.kind, "Name": entry.name}
    encoded: dict[str, Any] = to_json(entry)
    return {**encoded, "Kind": entry.kind, "Name": entry.name}
