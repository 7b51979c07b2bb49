"""How httpx's errors become the client's: one mapping for whole and streamed exchanges."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from consul_core import ConnectError, Timeout, TransportError, UsageError

__all__ = ["mapped_errors"]


@contextmanager
def mapped_errors() -> Iterator[None]:
    """Turn httpx's errors raised inside the block into `ConsulError`s (never showing a header
    value: the token is one).
    """
    try:
        yield
    except (httpx.TimeoutException, TimeoutError) as exc:
        raise Timeout(f"the agent did not answer in time ({type(exc).__name__})") from exc
    except httpx.ConnectError as exc:
        raise ConnectError(f"cannot connect to the agent: {exc}") from exc
    except httpx.LocalProtocolError:  # its message shows the offending header value: the token
        raise TransportError("the request cannot be sent: an invalid header or target") from None
    except httpx.HTTPError as exc:
        raise TransportError(f"{type(exc).__name__}: {exc}") from exc
    except OSError as exc:  # httpcore's anyio backend lets a TLS alert's SSLError through
        raise TransportError(f"{type(exc).__name__}: {exc}") from exc
    except UnicodeEncodeError:  # a header value (the token) that is not ASCII; never shown
        raise TransportError("the request cannot be sent: a header value is not ASCII") from None
    except RuntimeError as exc:  # httpx's client was closed (by its owner), or misused
        raise UsageError(f"the httpx client cannot send: {exc}") from None
