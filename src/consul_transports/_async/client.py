"""The async client, shared by the asyncio and trio entry points."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Mapping

from consul_core import AsyncDriver, ConsulAPI
from consul_core.flows import Pacing
from consul_core.namespaces.coordination import Coordination
from consul_transports._async.driver import AnyioDriver
from consul_transports._config import AuthArg, CertArg, load_config
from consul_transports._limits import PoolLimits
from consul_transports._observe import AsyncEventHooks, Observer
from consul_transports._select import AsyncTransportArg, async_transport

__all__ = ["AsyncConsul"]


class AsyncConsul(ConsulAPI[AsyncDriver], Coordination[AsyncDriver]):
    """An async Consul client for asyncio and trio; see the package docs for the namespaces."""

    def __init__(
        self,
        address: str | None = None,
        *,
        token: str | None = None,
        dc: str | None = None,
        consistency: str | None = None,
        namespace: str | None = None,
        partition: str | None = None,
        auth: AuthArg = None,
        headers: Mapping[str, str] | None = None,
        verify: bool | str | os.PathLike[str] | None = None,
        cert: CertArg = None,
        server_name: str | None = None,
        timeout: float | None = None,
        transport: AsyncTransportArg = None,
        pacing: Pacing | None = None,
        limits: PoolLimits | None = None,
        event_hooks: AsyncEventHooks | None = None,
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
                then httpx, through the proxy), ``"httpx"``, an `httpx.AsyncClient` to use
                (not closed by this client), or any `AsyncTransport`.
            pacing: The pace of watches, locks, semaphores and session renewal (minimum
                interval between reads, backoff after errors); default `Pacing()`.
            limits: The connection budget of the transports made here (native or httpx): at
                most 128 connections, of which blocking queries leave 16 to other calls;
                default `PoolLimits()`.
            event_hooks: Functions awaited around each request (as httpx's): ``"request"``
                hooks with the `Request` before it is sent, ``"response"`` hooks with the request
                and its `Response`, ``"error"`` hooks with the request and the exception when no
                response came (async functions); a hook that raises stops the call with its
                exception.

        Raises:
            UsageError: An argument (an event hook too) or ``CONSUL_*`` variable is invalid.
        """
        observer: Observer[Awaitable[object]] = Observer(event_hooks, awaited=True)
        config = load_config(
            address,
            token=token,
            dc=dc,
            consistency=consistency,
            namespace=namespace,
            partition=partition,
            auth=auth,
            headers=headers,
            verify=verify,
            cert=cert,
            server_name=server_name,
            timeout=timeout,
        )
        chosen = async_transport(config, transport, limits)
        self.settings = config
        self.transport = chosen
        driver = AnyioDriver(chosen, config.defaults, pacing, observer)
        ConsulAPI.__init__(self, driver)

    async def aclose(self) -> None:
        """Close the client's connections."""
        await self.transport.aclose()

    async def __aenter__(self) -> AsyncConsul:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
