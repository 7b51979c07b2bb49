"""The two values that cross the sans-IO boundary: a `Request` to send and a `Response` received.

Rules:
- Both are frozen. A `Request` is complete: a transport sends `method`, `target`, `headers` and
  `body` as they are, and decides nothing about Consul.
- `path` is already escaped; `target` adds the query string, encoded once, here.
- The token travels only in the ``X-Consul-Token`` header and never appears in a repr; nor do
  the credentials of the ``Authorization`` and ``Proxy-Authorization`` headers (basic auth).
- A path may hold a secret (a legacy ACL token's ID): the request lists it in `hidden`, and
  what is shown of the request (`shown_path`, `shown_target`: for errors, logs, traces; and
  its repr) has it replaced, in the form it has in the path too. So has the request's own
  token, should its path hold it (`secrets_in_path`: a secret ID given where an accessor ID
  belongs). A path shown is cut to `SHOWN_PATH_LIMIT` characters (`shortened`).
- A request may be sent again after its connection broke mid-exchange only if its method is
  one of `RESENDABLE_METHODS` (it only reads); the transports and an embedder's I/O keep that.
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, cast
from urllib.parse import quote

import attrs

__all__ = [
    "REDACTED",
    "RESENDABLE_METHODS",
    "SHOWN_PATH_LIMIT",
    "TOKEN_HEADER",
    "Headers",
    "Request",
    "Response",
    "hide",
    "shortened",
]

TOKEN_HEADER = "X-Consul-Token"
RESENDABLE_METHODS = frozenset({"GET", "HEAD"})
"""The methods of the requests that only read: one may be sent again on a new connection when
its connection broke before its whole reply came. Any other (a write, even a plain KV set: a
CAS, a session create, an event fired, a transaction) may already have been applied, so it is
sent again only if no byte of it was sent.
"""
REDACTED = "<redacted>"
"""What replaces a secret wherever a request or an error is shown."""
# The headers whose values are secrets: never shown in a repr.
_SECRET_HEADERS = frozenset({TOKEN_HEADER.lower(), "authorization", "proxy-authorization"})
# The query parameters a blocking query waits on.
_BLOCKING = frozenset({"index", "hash"})
# The names of the headers Consul's replies hold, as Go writes them (each word capitalized).
_GO_SPELLED = frozenset(
    {
        b"Age",
        b"Content-Encoding",
        b"Content-Length",
        b"Content-Type",
        b"Date",
        b"Vary",
        b"X-Cache",
        b"X-Consul-Contenthash",
        b"X-Consul-Default-Acl-Policy",
        b"X-Consul-Effective-Consistency",
        b"X-Consul-Index",
        b"X-Consul-Knownleader",
        b"X-Consul-Lastcontact",
        b"X-Consul-Query-Backend",
        b"X-Consul-Results-Filtered-By-Acls",
    }
)
# The methods of reads: a discovery chain read with overrides is a POST, which can block too.
_READS = frozenset({"GET", "POST"})


class Headers(Mapping[str, str]):
    """An immutable, case-insensitive mapping of HTTP headers (the last value of a name wins)."""

    __slots__ = ("_fields", "_names", "_spelled", "_values")

    # Keyed by lower-case name: the values, and the names as they were written. A response's
    # names as written are kept as one string (`_spelled`) until something iterates over them:
    # most replies are only looked up. Both dicts hold the same keys in the same order.
    # A parser's raw fields (`_fields`) are decoded into these on first use: most writes'
    # replies are never read.
    _values: dict[str, str]
    _names: dict[str, str] | None
    _spelled: str
    _fields: dict[bytes, bytes] | None

    def __init__(self, items: Mapping[str, str] | Iterable[tuple[str, str]] = ()) -> None:
        # A plain dict is the common case; the Mapping ABC check is slow on a hot path.
        if type(items) is dict or isinstance(items, Mapping):
            pairs: Iterable[tuple[str, str]] = cast("Mapping[str, str]", items).items()
        else:
            pairs = items
        self._values = {}
        self._names = names = {}
        self._fields = None
        for name, value in pairs:
            lowered = name.lower()
            self._values[lowered] = value
            names[lowered] = name

    @classmethod
    def from_fields(cls, fields: Mapping[bytes, bytes]) -> Headers:
        """The headers of a response as an HTTP parser hands them over: raw names and values,
        in order, with no NUL in them (an HTTP parser refuses a NUL in a header). Decoded as
        latin-1, the HTTP default, when first read.

        Raises:
            ValueError: (On the first read) a name or value holds a NUL.
        """
        if not fields:
            return _NO_HEADERS
        headers = cls.__new__(cls)
        headers._fields = dict(fields)  # a copy: a parser reuses its own for the next response
        return headers

    if not TYPE_CHECKING:  # (for a type checker, every attribute is declared above)

        def __getattr__(self, name: str) -> object:
            # Only reached while a slot is unset: the headers of `from_fields`, not read yet,
            # or `_spelled` of headers built from a mapping (their names are in `_names`), which
            # pickle and copy ask for: they must not be decoded from fields there are none of.
            if name not in ("_values", "_names", "_spelled") or self._fields is None:
                raise AttributeError(name)
            self._decode()
            return getattr(self, name)

    def _decode(self) -> None:
        """Set the headers from a parser's raw fields."""
        fields = self._fields or {}
        # One decode, one lower() and a few splits for all the fields instead of a Python
        # step per field: a reply's headers are read on every call.
        spelled = b"\0".join(fields).decode("latin-1")
        values = b"\0".join(fields.values()).decode("latin-1").split("\0")
        lowered = spelled.lower().split("\0")
        self._values = dict(zip(lowered, values, strict=True))
        self._names = None
        self._spelled = spelled
        self._fields = None

    def _spellings(self) -> dict[str, str]:
        """The names as they were written, keyed by lower-case name."""
        names = self._names
        if names is None:
            spelled = self._spelled
            lowered, written = spelled.lower().split("\0"), spelled.split("\0")
            names = self._names = dict(zip(lowered, written, strict=True))
        return names

    def __getitem__(self, name: str) -> str:
        return self._values[name.lower()]

    def raw_values(self, names: tuple[bytes, ...]) -> list[bytes | None]:
        """The values of several headers at once, undecoded (a fast path: a reply's metadata
        is read on every call, and most of it is parsed as bytes).

        Args:
            names: Header names as Go writes them (``X-Consul-Index``: each word capitalized,
                the rest in lower case), which find a header in whatever case it came; a name
                spelled otherwise may miss a reply's header.

        Returns:
            Their values as latin-1 bytes, in order; None for those absent.
        """
        fields = self._fields
        # A reply's fields not decoded yet, every name spelled as Go writes them (Consul's
        # are): looked up as they are, whatever the case `names` match. The names of a usual
        # reply are told so by a set, without a scan of their letters.
        if fields is not None and (_GO_SPELLED.issuperset(fields) or b"\0".join(fields).istitle()):
            return list(map(fields.get, names))
        values = self._values
        return [
            None
            if (value := values.get(name.decode("latin-1").lower())) is None
            # Not a header's text past latin-1 (only a mapping built by hand holds one).
            else value.encode("latin-1", "replace")
            for name in names
        ]

    def fields_within(self, within: frozenset[bytes]) -> Mapping[bytes, bytes] | None:
        """The reply's fields as received, for a reply whose header names are all among
        `within`: a caller that reads other headers only where they appear learns from one
        scan of the reply's names that none do, and looks up those it reads in the fields.

        Args:
            within: Header names as Go writes them (see `raw_values`).

        Returns:
            The fields (names and values as latin-1 bytes; not to be changed); None when a
            name of the reply is not among `within`, or the headers are not a parser's fields,
            undecoded.
        """
        fields = self._fields
        if fields is None or not within.issuperset(fields):
            return None
        return fields

    def get(self, name: str, default: str | None = None) -> str | None:  # type: ignore[override]
        """The value of header `name`, or `default` (a fast path: responses are read a lot)."""
        return self._values.get(name.lower(), default)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self._spellings().values())

    def __len__(self) -> int:
        return len(self._values)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Mapping):
            return NotImplemented
        return self._values == {str(k).lower(): v for k, v in other.items()}

    def __hash__(self) -> int:
        return hash(frozenset(self._values.items()))

    def __repr__(self) -> str:
        spellings = self._spellings()
        shown = {
            spellings[name]: ("<redacted>" if name in _SECRET_HEADERS else value)
            for name, value in self._values.items()
        }
        return f"Headers({shown!r})"

    def items(self) -> ItemsView[str, str]:
        """The headers as (name as written, value) pairs (a fast path: a transport writes a
        request's headers from them).
        """
        return _Items(self)

    def merged(self, extra: Mapping[str, str]) -> Headers:
        """Return a copy with `extra` added where a header of that name is not present yet."""
        added = extra if type(extra) is Headers else Headers(extra)
        if not self._values:
            return added  # immutable: shared, not copied
        values = self._values
        missing = [lowered for lowered in added._values if lowered not in values]
        if not missing:
            return self
        spelled = added._spellings()
        merged = Headers.__new__(Headers)
        merged._values = {**values, **{lowered: added._values[lowered] for lowered in missing}}
        merged._fields = None
        merged._names = {**self._spellings(), **{lowered: spelled[lowered] for lowered in missing}}
        return merged


