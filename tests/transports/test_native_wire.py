"""The native transports' I/O-free parts: request bytes, response assembly, pool decisions."""

from __future__ import annotations

import socket
import time

import anyio
import pytest

from consul_core import ConnectError, Request, Timeout, TransportError
from consul_transports._config import load_config
from consul_transports._limits import PoolLimits
from consul_transports._native._async import _raced
from consul_transports._native._policy import (
    FALLBACK_DELAY,
    Endpoint,
    IdleConnections,
    Stage,
    attempt_limit,
    broken,
    connect_failed,
    connect_timeout,
    dual_stack,
    may_retry,
    read_timeout,
    timed_out,
)
from consul_transports._native._sync import _Racing
from consul_transports._native._wire import (
    BadResponse,
    ConnectionLost,
    Exchange,
    ResponseReader,
    encode_request,
)
from consul_transports._transport import broke

HOST = "127.0.0.1:8500"
UA = b"User-Agent: consul-sansio/0.1\r\nAccept-Encoding: identity\r\n"


def test_get_request_bytes() -> None:
    request = Request(
        "GET", "/v1/kv/a%20b", (("index", "4"), ("stale", "")), {"X-Consul-Token": "t"}
    )
    assert encode_request(request, HOST) == (
        b"GET /v1/kv/a%20b?index=4&stale HTTP/1.1\r\nHost: 127.0.0.1:8500\r\n"
        + UA
        + b"X-Consul-Token: t\r\n\r\n"
    )


def test_body_and_content_length() -> None:
    put = encode_request(Request("PUT", "/v1/kv/k", body=b"value"), HOST)
    assert put.endswith(b"Content-Length: 5\r\n\r\nvalue")
    empty_put = encode_request(Request("PUT", "/v1/session/renew/x"), HOST)
    assert empty_put.endswith(b"Content-Length: 0\r\n\r\n")
    delete = encode_request(Request("DELETE", "/v1/kv/k"), HOST)
    assert b"Content-Length" not in delete


def test_request_headers_beat_the_defaults() -> None:
    data = encode_request(Request("GET", "/v1/agent/self", headers={"user-agent": "mine"}), HOST)
    assert b"consul-sansio" not in data
    assert b"user-agent: mine\r\n" in data
    assert b"Accept-Encoding: identity\r\n" in data


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (Request("GE T", "/v1/kv/k"), "invalid method"),
        (Request("GET", "/v1/kv/a b"), "invalid request target"),
        (Request("GET", "v1/kv/k"), "invalid request target"),
        (Request("GET", ""), "invalid request target"),
        (Request("GET", "/v1/kv/a\tb"), "invalid request target"),
        (Request("GET", "/v1/kv/a\x7fb"), "invalid request target"),
        (Request("GET", "/v1/kv/a\r\nHost: x"), "invalid request target"),
        (Request("GET", "/v1/kv/\u00e9"), "invalid request target"),
        (Request("GET", "/v1/kv/k", headers={"X-Bad:Name": "v"}), "invalid header name"),
        (Request("GET", "/v1/kv/k", headers={"X-Consul-Token": "sec\r\nret"}), "X-Consul-Token"),
        (Request("GET", "/v1/kv/k", headers={"X-Consul-Token": "sec\x00ret"}), "X-Consul-Token"),
        (Request("GET", "/v1/kv/k", headers={"X-Consul-Token": "sécret"}), "not ASCII"),
    ],
)
def test_unsendable_requests(request_: Request, message: str) -> None:
    with pytest.raises(TransportError, match=message) as caught:
        encode_request(request_, HOST)
    assert "ret" not in str(caught.value)


def feed_all(reader: ResponseReader, data: bytes, step: int = 0) -> bool:
    if not step:
        return reader.feed(data)
    done = False
    for start in range(0, len(data), step):
        done = reader.feed(data[start : start + step])
    return done


OK = b"HTTP/1.1 200 OK\r\nX-Consul-Index: 9\r\nContent-Length: 4\r\n\r\ntrue"
CHUNKED = (
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    b"3\r\n[1,\r\n2\r\n2]\r\n0\r\nX-Trailer: no\r\n\r\n"
)


@pytest.mark.parametrize("step", [0, 1, 7])
def test_reader_assembles_framed_and_chunked_responses(step: int) -> None:
    for data, body in ((OK, b"true"), (CHUNKED, b"[1,2]")):
        reader = ResponseReader()
        assert feed_all(reader, data, step)
        response = reader.response()
        assert (response.status, response.body) == (200, body)
        assert reader.reusable
    assert reader.response().headers == {"Transfer-Encoding": "chunked"}


