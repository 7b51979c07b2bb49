"""The parts config entries of several kinds share: the fields of every entry, and the proxy
and L7 settings that several kinds (and intentions) nest.

Rules:
- Shapes are the Go client's (``api/config_entry*.go``), field for field; a Go pointer is an
  optional field (None: unset, so that the entry inherits it), a Go value a field with its zero
  value as default.
- A Go ``time.Duration`` that Consul sends as text (``"15s"``) is a `Duration`; one it sends
  as integer nanoseconds (a duration without Consul's text marshalling) a `NanoDuration`. Both
  read either form.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from consul_core._codec import Model, NanoDuration

__all__ = [
    "ConfigEntryBase",
    "DestinationConfig",
    "EnvoyExtension",
    "HTTPHeaderMatch",
    "HTTPHeaderModifiers",
    "PassiveHealthCheck",
    "TransparentProxyConfig",
    "UpstreamLimits",
]


class ConfigEntryBase(Model, frozen=True):
    """What every typed config entry has (each kind narrows ``kind`` and adds its settings).

    Attributes:
        name: The entry's name (for most kinds, the service it configures).
        kind: The entry's kind.
        partition: (Enterprise) The admin partition.
        namespace: (Enterprise) The namespace.
        meta: Free-form metadata.
        create_index: The index that created it.
        modify_index: The index of its last change: pass the entry as ``cas=``.
    """

    name: str
    kind: str
    partition: str = ""
    namespace: str = ""
    meta: dict[str, str] = {}
    create_index: int = 0
    modify_index: int = 0


class HTTPHeaderModifiers(Model, frozen=True):
    """Changes a proxy makes to the headers of a request or a response.

    Attributes:
        add: Headers to append (a header already there is kept too).
        set: Headers to set, replacing any of the same name.
        remove: Names of headers to strip.
    """

    add: dict[str, str] = {}
    set: dict[str, str] = {}
    remove: list[str] = []


class PathMatch(Model, frozen=True):
    """The conditions on a request's path that an L7 rule starts with.

    Attributes:
        path_exact: The exact path.
        path_prefix: A prefix of the path.
        path_regex: A regular expression the path matches.
    """

    path_exact: str = ""
    path_prefix: str = ""
    path_regex: str = ""


class HTTPHeaderMatch(Model, frozen=True):
    """A condition on one HTTP header (of a service-router route, of an intention permission).

    Attributes:
        name: The header's name.
        present: Match when the header is present, whatever its value.
        exact: Match this exact value.
        prefix: Match values that start with this.
        suffix: Match values that end with this.
        regex: Match values that this regular expression matches.
        invert: Match when the condition does not hold.
    """

    name: str = ""
    present: bool = False
    exact: str = ""
    prefix: str = ""
    suffix: str = ""
    regex: str = ""
    invert: bool = False


class TransparentProxyConfig(Model, frozen=True):
    """Settings of proxies in transparent mode.

    Attributes:
        outbound_listener_port: The port outbound traffic is redirected to.
        dialed_directly: Whether other proxies may dial this one directly (bypassing the
            discovery chain), for stateful services.
    """

    outbound_listener_port: int = 0
    dialed_directly: bool = False


class PassiveHealthCheck(Model, frozen=True):
    """How a proxy ejects unhealthy upstream instances (outlier detection).

    Attributes:
        interval: The time between two sweeps of the analysis.
        max_failures: How many consecutive failures eject an instance.
        enforcing_consecutive_5xx: The chance, in percent, that a detected outlier is ejected.
        max_ejection_percent: The most of a cluster that may be ejected, in percent.
        base_ejection_time: How long an instance is ejected (times its ejections so far).
    """

    interval: NanoDuration = timedelta(0)
    max_failures: int = 0
    enforcing_consecutive_5xx: int | None = None
    max_ejection_percent: int | None = None
    base_ejection_time: NanoDuration | None = None


class UpstreamLimits(Model, frozen=True):
    """Connection limits of a proxy towards one upstream (None: Envoy's default).

    Attributes:
        max_connections: The most connections to the upstream.
        max_pending_requests: The most requests queued for a connection.
        max_concurrent_requests: The most requests in flight.
    """

    max_connections: int | None = None
    max_pending_requests: int | None = None
    max_concurrent_requests: int | None = None


class DestinationConfig(Model, frozen=True):
    """A destination outside the mesh that a service-defaults entry describes (transparent
    proxies reach it through a terminating gateway).

    Attributes:
        addresses: Its hostnames or IP addresses.
    """

    addresses: list[str] = []
    port: int = 0


class EnvoyExtension(Model, frozen=True):
    """An Envoy extension that patches the proxies' resources (``builtin/lua``, ...).

    Attributes:
        name: The extension's name.
        required: Whether a proxy fails when the extension cannot be applied.
        arguments: The extension's arguments, JSON values.
        consul_version: A version constraint on Consul.
        envoy_version: A version constraint on Envoy.
    """

    name: str = ""
    required: bool = False
    arguments: dict[str, Any] = {}
    consul_version: str = ""
    envoy_version: str = ""
