"""The core does no I/O, reads no clock and draws no randomness, down to what it imports: in a
fresh interpreter, importing `consul_core` loads no module of sockets, event loops, TLS or
randomness beyond what its two dependencies load (the standard library's `email.utils`, say,
would bring sockets and `random`; attrs on Python 3.10 brings `selectors` through
`platform` and `subprocess`).
"""

from __future__ import annotations

import json
import subprocess
import sys

IMPURE = ("socket", "select", "selectors", "ssl", "asyncio", "random", "secrets", "email")


def test_importing_the_core_loads_no_io_or_randomness() -> None:
    probe = (
        "import json, sys, attrs, msgspec; before = set(sys.modules); "
        "import consul_core, consul_core.flows, consul_core.endpoints; "
        f"print(json.dumps(sorted(m for m in {list(IMPURE)!r} if m in set(sys.modules) - before)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert json.loads(done.stdout) == []
