"""The core distribution on its own: run by ``nox -s build`` with the Python of a fresh virtualenv
that holds only the ``consul-sansio-core`` wheel, as ``python -I check_core_alone.py`` from a
temporary folder.

``consul_core`` imports from the virtualenv and works (a request built, a recorded reply
parsed), and none of the transports' dependencies came with it.
"""

from __future__ import annotations

import importlib.util
import sysconfig
from pathlib import Path

TRANSPORT_ONLY = ("consul_transports", "httpx", "anyio", "httptools", "trio")


def main() -> None:
    import consul_core
    from consul_core import Response
    from consul_core.endpoints import kv

    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    where = Path(consul_core.__file__ or "").resolve()
    if site not in where.parents:
        raise SystemExit(f"consul_core was imported from {where}, not from {site}")
    present = [name for name in TRANSPORT_ONLY if importlib.util.find_spec(name) is not None]
    if present:
        raise SystemExit(f"the core alone brought {', '.join(present)}")
    call = kv.get("my/key", consistency="stale")
    assert call.request.target == "/v1/kv/my/key?stale", call.request.target
    body = b'[{"Key": "my/key", "Value": "dmFsdWU=", "Flags": 0, "ModifyIndex": 7}]'
    entry, meta = call.parse(Response(200, {"X-Consul-Index": "7"}, body))
    assert (entry.value, meta.index) == (b"value", 7), (entry, meta)
    print(
        f"consul_core alone: {where.relative_to(site)}; {call.request.method} "
        f"{call.request.target} parsed; no {', '.join(TRANSPORT_ONLY)}"
    )


if __name__ == "__main__":
    main()
