"""Golden config entries, one per kind the current Consul docs define: JSON bodies as Consul
sends and takes them, built from the Go client's structs (``api/config_entry*.go``) and the
docs' samples (``website/content/docs/reference/config-entry/*.mdx``), with every field of
every model set (the completeness test holds them to it). Golden, not recorded: Consul 1.8.7
knows only the first seven kinds (the live tests write those).
"""

from __future__ import annotations

from typing import Any

HEADERS = {"Add": {"x-a": "1"}, "Set": {"x-s": "2"}, "Remove": ["x-r"]}
HEADER_MATCH = {
    "Name": "x-debug",
    "Present": True,
    "Exact": "1",
    "Prefix": "p",
    "Suffix": "s",
    "Regex": "^1$",
    "Invert": True,
}
PASSIVE = {
    "Interval": 10_000_000_000,
    "MaxFailures": 5,
    "EnforcingConsecutive5xx": 100,
    "MaxEjectionPercent": 10,
    "BaseEjectionTime": 30_000_000_000,
}
JWT = {
    "Providers": [{"Name": "okta", "VerifyClaims": [{"Path": ["perms", "role"], "Value": "admin"}]}]
}
UPSTREAM = {
    "EnvoyListenerJSON": "{}",
    "EnvoyClusterJSON": "{}",
    "Protocol": "http",
    "ConnectTimeoutMs": 5000,
    "Limits": {"MaxConnections": 10, "MaxPendingRequests": 20, "MaxConcurrentRequests": 30},
    "PassiveHealthCheck": PASSIVE,
    "MeshGateway": {"Mode": "local"},
    "BalanceOutboundConnections": "exact_balance",
}
EXTENSION = {
    "Name": "builtin/lua",
    "Required": True,
    "Arguments": {"ProxyType": "connect-proxy", "Script": "function f() end"},
    "ConsulVersion": ">= 1.15",
    "EnvoyVersion": ">= 1.25",
}
COMMON = {"Partition": "team", "Namespace": "web", "Meta": {"owner": "team-web"}}
STATUS = {
    "Conditions": [
        {
            "Type": "Accepted",
            "Status": "True",
            "Reason": "Accepted",
            "Message": "gateway is valid",
            "Resource": {
                "Kind": "api-gateway",
                "Name": "gw",
                "SectionName": "https",
                "Partition": "team",
                "Namespace": "web",
            },
            "LastTransitionTime": "2024-03-01T10:00:00.123456789Z",
        }
    ]
}
FILTERS = {
    "Headers": [{"Add": {"x-a": "1"}, "Remove": ["x-r"], "Set": {"x-s": "2"}}],
    "URLRewrite": {"Path": "/v2"},
    "RetryFilter": {
        "NumRetries": 3,
        "RetryOn": ["5xx"],
        "RetryOnStatusCodes": [503],
        "RetryOnConnectFailure": True,
    },
    "TimeoutFilter": {"RequestTimeout": 15_000_000_000, "IdleTimeout": 60_000_000_000},
    "JWT": {"Providers": JWT["Providers"]},
}
RATES = {"ReadRate": 100.5, "WriteRate": 50.25}

