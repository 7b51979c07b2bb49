"""Client configuration: explicit arguments first, then the ``CONSUL_*`` environment variables
that the consul CLI and the Go client read, then defaults.

Rules:
- Between two variables for the same setting, Go's ``api.NewClient(api.DefaultConfig())``
  decides: ``CONSUL_HTTP_TOKEN_FILE`` (when the file is not empty) wins over
  ``CONSUL_HTTP_TOKEN``. An explicit argument wins over both, as a field set in a Go
  ``api.Config`` does (an empty string explicitly means none).
- An address may carry a path (``http://host:8500/consul``): the prefix of every request's path,
  for an agent behind a reverse proxy, as Go's ``api.NewClient`` takes it
  (``Config.PathPrefix``). It is applied by the core (`ClientDefaults.path_prefix`), so every
  transport honours it.
- An error about a secret (the token, a token file, the basic-auth password, an address that
  holds credentials) never shows it, nor keeps it in its context.
"""

from __future__ import annotations

import os
import ssl
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import NamedTuple, TypedDict, TypeVar
from urllib.parse import urlsplit

import attrs

from consul_core import ClientDefaults, UsageError
from consul_core._params import check_basic_auth, check_token

__all__ = ["AuthArg", "CertArg", "ClientConfig", "Settings", "TLSConfig", "load_config"]

T = TypeVar("T")

DEFAULT_ADDRESS = "127.0.0.1:8500"
DEFAULT_TIMEOUT = 30.0
_FALSE = frozenset({"0", "false", "f", "no", "off"})
_TRUE = frozenset({"1", "true", "t", "yes", "on"})

CertArg = str | os.PathLike[str] | tuple[str | os.PathLike[str], str | os.PathLike[str]] | None
AuthArg = str | tuple[str, str] | None


class Settings(TypedDict, total=False):
    """The settings a client takes as keywords, besides its address: those of `load_config`
    (the clients' documentation says what each means).
    """

    token: str | None
    dc: str | None
    consistency: str | None
    namespace: str | None
    partition: str | None
    auth: AuthArg
    headers: Mapping[str, str] | None
    verify: bool | str | os.PathLike[str] | None
    cert: CertArg
    server_name: str | None
    timeout: float | None


@attrs.frozen
class TLSConfig:
    """TLS settings for an ``https`` agent address.

    Attributes:
        verify: Whether to verify the agent's certificate.
        ca_file: A CA bundle to verify against, instead of the system's.
        ca_path: A folder of CA certificates.
        cert_file: A client certificate (PEM), for agents that require one.
        key_file: The client certificate's key, when not in `cert_file`.
        server_name: The name to verify the agent's certificate against (and send as SNI).
    """

    verify: bool = True
    ca_file: str | None = None
    ca_path: str | None = None
    cert_file: str | None = None
    key_file: str | None = None
    server_name: str | None = None

    def context(self) -> ssl.SSLContext:
        """Build the `ssl.SSLContext` these settings describe.

        Raises:
            UsageError: The CA file or folder, or the client certificate or its key, cannot
                be read or holds no certificate (or key); the message names it.
        """
        # A folder's certificates are read file by file, as Go reads them: OpenSSL's own
        # lookup finds only files named by their subject's hash (c_rehash).
        cadata = _folder_certificates(self.ca_path) if self.ca_path else None
        context = _tls_step(
            _file("the CA file", self.ca_file) if self.ca_file else "the CA folder's certificates",
            lambda: ssl.create_default_context(cafile=self.ca_file, cadata=cadata),
        )
        if not self.verify:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        if self.cert_file:
            cert_file, key_file = self.cert_file, self.key_file
            shown = _file("the client certificate", cert_file) + (
                " and " + _file("its key", key_file) if key_file else ""
            )
            _tls_step(shown, lambda: context.load_cert_chain(cert_file, key_file, _no_passphrase))
        return context


class _EncryptedKey(Exception):
    """The client certificate's key is encrypted: its passphrase is not asked for."""


def _no_passphrase() -> str:
    # Called by OpenSSL only for an encrypted key; without it, OpenSSL would ask for the
    # passphrase on the terminal (or read the program's standard input), blocking the call.
    raise _EncryptedKey


