"""The sans-IO shapes: Request, Response, Headers, Call.parse and the error mapping."""

from __future__ import annotations

import copy
import pickle
from urllib.parse import quote

import pytest

from consul_core import (
    BadRequest,
    Call,
    ClientDefaults,
    Conflict,
    Headers,
    NotFound,
    PermissionDenied,
    RateLimited,
    Request,
    RequestTooLarge,
    Response,
    ResponseError,
    ServerError,
    TransactionError,
    TxnError,
    UnexpectedResponse,
    error_for_response,
)
from consul_core.endpoints import acl, acl_tokens
from consul_core.http import hide

SECRET = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"


def test_headers_are_case_insensitive_and_hide_the_token() -> None:
    headers = Headers({"X-Consul-Token": SECRET, "Content-Type": "a"})
    assert headers["x-consul-token"] == SECRET
    assert "CONTENT-TYPE" in headers
    assert SECRET not in repr(headers)
    assert headers == {"content-type": "a", "x-consul-token": SECRET}
    assert headers.merged({"content-type": "b", "Accept": "c"})["Content-Type"] == "a"


def test_headers_from_a_parsers_fields() -> None:
    fields = {b"X-Consul-Index": b"42", b"Date": b"Mon, 1 Jan", b"x-consul-index": b"43"}
    headers = Headers.from_fields(fields)
    assert headers["X-CONSUL-INDEX"] == "43"  # the last of a name, whatever its case
    assert headers.get("date") == "Mon, 1 Jan" and headers.get("age") is None
    assert list(headers) == ["x-consul-index", "Date"]
    assert headers == {"x-consul-index": "43", "date": "Mon, 1 Jan"}
    assert headers.raw_values((b"X-Consul-Index", b"Date", b"Age")) == [b"43", b"Mon, 1 Jan", None]
    as_go_writes = Headers.from_fields({b"X-Consul-Index": b"7", b"X-Latin": b"caf\xe9"})
    assert as_go_writes.raw_values((b"X-Latin", b"X-Consul-Index", b"Age")) == [
        b"caf\xe9",
        b"7",
        None,
    ]
    by_hand = Headers({"x-latin": "café", "X-Greek": "\u03b1"})
    assert by_hand.raw_values((b"X-Latin", b"X-Greek")) == [b"caf\xe9", b"?"]
    assert Headers.from_fields({b"X-Latin": b"caf\xe9"})["x-latin"] == "café"
    assert Headers.from_fields({}) == {}
    bad = Headers.from_fields({b"X-Bad": b"a\x00b"})
    with pytest.raises(ValueError):  # on the first read: a reply's headers are decoded then
        bad.get("x-bad")


def test_request_target_encodes_bare_flags_and_values() -> None:
    request = Request("GET", "/v1/kv/a", (("recurse", ""), ("filter", 'Key == "x y"')))
    assert request.target == "/v1/kv/a?recurse&filter=Key%20%3D%3D%20%22x%20y%22"
    assert Request("GET", "/v1/x").target == "/v1/x"


def test_request_repr_never_shows_the_token() -> None:
    request = Request("PUT", "/v1/kv/a", headers={"X-Consul-Token": SECRET}, body=b"secret-body")
    assert SECRET not in repr(request)
    assert "secret-body" not in repr(request)
    assert request.token == SECRET


@pytest.mark.parametrize("legacy_id", [SECRET, "my secret/id"])
def test_a_request_s_repr_hides_the_secret_its_path_holds(legacy_id: str) -> None:
    # A legacy token's ID is its secret; a repr reaches event hooks and their logs.
    defaults = ClientDefaults(token="t", dc="dc1")
    for call in (acl.info(legacy_id), acl.clone(legacy_id), acl.destroy(legacy_id)):
        request = defaults.apply(call.request)
        assert quote(legacy_id, safe="") in request.path  # sent as it is
        for shown in (repr(request), repr(call)):
            assert legacy_id not in shown and quote(legacy_id, safe="") not in shown
            assert f"path='{request.shown_path}'" in shown
        assert repr(request) == (
            f"Request(method={request.method!r}, path='{request.shown_path}', "
            "params=(('dc', 'dc1'),), headers=Headers({'X-Consul-Token': '<redacted>'}), "
            f"body=None, timeout=None, defaults={request.defaults!r})"
        )


