"""`Heartbeat`: a service registered with the local agent for the length of a block, with a TTL
check that a heartbeat keeps passing; deregistered at the end.

Rules:
- The service is registered with one more check: a TTL check ``service:<id>:heartbeat``,
  passing from the start.
- Every TTL/2 the check is reported passing. Errors are retried with backoff, never more than
  TTL/2 apart, each told with a `Notice` (retry): without a report for a whole TTL the check
  turns critical, and passing again with the next report, within TTL/2 of the agent answering
  again (or of the token's rights coming back: a refusal is retried too).
- Each report (and registration) may take a quarter of the TTL (at least a second): the local
  agent answers it alone, at once, so one sent on a connection that died without a word is
  made again on another before the check turns critical.
- A check the agent does not know (it restarted and lost its state, or someone deregistered the
  service) is registered again: a heartbeat is never lost.
- Leaving deregisters the service, retried as each step of a `Held`'s close is; a service that
  could not be deregistered makes leaving raise `ReleaseFailed`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from consul_core import _params
from consul_core.endpoints import checks, services
from consul_core.endpoints._common import map_error_texts
from consul_core.errors import ConsulError, NotFound, UsageError
from consul_core.flows.budget import MIN_CALL_TIMEOUT, retry_notice
from consul_core.flows.effects import Flow, Sleep, perform, with_timeout
from consul_core.flows.held import Cleanup, Held
from consul_core.flows.pacing import Pacing, Retry
from consul_core.models.agent_services import ServiceRegistration

__all__ = ["Heartbeat"]


class Heartbeat(Held):
    """Register a service with the local agent for the length of a ``with`` block (``async
    with`` on the async clients), with a TTL check that a heartbeat keeps passing; the service
    is deregistered at the end, even when the block is cancelled.

    Args:
        service: The registration, in Consul's shape (``{"Name": "web", "Port": 80}``) or a
            `ServiceRegistration`; its own checks are kept (Consul numbers the IDs of checks
            it names itself: ``service:<id>:1``, ...).
        ttl: The TTL of the heartbeat check; it is reported passing every TTL/2.
        note: The output to report with each heartbeat.
        deregister_after: When the heartbeat check has been critical this long, the agent
            deregisters the service itself (the check's ``DeregisterCriticalServiceAfter``,
            at least a minute; Consul reaps every 30 s): a process killed before it could
            leave does not stay registered, critical, for ever. None: never.
        pacing: The backoff of retries; default the client's.

    Attributes:
        service_id: The service instance's ID.
        check_id: The heartbeat check's ID, ``service:<id>:heartbeat``.

    Raises:
        UsageError: An argument is invalid (before any request).
    """

    def __init__(
        self,
        service: Mapping[str, Any] | ServiceRegistration,
        *,
        ttl: _params.Duration = "10s",
        note: str | None = None,
        deregister_after: _params.Duration | None = None,
        pacing: Pacing | None = None,
    ) -> None:
        super().__init__()
        spec = services.service_definition(service)
        self._ttl = _params.parse_duration(ttl, "ttl")
        if not self._ttl:
            raise UsageError("ttl must be longer than 0s")
        self.service_id: str = spec.get("ID") or spec["Name"]
        self.check_id = f"service:{self.service_id}:heartbeat"
        check: dict[str, Any] = {
            "CheckID": self.check_id,
            "Name": "heartbeat",
            "TTL": _params.format_duration(self._ttl),
            "Status": "passing",
        }
        if deregister_after is not None:
            after = _params.parse_duration(deregister_after, "deregister_after")
            check["DeregisterCriticalServiceAfter"] = _params.format_duration(after)
        spec["Checks"] = [*spec.get("Checks", []), check]
        self._register = services.register(spec)
        beat = map_error_texts(checks.passing(self.check_id, note), checks.TTL_CHECK_MISSING)
        timeout = max(self._ttl / 4, MIN_CALL_TIMEOUT)
        self._beat = with_timeout(beat, timeout)
        self._register_again = with_timeout(self._register, timeout)
        self._deregister = services.deregister(self.service_id)
        self._pacing = pacing or Pacing()

    def describe(self) -> str:
        """What is held, for messages."""
        return f"the registration of service {self.service_id!r}"

    def open(self) -> Flow[None]:
        """Register the service with its heartbeat check."""
        yield from perform(self._register)

    def renew(self) -> Flow[str]:
        """Report the check passing every TTL/2, registering the service again if the agent
        lost it; this never gives up.
        """
        retry = Retry(self._pacing)
        interval = pause = self._ttl / 2
        while True:
            yield Sleep(pause)
            try:
                try:
                    yield from perform(self._beat)
                except NotFound:
                    yield from perform(self._register_again)
            except ConsulError as exc:
                pause = min(retry.next_delay(exc), interval)
                # Told: a report refused (a token that lost its rights) is retried all the same,
                # and the check turns critical meanwhile.
                yield retry_notice(
                    f"report the heartbeat of service {self.service_id!r}", exc, pause
                )
                continue
            retry.reset()
            pause = interval

    def close(self) -> Flow[None]:
        """Deregister the service and its checks, retried within `CLEANUP_TIMEOUT`.

        Raises:
            ReleaseFailed: The service could not be deregistered.
        """
        cleanup = yield from Cleanup.start(self._pacing, self.describe())
        deregister = cleanup.budget.call(self._deregister)
        yield from cleanup.step(f"deregister service {self.service_id!r}", deregister)
        cleanup.finish(self.describe())
