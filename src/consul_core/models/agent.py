"""Models of the local agent: its self-description, its Serf members, metrics and host.

Rules:
- `/v1/agent/self` is decoded into typed parts (``Config``, ``Member``, ``Coord``); the parts
  Consul documents as free-form dumps (``DebugConfig``, ``Stats``) stay maps.
- A `Member.status` is Serf's integer; compare it with `MemberStatus`.
"""

from __future__ import annotations

import enum
from typing import Any

from consul_core._codec import Model, field
from consul_core.models.coordinate import NetworkCoordinate

__all__ = [
    "AgentConfig",
    "AgentInfo",
    "GaugeValue",
    "HostInfo",
    "LogRecord",
    "Member",
    "MemberStatus",
    "MetricsInfo",
    "PointValue",
    "SampledValue",
]


class MemberStatus(enum.IntEnum):
    """Serf's member states, the values of `Member.status`."""

    NONE = 0
    ALIVE = 1
    LEAVING = 2
    LEFT = 3
    FAILED = 4


class Member(Model, frozen=True):
    """A member of the agent's LAN (or, for servers, WAN) Serf pool.

    Attributes:
        name: The member's node name (``node.dc`` in the WAN pool).
        addr: Its gossip address.
        port: Its gossip port.
        tags: Serf tags (``role``, ``dc``, ``build``, ``port``, ...).
        status: Its state, a `MemberStatus` value.
        protocol_min: The lowest Serf protocol it speaks.
        protocol_max: The highest Serf protocol it speaks.
        protocol_cur: The Serf protocol it speaks now.
        delegate_min: The lowest delegate protocol it speaks.
        delegate_max: The highest delegate protocol it speaks.
        delegate_cur: The delegate protocol it speaks now.
    """

    name: str
    addr: str = ""
    port: int = 0
    tags: dict[str, str] = {}
    status: int = MemberStatus.NONE
    protocol_min: int = 0
    protocol_max: int = 0
    protocol_cur: int = 0
    delegate_min: int = 0
    delegate_max: int = 0
    delegate_cur: int = 0


class AgentConfig(Model, frozen=True):
    """The short configuration summary of ``/v1/agent/self``.

    Attributes:
        datacenter: The agent's datacenter.
        node_name: Its node name.
        node_id: Its node ID.
        server: Whether it is a server.
        version: The Consul version.
        revision: The Git revision of the build.
    """

    datacenter: str
    node_name: str
    node_id: str = ""
    server: bool = False
    version: str = ""
    revision: str = ""


class AgentInfo(Model, frozen=True):
    """What the agent says about itself (``GET /v1/agent/self``).

    Attributes:
        config: The configuration summary.
        member: The agent as a member of its LAN pool.
        coord: Its LAN network coordinate, None when coordinates are disabled.
        debug_config: The full runtime configuration, as Consul dumps it (secrets hidden).
        stats: Counters by subsystem (``agent``, ``consul``, ``raft``, ``serf_lan``, ...).
        meta: The node's metadata.
    """

    config: AgentConfig
    member: Member
    coord: NetworkCoordinate | None = None
    debug_config: dict[str, Any] = {}
    stats: dict[str, dict[str, str]] = {}
    meta: dict[str, str] = {}


class GaugeValue(Model, frozen=True):
    """A metric that holds a value (``consul.runtime.alloc_bytes``)."""

    name: str
    value: float = 0.0
    labels: dict[str, str] = {}


class PointValue(Model, frozen=True):
    """A metric that holds a series of points."""

    name: str
    points: list[float] = []


class SampledValue(Model, frozen=True):
    """A counter or a timer sampled over the current interval.

    Attributes:
        name: The metric's name.
        count: How many samples the interval holds.
        rate: Samples per second.
        sum: Their sum.
        min: The smallest.
        max: The largest.
        mean: Their mean.
        stddev: Their standard deviation.
        labels: The metric's labels.
    """

    name: str
    count: int = 0
    rate: float = 0.0
    sum: float = 0.0
    min: float = 0.0
    max: float = 0.0
    mean: float = 0.0
    stddev: float = 0.0
    labels: dict[str, str] = {}


class MetricsInfo(Model, frozen=True):
    """The agent's metrics for the last completed interval (``GET /v1/agent/metrics``).

    Attributes:
        timestamp: The start of the interval, as Go prints it (``2006-01-02 15:04:05 +0000 UTC``).
        gauges: Values.
        points: Series of points.
        counters: Counters.
        samples: Timers.
    """

    timestamp: str = ""
    gauges: list[GaugeValue] = []
    points: list[PointValue] = []
    counters: list[SampledValue] = []
    samples: list[SampledValue] = []


class LogRecord(Model, frozen=True):
    """A line of the agent's log written as JSON (``GET /v1/agent/monitor?logjson``).

    Attributes:
        level: The level (``"info"``, ``"warn"``, ...).
        message: The message.
        module: The part of the agent that wrote it (``"agent.client"``).
        timestamp: When, as the agent wrote it (RFC 3339 with microseconds).
        unknown_fields: The line's other key/value pairs (``service``, ``error``, ...).
    """

    level: str = field(json="@level", default="")
    message: str = field(json="@message", default="")
    module: str = field(json="@module", default="")
    timestamp: str = field(json="@timestamp", default="")


class HostInfo(Model, frozen=True):
    """The agent host's resources (``GET /v1/agent/host``), as gopsutil reports them.

    The parts are maps because their keys depend on the operating system.

    Attributes:
        memory: Virtual memory statistics (``total``, ``available``, ``usedPercent``, ...).
        cpu: One map per CPU (``modelName``, ``cores``, ``mhz``, ...).
        host: The host (``hostname``, ``os``, ``platform``, ``uptime``, ...).
        disk: Usage of the agent's data directory's disk (``path``, ``total``, ``free``, ...).
        collection_time: When the data was collected, in nanoseconds since the Unix epoch.
        errors: What could not be collected.
    """

    memory: dict[str, Any] = {}
    cpu: list[dict[str, Any]] = field(json="CPU", factory=list)
    host: dict[str, Any] = {}
    disk: dict[str, Any] = {}
    collection_time: int = 0
    errors: list[Any] = []
