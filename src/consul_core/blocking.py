"""The rules of Consul's blocking queries, as pure functions.

Rules (https://developer.hashicorp.com/consul/api-docs/features/blocking):
- A blocking read sends ``index`` and ``wait``; Consul caps ``wait`` at 10 minutes, defaults it
  to 5 minutes, and adds up to ``wait / 16`` of jitter, so the read timeout must be longer than
  ``wait + wait / 16``.
- When the index goes backwards (a snapshot restore, a leader change on a stale read) the
  client resets it to 0 and reads again without blocking.
- An index below 1 is treated as 1, so that a blocking read never degrades to a busy loop.
- A result whose index did not change is not news.
- Some indexes are not ordered (the event list's is a hash of the newest event's ID): for those
  only a change counts, and going "backwards" is no reason to reset.
"""

from __future__ import annotations

import attrs

__all__ = ["DEFAULT_WAIT", "MAX_WAIT", "BlockingState", "read_timeout"]

DEFAULT_WAIT = 300.0
MAX_WAIT = 600.0
# Room for the agent's own processing and the network on top of Consul's jitter.
_TIMEOUT_MARGIN = 5.0


def read_timeout(wait: float) -> float:
    """The read timeout, in seconds, for a blocking read that waits `wait` seconds."""
    wait = min(wait, MAX_WAIT)
    return wait + wait / 16 + _TIMEOUT_MARGIN


@attrs.frozen
class BlockingState:
    """Where a sequence of blocking reads stands.

    Attributes:
        index: The index to send with the next read (0: read without blocking).
        seen: Whether any result was taken yet.
        last: The index of the last reply taken (what "news" is measured against).
    """

    index: int = 0
    seen: bool = False
    last: int = 0

    def advance(self, received: int, *, ordered: bool = True) -> tuple[BlockingState, bool]:
        """Take the index of a reply and return the next state and whether the reply is news.

        Args:
            received: The ``X-Consul-Index`` of the reply.
            ordered: False for endpoints whose index is not a Raft index (the event list).

        Returns:
            The state for the next read, and True when the reply should be delivered: the first
            one, or one whose index differs from the last.
        """
        news = not self.seen or received != self.last
        if ordered and received < self.index:
            return BlockingState(0, True, received), news
        return BlockingState(max(received, 1), True, received), news
