"""What a client configured for a proxy in front of the agent puts on the wire, on both
transports under asyncio, trio and sync: the path prefix of its address, the basic-auth header,
the extra headers, and the token of the call over the client's.
"""

from __future__ import annotations

import base64
import copy
import pickle
from typing import Any

import pytest

from consul_transports.testing import Received, Reply, ScriptedServer, http_response
from tests.conftest import make_client

pytestmark = pytest.mark.integration

KEY = b'[{"Key": "k", "Value": "dg==", "Flags": 0, "CreateIndex": 5, "ModifyIndex": 5}]'


@pytest.fixture(params=["native", "httpx"])
def transport_name(request: pytest.FixtureRequest) -> str:
    """The transport under test."""
    return str(request.param)


def reverse_proxy(request: Received) -> Reply:
    """A proxy that serves the agent under /consul/dc1/ and refuses anything else."""
    path = request.target.partition("?")[0]
    if not path.startswith("/consul/dc1/v1/"):
        return Reply(http_response(404, b"no route"))
    if request.method == "PUT":
        return Reply(http_response(200, b"true"))
    return Reply(http_response(200, KEY, (("X-Consul-Index", "5"),)))


async def test_prefix_auth_and_extra_headers_on_the_wire(
    flavor: str, anyio_backend: str, transport_name: str
) -> None:
    options: dict[str, Any] = {
        "transport": transport_name,
        "token": "client-token",
        "auth": ("proxy-user", "pass:word"),
        "headers": {"X-Proxy-Route": "consul-a", "User-Agent": "my-app/1.0"},
    }
    with ScriptedServer(reverse_proxy) as server:
        async with make_client(flavor, f"{server.address}/consul/dc1/", **options) as client:
            entry, meta = await client.kv.get("k")
            assert (entry.value, meta.index) == (b"v", 5)
            assert await client.kv.set("a b", b"v", token="call-token") is True
            assert await client.kv.set("a b", b"v", dc="dc2") is True
    get, own, dc2 = server.received
    assert (get.method, get.target) == ("GET", "/consul/dc1/v1/kv/k")
    assert (own.method, own.target) == ("PUT", "/consul/dc1/v1/kv/a%20b")
    assert dc2.target == "/consul/dc1/v1/kv/a%20b?dc=dc2"
    credentials = base64.b64encode(b"proxy-user:pass:word").decode()
    for sent in (get, own, dc2):
        assert sent.headers["authorization"] == f"Basic {credentials}"
        assert sent.headers["x-proxy-route"] == "consul-a"
        assert sent.headers["user-agent"] == "my-app/1.0"
    assert [r.headers["x-consul-token"] for r in server.received] == [
        "client-token",
        "call-token",
        "client-token",
    ]


async def test_basic_auth_from_the_environment_on_the_wire(
    flavor: str, anyio_backend: str, transport_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONSUL_HTTP_AUTH", "env-user:env-pass")
    for name in ("CONSUL_HTTP_TOKEN", "CONSUL_HTTP_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    with ScriptedServer(reverse_proxy) as server:
        address = f"{server.address}/consul/dc1"
        async with make_client(flavor, address, transport=transport_name) as client:
            await client.kv.get("k")
    (sent,) = server.received
    assert (
        sent.headers["authorization"] == "Basic " + base64.b64encode(b"env-user:env-pass").decode()
    )
    assert "x-consul-token" not in sent.headers


@pytest.mark.parametrize("keyword", ["tokn", "env"])
async def test_an_unknown_keyword_names_the_client(
    flavor: str, anyio_backend: str, keyword: str
) -> None:
    # The settings travel as **settings: a misspelt one is refused as Python refuses it,
    # naming the client (not the function the settings are handed to).
    with pytest.raises(
        TypeError, match=rf"^Consul\(\) got an unexpected keyword argument '{keyword}'$"
    ):
        make_client(flavor, "http://127.0.0.1:1", **{keyword: "x"})


async def test_a_client_refuses_to_be_pickled_or_copied(flavor: str, anyio_backend: str) -> None:
    async with make_client(flavor, "http://127.0.0.1:1") as made:  # nothing is sent
        client = getattr(made, "_target", made)  # the sync client itself, not its async shape
        for copying in (pickle.dumps, copy.copy, copy.deepcopy):
            with pytest.raises(TypeError, match="Consul client cannot be pickled or copied"):
                copying(client)