def test_reader_keeps_headers_and_status() -> None:
    reader = ResponseReader()
    reader.feed(OK.replace(b"200 OK", b"404 Not Found"))
    response = reader.response()
    assert response.status == 404
    assert response.headers["x-consul-index"] == "9"


def test_incomplete_response_waits_for_more() -> None:
    reader = ResponseReader()
    assert not reader.feed(OK[:-2])
    assert reader.started and not reader.complete
    with pytest.raises(BadResponse) as caught:
        reader.end()  # framed by Content-Length: the end is missing
    assert caught.value.reason is None  # cut short


def test_exchange_sends_in_pieces() -> None:
    exchange = Exchange(b"abcdef")
    assert exchange.unsent == b"abcdef"
    exchange.sent(2)
    assert bytes(exchange.unsent or b"") == b"cdef"
    exchange.sent(4)
    assert exchange.unsent is None
    assert exchange.begin(b"next").unsent == b"next"  # the connection's next request


def test_closed_before_any_byte_is_a_lost_connection() -> None:
    exchange = Exchange(b"GET / HTTP/1.1\r\n\r\n")
    exchange.sent(18)
    with pytest.raises(ConnectionLost) as caught:
        exchange.received(b"")
    assert caught.value.sent
    reset = ConnectionResetError(104, "reset")
    assert isinstance(exchange.receive_failed(reset), ConnectionLost)
    exchange.received(OK[:10])
    assert exchange.receive_failed(reset) is reset


def test_a_failed_write_still_reads_the_answer_but_ends_reuse() -> None:
    refused = Exchange(b"PUT /v1/kv/big HTTP/1.1\r\n\r\n" + b"x" * 100)
    refused.sent(10)
    refused.write_failed(BrokenPipeError(32, "Broken pipe"))
    assert refused.unsent is None
    assert refused.received(OK.replace(b"200 OK", b"413 Too Large"))
    assert refused.response().status == 413
    assert not refused.reusable
    unsent = Exchange(b"PUT /v1/kv/k HTTP/1.1\r\n\r\n")
    unsent.write_failed(BrokenPipeError(32, "Broken pipe"))
    with pytest.raises(ConnectionLost) as caught:
        unsent.received(b"")
    assert not caught.value.sent
    assert isinstance(caught.value.__cause__, BrokenPipeError)


def test_connection_close_and_http_1_0_end_reuse() -> None:
    for data in (
        OK.replace(b"X-Consul-Index: 9", b"Connection: close"),
        OK.replace(b"HTTP/1.1", b"HTTP/1.0"),
    ):
        reader = ResponseReader()
        assert reader.feed(data)
        assert not reader.reusable


