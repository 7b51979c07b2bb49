"""Find or fetch a Consul binary for tests: ``CONSUL_BIN``, then ``PATH``, then a cached copy,
then Debian's ``consul`` package (bullseye, Consul 1.8.7) through the machine's own apt mirror,
then HashiCorp's release archive.

Run ``python -m consul_transports.testing.install`` to fetch it ahead of time; it prints the
binary's path.
"""

from __future__ import annotations

import io
import os
import platform
import re
import shutil
import subprocess
import tempfile
import urllib.request
import zipfile
from pathlib import Path

from consul_core import ConsulError

__all__ = ["ConsulNotAvailable", "cache_dir", "find_consul"]

HASHICORP_VERSION = "1.8.7"
_HASHICORP_URL = "https://releases.hashicorp.com/consul/{v}/consul_{v}_linux_{arch}.zip"
_DEB_URI = re.compile(r"^\s*URIs:\s*(\S+)", re.MULTILINE)
_LIST_URI = re.compile(r"^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+\S+", re.MULTILINE)
_SIGNED_BY = re.compile(r"^\s*Signed-By:\s*(\S+)", re.MULTILINE)


class ConsulNotAvailable(ConsulError):
    """No Consul binary could be found or fetched."""


def cache_dir() -> Path:
    """Where fetched binaries are kept (``CONSUL_SANSIO_CACHE`` or the user's cache folder)."""
    base = os.environ.get("CONSUL_SANSIO_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "consul-sansio"
    )
    return Path(base)


def _debian_mirror() -> tuple[str, str | None] | None:
    """The first Debian archive URI in the machine's apt configuration, and its keyring."""
    sources = sorted(Path("/etc/apt/sources.list.d").glob("*.sources"))
    for path in sources:
        text = path.read_text(errors="replace")
        for stanza in text.split("\n\n"):
            uri = _DEB_URI.search(stanza)
            if uri and "security" not in uri.group(1) and "/debian" in uri.group(1):
                signed = _SIGNED_BY.search(stanza)
                return uri.group(1).rstrip("/"), signed.group(1) if signed else None
    for path in [Path("/etc/apt/sources.list"), *Path("/etc/apt/sources.list.d").glob("*.list")]:
        if path.exists():
            for line in _LIST_URI.finditer(path.read_text(errors="replace")):
                found = line.group(1)
                if "security" not in found and "/debian" in found:
                    return found.rstrip("/"), None
    return None


def _install(target: Path, binary: bytes) -> None:
    """Put `binary` at `target` in one step: several test sessions may fetch it at once, and one
    may already run the copy another would overwrite.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as partial:
        partial.write(binary)
    os.chmod(partial.name, 0o755)
    os.replace(partial.name, target)


def _from_debian(target: Path) -> Path | None:
    mirror = _debian_mirror()
    if mirror is None or shutil.which("apt-get") is None or shutil.which("dpkg") is None:
        return None
    uri, keyring = mirror
    with tempfile.TemporaryDirectory(prefix="consul-apt-") as tmp:
        work = Path(tmp)
        (work / "lists" / "partial").mkdir(parents=True)
        (work / "cache" / "archives" / "partial").mkdir(parents=True)
        option = f"[signed-by={keyring}]" if keyring else "[trusted=yes]"
        (work / "sources.list").write_text(f"deb {option} {uri} bullseye main\n")
        apt = [
            "apt-get",
            "-q",
            "-o", f"Dir::State::Lists={work / 'lists'}",
            "-o", f"Dir::Etc::SourceList={work / 'sources.list'}",
            "-o", "Dir::Etc::SourceParts=/dev/null",
            "-o", f"Dir::Cache={work / 'cache'}",
            "-o", "APT::Sandbox::User=root",
        ]  # fmt: skip
        try:
            subprocess.run([*apt, "update"], check=True, capture_output=True, cwd=work)
            subprocess.run([*apt, "download", "consul"], check=True, capture_output=True, cwd=work)
            deb = next(work.glob("consul_*.deb"))
            subprocess.run(["dpkg", "-x", str(deb), str(work / "root")], check=True)
        except (subprocess.CalledProcessError, StopIteration, OSError):
            return None
        _install(target, (work / "root" / "usr" / "bin" / "consul").read_bytes())
    return target


def _from_hashicorp(target: Path) -> Path | None:
    arch = {"x86_64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(platform.machine())
    if arch is None or platform.system() != "Linux":
        return None
    url = _HASHICORP_URL.format(v=HASHICORP_VERSION, arch=arch)
    try:
        with urllib.request.urlopen(url, timeout=60) as reply:
            archive = zipfile.ZipFile(io.BytesIO(reply.read()))
    except OSError:
        return None
    _install(target, archive.read("consul"))
    return target


def find_consul() -> Path:
    """Return the path of a Consul binary, fetching one into the cache when none is present.

    Returns:
        The binary's path.

    Raises:
        ConsulNotAvailable: None is installed and none could be fetched.
    """
    explicit = os.environ.get("CONSUL_BIN")
    if explicit:
        if not os.access(explicit, os.X_OK):
            raise ConsulNotAvailable(f"CONSUL_BIN is not an executable: {explicit}")
        return Path(explicit)
    on_path = shutil.which("consul")
    if on_path:
        return Path(on_path)
    cached = cache_dir() / "bin" / "consul"
    if os.access(cached, os.X_OK):
        return cached
    for fetch in (_from_debian, _from_hashicorp):
        found = fetch(cached)
        if found is not None:
            return found
    raise ConsulNotAvailable(
        "no consul binary: set CONSUL_BIN, put consul on PATH, or allow access to Debian's "
        "archive or HashiCorp's releases"
    )
