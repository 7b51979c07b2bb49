"""What the async and sync clients share: their arguments, read once by `Client.__init__`.

A client (`_async/client.py`, and `_sync/client.py` generated from it) names only its `Flavor`,
the functions that make its transport and driver, and says how it is closed.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Generic, NoReturn, SupportsIndex, TypeVar

import attrs

from consul_core import AsyncDriver, ClientDefaults, SyncDriver, UsageError
from consul_core.flows import Pacing
from consul_core.namespaces import ConsulAPI
from consul_core.namespaces.coordination import Coordination
from consul_transports._config import ClientConfig, Settings, load_config
from consul_transports._driver import OpenIterators
from consul_transports._limits import PoolLimits
from consul_transports._observe import Observer

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["Client", "Flavor"]

D = TypeVar("D", SyncDriver, AsyncDriver)
Transport = TypeVar("Transport")
TransportArg = TypeVar("TransportArg")
Hooks = TypeVar("Hooks", bound=Mapping[str, object])
_SETTINGS = frozenset(Settings.__annotations__)  # the keywords `_settings_spelled_out` shows
# The settings of the TLS connections a client makes (a transport of the user's keeps its own).
_TLS_SETTINGS = ("verify", "cert", "server_name")


@attrs.frozen
class Flavor(Generic[D, Transport, TransportArg]):
    """What makes a client async or sync.

    Attributes:
        transport: Makes the transport that a client's ``transport=`` names.
        driver: Makes the driver over that transport.
        awaited: Whether the event hooks are async functions.
    """

    transport: Callable[[ClientConfig, TransportArg, PoolLimits | None], Transport]
    driver: Callable[[Transport, ClientDefaults, Pacing | None, Observer[Any], OpenIterators], D]
    awaited: bool


class Client(ConsulAPI[D], Coordination[D], Generic[D, Transport, TransportArg, Hooks]):
    """A Consul client over driver `D`, whose transport (a `Transport`) is chosen from a
    `TransportArg` and whose event hooks are `Hooks`.

    Attributes:
        settings: The resolved configuration.
        transport: The transport requests go through.
    """

    _flavor: Flavor[D, Transport, TransportArg | None]
    settings: ClientConfig
    transport: Transport

    def __init__(
        self,
        address: str | None = None,
        *,
        transport: TransportArg | None = None,
        pacing: Pacing | None = None,
        limits: PoolLimits | None = None,
        event_hooks: Hooks | None = None,
        **settings: Unpack[Settings],
    ) -> None:
        """Configure a client; nothing is sent until the first call.

        Args:
            address: ``http://host:port``, ``https://host:port``, ``host:port`` or
                ``unix:///path``, the first three optionally with the path prefix of a reverse
                proxy (``http://host:8500/consul``); default ``CONSUL_HTTP_ADDR``, then
                ``127.0.0.1:8500``.
            token: The ACL token (default ``CONSUL_HTTP_TOKEN_FILE``'s text, else
                ``CONSUL_HTTP_TOKEN``; ``""``: none).
            dc: The default datacenter.
            consistency: The default consistency mode of reads.
            namespace: The default namespace (Consul Enterprise), for the endpoints that take
                one (default ``CONSUL_NAMESPACE``; ``""``: none).
            partition: The default admin partition (Consul Enterprise), for the endpoints that
                take one (default ``CONSUL_PARTITION``; ``""``: none).
            auth: HTTP basic-auth credentials, ``"user:password"`` or ``(user, password)``,
                sent on every request (default ``CONSUL_HTTP_AUTH``; ``""``: none).
            headers: Extra headers sent on every request, for a proxy in front of the agent
                (never the token header, nor one a transport writes itself).
            verify: Verify the agent's TLS certificate (or a CA bundle path).
            cert: A client certificate path, or (certificate, key).
            server_name: The TLS server name to verify.
            timeout: The timeout of calls that are not blocking queries, in seconds: it bounds
                the whole call (a blocking query's is its wait plus a margin).
            transport: ``"native"`` (the default, unless a proxy variable covers the address:
                then httpx, through the proxy), ``"httpx"``, an httpx client to use (not closed
                by this client): an `httpx.AsyncClient` for the async clients, an
                `httpx.Client` for the sync one; or any `AsyncTransport` (async clients) or
                `SyncTransport` (sync client).
            pacing: The pace of watches, locks, semaphores and session renewal (minimum
                interval between reads, backoff after errors); default `Pacing()`.
            limits: The connection budget of the transports made here (native or httpx): at
                most 128 connections, of which blocking queries leave 16 to other calls;
                default `PoolLimits()`.
            event_hooks: Functions called around each request (as httpx's; async functions,
                awaited, for the async clients): ``"request"`` hooks with the `Request` before
                it is sent, ``"response"`` hooks with the request and its `Response`,
                ``"error"`` hooks with the request and the exception when no response came; a
                hook that raises stops the call with its exception.

        Raises:
            UsageError: An argument (an event hook too) or ``CONSUL_*`` variable is invalid.
        """
        unknown = settings.keys() - _SETTINGS
        if unknown:  # as Python says it, naming this class rather than load_config
            name = min(unknown)
            raise TypeError(f"{type(self).__name__}() got an unexpected keyword argument {name!r}")
        given_tls = [name for name in _TLS_SETTINGS if settings.get(name) is not None]
        if given_tls and transport is not None and not isinstance(transport, str):
            raise UsageError(
                f"{' and '.join(given_tls)} set up the connections this client makes, not "
                f"those of a transport of yours ({type(transport).__name__}): set TLS up on it "
                "(httpx: its verify= and cert=)"
            )
        flavor = self._flavor
        observer: Observer[Any] = Observer(event_hooks, awaited=flavor.awaited)
        self.settings = load_config(address, **settings)
        self.transport = flavor.transport(self.settings, transport, limits)
        self._iterators = OpenIterators()  # closed with the client
        driver = flavor.driver(
            self.transport, self.settings.defaults, pacing, observer, self._iterators
        )
        ConsulAPI.__init__(self, driver)

    def __reduce_ex__(self, protocol: SupportsIndex) -> NoReturn:
        """Refuse to be pickled or copied: a client holds its connections, their locks and its
        event loop's state, which another process or a copy cannot share (an async client
        made outside an event loop would pickle, and fail only when loaded elsewhere).

        Raises:
            TypeError: Always.
        """
        raise TypeError(
            f"a {type(self).__name__} client cannot be pickled or copied: make one where it is "
            "used (each process its own)"
        )


def _settings_spelled_out(init: Callable[..., None]) -> None:
    """Give `init` a signature that spells its ``**settings`` out as keyword-only parameters
    after the address (what `help()` and the API reference show), as builders spell out their
    options.
    """
    self, address, *rest, _ = inspect.signature(init).parameters.values()
    settings = [
        inspect.Parameter(
            name,
            inspect.Parameter.KEYWORD_ONLY,
            default=None,
            annotation=getattr(hint, "__forward_arg__", hint),
        )
        for name, hint in Settings.__annotations__.items()
    ]
    signature = inspect.signature(init).replace(parameters=[self, address, *settings, *rest])
    init.__signature__ = signature  # type: ignore[attr-defined]


_settings_spelled_out(Client.__init__)