@pytest.mark.parametrize("token", [SECRET, "my secret token"])
def test_a_request_whose_path_holds_its_own_token_shows_it_nowhere(token: str) -> None:
    # A secret ID given where an accessor ID belongs: the path holds the request's token.
    defaults = ClientDefaults(token=token)
    request = defaults.apply(acl_tokens.read(token).request)
    assert quote(token, safe="") in request.path  # sent as it is
    assert request.secrets_in_path == (token,)
    assert request.shown_path == "/v1/acl/token/<redacted>"
    assert request.shown_target == "/v1/acl/token/<redacted>"
    assert token not in repr(request) and quote(token, safe="") not in repr(request)
    error = error_for_response(request, Response(403, body=b"Permission denied"))
    assert error.path == "/v1/acl/token/<redacted>"
    assert token not in str(error) and quote(token, safe="") not in str(error)
    # A path without it, or a request without a token, hides nothing.
    other = "11111111-2222-3333-4444-555555555555"
    assert defaults.apply(acl_tokens.read(other).request).secrets_in_path == ()
    assert acl_tokens.read(token).request.secrets_in_path == ()
    # A token that is a part of a segment only ("t" of "token") leaves the path as it is; and
    # a secret hidden does not break up a redaction made before.
    short = ClientDefaults(token="t").apply(acl_tokens.read(other).request)
    assert short.shown_path == f"/v1/acl/token/{other}"
    assert hide("/v1/kv/<redacted>/a-t", "t") == "/v1/kv/<redacted>/a-<redacted>"


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, BadRequest),
        (403, PermissionDenied),
        (404, NotFound),
        (409, Conflict),
        (429, RateLimited),
        (500, ServerError),
        (503, ServerError),
        (418, ResponseError),
    ],
)
def test_error_for_status(status: int, kind: type[ResponseError]) -> None:
    request = Request("GET", "/v1/kv/k", headers={"X-Consul-Token": SECRET})
    error = error_for_response(request, Response(status, {"X-Consul-Index": "12"}, b"nope"))
    assert type(error) is kind
    assert (error.status, error.method, error.path, error.text) == (
        status,
        "GET",
        "/v1/kv/k",
        "nope",
    )
    assert error.meta.index == 12
    assert str(error) == f"{status} GET /v1/kv/k: nope"


def test_a_500_that_reports_a_denial_is_permission_denied() -> None:
    request = Request("GET", "/v1/agent/self")
    response = Response(500, {}, b"rpc error making call: Permission denied")
    assert isinstance(error_for_response(request, response), PermissionDenied)


def test_error_text_has_the_token_scrubbed_and_is_trimmed() -> None:
    request = Request("GET", "/v1/acl/token/self", headers={"X-Consul-Token": SECRET})
    error = error_for_response(request, Response(403, {}, f"token {SECRET} bad".encode() * 100))
    assert SECRET not in str(error)
    assert len(error.text) <= 503


def test_call_parse_maps_decode_failures_to_unexpected_response() -> None:
    call = Call(Request("GET", "/v1/status/leader"), lambda r: int(r.body))
    assert call.parse(Response(200, {}, b"12")) == 12
    with pytest.raises(UnexpectedResponse) as caught:
        call.parse(Response(200, {}, b"not a number"))
    assert "GET /v1/status/leader" in str(caught.value)
    with pytest.raises(NotFound):
        call.parse(Response(404, {}, b""))


def test_call_on_error_hook_runs_before_the_common_mapping() -> None:
    request = Request("PUT", "/v1/txn")

    def special(req: Request, response: Response) -> ResponseError | None:
        return Conflict(req, response, "special") if response.status == 409 else None

    call = Call(request, lambda r: r.body, on_error=special)
    with pytest.raises(Conflict, match="special"):
        call.parse(Response(409, {}, b"x"))
    with pytest.raises(ServerError):
        call.parse(Response(500, {}, b"x"))


SENT = "Wed, 02 Dec 2026 04:00:00 GMT"  # the reply's Date