class _Items(ItemsView[str, str]):
    """The items of `Headers`, iterated without a lookup per name."""

    __slots__ = ()
    _mapping: Headers

    def __iter__(self) -> Iterator[tuple[str, str]]:
        headers = self._mapping
        return zip(headers._spellings().values(), headers._values.values(), strict=True)


_NO_HEADERS = Headers()


def _to_headers(value: Mapping[str, str] | Iterable[tuple[str, str]]) -> Headers:
    if type(value) is Headers:
        return value
    return Headers(value) if value else _NO_HEADERS


# The characters `quote` never escapes (RFC 3986's unreserved ones).
_UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~"


def percent_encode(text: str, safe: str = "") -> str:
    """`text` percent-encoded as UTF-8, as ``urllib.parse.quote(text, safe)`` does (the
    characters of `safe` left as they are), with a fast path for text that needs no escape:
    most keys, names and parameters.
    """
    if not text.rstrip(_UNRESERVED + safe if safe else _UNRESERVED):
        return text
    return quote(text, safe=safe)


def _encode_query(params: tuple[tuple[str, str], ...]) -> str:
    # Consul reads flags such as `recurse`, `raw` and `stale` by presence: send them bare.
    return "&".join(
        percent_encode(name) + ("=" + percent_encode(value) if value else "")
        for name, value in params
    )


