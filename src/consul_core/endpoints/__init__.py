"""Request builders: one plain function per Consul endpoint, returning a `Call`.

Each builder validates its arguments and raises `UsageError` before any request exists.
"""

from consul_core.endpoints import kv, session, status, txn

__all__ = ["kv", "session", "status", "txn"]
