"""What the native pools keep alike (`PoolBase`): the configuration, the endpoint, the budget,
the idle connections, whether the pool is closed, and its start afresh in a child process
after `os.fork` (`_fork`) or, for the async pool, in a new event loop (`_event_loop`). How a
pool counts and waits for its slots differs between an event loop and threads: `_async.py`
and `_sync.py`.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from consul_core import Request
from consul_core._kept import keep
from consul_transports._config import ClientConfig
from consul_transports._fork import start_afresh_after_fork
from consul_transports._limits import Lingering, PoolLimits
from consul_transports._native._policy import Endpoint, IdleConnections, read_timeout
from consul_transports._native._sockets import SocketConnection
from consul_transports._native._wire import encode_request

__all__ = ["PoolBase", "Prepared"]

C = TypeVar("C", bound=SocketConnection)
Prepared = tuple[Request, bytes, float, bool]
"""A request, its bytes, its timeout and whether it is a blocking query (`PoolBase._prepare`)."""


class PoolBase(Generic[C]):
    """The state both native pools keep besides their counts (`_set_counts`)."""

    def __init__(self, config: ClientConfig, *, limits: PoolLimits | None = None) -> None:
        """Prepare the pool; no connection is opened before the first request.

        Args:
            config: The client's configuration (address, TLS, default timeout).
            limits: The connection budget; default `PoolLimits()`.
        """
        self._config = config
        self._endpoint = Endpoint.from_config(config)
        self._limits = limits or PoolLimits()
        self._idle: IdleConnections[C] = IdleConnections(self._limits.idle_timeout)
        self._closed = False
        # What `_prepare` found for the reads sent lately, by the identity of the request
        # (`consul_core._kept`: a read repeated is the same request, kept by its builder).
        self._prepared: dict[int, Prepared] = {}
        # Which counts are current: a slot taken before a start afresh is given back to the
        # counts it came from, which are gone, not to the new ones.
        self._generation = 0
        self._lingering = Lingering()
        self._set_counts()
        start_afresh_after_fork(self)

    def _set_counts(self) -> None:
        """Set up the counts of the budget's slots and the blocking queries' shares, all free."""
        raise NotImplementedError

    def _prepare(self, request: Request) -> Prepared:
        """What sending `request` needs (see `Prepared`), kept for a GET.

        Raises:
            TransportError: The method, target or a header cannot be sent as HTTP/1.1.
        """
        prepared = (
            request,
            encode_request(request, self._endpoint.host_header),
            read_timeout(self._config, request),
            request.blocking,
        )
        if request.method == "GET":
            keep(self._prepared, id(request), prepared)
        return prepared

    def _drop_idle(self) -> None:
        """Close the idle connections (a call's timeout says they may be dead: see
        `_transport_async`).
        """
        raise NotImplementedError

    def _checkin(self, kept: C | None, generation: int) -> None:
        """Give back the slot taken in `generation` (the pool's `_generation` then), and `kept`
        to the idle connections; after a start afresh since, `_outlived` instead.
        """
        raise NotImplementedError

    @staticmethod
    def _outlived(kept: C | None) -> None:
        """What `_checkin` does for a slot taken before a start afresh: `kept` is closed (in a
        child process, it is the parent's connection) and the slot is not given back (its
        counts are gone).
        """
        if kept is not None:
            kept.close()

    def start_afresh(self) -> None:
        """Forget the connections and counts of the last process or event loop: in a child
        process just forked (closing this process's copies of the idle ones; the parent's stay
        open), or for a new event loop (`_event_loop`).
        """
        inherited = self._idle.drain()
        self._generation += 1
        # The kept slots and shares belong to the counts that are gone.
        self._lingering = Lingering()
        self._set_counts()
        for connection in inherited:
            connection.close()
