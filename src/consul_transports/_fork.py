"""Clients across `os.fork`: a transport made before a fork starts afresh in the child.

A child process inherits its parent's open sockets. A kept-alive connection used by both would
carry the requests of both, and each would read answers meant for the other: a read could
return another key's value. The child also inherits the transports' locks as they were, held
perhaps by a thread it does not have. So in the child, each transport registered here forgets
its connections (closing its own copies of the idle ones, which leaves the parent's open) and
its counts, as if just made (`os.register_at_fork`, POSIX only: there is no fork elsewhere).
A sync hold in progress (a lock's block) is registered too: the child holds nothing.
"""

from __future__ import annotations

import os
import weakref
from typing import Protocol

__all__ = ["Restartable", "start_afresh_after_fork"]


class Restartable(Protocol):
    """What can forget what it inherited from the parent process: a transport, a hold."""

    def start_afresh(self) -> None:
        """In a child process just forked: drop what is the parent's."""
        ...


_RESTARTABLE: weakref.WeakSet[Restartable] = weakref.WeakSet()


def start_afresh_after_fork(restartable: Restartable) -> None:
    """Have `restartable` start afresh in a child process after `os.fork` (kept weakly: one
    collected is forgotten).
    """
    _RESTARTABLE.add(restartable)


def _in_child() -> None:
    for restartable in list(_RESTARTABLE):
        restartable.start_afresh()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_in_child)