def _file(what: str, path: str) -> str:
    """How a message names the file `path` given as `what` (``the CA file '/etc/ca.pem'``).

    Raises:
        UsageError: `path` is PEM text, not a path: it may hold a private key, which no
            message shows.
    """
    if "-----BEGIN" in path or "\n" in path:
        raise UsageError(f"{what} must be given as a file's path, not as PEM text")
    return f"{what} {path!r}"


def _tls_step(what: str, step: Callable[[], T]) -> T:
    """`step`'s result; an error reading `what` (a CA file, a certificate) is a `UsageError`."""
    try:
        return step()
    except _EncryptedKey:
        raise UsageError(
            f"{what} cannot be loaded: the key is encrypted (no passphrase is asked for: "
            "give a key without one, as Consul's Go client needs)"
        ) from None
    except (OSError, ssl.SSLError) as exc:  # ssl.SSLError is an OSError: its reason is enough
        reason = exc.strerror or getattr(exc, "reason", None) or type(exc).__name__
        raise UsageError(f"{what} cannot be loaded: {reason}") from None


def _folder_certificates(folder: str) -> str:
    """The PEM certificates of every file under `folder` (CONSUL_CAPATH), as Go's client loads
    them.

    Raises:
        UsageError: The folder cannot be read, holds no file, or a file holds no certificate.
    """
    shown = _file("the CA folder", folder)
    root = Path(folder)
    if not root.is_dir():
        raise UsageError(f"{shown} is not a folder that can be read")
    pems = []
    for path in sorted(entry for entry in root.rglob("*") if entry.is_file()):
        try:
            text = path.read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError):
            text = ""
        if "-----BEGIN CERTIFICATE-----" not in text:
            raise UsageError(f"the CA folder's file {str(path)!r} holds no PEM certificate")
        pems.append(text)
    if not pems:
        raise UsageError(f"{shown} holds no certificate")
    return "\n".join(pems)


