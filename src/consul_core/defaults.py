"""Client-wide defaults, applied to a request purely: the token, datacenter, consistency,
namespace and partition a call does not give; basic-auth credentials and extra headers; and the
path prefix of an agent behind a reverse proxy.

Rules:
- A call's own value wins: a default is added only where the request lacks it, and a parameter
  default only where the endpoint accepts it (`Request.defaults`).
- Extra headers never replace what the request carries (its token, its ``Cache-Control``), nor
  the client's token: ``X-Consul-Token`` is refused among them (``token=`` sets it), and so are
  the headers a transport writes itself (``Host``, ``Content-Length``, ``Transfer-Encoding``,
  ``Connection``, ``Accept-Encoding``), and ``Authorization`` when ``auth`` sets it.
- The secrets (the token, the basic-auth password and credentials, the value of an
  ``Authorization`` or ``Proxy-Authorization`` header) never appear in a repr, and `redact`
  takes them out of an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

import attrs

from consul_core import _params
from consul_core._kept import keep, kept_read
from consul_core.call import Call
from consul_core.errors import ResponseError, UsageError
from consul_core.http import TOKEN_HEADER, Headers, Request, Response

__all__ = ["ClientDefaults"]

T = TypeVar("T")

_CONSISTENCY_FLAGS = frozenset({"consistent", "stale"})
_OWNED_HEADERS = frozenset(
    {"host", "content-length", "transfer-encoding", "connection", "accept-encoding"}
)
_SECRET_HEADERS = ("authorization", "proxy-authorization")
# A path prefix: segments of URL path characters (RFC 3986 pchar, "%" escapes as given).
_PREFIX = re.compile(r"(?:/[A-Za-z0-9\-._~!$&'()*+,;=:@%]+)*")


def _check_consistency(_: Any, __: Any, value: str | None) -> None:
    if value is not None:
        _params.add_consistency([], value)


def _check_token(_: Any, __: Any, value: str | None) -> None:
    if value:  # empty means none, as for the consul CLI
        _params.check_token(value)


def _check_name(_: Any, attribute: attrs.Attribute[str | None], value: str | None) -> None:
    if value is not None:
        _params.check_str(value, attribute.name, empty=True)


def _check_prefix(_: Any, __: Any, value: str) -> None:
    if not isinstance(value, str) or not _PREFIX.fullmatch(value):
        raise UsageError(
            f"path_prefix must be empty or '/segment/...' of URL path characters, without a "
            f"trailing '/', not {value!r}"
        )


def _to_auth(value: object) -> tuple[str, str] | None:
    return None if value is None else _params.check_basic_auth(value)


def _to_headers(value: Mapping[str, str] | Iterable[tuple[str, str]]) -> Headers:
    pairs = value.items() if isinstance(value, Mapping) else value
    checked = [_params.check_header(name, item) for name, item in pairs]
    for name, _ in checked:
        lowered = name.lower()
        if lowered == TOKEN_HEADER.lower():
            raise UsageError(f"headers must not set {name}: give the token as token=")
        if lowered in _OWNED_HEADERS:
            raise UsageError(f"headers must not set {name}: the transport writes it")
    return Headers(checked)


@attrs.frozen
class ClientDefaults:
    """What a client adds to every request that does not say otherwise.

    Raises:
        UsageError: The token or a header cannot travel as a header value, or an argument is
            invalid.

    Attributes:
        token: The ACL token, sent as ``X-Consul-Token`` unless the call names its own.
        dc: The datacenter, for endpoints that take ``dc``.
        consistency: The consistency mode, for reads that take one.
        namespace: The namespace (Consul Enterprise), sent as ``ns`` to endpoints that take it.
        partition: The admin partition (Consul Enterprise), for endpoints that take one.
        auth: HTTP basic-auth credentials, ``(user, password)`` (or ``"user:password"``),
            sent as ``Authorization: Basic ...`` on every request.
        headers: Extra headers sent on every request (for a proxy in front of the agent).
        path_prefix: A path in front of every request's ``/v1/...`` (``"/consul"``), for an
            agent behind a reverse proxy that strips it.
    """

    token: str | None = attrs.field(default=None, repr=False, validator=_check_token)
    dc: str | None = attrs.field(default=None, validator=_check_name)
    consistency: str | None = attrs.field(default=None, validator=_check_consistency)
    namespace: str | None = attrs.field(default=None, validator=_check_name)
    partition: str | None = attrs.field(default=None, validator=_check_name)
    auth: tuple[str, str] | None = attrs.field(default=None, repr=False, converter=_to_auth)
    headers: Headers = attrs.field(factory=Headers, converter=_to_headers)
    path_prefix: str = attrs.field(default="", validator=_check_prefix)
    # What `apply` merges into each request's headers and adds to its parameters (the query
    # defaults that are set, and the consistency flag), and the texts `redact` takes out.
    _sent: Headers | None = attrs.field(init=False, repr=False, eq=False)
    _query: tuple[tuple[str, str], ...] = attrs.field(init=False, repr=False, eq=False)
    _flag: str | None = attrs.field(init=False, repr=False, eq=False)
    _secrets: tuple[str, ...] = attrs.field(init=False, repr=False, eq=False)
    # The requests `apply` completed, by the identity of the request given (`_kept`).
    _completed: dict[int, tuple[Request, Request]] = attrs.field(
        init=False, repr=False, eq=False, factory=dict
    )

    def __attrs_post_init__(self) -> None:
        sent = dict(self.headers.items())
        secrets = [self.token or ""]
        if self.token:
            sent[TOKEN_HEADER] = self.token
        if self.auth is not None:
            if "authorization" in self.headers:
                raise UsageError("headers must not set Authorization when auth is given")
            sent["Authorization"] = _params.basic_auth_value(*self.auth)
            secrets.append(self.auth[1])
        merged = Headers(sent)
        for name in _SECRET_HEADERS:
            if value := merged.get(name):  # the whole value, and the credentials after the scheme
                secrets += [value, value.partition(" ")[2]]
        object.__setattr__(self, "_sent", merged or None)  # None: no Headers.__len__ per call
        pairs = (("dc", self.dc), ("ns", self.namespace), ("partition", self.partition))
        object.__setattr__(self, "_query", tuple((k, v) for k, v in pairs if v))
        flag = None if self.consistency == "default" else self.consistency
        object.__setattr__(self, "_flag", flag)
        object.__setattr__(self, "_secrets", tuple(s for s in dict.fromkeys(secrets) if s))

    def apply(self, request: Request) -> Request:
        """Return `request` with the defaults it lacks and accepts, behind the path prefix."""
        # A read kept by its builder (`_kept`) comes again as the same request: so does what
        # it became here. (Checked to be that request: in a copy of these defaults, pickled
        # or deep-copied, another object may have the id of one the entries were made for.)
        completed = self._completed.get(id(request))
        if completed is not None and completed[0] is request:
            return completed[1]
        params = request.params
        accepts = request.defaults
        if accepts:
            for name, value in self._query:
                if name in accepts and request.param(name) is None:
                    params = (*params, (name, value))
            flag = self._flag
            if (
                flag
                and "consistency" in accepts
                and not any(name in _CONSISTENCY_FLAGS for name, _ in params)
            ):
                params = (*params, (flag, ""))
        sent = self._sent
        headers = request.headers.merged(sent) if sent is not None else request.headers
        if params is request.params and headers is request.headers and not self.path_prefix:
            result = request
        else:
            result = Request.of(
                request.method,
                self.path_prefix + request.path,
                params,
                headers,
                request.body,
                request.timeout,
                request.defaults,
                request.hidden,
            )
        if kept_read(request):
            keep(self._completed, id(request), (request, result))
        return result

    def redact(self, error: ResponseError) -> None:
        """Take the client's secrets out of `error` (the call knows only its own token)."""
        for secret in self._secrets:
            error.redact(secret)

    def parse(self, call: Call[T], response: Response) -> T:
        """`call`'s result for `response`, the reply to the request `apply` made of its
        request: `Call.parse`, with the client's secrets taken out of an error too.

        Raises:
            ResponseError: The typed error for an error reply, with neither the call's nor
                the client's secrets (its token, its basic-auth credentials) in it.
        """
        try:
            return call.parse(response)
        except ResponseError as error:
            self.redact(error)
            raise
