"""The two values that cross the sans-IO boundary: a `Request` to send and a `Response` received.

Rules:
- Both are frozen. A `Request` is complete: a transport sends `method`, `target`, `headers` and
  `body` as they are, and decides nothing about Consul.
- `path` is already escaped; `target` adds the query string, encoded once, here.
- The token travels only in the ``X-Consul-Token`` header and never appears in a repr; nor do
  the credentials of the ``Authorization`` and ``Proxy-Authorization`` headers (basic auth).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import cast
from urllib.parse import quote

import attrs

__all__ = ["TOKEN_HEADER", "Headers", "Request", "Response"]

TOKEN_HEADER = "X-Consul-Token"
# The headers whose values are secrets: never shown in a repr.
_SECRET_HEADERS = frozenset({TOKEN_HEADER.lower(), "authorization", "proxy-authorization"})
# The query parameters a blocking query waits on.
_BLOCKING = frozenset({"index", "hash"})
# The methods of reads: a discovery chain read with overrides is a POST, which can block too.
_READS = frozenset({"GET", "POST"})


class Headers(Mapping[str, str]):
    """An immutable, case-insensitive mapping of HTTP headers (the last value of a name wins)."""

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, str] | Iterable[tuple[str, str]] = ()) -> None:
        # A plain dict is the common case; the Mapping ABC check is slow on a hot path.
        if type(items) is dict or isinstance(items, Mapping):
            pairs: Iterable[tuple[str, str]] = cast("Mapping[str, str]", items).items()
        else:
            pairs = items
        self._items: dict[str, tuple[str, str]] = {k.lower(): (k, v) for k, v in pairs}

    def __getitem__(self, name: str) -> str:
        return self._items[name.lower()][1]

    def lowered(self) -> dict[str, str]:
        """The headers as a plain dict keyed by lower-case name (for reading many at once)."""
        return {name: value for name, (_, value) in self._items.items()}

    def get(self, name: str, default: str | None = None) -> str | None:  # type: ignore[override]
        """The value of header `name`, or `default` (a fast path: responses are read a lot)."""
        item = self._items.get(name.lower())
        return default if item is None else item[1]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._items

    def __iter__(self) -> Iterator[str]:
        return (original for original, _ in self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Mapping):
            return NotImplemented
        return {k: v for k, (_, v) in self._items.items()} == {
            str(k).lower(): v for k, v in other.items()
        }

    def __hash__(self) -> int:
        return hash(frozenset((k, v) for k, (_, v) in self._items.items()))

    def __repr__(self) -> str:
        shown = {
            original: ("<redacted>" if name in _SECRET_HEADERS else value)
            for name, (original, value) in self._items.items()
        }
        return f"Headers({shown!r})"

    def merged(self, extra: Mapping[str, str]) -> Headers:
        """Return a copy with `extra` added where a header of that name is not present yet."""
        missing = {k.lower(): (k, v) for k, v in extra.items() if k.lower() not in self._items}
        if not missing:
            return self
        merged = Headers.__new__(Headers)
        merged._items = {**self._items, **missing}
        return merged


def _to_headers(value: Mapping[str, str] | Iterable[tuple[str, str]]) -> Headers:
    return value if isinstance(value, Headers) else Headers(value)


def _encode_query(params: tuple[tuple[str, str], ...]) -> str:
    # Consul reads flags such as `recurse`, `raw` and `stale` by presence: send them bare.
    return "&".join(
        quote(name, safe="") + ("=" + quote(value, safe="") if value else "")
        for name, value in params
    )


@attrs.frozen
class Request:
    """One HTTP request to a Consul agent, described completely and performed by a transport.

    Attributes:
        method: The HTTP method.
        path: The escaped path, starting with ``/v1/`` (behind the client's path prefix, once
            `ClientDefaults.apply` added it).
        params: Query parameters in order; an empty value is sent as a bare flag.
        headers: Request headers (the token is in ``X-Consul-Token``; neither it nor basic-auth
            credentials are ever shown).
        body: The request body, or None.
        timeout: A read timeout in seconds that the call needs (blocking queries), or None for
            the client's default.
        defaults: Names of client-wide options (``dc``, ``consistency``, ``ns``,
            ``partition``) this endpoint accepts; a driver adds the client's defaults for those
            not given.
    """

    method: str
    path: str
    params: tuple[tuple[str, str], ...] = ()
    headers: Headers = attrs.field(factory=Headers, converter=_to_headers)
    body: bytes | None = attrs.field(
        default=None, repr=lambda b: f"<{len(b)} bytes>" if b else "None"
    )
    timeout: float | None = None
    defaults: frozenset[str] = frozenset()

    @property
    def target(self) -> str:
        """The request target: the path and the encoded query string."""
        return f"{self.path}?{_encode_query(self.params)}" if self.params else self.path

    @property
    def token(self) -> str | None:
        """The ACL token this request carries, if any."""
        return self.headers.get(TOKEN_HEADER)

    @property
    def blocking(self) -> bool:
        """Whether this is a blocking query: the agent may hold it until its index (or, for
        the agent's own services, its content hash) changes or its wait runs out, so a
        transport must not let such requests take every connection.
        """
        return self.method in _READS and any(name in _BLOCKING for name, _ in self.params)

    def param(self, name: str) -> str | None:
        """Return the value of the query parameter `name`, or None when it is absent."""
        return next((value for key, value in self.params if key == name), None)


@attrs.frozen
class Response:
    """One HTTP response from a Consul agent, as a transport received it.

    Attributes:
        status: The HTTP status code.
        headers: Response headers, case-insensitive.
        body: The whole body.
    """

    status: int
    headers: Headers = attrs.field(factory=Headers, converter=_to_headers)
    body: bytes = attrs.field(default=b"", repr=lambda b: f"<{len(b)} bytes>")