@attrs.frozen
class ClientConfig:
    """Where the agent is and how to talk to it.

    Attributes:
        scheme: ``http`` or ``https``.
        host: The agent's host (``localhost`` for a unix socket).
        port: The agent's port.
        uds: The unix socket path, for ``unix://`` addresses.
        tls: TLS settings, used with ``https``.
        timeout: The read timeout of calls that give none of their own, in seconds.
        defaults: What is added to every request: the token, datacenter, consistency,
            namespace, partition, basic-auth credentials, extra headers and path prefix.
    """

    scheme: str
    host: str
    port: int
    uds: str | None
    tls: TLSConfig
    timeout: float
    defaults: ClientDefaults

    @property
    def description(self) -> str:
        """How messages name the agent: its URL, or its unix socket's."""
        return f"unix://{self.uds}" if self.uds else self.base_url

    @property
    def base_url(self) -> str:
        """The URL that request targets (their path prefix included) are appended to."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}"


def _flag(env: Mapping[str, str], name: str) -> bool | None:
    value = env.get(name, "").strip().lower()
    if not value:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise UsageError(f"{name} must be true or false, not {value!r}")


class _Address(NamedTuple):
    scheme: str
    host: str
    port: int
    uds: str | None
    prefix: str


def _parse_address(address: str, tls: bool, source: str = "address") -> _Address:
    """Where `address` (from `source`: the argument, or ``CONSUL_HTTP_ADDR``) points.

    Without a scheme, the port is Consul's 8500 by default (8501 is no default in Go either:
    ``https://`` or ``CONSUL_HTTP_SSL`` with no port means 443); with one, a URL's (80, 443).
    `tls` (``CONSUL_HTTP_SSL``) makes an ``http://`` address https, as Go never goes back to
    plain http once TLS is asked for.
    """
    if address.startswith("unix://"):
        path = address[len("unix://") :]
        if not path:
            raise UsageError(f"{source}: a unix:// address needs a socket path")
        return _Address("http", "localhost", 80, path, "")
    if "@" in address:
        # Credentials, wherever they stand (``http:/user:pw@host``, with one slash, would put
        # them in the path prefix); not shown: the address holds a password.
        raise UsageError(f"{source} must not hold credentials: give them as auth= (basic auth)")
    given, default_port = address, None
    if "://" not in address:
        # One slash: "http" would be taken for the host, and the rest for the path prefix.
        if address.lower().startswith(("http:/", "https:/", "unix:/")):
            raise UsageError(f"{source} must write its scheme with two slashes: {address!r}")
        default_port = 443 if tls else 8500
        address = ("https://" if tls else "http://") + address
    try:
        parts = urlsplit(address)
    except ValueError as exc:  # an IPv6 host without its "]"
        raise UsageError(f"{source} is not a valid URL ({exc}): {address!r}") from None
    host = parts.hostname
    if parts.scheme not in ("http", "https") or not host or not host.isprintable() or " " in host:
        raise UsageError(
            f"{source} must be http://host:port, https://host:port, host:port or "
            f"unix:///path, optionally with a path prefix, not {given!r}"
        )
    if "?" in address or "#" in address:
        raise UsageError(f"{source} must not have a query or fragment: {given!r}")
    scheme = "https" if tls else parts.scheme
    try:
        port = parts.port
    except ValueError:
        port = 0  # out of range
    if port is None:
        port = default_port or (443 if scheme == "https" else 80)
    elif not port:  # 0 is no port to connect to: not to be taken for none given
        raise UsageError(f"{source} has an invalid port: {given!r}")
    return _Address(scheme, host, port, None, parts.path.rstrip("/"))


def _read_token_file(path: str) -> str:
    # Stripped as the consul CLI does (strings.TrimSpace): files end with a newline.
    try:
        return Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise UsageError(f"CONSUL_HTTP_TOKEN_FILE cannot be read: {exc.strerror}") from exc
    except UnicodeDecodeError:
        pass
    # Raised once the decoding error is handled: its text, or as the context, the error itself
    # would keep the bytes of the token.
    raise UsageError("CONSUL_HTTP_TOKEN_FILE is not UTF-8 text")


def _token(token: str | None, env: Mapping[str, str]) -> str | None:
    """The token: `token`, else ``CONSUL_HTTP_TOKEN_FILE``'s text, else ``CONSUL_HTTP_TOKEN``
    (Go's order: ``NewClient`` reads the token file over the token, unless the file is empty);
    checked here so that a bad one is refused naming where it came from.
    """
    if token is not None:
        return check_token(token) if token else None
    if env.get("CONSUL_HTTP_TOKEN_FILE"):
        text = _read_token_file(env["CONSUL_HTTP_TOKEN_FILE"])
        if text:
            return check_token(text, "CONSUL_HTTP_TOKEN_FILE")
    if env.get("CONSUL_HTTP_TOKEN"):
        return check_token(env["CONSUL_HTTP_TOKEN"], "CONSUL_HTTP_TOKEN")
    return None


def _setting(value: str | None, env: Mapping[str, str], name: str) -> str | None:
    """An explicit `value` (``""``: none), else the environment variable `name` if not empty."""
    if value is not None:
        return value or None
    return env.get(name) or None


def _server_name(name: str | None) -> str | None:
    """The TLS server name without a port (``consul.test:8501``), as Go takes it."""
    if name is None:
        return None
    if name.startswith("[") and "]" in name:  # [::1]:8501
        return name[1 : name.index("]")]
    host, colon, port = name.partition(":")
    return host if colon and port.isdigit() and ":" not in port else name


def _auth(auth: AuthArg, env: Mapping[str, str]) -> tuple[str, str] | None:
    """Basic-auth credentials: `auth`, else ``CONSUL_HTTP_AUTH`` (``user:password``)."""
    if auth is not None:
        return check_basic_auth(auth) if auth else None
    text = env.get("CONSUL_HTTP_AUTH")
    return check_basic_auth(text, "CONSUL_HTTP_AUTH") if text else None


def _cert_files(cert: CertArg, env: Mapping[str, str]) -> tuple[str | None, str | None]:
    if cert is None:
        cert_file, key_file = env.get("CONSUL_CLIENT_CERT"), env.get("CONSUL_CLIENT_KEY")
        if key_file and not cert_file:  # as Go: a key alone is a mistake, not no certificate
            raise UsageError("CONSUL_CLIENT_KEY is set without CONSUL_CLIENT_CERT")
        return cert_file or None, key_file or None
    given: tuple[object, ...] = cert if isinstance(cert, tuple) else (cert,)
    files = [os.fspath(path) for path in given if isinstance(path, (str, os.PathLike))]
    if len(files) != len(given) or (isinstance(cert, tuple) and len(files) != 2):
        raise UsageError("cert must be a file's path, or a (certificate, key) pair of paths")
    return files[0], files[1] if len(files) == 2 else None


def load_config(
    address: str | None = None,
    *,
    token: str | None = None,
    dc: str | None = None,
    consistency: str | None = None,
    namespace: str | None = None,
    partition: str | None = None,
    auth: AuthArg = None,
    headers: Mapping[str, str] | None = None,
    verify: bool | str | os.PathLike[str] | None = None,
    cert: CertArg = None,
    server_name: str | None = None,
    timeout: float | None = None,
    env: Mapping[str, str] | None = None,
) -> ClientConfig:
    """Resolve a client's configuration; explicit arguments beat the environment.

    Args:
        address: ``http://host:port``, ``https://host:port``, ``host:port`` or ``unix:///path``,
            the first three optionally with a path prefix (``http://host:8500/consul``);
            default ``CONSUL_HTTP_ADDR``, then ``127.0.0.1:8500``.
        token: The ACL token; default ``CONSUL_HTTP_TOKEN_FILE``'s text, then
            ``CONSUL_HTTP_TOKEN``.
        dc: The default datacenter.
        consistency: The default consistency mode of reads.
        namespace: The default namespace (Consul Enterprise); default ``CONSUL_NAMESPACE``.
        partition: The default admin partition (Consul Enterprise); default
            ``CONSUL_PARTITION``.
        auth: HTTP basic-auth credentials, ``"user:password"`` or ``(user, password)``;
            default ``CONSUL_HTTP_AUTH``.
        headers: Extra headers for every request (for a proxy in front of the agent).
        verify: True or False, or a CA bundle path; default from ``CONSUL_HTTP_SSL_VERIFY`` and
            ``CONSUL_CACERT``.
        cert: A client certificate path, or a pair (certificate, key); default
            ``CONSUL_CLIENT_CERT`` and ``CONSUL_CLIENT_KEY``.
        server_name: The TLS server name; default ``CONSUL_TLS_SERVER_NAME``.
        timeout: The default read timeout in seconds.
        env: The environment to read (default `os.environ`).

    Returns:
        The configuration.

    Raises:
        UsageError: An argument or an environment variable is invalid.
    """
    env = os.environ if env is None else env
    if address is not None and not isinstance(address, str):
        raise UsageError("address must be a str")
    use_tls = bool(_flag(env, "CONSUL_HTTP_SSL"))
    if address:
        where = _parse_address(address, use_tls)
    elif env.get("CONSUL_HTTP_ADDR"):
        where = _parse_address(env["CONSUL_HTTP_ADDR"], use_tls, "CONSUL_HTTP_ADDR")
    else:
        where = _parse_address(DEFAULT_ADDRESS, use_tls)
    token = _token(token, env)
    ca_file = env.get("CONSUL_CACERT") or None
    if isinstance(verify, (str, os.PathLike)):
        ca_file, verify = os.fspath(verify), True
    if verify is None:
        verify = _flag(env, "CONSUL_HTTP_SSL_VERIFY") is not False
    if not isinstance(verify, bool):
        raise UsageError("verify must be a bool or a CA bundle path")
    cert_file, key_file = _cert_files(cert, env)
    if timeout is not None and (
        not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or timeout <= 0
    ):
        raise UsageError(f"timeout must be a positive number of seconds, not {timeout!r}")
    tls = TLSConfig(
        verify=verify,
        ca_file=ca_file,
        # A CA file wins over a folder, as in Go (go-rootcerts reads CAPath only without one).
        ca_path=None if ca_file else env.get("CONSUL_CAPATH") or None,
        cert_file=cert_file,
        key_file=key_file,
        server_name=_server_name(_setting(server_name, env, "CONSUL_TLS_SERVER_NAME")),
    )
    defaults = ClientDefaults(
        token=token,
        dc=dc,
        consistency=consistency,
        namespace=_setting(namespace, env, "CONSUL_NAMESPACE"),
        partition=_setting(partition, env, "CONSUL_PARTITION"),
        auth=_auth(auth, env),
        headers={} if headers is None else headers,
        path_prefix=where.prefix,
    )
    return ClientConfig(
        scheme=where.scheme,
        host=where.host,
        port=where.port,
        uds=where.uds,
        tls=tls,
        timeout=float(timeout) if timeout is not None else DEFAULT_TIMEOUT,
        defaults=defaults,
    )
