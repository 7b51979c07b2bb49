"""The token and the basic-auth password never show, under asyncio, trio and sync: not in an
error's text, repr or chain, not in a result's or the client's settings' repr, not in a log
record (the root logger at DEBUG) nor in an OpenTelemetry span, whether the token comes from
the constructor, from ``token=`` on each call, or from ``CONSUL_HTTP_TOKEN_FILE`` (and the
password from ``auth=`` or, with the token file, from ``CONSUL_HTTP_AUTH``), and whatever
fails: the real agent's denials, a missing key, a lost lock, a watch backing off, and a server
that echoes the secrets back (the token, the ``Authorization`` header, the password) in error
bodies, non-JSON bodies and JSON of the wrong shape. Nor does a value written to the KV store
show in a log record or a span, nor a legacy token's ID (which a path holds) in a log record,
httpx's own included.
"""

from __future__ import annotations

import base64
import logging
import traceback
import uuid
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from consul_core import ConsulError, LockLost
from consul_core.backoff import Backoff
from consul_core.flows import Pacing
from consul_transports.otel import instrument
from consul_transports.sync import Consul
from consul_transports.testing import (
    ConsulAgent,
    FaultProxy,
    Received,
    Reply,
    ScriptedServer,
    http_response,
)
from tests.conftest import make_client
from tests.integration.waiting import body_until_lost

FAST = Pacing(min_interval=0.01, backoff=Backoff(initial=0.05, maximum=0.2))


class Collected(logging.Handler):
    """Every log record of the test, formatted with its exception and stack, if any."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.texts: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.texts.append(self.format(record))


@pytest.fixture
def logs() -> Iterator[Collected]:
    """The root logger at DEBUG, its records collected."""
    root = logging.getLogger()
    handler, level = Collected(), root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


@pytest.fixture(params=["constructor", "call", "file"])
def source(request: pytest.FixtureRequest) -> str:
    """Where the token comes from."""
    return str(request.param)


def echo(request: Received) -> Reply:
    """A server (a proxy, say) that answers with the secrets it was sent, in every way a reply
    can hold them: the token, the ``Authorization`` header and the password it carries.
    """
    token = request.headers.get("x-consul-token", "")
    authorization = request.headers.get("authorization", "")
    password = base64.b64decode(authorization.partition(" ")[2]).decode().partition(":")[2]
    path = request.target.partition("?")[0]
    if path == "/v1/kv/long":  # the token straddles the error text's cut-off
        body = ("x" * 480 + token + "y" * 100).encode()
        return Reply(http_response(500, body))
    if path == "/v1/kv/long-password":  # and the password
        body = ("x" * (500 - len(password) // 2) + password + "y" * 100).encode()
        return Reply(http_response(502, body))
    if path == "/v1/kv/text":
        return Reply(http_response(200, f"<html>{token} {authorization}</html>".encode()))
    if path == "/v1/acl/token/self":  # a token read back, one field of the wrong type
        body = f'{{"AccessorID": 5, "SecretID": "{token}", "Description": "{password}"}}'
        return Reply(http_response(200, body.encode()))
    text = f"ACL not found: {token} (401 for {authorization}, password {password})"
    return Reply(http_response(403, text.encode()))


class Run:
    """Calls made with one token from one source, and a basic-auth password; every text they
    produce is kept.
    """

    def __init__(self, source: str, secret: str) -> None:
        self.source, self.secret = source, secret
        self.password = f"pw-{uuid.uuid4().hex}"
        self.value = f"kv-value-{uuid.uuid4().hex}".encode()
        self.texts: list[str] = []
        self.failures: list[type[BaseException]] = []

    def options(self) -> dict[str, Any]:
        """The client's options for the source (the password from ``CONSUL_HTTP_AUTH`` when the
        token comes from its file, else from ``auth=``).
        """
        options: dict[str, Any] = {"token": self.secret} if self.source == "constructor" else {}
        if self.source != "file":
            options["auth"] = ("proxy-user", self.password)
        return options

    def secrets(self) -> list[str]:
        """The token, the password, and the credentials the Authorization header carries."""
        credentials = base64.b64encode(f"proxy-user:{self.password}".encode()).decode()
        return [self.secret, self.password, credentials]

    def call(self) -> dict[str, Any]:
        """The per-call options for the source."""
        return {"token": self.secret} if self.source == "call" else {}

    def keep(self, value: object) -> None:
        self.texts.append(repr(value))
        if isinstance(value, BaseException):
            self.texts += [str(value), "".join(traceback.format_exception(value))]

    async def attempt(self, step: Callable[[], Awaitable[Any]]) -> None:
        try:
            self.keep(await step())
        except ConsulError as exc:
            self.failures.append(type(exc))
            self.keep(exc)


@pytest.fixture
def secret_token(consul_agent: ConsulAgent, unique: str) -> Iterator[str]:
    """A token that may read every key, write under the test's prefix and make sessions."""
    rules = (
        f'key_prefix "" {{ policy = "read" }} key_prefix "{unique}/" {{ policy = "write" }} '
        'session_prefix "" { policy = "write" }'
    )
    with Consul(consul_agent.address, token=consul_agent.master_token) as admin:
        policy = admin.acl.policies.create(name=unique, rules=rules)
        token = admin.acl.tokens.create(policies=[policy.name])
        try:
            yield token.secret_id
        finally:
            admin.acl.tokens.delete(token)
            admin.acl.policies.delete(policy)