def _forms(secret: str) -> tuple[str, ...]:
    """`secret` as written and as escaped in a path."""
    return tuple(dict.fromkeys((secret, quote(secret, safe=""))))


SHOWN_PATH_LIMIT = 300
"""How many characters of a path a message shows; a longer path (a key of a megabyte) is cut."""


def shortened(path: str) -> str:
    """`path` as a message shows it: at most `SHOWN_PATH_LIMIT` characters, then its length."""
    if len(path) <= SHOWN_PATH_LIMIT:
        return path
    return f"{path[:SHOWN_PATH_LIMIT]}...({len(path):,} characters)"


def hide(text: str, secret: str) -> str:
    """`text` with `secret` replaced by `REDACTED`, as written and as escaped in a path (not
    inside a `REDACTED` put there before, which a short secret could otherwise break up).
    """
    pieces = text.split(REDACTED)
    for form in _forms(secret):
        pieces = [piece.replace(form, REDACTED) for piece in pieces]
    return REDACTED.join(pieces)


class _RequestSlots:
    """`Request`'s slots, which `Request.of` fills by plain assignment before it makes the
    object a `Request` (attrs reuses a base class's slots).
    """

    __slots__ = (
        "__weakref__",
        "body",
        "defaults",
        "headers",
        "hidden",
        "method",
        "params",
        "path",
        "timeout",
    )
    method: str
    path: str
    params: tuple[tuple[str, str], ...]
    headers: Headers
    body: bytes | None
    timeout: float | None
    defaults: frozenset[str]
    hidden: tuple[str, ...]


