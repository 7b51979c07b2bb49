"""Golden requests and recorded responses for the compiled discovery chain (no I/O)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from consul_core import QueryMeta, Response, UsageError
from consul_core.call import Call
from consul_core.endpoints import discovery_chain
from consul_core.models import (
    DiscoveryFailover,
    DiscoveryResolver,
    DiscoverySplit,
    MeshGatewayConfig,
)

META = {"X-Consul-Index": "20", "X-Consul-KnownLeader": "true"}
# Recorded from Consul 1.8.7: "web" with service-defaults (http), a resolver (a "v1" subset,
# failover to dc3), a splitter (90% to v1) and a router (/admin to "admin").
CHAIN_BODY = b"""{
  "Chain": {
    "ServiceName": "web",
    "Namespace": "default",
    "Datacenter": "dc1",
    "Protocol": "http",
    "StartNode": "router:web.default",
    "Nodes": {
      "resolver:admin.default.dc1": {
        "Type": "resolver",
        "Name": "admin.default.dc1",
        "Resolver": {
          "ConnectTimeout": "5s",
          "Default": true,
          "Target": "admin.default.dc1"
        }
      },
      "resolver:v1.web.default.dc1": {
        "Type": "resolver",
        "Name": "v1.web.default.dc1",
        "Resolver": {
          "ConnectTimeout": "15s",
          "Target": "v1.web.default.dc1",
          "Failover": {
            "Targets": [
              "v1.web.default.dc3"
            ]
          }
        }
      },
      "resolver:web.default.dc1": {
        "Type": "resolver",
        "Name": "web.default.dc1",
        "Resolver": {
          "ConnectTimeout": "15s",
          "Target": "web.default.dc1",
          "Failover": {
            "Targets": [
              "web.default.dc3"
            ]
          }
        }
      },
      "router:web.default": {
        "Type": "router",
        "Name": "web.default",
        "Routes": [
          {
            "Definition": {
              "Match": {
                "HTTP": {
                  "PathPrefix": "/admin"
                }
              },
              "Destination": {
                "RequestTimeout": "15s",
                "Service": "admin",
                "PrefixRewrite": "/"
              }
            },
            "NextNode": "resolver:admin.default.dc1"
          },
          {
            "Definition": {
              "Match": {
                "HTTP": {
                  "PathPrefix": "/"
                }
              },
              "Destination": {
                "Service": "web",
                "Namespace": "default"
              }
            },
            "NextNode": "splitter:web.default"
          }
        ]
      },
      "splitter:web.default": {
        "Type": "splitter",
        "Name": "web.default",
        "Splits": [
          {
            "Weight": 90,
            "NextNode": "resolver:v1.web.default.dc1"
          },
          {
            "Weight": 10,
            "NextNode": "resolver:web.default.dc1"
          }
        ]
      }
    },
    "Targets": {
      "admin.default.dc1": {
        "ID": "admin.default.dc1",
        "Service": "admin",
        "Namespace": "default",
        "Datacenter": "dc1",
        "MeshGateway": {},
        "Subset": {},
        "SNI": "admin.default.dc1.internal.d2eb75ed-dbad-0cc9-ab2b-a67fedabd54b.consul",
        "Name": "admin.default.dc1.internal.d2eb75ed-dbad-0cc9-ab2b-a67fedabd54b.consul"
      },
      "v1.web.default.dc1": {
        "ID": "v1.web.default.dc1",
        "Service": "web",
        "ServiceSubset": "v1",
        "Namespace": "default",
        "Datacenter": "dc1",
        "MeshGateway": {},
        "Subset": {
          "Filter": "Service.Meta.version == v1"
        },
        "SNI": "v1.web.default.dc1.internal.d2eb75ed-dbad-0cc9-ab2b-a67fedabd54b.consul",
        "Name": "v1.web.default.dc1.internal.d2eb75ed-dbad-0cc9-ab2b-a67fedabd54b.consul"
      },
      "v1.web.default.dc3": {
        "ID": "v1.web.default.dc3",
        "Service": "web",
        "ServiceSubset": "v1",
        "Namespace": "default",
        "Datacenter": "dc3",
        "MeshGateway": {},
        "Subset": {
          "Filter": "Service.Meta.version == v1"
        },
        "SNI": "v1.web.default.dc3.internal.d2eb75ed-dbad-0cc9-ab2b-a67fedabd54b.consul",
        "Name": "v1.web.default.dc3.internal.d2eb75ed-dbad-0cc9-ab2b-a67fedabd54b.consul"
      },
      "web.default.dc1": {
        "ID": "web.default.dc1",
        "Service": "web",
        "Namespace": "default",
        "Datacenter": "dc1",
        "MeshGateway": {},
        "Subset": {},
        "SNI": "web.default.dc1.internal.d2eb75ed-dbad-0cc9-ab2b-a67fedabd54b.consul",
        "Name": "web.default.dc1.internal.d2eb75ed-dbad-0cc9-ab2b-a67fedabd54b.consul"
      },
      "web.default.dc3": {
        "ID": "web.default.dc3",
        "Service": "web",
        "Namespace": "default",
        "Datacenter": "dc3",
        "MeshGateway": {},
        "Subset": {},
        "SNI": "web.default.dc3.internal.d2eb75ed-dbad-0cc9-ab2b-a67fedabd54b.consul",
        "Name": "web.default.dc3.internal.d2eb75ed-dbad-0cc9-ab2b-a67fedabd54b.consul"
      }
    }
  }
}"""
# A newer Consul's target and chain: fields this client does not know stay with the models.
NEWER_BODY = b"""{
  "Chain": {
    "ServiceName": "web",
    "Namespace": "default",
    "Partition": "default",
    "Datacenter": "dc1",
    "Default": true,
    "Protocol": "tcp",
    "StartNode": "resolver:web.default.default.dc1",
    "AutoVirtualIPs": ["240.0.0.1"],
    "Nodes": {},
    "Targets": {
      "web.default.default.dc1": {
        "ID": "web.default.default.dc1",
        "Service": "web",
        "Partition": "default",
        "Peer": "cluster-02",
        "Locality": {"Region": "us-east-1"},
        "MeshGateway": {"Mode": "local"},
        "ConnectTimeout": "5s"
      }
    }
  },
  "Revision": 3
}"""


def _target(call: Call[Any]) -> tuple[str, str]:
    return call.request.method, call.request.target


def test_a_read_without_overrides_is_a_get() -> None:
    call = discovery_chain.get("web", compile_dc="dc2", watch=(19, "30s"), consistency="stale")
    assert _target(call) == (
        "GET",
        "/v1/discovery-chain/web?stale&index=19&wait=30s&compile-dc=dc2",
    )
    assert call.request.body is None
    assert call.request.blocking


def test_overrides_make_it_a_post_that_still_blocks() -> None:
    call = discovery_chain.get(
        {"Service": "web"},
        override_connect_timeout=timedelta(seconds=7),
        override_protocol="grpc",
        override_mesh_gateway="remote",
        watch=19,
    )
    assert _target(call) == ("POST", "/v1/discovery-chain/web?index=19&wait=300s")
    assert json.loads(call.request.body or b"") == {
        "OverrideConnectTimeout": "7s",
        "OverrideProtocol": "grpc",
        "OverrideMeshGateway": {"Mode": "remote"},
    }
    assert call.request.blocking and call.request.timeout is not None


def test_parse_a_recorded_chain() -> None:
    chain, meta = discovery_chain.get("web").parse(Response(200, META, CHAIN_BODY))
    assert meta == QueryMeta(index=20, known_leader=True)
    assert (chain.service_name, chain.protocol, chain.start_node) == (
        "web",
        "http",
        "router:web.default",
    )
    router = chain.nodes[chain.start_node]
    assert [route.next_node for route in router.routes] == [
        "resolver:admin.default.dc1",
        "splitter:web.default",
    ]
    assert router.routes[0].definition["Match"] == {"HTTP": {"PathPrefix": "/admin"}}
    splitter = chain.nodes["splitter:web.default"]
    assert splitter.splits == [
        DiscoverySplit(weight=90, next_node="resolver:v1.web.default.dc1"),
        DiscoverySplit(weight=10, next_node="resolver:web.default.dc1"),
    ]
    assert chain.nodes["resolver:v1.web.default.dc1"].resolver == DiscoveryResolver(
        connect_timeout=timedelta(seconds=15),
        target="v1.web.default.dc1",
        failover=DiscoveryFailover(targets=["v1.web.default.dc3"]),
    )
    assert chain.nodes["resolver:admin.default.dc1"].resolver is not None
    assert chain.nodes["resolver:admin.default.dc1"].resolver.default is True
    target = chain.targets["v1.web.default.dc1"]
    assert (target.service, target.service_subset, target.datacenter) == ("web", "v1", "dc1")
    assert target.subset == {"Filter": "Service.Meta.version == v1"}
    assert target.sni.startswith("v1.web.default.dc1.internal.")
    assert target.mesh_gateway == MeshGatewayConfig()


def test_a_newer_chain_keeps_what_this_client_does_not_know() -> None:
    chain, _ = discovery_chain.get("web").parse(Response(200, META, NEWER_BODY))
    assert (chain.partition, chain.default) == ("default", True)
    assert chain.unknown_fields == {"AutoVirtualIPs": ["240.0.0.1"]}
    target = chain.targets["web.default.default.dc1"]
    assert (target.peer, target.mesh_gateway.mode) == ("cluster-02", "local")
    assert target.connect_timeout == timedelta(seconds=5)
    assert target.unknown_fields == {"Locality": {"Region": "us-east-1"}}


@pytest.mark.parametrize(
    "make",
    [
        lambda: discovery_chain.get(""),
        lambda: discovery_chain.get("web", compile_dc=""),
        lambda: discovery_chain.get("web", override_mesh_gateway="sideways"),
        lambda: discovery_chain.get("web", override_connect_timeout="soon"),
        lambda: discovery_chain.get("web", override_protocol=7),
    ],
)
def test_usage_errors(make: Any) -> None:
    with pytest.raises(UsageError):
        make()
