"""Generate the sync twins of the async modules (as httpcore's ``scripts/unasync.py`` does).

The async side is written by hand; each file of `TWINS` is translated word for word (`WORDS`,
then the file's own docstring phrases in `PHRASES`) into its sync twin, less the lines that end
in ``# async only`` (an event loop's concerns); the twin's imports are then sorted and its text
formatted by ruff, so that the lint leaves it as it is. The examples' ``run_sync`` functions
are generated in place from their ``run_async`` the same way.

    python scripts/unasync.py          # write the sync files
    python scripts/unasync.py --check  # exit 1 naming the stale files (nox -s lint runs it)

What differs in more than words (task groups against threads, anyio's file and cancel scopes
against blocking calls) stays hand-written on both sides, in modules whose top says so.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "src/consul_transports"

# Async file -> its generated sync twin.
TWINS = {
    f"{PACKAGE}/_async/{name}.py": f"{PACKAGE}/_sync/{name}.py"
    for name in ("watch", "client", "stream", "driver")
} | {
    f"{PACKAGE}/_httpx_async.py": f"{PACKAGE}/_httpx_sync.py",
    f"{PACKAGE}/_native/_transport_async.py": f"{PACKAGE}/_native/_transport_sync.py",
    f"{PACKAGE}/_native/_stream_async.py": f"{PACKAGE}/_native/_stream_sync.py",
}

# Whole words (regex, replacement), applied in order to every file.
WORDS: list[tuple[str, str]] = [
    # Lines that only the async side has (an event loop's concerns) say so at their end.
    (r"^.*  # async only\n", ""),
    # The language.
    (r"\basync def\b", "def"),
    (r"\basync with\b", "with"),
    (r"\[(\w+) async for \1 in (\w+)\]", r"\2"),
    (r"\basync for\b", "for"),
    (r"\(await (client(?:\.\w+)+\([^()]*\))\)", r"\1"),  # (await client.x())[0] -> client.x()[0]
    (r"\bawait ", ""),
    (r"\b__aenter__\b", "__enter__"),
    (r"\b__aexit__\b", "__exit__"),
    (r"\b__aiter__\b", "__iter__"),
    (r"\b__anext__\b", "__next__"),
    (r"\bStopAsyncIteration\b", "StopIteration"),
    (r"\baclose\b", "close"),
    (r"\bAsyncIterator\b", "Iterator"),
    (r"\bAsyncGenerator\[(\w+), None\]", r"Generator[\1, None, None]"),
    (r"\bAsyncGenerator\b", "Generator"),
    (r"\bAsyncIterable\b", "Iterable"),
    (r"\banext\(", "next("),
    (r"\bAbstractAsyncContextManager\b", "AbstractContextManager"),
    (r"\basynccontextmanager\b", "contextmanager"),
    (r"\bAwaitable\[object\]", "object"),
    (r"^import anyio$", "import time"),
    (r"\banyio\.sleep\b", "time.sleep"),
    (r"\banyio\.current_time\b", "time.monotonic"),
    (r"\bawaited=True\b", "awaited=False"),
    # The project's names.
    (r"\._async\b", "._sync"),
    (r"\bAsyncConsul\b", "SyncConsul"),
    (r"\bAnyioDriver\b", "BlockingDriver"),
    (r"\bAsyncDriver\b", "SyncDriver"),
    (r"\bAsyncWatch\b", "Watch"),
    (r"\bAsyncItems\b", "Items"),
    (r"\bAsyncTransportArg\b", "SyncTransportArg"),
    (r"\basync_transport\b", "sync_transport"),
    (r"\bAsyncEventHooks\b", "EventHooks"),
    (r"\bAsyncStreamingTransport\b", "SyncStreamingTransport"),
    (r"\bAsyncTransport\b", "SyncTransport"),
    (r"\bAsyncBody\b", "SyncBody"),
    (r"\bAsyncUpload\b", "SyncUpload"),
    (r"\bAsyncSink\b", "Sink"),
    (r"\bAsyncSource\b", "Source"),
    (r"\bhttpx\.AsyncClient\b", "httpx.Client"),
    (r"\b_httpx_async\b", "_httpx_sync"),
    (r"\bAsyncHttpxTransport\b", "HttpxTransport"),
    (r"\bAsyncHttpxBody\b", "HttpxBody"),
    (r"\bAsyncDeadline\b", "Deadline"),
    (r"\bAsyncBlockingGate\b", "BlockingGate"),
    (r"\bAsyncSlots\b", "Slots"),
    (r"\bAsyncStop\b", "Stop"),
    (r"\baiter_raw\b", "iter_raw"),
    (r"\b_transport_async\b", "_transport_sync"),
    (r"\b_stream_async\b", "_stream_sync"),
    (r"\bAsyncNativeTransport\b", "NativeTransport"),
    (r"\bAsyncNativeBody\b", "NativeBody"),
    (r"\bAsyncConnectionPool\b", "ConnectionPool"),
    # Prose that reads the same on both sides once translated.
    (r"\bthe consumer's task\b", "the caller's thread"),
    (r"\banother task\b", "another thread"),
    (r"\b([Aa])n async iterator\b", r"\1n iterator"),
    (r"\basync iterator\b", "iterator"),
    (r"\bIterate asynchronously\b", "Iterate"),
    (r"\bFunctions awaited\b", "Functions called"),
    (r"\b([Aa]) cancelled or failed\b", r"\1 failed"),
]

# Per file: docstring phrases (exact text) of the async side and their sync wording. Each must
# occur in its file, so that a phrase edited on the async side is not silently left untranslated.
PHRASES: dict[str, list[tuple[str, str]]] = {
    "driver.py": [
        (
            "The async driver: executes calls and runs flows over an async transport, under anyio.",
            "The sync driver: executes calls and runs flows over a blocking transport.",
        ),
        (
            "Performs `Call`s and flows on the running event loop (asyncio or trio); its parts are"
            "\n    those of `DriverBase`.",
            "Performs `Call`s and flows, blocking the calling thread (safe to share between"
            "\n    threads when its transport is); its parts are those of `DriverBase`.",
        ),
        (" Cancelling the run closes the flow.", ""),
        (
            "tasks; the body is cancelled when it is lost.",
            "threads; the body cannot be interrupted: it should check `.lost`.",
        ),
    ],
    "client.py": [
        ("The async client, shared by the asyncio and trio entry points;", "The sync client;"),
        ("An async Consul client for asyncio and trio;", "A blocking Consul client;"),
    ],
    "_httpx_async.py": [
        ("The async httpx transport", "The sync httpx transport"),
        (
            "\n\nIts sync twin, `_httpx_sync.py`, is generated from this file by"
            " scripts/unasync.py.",
            "",
        ),
        ("A streamed httpx response (async).", "A streamed httpx response (blocking)."),
        (" The same for a new event loop (`_event_loop`).", ""),
        (
            "An async transport over an `httpx.Client` (asyncio or trio, through anyio).",
            "A blocking transport over an `httpx.Client`.",
        ),
    ],
    "_transport_async.py": [
        ("The native async transport's", "The native blocking transport's"),
        (
            "\n\nIts sync twin, `_transport_sync.py`, is generated from this file by"
            " scripts/unasync.py.",
            "",
        ),
        (
            "An async transport: HTTP/1.1 over a bounded keep-alive pool of sockets (TCP, TLS or a"
            "\n    unix socket), responses parsed by httptools; for asyncio and trio alike.",
            "A blocking transport: HTTP/1.1 over a bounded keep-alive pool of sockets (TCP, TLS or"
            " a\n    unix socket), responses parsed by httptools.",
        ),
        (
            "            # The deadline bounds every wait of the call; the steps between waits take"
            " no\n            # time to speak of, and need no cancel scope of their own.\n",
            "",
        ),
    ],
    "_stream_async.py": [
        ("the native async transport", "the native blocking transport"),
        (
            "\n\nIts sync twin, `_stream_sync.py`, is generated from this file by"
            " scripts/unasync.py; waiting on a\nsocket differs and is in `_async.py`"
            " (`wait_streamed`).",
            "",
        ),
    ],
    "stream.py": [
        ("Streamed bodies on the async driver", "Streamed bodies on the sync driver"),
        ("(a path, a binary file\n    or an async file)", "(a path or a binary\n    file)"),
        ("(a path, a binary file or an async file)", "(a path or a binary file)"),
    ],
}

# The examples: each file's ``run_sync`` is generated from its ``run_async``, but for those
# whose sync version differs in more than words (they say so above their ``run_sync``).
EXAMPLES = "examples"
EXAMPLES_BY_HAND = frozenset({"leader_election.py", "streaming.py"})
EXAMPLE_NOTE = "# Generated from run_async by scripts/unasync.py: do not edit by hand.\n"
_RUN_ASYNC = re.compile(r"^async def run_async\(", re.MULTILINE)
_RUN_SYNC = re.compile(r"\n\n\n(?:#[^\n]*\n)*def run_sync\(")
_MAIN = "\n\n\nif __name__"

HEADER = "# Generated from {source}\n# by scripts/unasync.py: do not edit by hand.\n"


def _words(text: str) -> str:
    for pattern, replacement in WORDS:
        text = re.sub(pattern, replacement, text, flags=re.MULTILINE)
    return text


def translate(source: str, text: str) -> str:
    """The sync twin of the async module `source` whose text is `text`, not yet formatted."""
    text = _words(text)
    for old, new in PHRASES.get(Path(source).name, []):
        if old not in text:
            raise SystemExit(f"{source}: the phrase {old!r} is gone; update PHRASES")
        text = text.replace(old, new)
    return HEADER.format(source=source) + text


def _ruff(args: list[str], target: str, text: str) -> str:
    ran = subprocess.run(
        [sys.executable, "-m", "ruff", *args, "--stdin-filename", target, "-"],
        input=text,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if ran.returncode != 0:
        raise SystemExit(f"ruff {' '.join(args)} failed on {target}:\n{ran.stderr}{ran.stdout}")
    return ran.stdout


def generate(source: str, target: str) -> str:
    """The formatted text of `target`, generated from `source`."""
    text = translate(source, (ROOT / source).read_text(encoding="utf-8"))
    # The renamed imports re-sorted, and those the sync side does not use dropped.
    text = _ruff(["check", "--fix", "--quiet", "--select", "I,F401"], target, text)
    return _ruff(["format", "--quiet"], target, text)


def examples() -> list[str]:
    """The examples whose ``run_sync`` is generated."""
    return [
        f"{EXAMPLES}/{path.name}"
        for path in sorted((ROOT / EXAMPLES).glob("*.py"))
        if path.name not in EXAMPLES_BY_HAND and _RUN_ASYNC.search(path.read_text(encoding="utf-8"))
    ]


def generate_example(example: str) -> str:
    """The formatted text of `example`, its ``run_sync`` generated from its ``run_async``."""
    text = (ROOT / example).read_text(encoding="utf-8")
    start = _RUN_ASYNC.search(text)
    end = _RUN_SYNC.search(text)
    if start is None or end is None or _MAIN not in text:
        raise SystemExit(f"{example}: expected run_async, then run_sync, then the main block")
    run_async = text[start.start() : end.start()]
    run_sync = re.sub(r"\brun_async\b", "run_sync", _words(run_async))
    rest = text[text.index(_MAIN) :]
    text = f"{text[: end.start()]}\n\n\n{EXAMPLE_NOTE}{run_sync}{rest}"
    return _ruff(["format", "--quiet"], example, text)


def main() -> int:
    """Write the sync twins, or with ``--check`` list the stale ones; the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="write nothing; fail if a sync file is stale"
    )
    check = parser.parse_args().check
    stale = []
    made = {target: generate(source, target) for source, target in TWINS.items()}
    made |= {example: generate_example(example) for example in examples()}
    for target, text in made.items():
        path = ROOT / target
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(target)
        if not check:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {target}")
    if check and stale:
        print("stale generated files (run python scripts/unasync.py):", *stale, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