@pytest.mark.parametrize(
    ("status", "headers", "seconds"),
    [
        (429, {"Retry-After": "3"}, 3.0),
        (503, {"Retry-After": " 120 "}, 120.0),
        (429, {"Retry-After": "0"}, 0.0),
        # A date is taken against the reply's own Date: no clock is read.
        (
            503,
            {"Retry-After": "Wed, 02 Dec 2026 04:00:07 GMT", "Date": SENT},
            7.0,
        ),
        (
            429,
            {"Retry-After": "Wed, 02 Dec 2026 03:59:00 GMT", "Date": SENT},
            0.0,
        ),
        (429, {"Retry-After": "Wed, 02 Dec 2026 04:00:07 GMT"}, None),  # no Date to take it from
        (429, {"Retry-After": "soon", "Date": SENT}, None),
        (429, {"Retry-After": "-3"}, None),
        (429, {"Retry-After": "1.5"}, None),  # delay-seconds are whole
        (429, {"Retry-After": "٣"}, None),  # a digit, but not an ASCII one
        (429, {}, None),
        (500, {"Retry-After": "3"}, None),  # only a 429's and a 503's have a meaning
        (404, {"Retry-After": "3"}, None),
    ],
)
def test_retry_after(status: int, headers: dict[str, str], seconds: float | None) -> None:
    error = error_for_response(Request("GET", "/v1/kv/k"), Response(status, headers, b"busy"))
    assert error.retry_after == seconds


@pytest.mark.parametrize("status", [400, 403, 404, 409, 413, 429, 500, 503, 418])
def test_response_errors_survive_pickle_and_copy(status: int) -> None:
    # As a worker process sends them back (concurrent.futures pickles what a call raised).
    request = Request("GET", "/v1/kv/k", headers={"X-Consul-Token": SECRET})
    body = f"nope {SECRET}".encode()
    error = error_for_response(request, Response(status, {"Retry-After": "3"}, body))
    for kept in (pickle.loads(pickle.dumps(error)), copy.copy(error), copy.deepcopy(error)):
        assert type(kept) is type(error)
        assert (str(kept), kept.args, vars(kept)) == (str(error), error.args, vars(error))
        assert SECRET not in repr(kept)


def test_a_transaction_error_survives_pickle_with_its_errors() -> None:
    error = TransactionError(
        Request("PUT", "/v1/txn"), Response(409, {}, b""), [TxnError(0, "key is locked")]
    )
    kept = pickle.loads(pickle.dumps(error))
    assert (type(kept), kept.errors, str(kept)) == (
        TransactionError,
        [TxnError(0, "key is locked")],
        "409 PUT /v1/txn: operation 0: key is locked",
    )


def test_a_long_path_is_cut_in_messages_but_kept_whole() -> None:
    path = "/v1/kv/" + "k" * 5_000
    request = Request("PUT", path)
    error = error_for_response(request, Response(431, {}, b"431 Request Header Fields Too Large"))
    assert isinstance(error, RequestTooLarge) and error.path == path
    assert str(error) == (
        f"431 PUT {path[:300]}...(5,007 characters): 431 Request Header Fields Too Large"
    )
    assert request.shown_path == f"{path[:300]}...(5,007 characters)"
    assert len(repr(request)) < 500


@pytest.mark.parametrize(
    "date",
    [
        "Wed, 02 Dec 2026 04:00:07 UTC",  # not GMT
        "Wed, 31 Feb 2026 04:00:07 GMT",  # no such day
        "Wed, 02 Dez 2026 04:00:07 GMT",  # no such month
        "Wed, 02 Dec 2026 04:00 GMT",
        "Wed, 02 Dec 2026 4:00:07:1 GMT",
        "Wed, ٠٢ Dec 2026 04:00:07 GMT",  # digits, but not ASCII ones
        "Wednesday, 02-Dec-26 04:00:07 GMT",  # RFC 850's obsolete form: not sent since 1999
    ],
)
def test_a_retry_after_date_that_does_not_parse_is_none(date: str) -> None:
    headers = {"Retry-After": date, "Date": SENT}
    error = error_for_response(Request("GET", "/v1/kv/k"), Response(503, headers, b"busy"))
    assert error.retry_after is None
