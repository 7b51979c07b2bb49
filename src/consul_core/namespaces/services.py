"""The ``services`` namespace."""

from __future__ import annotations

from typing import TYPE_CHECKING

from consul_core import _params
from consul_core.binding import D, Namespace, endpoint, holder, iterated
from consul_core.endpoints import agent_text, services
from consul_core.flows.heartbeat import Heartbeat
from consul_core.flows.watch import watch_hash
from consul_core.meta import QueryMeta
from consul_core.models.agent_services import AgentService

if TYPE_CHECKING:
    from consul_core.endpoints._options import NamespacedCallOptions, Unpack
    from consul_core.flows.effects import Stream

__all__ = ["Services"]

ServiceWatch = tuple[AgentService | None, QueryMeta]
WatchStart = AgentService | str | tuple[AgentService | str, _params.Duration] | None


def _content_hash(service: AgentService) -> str:
    return service.content_hash


class Services(Namespace[D]):
    """The local agent's services: ``/v1/agent/service``."""

    register = endpoint(services.register)
    items = endpoint(services.items)
    info = endpoint(services.info)
    disable = endpoint(services.disable)
    enable = endpoint(services.enable)
    deregister = endpoint(services.deregister)
    health = endpoint(services.health)
    health_by_name = endpoint(services.health_by_name)
    health_status = endpoint(agent_text.health_status)
    health_status_by_name = endpoint(agent_text.health_status_by_name)
    heartbeat = holder(Heartbeat)

    @iterated
    def watch(
        self,
        service: object,
        *,
        watch: WatchStart = None,
        **options: Unpack[NamespacedCallOptions],
    ) -> Stream[ServiceWatch]:
        """Watch one service instance of the local agent: iterate over ``(service, meta)`` each
        time its definition changes (the agent answers a content hash, not an index: the watch
        blocks on the hash of the last instance, as Go's ``agent_service`` watch plan does).

        The service is None while the agent has no such instance; it is then read again after
        the backoff (there is nothing to block on) until it is registered. Transport errors,
        429 and 5xx are retried with backoff; other errors end the watch. Leave it with
        ``break`` / ``close()`` (``aclose()``).

        Args:
            service: The instance: its ID, a mapping with ``"ID"``, or an object with ``id``.
            watch: Start after this `AgentService` (or content hash): only what differs from it
                is handed out; a pair ``(service, wait)`` also sets the wait of each read
                (default 5 minutes), and ``("", wait)`` only the wait.
            **options: ``token``, an ACL token for these reads only (needs ``service:read``);
                ``ns`` and ``partition`` (Enterprise).

        Returns:
            An iterator (an async iterator on the async clients) of ``(AgentService or None,
            QueryMeta)``.

        Raises:
            UsageError: An argument is invalid (before any request).
        """
        read, start, wait = services.info_reads(service, watch=watch, **options)
        return watch_hash(read, _content_hash, pacing=self.driver.pacing, start=start, wait=wait)
