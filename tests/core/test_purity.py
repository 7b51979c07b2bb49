"""The core does no I/O, reads no clock and draws no randomness, down to what it imports: a
fresh interpreter that imports `consul_core` has loaded no module of sockets, event loops,
TLS or randomness (the standard library's `email.utils`, say, would bring sockets and
`random` with it).
"""

from __future__ import annotations

import json
import subprocess
import sys

IMPURE = ("socket", "select", "selectors", "ssl", "asyncio", "random", "secrets", "email")


def test_importing_the_core_loads_no_io_or_randomness() -> None:
    probe = (
        "import json, sys, consul_core, consul_core.flows, consul_core.endpoints; "
        f"print(json.dumps(sorted(m for m in {list(IMPURE)!r} if m in sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert json.loads(done.stdout) == []