async def test_the_token_shows_nowhere(
    flavor: str,
    anyio_backend: str,
    source: str,
    secret_token: str,
    consul_agent: ConsulAgent,
    logs: Collected,
    unique: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run = Run(source, secret_token)
    if source == "file":
        (tmp_path / "token").write_text(secret_token + "\n")
        monkeypatch.setenv("CONSUL_HTTP_TOKEN_FILE", str(tmp_path / "token"))
        monkeypatch.setenv("CONSUL_HTTP_AUTH", f"proxy-user:{run.password}")
    call = run.call()
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    with FaultProxy(consul_agent.http_port) as proxy:
        async with make_client(flavor, proxy.address, pacing=FAST, **run.options()) as client:
            instrument(client, provider)
            run.keep(client)
            run.keep(client.settings)
            await run.attempt(lambda: client.kv.set(f"{unique}/k", run.value, **call))
            await run.attempt(lambda: client.kv.get(f"{unique}/k", **call))
            await run.attempt(lambda: client.kv.get(f"{unique}/missing", **call))
            await run.attempt(lambda: client.kv.set("elsewhere", b"v", **call))  # denied
            await run.attempt(lambda: client.acl.tokens.read_self(**call))
            await run.attempt(lambda: client.agent.info(**call))  # denied
            if source != "call":  # the helpers use the client's token
                with pytest.raises(LockLost):
                    async with client.lock(f"{unique}/lock", ttl="10s", lock_delay=0) as lock:
                        run.keep(lock)
                        await client.session.destroy(lock.session)
                        await body_until_lost(lock, flavor)
                async with client.kv.watch(f"{unique}/k", watch=(0, "1s")) as watch:
                    with anyio.fail_after(10):
                        async for entry in watch:
                            run.keep(entry)
                            break
                    proxy.outage(0.5)  # the watch's next reads fail: it backs off, then goes on

                    async def change_once_backed_off() -> None:
                        with anyio.fail_after(10):
                            while not proxy.accepting or not any(
                                "watch WARNING watch of" in text for text in logs.texts
                            ):
                                await anyio.sleep(0.02)
                        await client.kv.set(f"{unique}/k", b"w")

                    async with anyio.create_task_group() as tasks:
                        tasks.start_soon(change_once_backed_off)
                        with anyio.fail_after(15):
                            async for entry in watch:
                                run.keep(entry)
                                if entry[0].value == b"w":
                                    break
            proxy.outage(60)
            await run.attempt(lambda: client.kv.get(f"{unique}/k", **call))  # ConnectError
    with ScriptedServer(echo) as server:
        async with make_client(flavor, server.address, **run.options()) as client:
            for key in ("long", "long-password", "text", "denied"):
                await run.attempt(lambda key=key: client.kv.get(key, **call))
            await run.attempt(lambda: client.acl.tokens.read_self(**call))
    assert {failure.__name__ for failure in run.failures} >= {
        "NotFound",
        "PermissionDenied",
        "ConnectError",
        "ServerError",
        "UnexpectedResponse",
    }
    assert len(run.texts) > 15
    # The echoing server did receive the secrets, and so sent them back.
    _, password, credentials = run.secrets()
    assert all(r.headers["authorization"] == f"Basic {credentials}" for r in server.received)
    assert len(server.received) == 5 and password in base64.b64decode(credentials).decode()
    # What the secrets must stay out of is there: a line per request, a lost lock, a backoff.
    if source != "call":
        for line in (
            f"request DEBUG PUT /v1/kv/{unique}/k -> 200",
            "lock WARNING the lock on",
            "watch WARNING watch of",
        ):
            assert any(line in text for text in logs.texts), line
    traced = [span.to_json() for span in exporter.get_finished_spans()]
    assert any(f"/v1/kv/{unique}/k" in span for span in traced)
    provider.shutdown()
    secret = {s[i : i + 10] for s in run.secrets() for i in range(len(s) - 9)}
    for text in [*run.texts, *logs.texts, *traced]:
        assert not any(fragment in text for fragment in secret), text
    value = run.value.decode()
    valued = {value[i : i + 10] for i in range(len(value) - 9)}  # results hold it, of course
    for text in [*logs.texts, *traced]:
        assert not any(fragment in text for fragment in valued), text


@pytest.mark.parametrize("transport", ["native", "httpx"])
async def test_a_legacy_token_id_in_a_path_shows_in_no_log_record(
    flavor: str,
    anyio_backend: str,
    transport: str,
    consul_agent: ConsulAgent,
    logs: Collected,
    unique: str,
) -> None:
    # The ID of a legacy token is its secret, and acl.info / acl.destroy put it in the path;
    # httpx's own INFO line shows each request's URL.
    legacy_id = str(uuid.uuid4())
    async with make_client(
        flavor, consul_agent.address, transport=transport, token=consul_agent.master_token
    ) as client:
        for call in (client.acl.info, client.acl.destroy):
            try:
                await call(legacy_id)
            except ConsulError as exc:  # a missing token: Consul's answer varies by version
                logs.texts.append(repr(exc))
        await client.kv.set(f"{unique}/after", b"v")
    assert not [text for text in logs.texts if legacy_id in text]
    if transport == "httpx":
        requests = [text for text in logs.texts if text.startswith("httpx INFO HTTP Request")]
        assert [text.split()[5].partition("/v1/")[2] for text in requests] == [
            "acl/info/<redacted>",
            "acl/destroy/<redacted>",
            f"kv/{unique}/after",  # the next request's line as httpx wrote it
        ]


@pytest.mark.parametrize("transport", ["native", "httpx"])
@pytest.mark.parametrize("given", ["constructor", "call"])
async def test_a_secret_id_given_where_an_accessor_id_belongs_shows_nowhere(
    flavor: str,
    anyio_backend: str,
    transport: str,
    given: str,
    secret_token: str,
    consul_agent: ConsulAgent,
    logs: Collected,
    unique: str,
) -> None:
    # A token's secret ID passed as its accessor ID puts the token into the path: what is
    # shown of the request (its error, its log records, httpx's own INFO line included, and
    # its span) has it replaced, as the error's text already had.
    run = Run(given, secret_token)
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    options = {"token": secret_token} if given == "constructor" else {}
    async with make_client(flavor, consul_agent.address, transport=transport, **options) as client:
        instrument(client, provider)
        await run.attempt(lambda: client.acl.tokens.read(secret_token, **run.call()))
        await run.attempt(lambda: client.kv.get(f"{unique}/{secret_token}", **run.call()))
    assert [failure.__name__ for failure in run.failures] == ["PermissionDenied", "NotFound"]
    traced = [span.to_json() for span in exporter.get_finished_spans()]
    provider.shutdown()
    shown = "/v1/acl/token/<redacted>"
    assert shown in str(run.texts)
    assert any(shown in span for span in traced)
    assert any(f"request DEBUG GET {shown} -> 403" in text for text in logs.texts)
    assert any(f"request DEBUG GET /v1/kv/{unique}/<redacted> -> 404" in t for t in logs.texts)
    if transport == "httpx":
        requests = [text for text in logs.texts if text.startswith("httpx INFO HTTP Request")]
        assert len(requests) == 2 and shown in requests[0]
    for text in [*run.texts, *logs.texts, *traced]:
        assert secret_token not in text, text


def echo_in_headers(request: Received) -> Reply:
    """A proxy that sends the request's token and Authorization header back as reply headers
    (httpcore's DEBUG records show a reply's headers).
    """
    echoed = tuple(
        (f"X-Echo-{name}", request.headers.get(name.lower(), ""))
        for name in ("X-Consul-Token", "Authorization")
    )
    return Reply(http_response(200, b'["leader"]', echoed))


async def test_httpx_and_httpcore_records_hide_secrets_a_reply_echoes(
    flavor: str, anyio_backend: str, logs: Collected
) -> None:
    run = Run("constructor", f"tok-{uuid.uuid4().hex}")
    with ScriptedServer(echo_in_headers) as server:
        options = run.options()
        async with make_client(flavor, server.address, transport="httpx", **options) as client:
            await client.status.peers()
            await client.status.peers(token=f"call-{run.secret}")  # a call's own token too
    credentials = run.secrets()[2]
    assert server.received[0].headers["authorization"] == f"Basic {credentials}"
    echoed = [text for text in logs.texts if text.startswith("httpcore") and "X-Echo" in text]
    assert len(echoed) == 2  # the records are there, the secrets are not
    secret = {s[i : i + 10] for s in run.secrets() for i in range(len(s) - 9)}
    for text in logs.texts:
        assert not any(fragment in text for fragment in secret), text
