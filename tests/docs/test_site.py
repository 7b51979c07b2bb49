"""The built documentation site, opened as a reader would: in headless Chromium, over HTTP.

Run by ``nox -s docs`` after ``mkdocs build`` (never by ``nox -s tests``: it needs the built
site and Debian's ``chromium``). The guide, the reference of ``kv.get`` and the search box must
render once the page's JavaScript ran; screenshots are saved to ``build/screenshots``.
"""

from __future__ import annotations

import contextlib
import functools
import html
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import tempfile
import threading
import zlib
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(os.environ.get("DOCS_SITE") or ROOT / "build" / "site")
SCREENSHOTS = SITE.parent / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
WINDOW = (1280, 900)
# One bound for every Chromium run (a cold start on a busy 2-core machine takes a few seconds).
CHROMIUM_TIMEOUT = 90.0
# Headless, offline and quiet: no sandbox (CI runs as root), no GPU, no background traffic.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
    f"--window-size={WINDOW[0]},{WINDOW[1]}",
)
KV_GET = "consul_core.namespaces.kv.KV.get"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    """The built site, served on a free port of 127.0.0.1; its base URL."""
    assert (SITE / "index.html").is_file(), f"no built site in {SITE}: run mkdocs build first"
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def chromium(*args: str) -> str:
    """Run headless Chromium with a new profile; return what it printed. Every process it
    started is killed when it returns or runs out of time.
    """
    with tempfile.TemporaryDirectory(prefix="docs-chromium-") as profile:
        command = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args]
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            out, err = process.communicate(timeout=CHROMIUM_TIMEOUT)
        except subprocess.TimeoutExpired:
            out, err = b"", b""
        finally:
            # The browser's helpers (zygote, renderers) share its new process group.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        if process.returncode is None:
            process.communicate()
            pytest.fail(f"chromium did not finish within {CHROMIUM_TIMEOUT} s: {command}")
    tail = err.decode(errors="replace")[-2000:]
    assert process.returncode == 0, f"chromium failed ({process.returncode}): {tail}"
    return out.decode()


def dom(url: str) -> str:
    """The page's DOM after its scripts ran."""
    return chromium("--dump-dom", url)


def text_of(markup: str) -> str:
    """The visible text of some HTML, with runs of blanks made one space."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def section(page: str, anchor: str) -> str:
    """The HTML of the reference entry whose heading has id `anchor`, up to the next entry."""
    heading = re.search(rf'<h\d[^>]*\bid="{re.escape(anchor)}"[^>]*>', page)
    assert heading, f"no heading with id {anchor!r}"
    following = re.compile(r'<h\d[^>]*\bclass="doc doc-heading"').search(page, heading.end())
    return page[heading.start() : following.start() if following else len(page)]


def test_the_guide_renders(site: str) -> None:
    page = dom(site + "guide/watches/")
    assert re.search(r"<h1[^>]*>\s*Watches", page)
    assert "each time the index advances" in text_of(page)
    # The theme's scripts ran: the root lost its no-js class, code blocks got copy buttons.
    assert re.search(r'<html[^>]*class="[^"]*\bjs\b', page)
    assert "md-code__button" in page
    # The navigation leads to the rest of the guide and to the reference.
    for link in ("../locks/", "../../reference/"):
        assert f'href="{link}"' in page


def test_the_reference_of_kv_get_renders(site: str) -> None:
    page = dom(site + "reference/namespaces/kv/")
    entry = text_of(section(page, KV_GET))
    # The signature, with the builder's arguments and the sync client's return type (the
    # highlighter splits it into tokens: compare without blanks).
    compact = "".join(entry.split())
    assert "get(key:str,*,dc:str|None=None,ns:str|None=None,partition:" in compact, entry[:500]
    assert "watch:" in compact
    assert "consistency:" in compact
    assert "token:str|None=None,)->tuple[KeyValue,QueryMeta]" in compact
    # The docstring: summary, arguments, returns and raises.
    assert "Read one key." in entry
    assert "An ACL token for this call only." in entry
    assert "NotFound" in entry


def test_the_search_box_renders(site: str) -> None:
    page = dom(site)
    box = re.search(r"<input[^>]*\bmd-search__input\b[^>]*>", page)
    assert box and 'data-md-component="search-query"' in box.group(0)
    # The index the box searches holds the reference of kv.get.
    index = json.loads((SITE / "search" / "search_index.json").read_text())
    locations = {doc["location"] for doc in index["docs"]}
    assert f"reference/namespaces/kv/#{KV_GET}" in locations


def _png_pixels(path: Path) -> tuple[int, int, bytes]:
    """The width, height and (filtered) pixel rows of a PNG file."""
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n"), f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    chunks, offset = [], 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        if data[offset + 4 : offset + 8] == b"IDAT":
            chunks.append(data[offset + 8 : offset + 8 + length])
        offset += length + 12
    return width, height, zlib.decompress(b"".join(chunks))


@pytest.mark.parametrize(
    ("name", "path"),
    [("guide", "guide/watches/"), ("reference-kv", "reference/namespaces/kv/")],
)
def test_screenshots(site: str, name: str, path: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / f"{name}.png"
    shot.unlink(missing_ok=True)
    chromium(f"--screenshot={shot}", site + path)
    width, height, pixels = _png_pixels(shot)
    assert (width, height) == WINDOW
    # A blank page compresses to a handful of distinct bytes; text, code and the header do not.
    assert len(set(pixels)) > 100