@attrs.frozen
class Request(_RequestSlots):
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
        hidden: Secrets that the path holds (a legacy ACL token's ID), left out of what is
            shown of the request (`shown_path`, `shown_target`) and of its errors.
    """

    method: str
    path: str
    params: tuple[tuple[str, str], ...] = ()
    headers: Headers = attrs.field(default=_NO_HEADERS, converter=_to_headers)
    body: bytes | None = None
    timeout: float | None = None
    defaults: frozenset[str] = frozenset()
    hidden: tuple[str, ...] = attrs.field(default=(), eq=False)

    def __repr__(self) -> str:
        # Written here, not by attrs: the path shown is `shown_path` (a legacy token's ID is a
        # secret), the body only by its size, and `hidden` not at all.
        body = f"<{len(self.body)} bytes>" if self.body else "None"
        return (
            f"Request(method={self.method!r}, path={self.shown_path!r}, params={self.params!r}, "
            f"headers={self.headers!r}, body={body}, timeout={self.timeout!r}, "
            f"defaults={self.defaults!r})"
        )

    @staticmethod
    def of(
        method: str,
        path: str,
        params: tuple[tuple[str, str], ...],
        headers: Headers,
        body: bytes | None,
        timeout: float | None,
        defaults: frozenset[str],
        hidden: tuple[str, ...] = (),
    ) -> Request:
        """The request of these fields (the attributes above, `headers` already a `Headers`:
        no conversion is made), built for a hot path: ``Request(...)`` sets each field of the
        frozen class through ``object.__setattr__``, about three times the cost of the plain
        assignments made here (a tenth of a KV GET's core work).

        Returns:
            The request, equal to ``Request(...)`` of the same fields.
        """
        request = _RequestSlots()
        request.method, request.path, request.params = method, path, params
        request.headers, request.body, request.timeout = headers, body, timeout
        request.defaults, request.hidden = defaults, hidden
        request.__class__ = Request
        return request  # type: ignore[return-value]  # a Request now (no cast: it costs a call)

    @property
    def target(self) -> str:
        """The request target: the path and the encoded query string."""
        return f"{self.path}?{_encode_query(self.params)}" if self.params else self.path

    @property
    def secrets_in_path(self) -> tuple[str, ...]:
        """The secrets the path holds: those of `hidden`, and the request's token if one of
        the path's segments is that token (a secret ID given where an accessor ID belongs).
        """
        token = self.token
        if token and not set(_forms(token)).isdisjoint(self.path.split("/")):
            return (*self.hidden, token)
        return self.hidden

    @property
    def shown_path(self) -> str:
        """The path as it may be shown (in a message, a log record, a trace): its secrets
        (`secrets_in_path`) replaced, and `shortened`.
        """
        path = self.path
        for secret in self.secrets_in_path:
            path = hide(path, secret)
        return shortened(path)

    @property
    def shown_target(self) -> str:
        """The target as it may be shown: `shown_path` and the query string (which never holds
        a secret: the token travels in a header).
        """
        path = self.shown_path
        return f"{path}?{_encode_query(self.params)}" if self.params else path

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
        params = self.params
        return (
            bool(params) and self.method in _READS and any(name in _BLOCKING for name, _ in params)
        )

    def param(self, name: str) -> str | None:
        """Return the value of the query parameter `name`, or None when it is absent."""
        return next((value for key, value in self.params if key == name), None)


class _ResponseSlots:
    """`Response`'s slots, which `Response.of` fills (as `_RequestSlots`)."""

    __slots__ = ("__weakref__", "body", "headers", "status")
    status: int
    headers: Headers
    body: bytes


@attrs.frozen
class Response(_ResponseSlots):
    """One HTTP response from a Consul agent, as a transport received it.

    Attributes:
        status: The HTTP status code.
        headers: Response headers, case-insensitive.
        body: The whole body.
    """

    status: int
    headers: Headers = attrs.field(default=_NO_HEADERS, converter=_to_headers)
    body: bytes = attrs.field(default=b"", repr=lambda b: f"<{len(b)} bytes>")

    @staticmethod
    def of(status: int, headers: Headers, body: bytes) -> Response:
        """The response of these fields (`headers` already a `Headers`), built for a
        transport's hot path at about half the cost of ``Response(...)`` (see `Request.of`).

        Returns:
            The response, equal to ``Response(...)`` of the same fields.
        """
        response = _ResponseSlots()
        response.status, response.headers, response.body = status, headers, body
        response.__class__ = Response
        return response  # type: ignore[return-value]  # a Response now
