"""Choosing the transport: native by default, httpx when the environment proxies the agent."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from consul_core import UsageError
from consul_transports._config import load_config
from consul_transports._httpx_async import AsyncHttpxTransport
from consul_transports._httpx_sync import HttpxTransport
from consul_transports._native import AsyncNativeTransport, NativeTransport
from consul_transports._select import async_transport, proxied, sync_transport
from consul_transports.testing import Received, Reply, ScriptedServer
from consul_transports.testing import http_response as response
from tests.conftest import make_client

PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


@pytest.fixture(autouse=True)
def no_proxy_environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Start every test with no proxy variable set."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    return monkeypatch


def test_default_is_native() -> None:
    config = load_config("127.0.0.1:8500", env={})
    assert isinstance(sync_transport(config, None), NativeTransport)
    assert isinstance(async_transport(config, None), AsyncNativeTransport)
    assert isinstance(sync_transport(config, "native"), NativeTransport)
    assert isinstance(async_transport(config, "native"), AsyncNativeTransport)


def test_httpx_by_name_or_client() -> None:
    config = load_config("127.0.0.1:8500", env={})
    assert isinstance(sync_transport(config, "httpx"), HttpxTransport)
    assert isinstance(async_transport(config, "httpx"), AsyncHttpxTransport)
    with httpx.Client() as client:
        assert isinstance(sync_transport(config, client), HttpxTransport)


def test_a_transport_object_is_used_as_is() -> None:
    config = load_config("127.0.0.1:8500", env={})
    native = NativeTransport(config)
    assert sync_transport(config, native) is native


@pytest.mark.parametrize("bad", ["h2", "", 42, httpx.AsyncClient])
def test_unknown_transports(bad: Any) -> None:
    config = load_config("127.0.0.1:8500", env={})
    with pytest.raises(UsageError, match="transport must be 'native', 'httpx'"):
        sync_transport(config, bad)


@pytest.mark.parametrize(
    ("variables", "address", "expected"),
    [
        ({"HTTP_PROXY": "http://proxy:3128"}, "10.1.2.3:8500", True),
        ({"http_proxy": "http://proxy:3128"}, "consul:8500", True),
        ({"ALL_PROXY": "http://proxy:3128"}, "https://consul:8501", True),
        ({"HTTPS_PROXY": "http://proxy:3128"}, "consul:8500", False),
        ({"HTTPS_PROXY": "http://proxy:3128"}, "https://consul:8501", True),
        ({"HTTP_PROXY": "http://proxy:3128", "NO_PROXY": "10.1.2.3"}, "10.1.2.3:8500", False),
        # As in Go: a local agent never through a proxy (it would get the token), and
        # NO_PROXY's networks.
        ({"HTTP_PROXY": "http://proxy:3128"}, "127.0.0.1:8500", False),
        ({"ALL_PROXY": "http://proxy:3128"}, "127.0.0.2:8500", False),
        ({"HTTP_PROXY": "http://proxy:3128"}, "localhost:8500", False),
        ({"HTTPS_PROXY": "http://proxy:3128"}, "https://LOCALHOST.:8501", False),
        ({"HTTP_PROXY": "http://proxy:3128"}, "http://[::1]:8500", False),
        ({"HTTP_PROXY": "http://proxy:3128", "NO_PROXY": "a, 10.0.0.0/8"}, "10.1.2.3:8500", False),
        ({"HTTP_PROXY": "http://proxy:3128", "NO_PROXY": "10.0.0.0/16"}, "10.1.2.3:8500", True),
        ({"HTTP_PROXY": "http://proxy:3128", "NO_PROXY": "x/8"}, "10.1.2.3:8500", True),
        ({"HTTP_PROXY": "http://proxy:3128", "NO_PROXY": ".example"}, "a.example:8500", False),
        ({"HTTP_PROXY": "http://proxy:3128", "NO_PROXY": "*"}, "consul:8500", False),
        ({"HTTP_PROXY": "http://proxy:3128"}, "unix:///run/consul.sock", False),
        ({}, "127.0.0.1:8500", False),
    ],
)
def test_proxied(
    no_proxy_environment: pytest.MonkeyPatch,
    variables: dict[str, str],
    address: str,
    expected: bool,
) -> None:
    for name, value in variables.items():
        no_proxy_environment.setenv(name, value)
    config = load_config(address, env={})
    assert proxied(config) is expected
    chosen = sync_transport(config, None)
    assert isinstance(chosen, HttpxTransport if expected else NativeTransport)


async def test_a_proxy_in_the_environment_is_honoured(
    flavor: str, anyio_backend: str, no_proxy_environment: pytest.MonkeyPatch
) -> None:
    def proxy(request: Received) -> Reply:
        return Reply(response(200, json.dumps(request.target).encode()))

    with ScriptedServer(proxy) as server:
        no_proxy_environment.setenv("HTTP_PROXY", server.address)
        async with make_client(flavor, "http://consul.invalid:8500") as client:
            leader = await client.status.leader()
    # The proxy got the absolute-form target of the agent's URL.
    assert leader == "http://consul.invalid:8500/v1/status/leader"


async def test_a_local_agent_is_reached_directly_whatever_the_proxy(
    flavor: str, anyio_backend: str, no_proxy_environment: pytest.MonkeyPatch
) -> None:
    # As Go does: a proxy would get the agent's token, and fail the calls when it is down.
    def proxy(request: Received) -> Reply:
        return Reply(response(502, b"the proxy"))

    def agent(request: Received) -> Reply:
        return Reply(response(200, b'"127.0.0.1:8300"'))

    with ScriptedServer(proxy) as through, ScriptedServer(agent) as local:
        no_proxy_environment.setenv("HTTP_PROXY", through.address)
        async with make_client(flavor, local.address, token="s3cr3t") as client:
            assert await client.status.leader() == "127.0.0.1:8300"
    assert through.received == []
