"""No secret in an error (no I/O): neither a token read back in a body that fails to decode,
nor the request's token or a legacy token's ID cut in two by the error text's limit, appears in
an error's text, message, repr, traceback or log record.
"""

from __future__ import annotations

import io
import json
import logging
import traceback

import pytest

from consul_core import ClientDefaults, Response, ResponseError, UnexpectedResponse
from consul_core.call import Call
from consul_core.endpoints import acl, acl_tokens, kv

ACCESSOR = "6a1253d2-1785-24fd-91c2-f8e78c745511"
SECRET = "45a3bd52-07c7-47a4-52fd-0745e0cfe967"
LIMIT = 500  # errors.py cuts an error body's text after this many characters


def _everything_shown(error: BaseException) -> str:
    """Every text a user or a log may see of `error`: str, repr, its traceback, a log record."""
    stream = io.StringIO()
    logger = logging.getLogger("test_error_secrets")
    handler = logging.StreamHandler(stream)
    logger.addHandler(handler)
    try:
        logger.error("failed", exc_info=error)
    finally:
        logger.removeHandler(handler)
    texts = [str(error), repr(error), "".join(traceback.format_exception(error)), stream.getvalue()]
    if isinstance(error, ResponseError):
        texts += [error.text, error.path]
    return "\n".join(texts)


def _assert_no_fragment(shown: str, secret: str, size: int = 4) -> None:
    for start in range(len(secret) - size + 1):
        assert secret[start : start + size] not in shown, secret[start : start + size]


def _raised(call: Call[object], response: Response) -> ResponseError:
    with pytest.raises(ResponseError) as raised:
        call.parse(response)
    return raised.value


@pytest.mark.parametrize(
    "neighbour",
    [
        {"Description": 5},
        {"Policies": {"ID": "p"}},
        {"ExpirationTTL": 1e300},
        {"CreateTime": "not a time"},
        {"ServiceIdentities": [{"ServiceName": ["api"]}]},
        {"SecretID": [SECRET]},
    ],
)
def test_a_secret_read_back_never_shows_in_the_error_of_its_body(
    neighbour: dict[str, object],
) -> None:
    body = json.dumps({"AccessorID": ACCESSOR, "SecretID": SECRET, **neighbour}).encode()
    for call in (acl_tokens.read(ACCESSOR), acl_tokens.create()):
        error = _raised(call, Response(200, {}, body))
        assert isinstance(error, UnexpectedResponse)
        assert error.__cause__ is None and error.__context__ is None
        assert error.__suppress_context__
        _assert_no_fragment(_everything_shown(error), SECRET)


def test_a_value_that_fails_to_decode_is_described_by_its_type_only() -> None:
    body = json.dumps([{"Key": "k", "Flags": SECRET}]).encode()
    error = _raised(kv.get("k"), Response(200, {}, body))
    assert error.text.endswith("KeyValue.Flags: expected an integer, got a string")
    _assert_no_fragment(_everything_shown(error), SECRET)


@pytest.mark.parametrize("offset", range(LIMIT - len(SECRET) - 2, LIMIT + 3))
@pytest.mark.parametrize("status", [500, 403, 200])
def test_the_request_token_cut_by_the_limit_leaves_no_fragment(offset: int, status: int) -> None:
    body = ("x" * offset + SECRET + "y" * 600).encode()
    error = _raised(acl_tokens.read_self(token=SECRET), Response(status, {}, body))
    _assert_no_fragment(_everything_shown(error), SECRET)


@pytest.mark.parametrize("offset", range(LIMIT - len(SECRET) - 2, LIMIT + 3))
@pytest.mark.parametrize("status", [500, 403, 404])
def test_a_legacy_token_id_cut_by_the_limit_leaves_no_fragment(offset: int, status: int) -> None:
    body = ("x" * offset + SECRET + "y" * 600).encode()
    error = _raised(acl.info(SECRET), Response(status, {}, body))
    shown = _everything_shown(error)
    _assert_no_fragment(shown, SECRET)
    assert error.path == "/v1/acl/info/<redacted>"
    assert str(error).startswith(f"{status} GET /v1/acl/info/<redacted>: xxx")
    assert len(error.text) <= LIMIT + len("<redacted>...")


def test_a_legacy_token_id_is_redacted_in_its_escaped_form_too() -> None:
    secret = "my secret/id"
    error = _raised(acl.destroy(secret), Response(500, {}, f"no token {secret}".encode()))
    shown = _everything_shown(error)
    assert secret not in shown and "my%20secret%2Fid" not in shown
    assert error.path == "/v1/acl/destroy/<redacted>"
    assert error.text == "no token <redacted>"


def test_a_short_error_body_keeps_its_text() -> None:
    error = _raised(acl.info(SECRET), Response(403, {}, b"ACL not found"))
    assert str(error) == "403 GET /v1/acl/info/<redacted>: ACL not found"


PASSWORD = "pw-24df7a03510f4e2b"


@pytest.mark.parametrize("offset", range(LIMIT - len(PASSWORD) - 2, LIMIT + 3))
@pytest.mark.parametrize("token", [SECRET, "4" + SECRET[1:], "f4" + SECRET[2:]])
def test_the_client_s_secrets_cut_by_the_limit_leave_no_fragment(offset: int, token: str) -> None:
    # The token may start with the characters the password's cut start ends on: removing the
    # token's "start" first must not hide the password's from its own removal.
    defaults = ClientDefaults(token=token, auth=("user", PASSWORD))
    body = ("x" * offset + PASSWORD + "y" * 600).encode()
    error = _raised(kv.get("k"), Response(502, {}, body))
    defaults.redact(error)
    shown = _everything_shown(error)
    _assert_no_fragment(shown, PASSWORD)
    _assert_no_fragment(shown, token)
    assert error.text.startswith("xxx") and len(error.text) <= LIMIT + len("<redacted>...")


def test_the_clients_secrets_are_taken_out_of_an_error_by_its_defaults_parse() -> None:
    # An embedder sends `defaults.apply(call.request)`: the call itself never held the client's
    # token or credentials, so only the defaults can take them out of what the agent echoes.
    defaults = ClientDefaults(token=SECRET, auth=("admin", "pa55-w0rd-xyz"))
    call = kv.get("k")
    sent = defaults.apply(call.request)
    echoed = f"denied {SECRET} for {sent.headers['Authorization']} (admin:pa55-w0rd-xyz)"
    response = Response(403, {}, echoed.encode())
    with pytest.raises(ResponseError) as raised:
        defaults.parse(call, response)
    shown = _everything_shown(raised.value)
    for secret in (SECRET, "pa55-w0rd-xyz", sent.headers["Authorization"].split()[1]):
        _assert_no_fragment(shown, secret)
    assert defaults.parse(call, Response(200, {}, b'[{"Key": "k"}]'))[0].key == "k"
    # Call.parse alone knows no client secret.
    assert SECRET in str(_raised(call, response))
