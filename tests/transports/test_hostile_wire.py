"""CR, LF, NUL and other hostile characters in a token, datacenter, node, service or session name
never reach the wire as a header or a second request: the token is refused before any request,
names travel percent-encoded. Proved on the bytes each transport would send (hypothesis), and
on a loopback server that records what arrives, under asyncio, trio and sync.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import httptools
import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consul_core import ClientDefaults, ConsulError, Request, UsageError
from consul_core.endpoints import catalog, health, session
from consul_transports._config import load_config
from consul_transports._httpx import to_httpx
from consul_transports._native._wire import encode_request
from consul_transports.testing import Reply, ScriptedServer
from consul_transports.testing import http_response as response
from tests.conftest import make_client
from tests.hostile import DETERMINISTIC, REQUEST_TARGET, text_with_dangers

pytestmark = pytest.mark.integration

HOST = "127.0.0.1:8500"


class _Messages:
    """What an HTTP/1.1 server's parser makes of the bytes: each request's target and headers."""

    def __init__(self, data: bytes) -> None:
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._url = b""
        self._headers: dict[str, str] = {}
        parser = httptools.HttpRequestParser(self)
        parser.feed_data(data)

    def on_url(self, url: bytes) -> None:
        self._url += url

    def on_header(self, name: bytes, value: bytes) -> None:
        self._headers[name.decode("latin-1").lower()] = value.decode("latin-1")

    def on_message_complete(self) -> None:
        self.requests.append((self._url.decode("ascii"), self._headers))
        self._url, self._headers = b"", {}


def _requests(name: str, dc: str) -> list[Request]:
    """Requests that carry `name` in a path segment or a JSON body, and `dc` in the query; those
    whose arguments are refused are left out.
    """
    builders = [
        lambda: catalog.node(name, dc=dc),
        lambda: health.service(name, dc=dc),
        lambda: session.info(name, dc=dc),
        lambda: session.create(name=name, node=name, dc=dc),
        lambda: catalog.node("web"),  # for the client-wide datacenter
    ]
    requests = []
    for build in builders:
        with contextlib.suppress(UsageError):
            requests.append(build().request)
    return requests


@pytest.fixture(scope="module")
def httpx_client() -> Iterator[httpx.Client]:
    with httpx.Client() as client:
        yield client


def _accepted(**defaults: str | None) -> bool:
    try:
        ClientDefaults(**defaults)  # type: ignore[arg-type]
    except UsageError:
        return False
    return True


@settings(DETERMINISTIC, max_examples=200)
@given(
    name=text_with_dangers(),
    dc=text_with_dangers(),
    token=st.one_of(text_with_dangers(), st.uuids().map(str)),
)
def test_the_bytes_sent_are_one_request_with_one_token_header(
    httpx_client: httpx.Client, name: str, dc: str, token: str
) -> None:
    sent_token = token if token and _accepted(token=token) else None
    defaults = ClientDefaults(token=sent_token, dc=dc if dc and _accepted(dc=dc) else None)
    config = load_config(HOST, env={})
    for request in (defaults.apply(r) for r in _requests(name, dc)):
        wire = _Messages(encode_request(request, HOST))
        assert len(wire.requests) == 1
        target, headers = wire.requests[0]
        assert target == request.target and REQUEST_TARGET.fullmatch(target)
        assert headers.get("x-consul-token") == sent_token
        assert set(headers) <= {
            "host", "user-agent", "accept-encoding", "content-length", "x-consul-token"
        }  # fmt: skip
        built = to_httpx(httpx_client, config, request)
        assert built.url.raw_path.decode("ascii") == target
        assert built.headers.get("X-Consul-Token") == sent_token


# Names that would split a request or change its path if they were not encoded, and how they
# must arrive (in a path segment and in the query alike).
# Names an agent's router cannot take in a path (a line break, `..` segments, NUL) are refused;
# in a query they are sent percent-encoded.
HOSTILE_NAMES = [
    ("n\r\nX-Injected: 1", "n%0D%0AX-Injected%3A%201"),
    (
        "s HTTP/1.1\r\nHost: evil\r\n\r\nGET /v1/evil",
        "s%20HTTP%2F1.1%0D%0AHost%3A%20evil%0D%0A%0D%0AGET%20%2Fv1%2Fevil",
    ),
    ("a/../../v1/acl/bootstrap", "a%2F..%2F..%2Fv1%2Facl%2Fbootstrap"),
    ("nul\x00byte?x=1#frag", "nul%00byte%3Fx%3D1%23frag"),
]
# A name that looks like a request but that a path can carry: sent as one segment.
ODD_NAME = (
    "s HTTP/1.1 Host: evil GET /v1/evil?x=1#f",
    "s%20HTTP%2F1.1%20Host%3A%20evil%20GET%20%2Fv1%2Fevil%3Fx%3D1%23f",
)


@pytest.fixture(params=["native", "httpx"])
def transport(request: pytest.FixtureRequest) -> str:
    return str(request.param)


async def test_hostile_names_arrive_as_single_encoded_requests(
    flavor: str, anyio_backend: str, transport: str
) -> None:
    with ScriptedServer(lambda _: Reply(response(404))) as server:
        async with make_client(flavor, server.address, transport=transport, token="t0k") as c:
            for name, _ in [*HOSTILE_NAMES, ODD_NAME]:
                with contextlib.suppress(ConsulError):
                    await c.catalog.node("web", dc=name)
            for name, _ in HOSTILE_NAMES:
                for call in (c.catalog.node, c.health.service, c.session.info):
                    with pytest.raises(UsageError):
                        await call(name)
            for call in (c.catalog.node, c.health.service, c.session.info):
                with contextlib.suppress(ConsulError):
                    await call(ODD_NAME[0])
            with pytest.raises(UsageError):
                await c.kv.get("k", token="t0k\r\nX-Injected: 1")
            with pytest.raises(UsageError):
                await c.kv.get("k", dc="\ud800")
    assert len(server.received) == len(HOSTILE_NAMES) + 4
    for received in server.received:
        assert REQUEST_TARGET.fullmatch(received.target), received.target
        assert "x-injected" not in received.headers and received.headers["host"] != "evil"
        assert received.headers["x-consul-token"] == "t0k"
    targets = [r.target for r in server.received]
    odd = ODD_NAME[1]
    assert targets == [
        *(f"/v1/catalog/node/web?dc={encoded}" for _, encoded in [*HOSTILE_NAMES, ODD_NAME]),
        f"/v1/catalog/node/{odd}",
        f"/v1/health/service/{odd}",
        f"/v1/session/info/{odd}",
    ]


async def test_a_client_wide_token_is_checked_from_every_source(
    flavor: str,
    anyio_backend: str,
    transport: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    token_file = tmp_path / "token"
    with ScriptedServer(lambda _: Reply(response(404))) as server:
        with pytest.raises(UsageError, match=r"^token must be visible ASCII"):
            make_client(flavor, server.address, transport=transport, token="t0k\r\nX-Injected: 1")
        monkeypatch.setenv("CONSUL_HTTP_TOKEN", "t0k\nX-Injected: 1")
        with pytest.raises(UsageError, match=r"^CONSUL_HTTP_TOKEN must be visible ASCII"):
            make_client(flavor, server.address, transport=transport)
        monkeypatch.delenv("CONSUL_HTTP_TOKEN")
        monkeypatch.setenv("CONSUL_HTTP_TOKEN_FILE", str(token_file))
        token_file.write_text("t0k\r\nX-Injected: 1\n")
        with pytest.raises(UsageError, match=r"^CONSUL_HTTP_TOKEN_FILE must be visible ASCII"):
            make_client(flavor, server.address, transport=transport)
        assert server.received == []
        token_file.write_text("t0k-from-file\n")  # the newline every editor adds
        async with make_client(flavor, server.address, transport=transport) as c:
            with contextlib.suppress(ConsulError):
                await c.kv.get("k")
    [received] = server.received
    assert received.headers["x-consul-token"] == "t0k-from-file"
    assert "x-injected" not in received.headers
