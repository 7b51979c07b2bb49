"""Typed, frozen results of the Consul HTTP API, one module per endpoint group.

Every model is re-exported here: ``from consul_core.models import ACLToken, ServiceEntry``. Each
module's ``__all__`` is the one list of its public names; this package takes them whole, except
where a module's list holds more than its models: `config` re-exports the kinds of the
``config_*`` modules (taken from them), and the decoders of `health`, `kv` and `txn` are theirs
(``kv.decode_entry`` is not `config`'s). On import, the package completes the models'
``Attributes:`` sections (`consul_core.models._docs`).

Timestamps are timezone-aware `datetime`s; Go's zero time (or none) decodes as None.
"""

from consul_core.models import _docs

# Each module whose list is taken whole, by name: ``__all__ += <module>.__all__`` below is a form
# that type checkers read.
from consul_core.models import acl as acl
from consul_core.models import agent as agent
from consul_core.models import agent_checks as agent_checks
from consul_core.models import agent_services as agent_services
from consul_core.models import agent_version as agent_version
from consul_core.models import catalog as catalog
from consul_core.models import config_chain as config_chain
from consul_core.models import config_common as config_common
from consul_core.models import config_gateways as config_gateways
from consul_core.models import config_mesh as config_mesh
from consul_core.models import connect as connect
from consul_core.models import coordinate as coordinate
from consul_core.models import discovery_chain as discovery_chain
from consul_core.models import event as event
from consul_core.models import exported_services as exported_services
from consul_core.models import namespace as namespace
from consul_core.models import operator as operator
from consul_core.models import operator_enterprise as operator_enterprise
from consul_core.models import partition as partition
from consul_core.models import peering as peering
from consul_core.models import query as query
from consul_core.models import session as session
from consul_core.models.acl import *
from consul_core.models.agent import *
from consul_core.models.agent_checks import *
from consul_core.models.agent_services import *
from consul_core.models.agent_version import *
from consul_core.models.catalog import *
from consul_core.models.config import (
    CONFIG_ENTRY_KINDS,
    AccessLogsConfig,
    AnyConfigEntry,
    ConfigEntry,
    InstanceLevelRateLimits,
    InstanceLevelRouteRateLimits,
    ProxyDefaults,
    RateLimits,
    ServiceDefaults,
    TypedConfigEntry,
    UpstreamConfig,
    UpstreamConfiguration,
    decode_entry,
    encode_entry,
)
from consul_core.models.config_chain import *
from consul_core.models.config_common import *
from consul_core.models.config_gateways import *
from consul_core.models.config_mesh import *
from consul_core.models.connect import *
from consul_core.models.coordinate import *
from consul_core.models.discovery_chain import *
from consul_core.models.event import *
from consul_core.models.exported_services import *
from consul_core.models.health import HealthState, ServiceEntry
from consul_core.models.kv import KeyValue
from consul_core.models.namespace import *
from consul_core.models.operator import *
from consul_core.models.operator_enterprise import *
from consul_core.models.partition import *
from consul_core.models.peering import *
from consul_core.models.query import *
from consul_core.models.session import *
from consul_core.models.txn import TxnResult

__all__ = [
    "CONFIG_ENTRY_KINDS",
    "AccessLogsConfig",
    "AnyConfigEntry",
    "ConfigEntry",
    "HealthState",
    "InstanceLevelRateLimits",
    "InstanceLevelRouteRateLimits",
    "KeyValue",
    "ProxyDefaults",
    "RateLimits",
    "ServiceDefaults",
    "ServiceEntry",
    "TxnResult",
    "TypedConfigEntry",
    "UpstreamConfig",
    "UpstreamConfiguration",
    "decode_entry",
    "encode_entry",
]
__all__ += acl.__all__
__all__ += agent.__all__
__all__ += agent_checks.__all__
__all__ += agent_services.__all__
__all__ += agent_version.__all__
__all__ += catalog.__all__
__all__ += config_chain.__all__
__all__ += config_common.__all__
__all__ += config_gateways.__all__
__all__ += config_mesh.__all__
__all__ += connect.__all__
__all__ += coordinate.__all__
__all__ += discovery_chain.__all__
__all__ += event.__all__
__all__ += exported_services.__all__
__all__ += namespace.__all__
__all__ += operator.__all__
__all__ += operator_enterprise.__all__
__all__ += partition.__all__
__all__ += peering.__all__
__all__ += query.__all__
__all__ += session.__all__

_docs.complete(globals()[name] for name in __all__)