def test_body_until_the_connection_closes() -> None:
    reader = ResponseReader()
    assert not reader.feed(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nsome")
    assert not reader.feed(b" more")
    assert reader.end()
    assert reader.response().body == b"some more"
    assert not reader.reusable


def test_head_response_has_no_body() -> None:
    reader = ResponseReader(head_only=True)
    assert reader.feed(b"HTTP/1.1 200 OK\r\nContent-Length: 23\r\n\r\n")
    assert reader.response().body == b""
    assert reader.reusable


def test_interim_response_is_skipped() -> None:
    reader = ResponseReader()
    assert not reader.feed(b"HTTP/1.1 100 Continue\r\n\r\n")
    assert reader.feed(OK)
    assert reader.response().status == 200
    assert reader.response().headers["X-Consul-Index"] == "9"


@pytest.mark.parametrize(
    "extra",
    [
        OK,
        b"garbage\r\n\r\n",
        b"HTTP/1.1 500 X\r\nX-Consul-Index: 1\r\nContent-Length: 4\r\n\r\nfail",
        b"HTTP/1.1 503 X\r\n\r\n",
    ],
)
def test_bytes_after_the_response_end_reuse(extra: bytes) -> None:
    reader = ResponseReader()
    assert reader.feed(OK + extra)
    response = reader.response()
    # The response is the first message, whatever follows it.
    assert (response.status, response.body) == (200, b"true")
    assert response.headers["X-Consul-Index"] == "9"
    assert not reader.reusable


def test_invalid_response() -> None:
    with pytest.raises(BadResponse) as caught:
        ResponseReader().feed(b"SPDY/9 secret-token\r\n\r\n")
    assert caught.value.reason == "Expected HTTP/, RTSP/ or ICE/"  # llhttp's, no byte quoted


def test_retry_rule() -> None:
    read_failed = ConnectionLost(sent=True)
    write_failed = ConnectionLost(sent=False)
    assert may_retry("GET", read_failed) and may_retry("HEAD", read_failed)
    assert not may_retry("PUT", read_failed) and not may_retry("POST", read_failed)
    assert may_retry("PUT", write_failed) and may_retry("DELETE", write_failed)


def test_idle_connections_most_recent_first_and_expiry() -> None:
    idle: IdleConnections[str] = IdleConnections(idle_timeout=10)
    idle.put("old", 0.0)
    idle.put("mid", 5.0)
    idle.put("new", 8.0)
    assert idle.take(9.0, "PUT") == ("new", True, ())
    assert idle.take(12.0, "PUT") == ("mid", True, ["old"])
    assert idle.take(12.0, "PUT") == (None, False, ())
    idle.put("a", 1.0)
    idle.put("b", 2.0)
    assert idle.take(20.0, "PUT") == (None, False, ["a", "b"])
    idle.put("a", 1.0)
    assert idle.drain() == ["a"]
    assert idle.take(1.0, "PUT") == (None, False, ())


@pytest.mark.parametrize(
    ("method", "idle_for", "checked"),
    [
        ("GET", 0.01, False),
        ("HEAD", 0.5, False),
        ("GET", 1.0, True),
        ("HEAD", 30.0, True),
        ("PUT", 0.0, True),
        ("DELETE", 0.01, True),
        ("POST", 0.0, True),
        (None, 0.0, False),
        (None, 29.0, False),
    ],
)
def test_an_idle_connection_is_checked_unless_a_get_reuses_it_at_once(
    method: str | None, idle_for: float, checked: bool
) -> None:
    idle: IdleConnections[str] = IdleConnections(idle_timeout=30)
    idle.put("kept", 100.0)
    assert idle.take(100.0 + idle_for, method) == ("kept", checked, ())


def test_pool_limits_keep_room_for_ordinary_calls() -> None:
    assert PoolLimits() == PoolLimits(max_connections=128, idle_timeout=30.0, reserved=16)
    assert PoolLimits().blocking_slots == 112
    assert PoolLimits(max_connections=150, reserved=0).blocking_slots == 150
    assert PoolLimits(max_connections=2).blocking_slots == 1  # a small budget keeps one
    with pytest.raises(ValueError):
        PoolLimits(max_connections=0)
    with pytest.raises(ValueError):
        PoolLimits(reserved=-1)


def test_only_index_reads_are_blocking_queries() -> None:
    assert Request("GET", "/v1/kv/k", (("index", "7"), ("wait", "5s"))).blocking
    assert not Request("GET", "/v1/kv/k", (("recurse", ""),)).blocking
    assert Request("GET", "/v1/agent/service/web", (("hash", "abc"),)).blocking
    assert not Request("PUT", "/v1/kv/k", (("index", "7"),)).blocking


@pytest.mark.parametrize(
    ("address", "options", "host_header", "server_hostname", "ip"),
    [
        ("127.0.0.1:8500", {}, "127.0.0.1:8500", None, socket.AF_INET),
        ("http://consul:80", {}, "consul", None, None),
        ("https://consul:443", {}, "consul", "consul", None),
        ("https://10.0.0.1:8501", {"server_name": "server.dc1.consul"}, "10.0.0.1:8501",
         "server.dc1.consul", socket.AF_INET),
        ("[::1]:8500", {}, "[::1]:8500", None, socket.AF_INET6),
        ("unix:///run/consul.sock", {}, "localhost", None, None),
    ],
)  # fmt: skip
def test_endpoint(
    address: str,
    options: dict[str, str],
    host_header: str,
    server_hostname: str | None,
    ip: socket.AddressFamily | None,
) -> None:
    endpoint = Endpoint.from_config(load_config(address, env={}, **options))
    assert endpoint.host_header == host_header
    assert endpoint.server_hostname == server_hostname
    assert endpoint.ip == ip
    assert (endpoint.ssl_context is not None) == address.startswith("https")


def test_timeouts() -> None:
    config = load_config("127.0.0.1:8500", timeout=20, env={})
    assert read_timeout(config, Request("GET", "/v1/kv/k")) == 20
    assert read_timeout(config, Request("GET", "/v1/kv/k", timeout=330.0)) == 330
    assert connect_timeout(330.0) == 10 and connect_timeout(2.0) == 2


def test_addresses_are_split_and_timed_as_go_s_dialer_does() -> None:
    v4, v6 = socket.AF_INET, socket.AF_INET6
    found = [(v6, "a"), (v4, "b"), (v6, "c"), (v4, "d")]
    assert dual_stack(found) == ([(v6, "a"), (v6, "c")], [(v4, "b"), (v4, "d")])
    assert dual_stack([(v4, "b")]) == ([(v4, "b")], [])
    # Each of the addresses left gets its share of the time left, at least 2 s, at most all.
    assert attempt_limit(10.0, 2) == 5.0
    assert attempt_limit(10.0, 10) == 2.0
    assert attempt_limit(1.5, 3) == 1.5
    assert attempt_limit(7.0, 1) == 7.0


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("flavor", ["asyncio", "trio", "sync"])
def test_when_every_address_refuses_the_first_family_s_error_is_raised_at_once(
    flavor: str,
) -> None:
    port = _closed_port()
    primaries = [(socket.AF_INET6, ("::1", port, 0, 0))]
    fallbacks = [(socket.AF_INET, ("127.0.0.1", port))]
    until = time.monotonic() + 5
    started = time.monotonic()
    with pytest.raises(ConnectionRefusedError):
        if flavor == "sync":
            _Racing(primaries, fallbacks, until).connected()
        else:
            anyio.run(_raced, primaries, fallbacks, until, backend=flavor)
    # The other family's turn comes as soon as the first's addresses have all failed.
    assert time.monotonic() - started < FALLBACK_DELAY


def test_failure_messages() -> None:
    # Each names the request (a client shared by many threads or tasks: which call failed).
    endpoint = Endpoint.from_config(load_config("127.0.0.1:1", env={}))
    waited = Request("GET", "/v1/kv/k")
    cannot = "cannot connect to the agent at http://127.0.0.1:1 to send GET /v1/kv/k"
    refused = connect_failed(endpoint, waited, ConnectionRefusedError(111, "Connect call failed"))
    assert type(refused) is ConnectError
    assert str(refused) == f"{cannot}: Connection refused"
    assert type(connect_failed(endpoint, waited, TimeoutError())) is Timeout
    # getaddrinfo's numbers are negative (EAI_*): os.strerror would say "Unknown error -2".
    unknown = socket.gaierror(socket.EAI_NONAME, "Name not known")
    assert str(connect_failed(endpoint, waited, unknown)) == f"{cannot}: Name not known"
    assert [str(timed_out(stage, endpoint, waited, 1.5)) for stage in Stage] == [
        "no connection of the pool became free within 1.5s for GET /v1/kv/k",
        f"{cannot}: timed out",
        "the agent did not answer GET /v1/kv/k within 1.5s",
    ]
    # A legacy token's ID in the path is shown redacted there too.
    legacy = Request("PUT", "/v1/acl/destroy/legacy-id", hidden=("legacy-id",))
    assert "legacy-id" not in str(connect_failed(endpoint, legacy, TimeoutError()))


def test_an_exchange_s_failures_name_the_request_and_quote_no_reply() -> None:
    # A legacy token's ID in the path is shown redacted.
    request = Request("PUT", "/v1/acl/destroy/legacy-id", hidden=("legacy-id",))
    assert broken(request, TimeoutError()) is None  # named by the transport's deadline
    failures = [
        ConnectionLost(sent=True),
        ConnectionResetError(104, "Connection reset by peer"),
        BadResponse("Expected HTTP/, RTSP/ or ICE/"),
        BadResponse(None),
    ]
    errors = [broken(request, failure) for failure in failures]
    assert all(type(error) is TransportError for error in errors)
    assert [str(error) for error in errors] == [
        "the agent closed the connection without answering PUT /v1/acl/destroy/<redacted>",
        "the connection to the agent broke during PUT /v1/acl/destroy/<redacted> "
        "(ConnectionResetError: [Errno 104] Connection reset by peer)",
        "the agent's reply to PUT /v1/acl/destroy/<redacted> is not valid HTTP/1.1 "
        "(Expected HTTP/, RTSP/ or ICE/)",
        "the agent closed the connection in the middle of its reply to "
        "PUT /v1/acl/destroy/<redacted>",
    ]
    # A GET on a reused connection closed unanswered is sent again: not an error yet.
    assert broken(Request("GET", "/v1/kv/k"), ConnectionLost(sent=True), resendable=True) is None
    # An error with no text of its own (httpx's may have none) is named alone.
    assert str(broke(request, OSError())).endswith("<redacted> (OSError)")
