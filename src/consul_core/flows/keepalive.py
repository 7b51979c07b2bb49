"""`Keepalive`: a TTL session renewed for the length of a block (``client.session.keepalive``)."""

from __future__ import annotations

from collections.abc import Mapping

from consul_core import _params
from consul_core.endpoints import session as sessions
from consul_core.errors import UsageError
from consul_core.flows.lease import Lease
from consul_core.flows.pacing import Pacing
from consul_core.models.session import Session

__all__ = ["Keepalive"]


class Keepalive(Lease):
    """Keep a TTL session alive for the length of a ``with`` block (``async with`` on the async
    clients): ``client.session.keepalive(...)``.

    The session is renewed every TTL/2 and watched; errors (an election) are retried with
    backoff, on entering too. When it is invalidated, or not renewed within a whole TTL,
    ``.lost`` turns true (and on the async clients the body is cancelled); leaving the block
    then raises `LockLost`. A session created here is destroyed at the end (retried for up to
    15 s, else `ReleaseFailed`); an existing one is left alone.

    Args:
        session: An existing session (its ID, a `Session` or a mapping with ``"ID"``), or a spec
            in Consul's shape to create one from (``{"Name": ..., "TTL": "15s"}``), or None for a
            bare session with `ttl`.
        ttl: The TTL of the session to create, between 10s and 24h (it overrides the spec's).
        pacing: The backoff of retries; default the client's.
        timeout: How long entering (creating or first renewing the session) may ride out
            errors, or None (the default) for as long as it takes.

    Attributes:
        session: The session's ID.
        lost: Whether the session was lost.

    Raises:
        UsageError: An argument is invalid, a session to create has no TTL, or `ttl` is given
            with an existing session (whose TTL is the server's); before any request.
        NotFound: On entering, if the existing session does not exist.
        Timeout: On entering, if `timeout` ran out first.
        LockLost: On leaving the block, if the session was lost.
        ReleaseFailed: On leaving the block, if the session created here could not be destroyed
            in time.
    """

    def __init__(
        self,
        session: str | Mapping[str, object] | Session | None = None,
        *,
        ttl: _params.Duration | None = None,
        pacing: Pacing | None = None,
        timeout: _params.Duration | None = None,
    ) -> None:
        existing = _existing_id(session)
        if existing is not None:
            if ttl is not None:
                raise UsageError("ttl applies to a session that keepalive creates, not to an ID")
            super().__init__(pacing=pacing, session=existing, timeout=timeout)
            return
        spec = dict(session) if isinstance(session, Mapping) else {}
        given = ttl if ttl is not None else spec.pop("TTL", None)
        if given is None:
            raise UsageError("keepalive needs a TTL for the session it creates: pass ttl=")
        seconds = sessions.check_ttl(given)
        create = sessions.create(spec, ttl=seconds)
        super().__init__(pacing=pacing, create=create, ttl=seconds, timeout=timeout)


def _existing_id(session: object) -> str | None:
    if isinstance(session, str):
        return _params.to_id(session, "session")
    if isinstance(session, Session):
        return session.id
    if isinstance(session, Mapping):
        return _params.to_id(session, "session") if "ID" in session else None
    if session is not None:
        raise UsageError("session must be a session ID, a Session, a spec mapping or None")
    return None