ENTRIES: dict[str, dict[str, Any]] = {
    "service-defaults": {
        "Kind": "service-defaults",
        "Name": "web",
        **COMMON,
        "Protocol": "http",
        "Mode": "transparent",
        "TransparentProxy": {"OutboundListenerPort": 15001, "DialedDirectly": True},
        "MutualTLSMode": "permissive",
        "MeshGateway": {"Mode": "local"},
        "Expose": {
            "Checks": True,
            "Paths": [
                {
                    "ListenerPort": 21500,
                    "Path": "/health",
                    "LocalPathPort": 8080,
                    "Protocol": "http",
                    "ParsedFromCheck": True,
                }
            ],
        },
        "ExternalSNI": "web.example.com",
        "UpstreamConfig": {
            "Overrides": [
                {
                    "Name": "db",
                    "Partition": "data",
                    "Namespace": "db",
                    "Peer": "dc2-peer",
                    **UPSTREAM,
                }
            ],
            "Defaults": UPSTREAM,
        },
        "Destination": {"Addresses": ["api.example.com"], "Port": 443},
        "MaxInboundConnections": 100,
        "LocalConnectTimeoutMs": 1000,
        "LocalRequestTimeoutMs": 2000,
        "BalanceInboundConnections": "exact_balance",
        "RateLimits": {
            "InstanceLevel": {
                "RequestsPerSecond": 100,
                "RequestsMaxBurst": 200,
                "Routes": [
                    {
                        "PathExact": "/a",
                        "PathPrefix": "/b",
                        "PathRegex": "/c.*",
                        "RequestsPerSecond": 10,
                        "RequestsMaxBurst": 20,
                    }
                ],
            }
        },
        "EnvoyExtensions": [EXTENSION],
        "CreateIndex": 10,
        "ModifyIndex": 12,
    },
    "proxy-defaults": {
        "Kind": "proxy-defaults",
        "Name": "global",
        **COMMON,
        "Mode": "transparent",
        "TransparentProxy": {"OutboundListenerPort": 15001, "DialedDirectly": True},
        "MutualTLSMode": "strict",
        "Config": {"protocol": "http", "local_connect_timeout_ms": 1000},
        "MeshGateway": {"Mode": "remote"},
        "Expose": {"Checks": True},
        "AccessLogs": {
            "Enabled": True,
            "DisableListenerLogs": True,
            "Type": "file",
            "Path": "/var/log/envoy.log",
            "JSONFormat": '{"start": "%START_TIME%"}',
            "TextFormat": "%START_TIME%",
        },
        "EnvoyExtensions": [EXTENSION],
        "FailoverPolicy": {"Mode": "order-by-locality", "Regions": ["us-east-1"]},
        "PrioritizeByLocality": {"Mode": "failover"},
        "CreateIndex": 8,
        "ModifyIndex": 9,
    },
    "service-router": {
        "Kind": "service-router",
        "Name": "web",
        **COMMON,
        "Routes": [
            {
                "Match": {
                    "HTTP": {
                        "PathExact": "/admin",
                        "PathPrefix": "/api",
                        "PathRegex": "/v[0-9]+",
                        "Header": [HEADER_MATCH],
                        "QueryParam": [
                            {"Name": "x", "Present": True, "Exact": "1", "Regex": "^1$"}
                        ],
                        "Methods": ["GET", "POST"],
                    }
                },
                "Destination": {
                    "Service": "admin",
                    "ServiceSubset": "v2",
                    "Namespace": "admin",
                    "Partition": "ops",
                    "PrefixRewrite": "/",
                    "RequestTimeout": "15s",
                    "IdleTimeout": "1m0s",
                    "NumRetries": 3,
                    "RetryOnConnectFailure": True,
                    "RetryOnStatusCodes": [503, 504],
                    "RetryOn": ["reset"],
                    "RequestHeaders": HEADERS,
                    "ResponseHeaders": HEADERS,
                },
            }
        ],
        "CreateIndex": 20,
        "ModifyIndex": 20,
    },
    "service-splitter": {
        "Kind": "service-splitter",
        "Name": "web",
        **COMMON,
        "Splits": [
            {
                "Weight": 90,
                "Service": "web",
                "ServiceSubset": "v1",
                "Namespace": "web",
                "Partition": "team",
                "RequestHeaders": HEADERS,
                "ResponseHeaders": HEADERS,
            },
            {"Weight": 10.5, "ServiceSubset": "v2"},
        ],
        "CreateIndex": 21,
        "ModifyIndex": 21,
    },
    "service-resolver": {
        "Kind": "service-resolver",
        "Name": "web",
        **COMMON,
        "DefaultSubset": "v1",
        "Subsets": {"v1": {"Filter": "Service.Meta.version == v1", "OnlyPassing": True}},
        "Redirect": {
            "Service": "web2",
            "ServiceSubset": "v1",
            "Namespace": "web",
            "Partition": "team",
            "Datacenter": "dc2",
            "Peer": "dc2-peer",
            "SamenessGroup": "group",
        },
        "Failover": {
            "*": {
                "Service": "web",
                "ServiceSubset": "v1",
                "Namespace": "web",
                "Datacenters": ["dc2", "dc3"],
                "Targets": [
                    {
                        "Service": "web",
                        "ServiceSubset": "v1",
                        "Partition": "team",
                        "Namespace": "web",
                        "Datacenter": "dc2",
                        "Peer": "dc2-peer",
                    }
                ],
                "Policy": {"Mode": "sequential", "Regions": ["us-west-2"]},
                "SamenessGroup": "group",
            }
        },
        "ConnectTimeout": "5s",
        "RequestTimeout": "15s",
        "PrioritizeByLocality": {"Mode": "failover"},
        "LoadBalancer": {
            "Policy": "ring_hash",
            "RingHashConfig": {"MinimumRingSize": 1024, "MaximumRingSize": 8192},
            "LeastRequestConfig": {"ChoiceCount": 3},
            "HashPolicies": [
                {
                    "Field": "cookie",
                    "FieldValue": "session",
                    "CookieConfig": {"Session": True, "TTL": 60_000_000_000, "Path": "/"},
                    "SourceIP": True,
                    "Terminal": True,
                }
            ],
        },
        "CreateIndex": 22,
        "ModifyIndex": 23,
    },
    "ingress-gateway": {
        "Kind": "ingress-gateway",
        "Name": "ingress",
        **COMMON,
        "TLS": {
            "Enabled": True,
            "SDS": {"ClusterName": "sds", "CertResource": "wildcard"},
            "TLSMinVersion": "TLSv1_2",
            "TLSMaxVersion": "TLSv1_3",
            "CipherSuites": ["ECDHE-RSA-AES128-GCM-SHA256"],
        },
        "Listeners": [
            {
                "Port": 8080,
                "Protocol": "http",
                "Services": [
                    {
                        "Name": "web",
                        "Hosts": ["web.example.com"],
                        "Namespace": "web",
                        "Partition": "team",
                        "TLS": {"SDS": {"ClusterName": "sds", "CertResource": "web"}},
                        "RequestHeaders": HEADERS,
                        "ResponseHeaders": HEADERS,
                        "MaxConnections": 100,
                        "MaxPendingRequests": 50,
                        "MaxConcurrentRequests": 25,
                        "PassiveHealthCheck": PASSIVE,
                    }
                ],
                "TLS": {"Enabled": True},
            }
        ],
        "Defaults": {
            "MaxConnections": 200,
            "MaxPendingRequests": 100,
            "MaxConcurrentRequests": 50,
            "PassiveHealthCheck": PASSIVE,
        },
        "CreateIndex": 30,
        "ModifyIndex": 30,
    },
    "terminating-gateway": {
        "Kind": "terminating-gateway",
        "Name": "terminating",
        **COMMON,
        "Services": [
            {
                "Name": "billing",
                "Namespace": "billing",
                "CAFile": "/etc/certs/ca.pem",
                "CertFile": "/etc/certs/cert.pem",
                "KeyFile": "/etc/certs/key.pem",
                "SNI": "billing.example.com",
            }
        ],
        "CreateIndex": 31,
        "ModifyIndex": 31,
    },
    "service-intentions": {
        "Kind": "service-intentions",
        "Name": "api",
        **COMMON,
        "Sources": [
            {
                "Name": "web",
                "Peer": "dc2-peer",
                "Partition": "team",
                "Namespace": "web",
                "SamenessGroup": "group",
                "Action": "allow",
                "Precedence": 9,
                "Type": "consul",
                "Description": "web may call the api",
                "LegacyID": "e9ebc19f-d481-42b1-4871-4d298d3acd5c",
                "LegacyMeta": {"by": "migration"},
                "LegacyCreateTime": "2020-11-27T13:19:33.582421Z",
                "LegacyUpdateTime": "2020-11-27T13:19:33.582421Z",
            },
            {
                "Name": "admin",
                "Permissions": [
                    {
                        "Action": "allow",
                        "HTTP": {
                            "PathExact": "/admin",
                            "PathPrefix": "/api",
                            "PathRegex": "/v[0-9]+",
                            "Header": [HEADER_MATCH],
                            "Methods": ["GET"],
                        },
                        "JWT": JWT,
                    }
                ],
                "Precedence": 9,
                "Type": "consul",
            },
        ],
        "JWT": JWT,
        "CreateIndex": 40,
        "ModifyIndex": 41,
    },
    "mesh": {
        "Kind": "mesh",
        "Partition": "team",
        "Namespace": "default",
        "Meta": {"owner": "platform"},
        "TransparentProxy": {"MeshDestinationsOnly": True},
        "AllowEnablingPermissiveMutualTLS": True,
        "TLS": {
            "Incoming": {
                "TLSMinVersion": "TLSv1_2",
                "TLSMaxVersion": "TLSv1_3",
                "CipherSuites": ["ECDHE-RSA-AES128-GCM-SHA256"],
            },
            "Outgoing": {"TLSMinVersion": "TLSv1_2"},
        },
        "HTTP": {"SanitizeXForwardedClientCert": True},
        "Peering": {"PeerThroughMeshGateways": True},
        "CreateIndex": 50,
        "ModifyIndex": 50,
    },
    "exported-services": {
        "Kind": "exported-services",
        "Name": "default",
        "Partition": "default",
        "Meta": {"owner": "platform"},
        "Services": [
            {
                "Name": "api",
                "Namespace": "web",
                "Consumers": [{"Partition": "team"}, {"Peer": "dc2-peer"}],
            },
            {"Name": "db", "Consumers": [{"SamenessGroup": "group"}]},
        ],
        "CreateIndex": 60,
        "ModifyIndex": 60,
    },
    "sameness-group": {
        "Kind": "sameness-group",
        "Name": "group",
        "Partition": "default",
        "Meta": {"owner": "platform"},
        "DefaultForFailover": True,
        "IncludeLocal": True,
        "Members": [{"Partition": "team"}, {"Peer": "dc2-peer"}],
        "CreateIndex": 70,
        "ModifyIndex": 70,
    },
    "jwt-provider": {
        "Kind": "jwt-provider",
        "Name": "okta",
        **COMMON,
        "JSONWebKeySet": {
            "Local": {"JWKS": "eyJrZXlzIjpbXX0=", "Filename": "/etc/jwks.json"},
            "Remote": {
                "URI": "https://okta.example.com/.well-known/jwks.json",
                "RequestTimeoutMs": 1500,
                "CacheDuration": 300_000_000_000,
                "FetchAsynchronously": True,
                "UseSNI": True,
                "RetryPolicy": {
                    "NumRetries": 3,
                    "RetryPolicyBackOff": {
                        "BaseInterval": 1_000_000_000,
                        "MaxInterval": 10_000_000_000,
                    },
                },
                "JWKSCluster": {
                    "DiscoveryType": "STRICT_DNS",
                    "TLSCertificates": {
                        "CaCertificateProviderInstance": {
                            "InstanceName": "default",
                            "CertificateName": "ROOTCA",
                        },
                        "TrustedCA": {
                            "Filename": "/etc/ca.pem",
                            "EnvironmentVariable": "CA_PEM",
                            "InlineString": "-----BEGIN CERTIFICATE-----",
                            "InlineBytes": "aGVsbG8=",
                        },
                    },
                    "ConnectTimeout": 5_000_000_000,
                },
            },
        },
        "Issuer": "https://okta.example.com",
        "Audiences": ["api"],
        "Locations": [
            {"Header": {"Name": "Authorization", "ValuePrefix": "Bearer ", "Forward": True}},
            {"QueryParam": {"Name": "access_token"}},
            {"Cookie": {"Name": "token"}},
        ],
        "Forwarding": {"HeaderName": "x-jwt", "PadForwardPayloadHeader": True},
        "ClockSkewSeconds": 30,
        "CacheConfig": {"Size": 100},
        "CreateIndex": 80,
        "ModifyIndex": 80,
    },
    "control-plane-request-limit": {
        "Kind": "control-plane-request-limit",
        "Name": "global",
        **COMMON,
        "Mode": "enforcing",
        **RATES,
        **{
            category: RATES
            for category in (
                "ACL",
                "Catalog",
                "ConfigEntry",
                "ConnectCA",
                "Coordinate",
                "DiscoveryChain",
                "ServerDiscovery",
                "Health",
                "Intention",
                "KV",
                "Tenancy",
                "PreparedQuery",
                "Session",
                "Txn",
                "AutoConfig",
                "FederationState",
                "Internal",
                "PeerStream",
                "Peering",
                "DataPlane",
                "DNS",
                "Subscribe",
                "Resource",
            )
        },
        "CreateIndex": 90,
        "ModifyIndex": 90,
    },
    "api-gateway": {
        "Kind": "api-gateway",
        "Name": "gw",
        **COMMON,
        "Listeners": [
            {
                "Name": "https",
                "Hostname": "*.example.com",
                "Port": 8443,
                "Protocol": "http",
                "TLS": {
                    "Certificates": [{"Kind": "inline-certificate", "Name": "cert"}],
                    "MaxVersion": "TLSv1_3",
                    "MinVersion": "TLSv1_2",
                    "CipherSuites": ["ECDHE-RSA-AES128-GCM-SHA256"],
                },
                "Override": {"JWT": JWT},
                "Default": {"JWT": JWT},
            }
        ],
        "Status": STATUS,
        "CreateIndex": 100,
        "ModifyIndex": 101,
    },
    "http-route": {
        "Kind": "http-route",
        "Name": "web-route",
        **COMMON,
        "Parents": [{"Kind": "api-gateway", "Name": "gw", "SectionName": "https"}],
        "Rules": [
            {
                "Filters": FILTERS,
                "Matches": [
                    {
                        "Headers": [{"Match": "exact", "Name": "x-v", "Value": "2"}],
                        "Method": "GET",
                        "Path": {"Match": "prefix", "Value": "/v2"},
                        "Query": [{"Match": "exact", "Name": "debug", "Value": "1"}],
                    }
                ],
                "Services": [
                    {
                        "Name": "web",
                        "Weight": 100,
                        "Filters": FILTERS,
                        "Partition": "team",
                        "Namespace": "web",
                    }
                ],
            }
        ],
        "Hostnames": ["web.example.com"],
        "Status": STATUS,
        "CreateIndex": 110,
        "ModifyIndex": 110,
    },
    "tcp-route": {
        "Kind": "tcp-route",
        "Name": "db-route",
        **COMMON,
        "Parents": [{"Kind": "api-gateway", "Name": "gw", "SectionName": "tcp"}],
        "Services": [{"Name": "db", "Partition": "data", "Namespace": "db"}],
        "Status": STATUS,
        "CreateIndex": 120,
        "ModifyIndex": 120,
    },
    "inline-certificate": {
        "Kind": "inline-certificate",
        "Name": "cert",
        **COMMON,
        "Certificate": "-----BEGIN CERTIFICATE-----\nMIIB...\n-----END CERTIFICATE-----\n",
        "PrivateKey": (
            "-----BEGIN PRIVATE KEY-----\nsecret-key-material\n-----END PRIVATE KEY-----\n"
        ),
        "CreateIndex": 130,
        "ModifyIndex": 130,
    },
    "file-system-certificate": {
        "Kind": "file-system-certificate",
        "Name": "fs-cert",
        **COMMON,
        "Certificate": "/opt/consul/tls/api-gateway.crt",
        "PrivateKey": "/opt/consul/tls/api-gateway.key",
        "CreateIndex": 140,
        "ModifyIndex": 140,
    },
}
