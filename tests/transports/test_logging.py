"""The package's logging: one logger, silent until the application configures logging."""

from __future__ import annotations

import subprocess
import sys


def test_nothing_is_printed_when_the_application_has_not_configured_logging() -> None:
    code = (
        "import logging\n"
        "from consul_transports._limits import logger\n"
        "logger.warning('a blocking query waits its turn')\n"
        "logging.getLogger('elsewhere').warning('printed by logging itself')\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # Python's last-resort handler prints the other logger's warning, not ours.
    assert run.stderr == "printed by logging itself\n"
