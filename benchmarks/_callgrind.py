"""Instructions counted by valgrind's callgrind for a Python command: a measure of CPU work
that this machine's noise does not move (the user-space instructions only; the kernel's work
for the sockets is not counted).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys


def instructions(*args: str) -> int:
    """The instructions callgrind counts for ``python ARGS``.

    Raises:
        SystemExit: valgrind is not installed.
        RuntimeError: valgrind's output holds no count.
    """
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed")
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    done = subprocess.run(
        [*command, sys.executable, *args], capture_output=True, text=True, check=True
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise RuntimeError(f"no instruction count in valgrind's output:\n{done.stderr}")
    return int(found[1])


def per_call(script: str, *args: str, calls: tuple[int, int]) -> float:
    """Instructions per call of ``python SCRIPT ARGS... CALLS``: the difference between two
    runs of `calls` calls takes out the interpreter's start, the imports and the set-up.
    """
    fewer, more = calls
    return (instructions(script, *args, str(more)) - instructions(script, *args, str(fewer))) / (
        more - fewer
    )
