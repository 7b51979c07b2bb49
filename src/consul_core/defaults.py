"""Client-wide defaults (token, datacenter, consistency), applied to a request purely."""

from __future__ import annotations

from typing import Any

import attrs

from consul_core import _params
from consul_core.http import TOKEN_HEADER, Request

__all__ = ["ClientDefaults"]

_CONSISTENCY_FLAGS = frozenset({"consistent", "stale"})


def _check_consistency(_: Any, __: Any, value: str | None) -> None:
    if value is not None:
        _params.add_consistency([], value)


def _check_token(_: Any, __: Any, value: str | None) -> None:
    if value:  # empty means none, as for the consul CLI
        _params.check_token(value)


def _check_dc(_: Any, __: Any, value: str | None) -> None:
    if value is not None:
        _params.check_str(value, "dc", empty=True)


@attrs.frozen
class ClientDefaults:
    """What a client adds to every request that does not say otherwise.

    Raises:
        UsageError: The token cannot travel as a header value, or an argument is invalid.

    Attributes:
        token: The ACL token, sent as ``X-Consul-Token`` unless the call names its own.
        dc: The datacenter, for endpoints that take ``dc``.
        consistency: The consistency mode, for reads that take one.
    """

    token: str | None = attrs.field(default=None, repr=False, validator=_check_token)
    dc: str | None = attrs.field(default=None, validator=_check_dc)
    consistency: str | None = attrs.field(default=None, validator=_check_consistency)

    def apply(self, request: Request) -> Request:
        """Return `request` with the defaults it lacks and accepts."""
        params = request.params
        if self.dc and "dc" in request.defaults and request.param("dc") is None:
            params = (*params, ("dc", self.dc))
        if (
            self.consistency
            and self.consistency != "default"
            and "consistency" in request.defaults
            and not any(name in _CONSISTENCY_FLAGS for name, _ in params)
        ):
            params = (*params, (self.consistency, ""))
        headers = request.headers
        if self.token:
            headers = headers.merged({TOKEN_HEADER: self.token})
        if params is request.params and headers is request.headers:
            return request
        return Request(
            request.method,
            request.path,
            params,
            headers,
            request.body,
            request.timeout,
            request.defaults,
        )
