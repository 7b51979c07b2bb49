"""Client configuration from arguments and the CONSUL_* environment (explicit beats environment)."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import httpx
import pytest
import trustme
from cryptography.hazmat.primitives import serialization

from consul_core import UsageError
from consul_core.endpoints import agent, catalog, kv, query
from consul_transports._config import load_config


def test_defaults() -> None:
    config = load_config(env={})
    assert config.base_url == "http://127.0.0.1:8500"
    assert config.defaults.token is None and config.uds is None


@pytest.mark.parametrize(
    ("address", "url"),
    [
        ("http://10.0.0.1:8501", "http://10.0.0.1:8501"),
        ("https://consul.example:8501", "https://consul.example:8501"),
        ("127.0.0.2:9000", "http://127.0.0.2:9000"),
        ("[::1]:8500", "http://[::1]:8500"),
        ("localhost", "http://localhost:8500"),
        # A URL's ports when the scheme is written, as Go has them (a proxy: http://gateway).
        ("http://gateway/consul", "http://gateway:80"),
        ("https://consul.example", "https://consul.example:443"),
    ],
)
def test_address_forms(address: str, url: str) -> None:
    assert load_config(address, env={}).base_url == url


@pytest.mark.parametrize(
    ("address", "url"),
    [
        ("10.0.0.1:8501", "https://10.0.0.1:8501"),
        ("consul.example", "https://consul.example:443"),
        # As Go: once TLS is asked for, an http:// address does not take it back.
        ("http://10.0.0.1:8501", "https://10.0.0.1:8501"),
    ],
)
def test_consul_http_ssl_makes_every_address_https(address: str, url: str) -> None:
    assert load_config(address, env={"CONSUL_HTTP_SSL": "true"}).base_url == url
    assert load_config(env={"CONSUL_HTTP_SSL": "1", "CONSUL_HTTP_ADDR": address}).base_url == url


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("consul.test:8501", "consul.test"),  # as Go: without its port
        ("[::1]:8501", "::1"),
        ("::1", "::1"),
        ("server.dc1.consul", "server.dc1.consul"),
    ],
)
def test_the_tls_server_name_is_taken_without_a_port(name: str, expected: str) -> None:
    assert load_config(env={"CONSUL_TLS_SERVER_NAME": name}).tls.server_name == expected
    assert load_config(server_name=name, env={}).tls.server_name == expected


def test_an_empty_server_name_means_none_whatever_the_environment() -> None:
    env = {"CONSUL_TLS_SERVER_NAME": "from-env"}
    assert load_config(server_name="", env=env).tls.server_name is None


def test_an_error_in_consul_http_addr_names_it() -> None:
    with pytest.raises(UsageError, match=r"^CONSUL_HTTP_ADDR has an invalid port"):
        load_config(env={"CONSUL_HTTP_ADDR": "127.0.0.1:8500 "})
    with pytest.raises(UsageError, match=r"^address has an invalid port"):
        load_config("127.0.0.1:85x", env={})


@pytest.mark.parametrize("address", ["http://127.0.0.1:0", "127.0.0.1:0", "127.0.0.1:99999"])
def test_port_0_or_out_of_range_is_refused_as_written(address: str) -> None:
    # Port 0 was taken for none given: the calls, and their token, went to port 80 (or 8500).
    with pytest.raises(UsageError, match=rf"^address has an invalid port: '{address}'$"):
        load_config(address, env={})


@pytest.mark.parametrize("address", [" ", "http:// :8500", "a b:8500"])
def test_a_host_with_blanks_is_refused(address: str) -> None:
    with pytest.raises(UsageError, match="must be http://host:port"):
        load_config(address, env={})


def test_a_client_key_without_its_certificate_is_refused_as_in_go() -> None:
    with pytest.raises(UsageError, match="CONSUL_CLIENT_KEY is set without CONSUL_CLIENT_CERT"):
        load_config(env={"CONSUL_CLIENT_KEY": "/k.pem"})


def test_unix_socket_address() -> None:
    config = load_config("unix:///run/consul.sock", env={})
    assert config.uds == "/run/consul.sock"


@pytest.mark.parametrize(
    "address",
    [
        "ftp://x:1",
        "http://x:1/?q=1",
        "http://x:1/#f",
        "http://x:99999",
        "unix://",
        "http://[::1",  # urlsplit's ValueError, as a UsageError
        "http:/x:1",  # one slash: the host would be "http"
        "HTTPS:/x:1",
    ],
)
def test_bad_addresses(address: str) -> None:
    with pytest.raises(UsageError):
        load_config(address, env={})


@pytest.mark.parametrize(
    ("address", "url", "prefix"),
    [
        ("http://10.0.0.1:8500/consul", "http://10.0.0.1:8500", "/consul"),
        ("https://gw.example/consul/dc1/", "https://gw.example:443", "/consul/dc1"),
        ("gw.example:80/consul", "http://gw.example:80", "/consul"),
        ("http://10.0.0.1:8500/", "http://10.0.0.1:8500", ""),
    ],
)
def test_an_address_with_a_path_gives_the_prefix_of_every_request(
    address: str, url: str, prefix: str
) -> None:
    # As Go's api.NewClient splits Config.Address into the address and Config.PathPrefix.
    config = load_config(address, env={})
    assert (config.base_url, config.defaults.path_prefix) == (url, prefix)
    applied = config.defaults.apply(kv.get("k").request)
    assert applied.target == f"{prefix}/v1/kv/k"


@pytest.mark.parametrize("address", ["http://x:1/a//b", "http://x:1/a b", "http://x:1/a?"])
def test_a_prefix_that_is_not_a_clean_path_is_refused(address: str) -> None:
    with pytest.raises(UsageError):
        load_config(address, env={})


@pytest.mark.parametrize(
    "address",
    [
        "http://user:hunter2-secret@x:1",
        "http:/user:hunter2-secret@x:1",  # one slash: they would be the path prefix
        "user:hunter2-secret@x:1",
        "http://user:hunter2-secret@[::1",
        "x:1/user:hunter2-secret@y",
    ],
)
def test_an_address_with_credentials_is_refused_without_showing_them(address: str) -> None:
    with pytest.raises(UsageError, match="auth=") as caught:
        load_config(address, env={})
    assert "hunter2" not in str(caught.value) and caught.value.__context__ is None


def test_environment(tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text("from-file\n")
    env = {
        "CONSUL_HTTP_ADDR": "127.0.0.3:8600",
        "CONSUL_HTTP_SSL": "true",
        "CONSUL_HTTP_SSL_VERIFY": "false",
        "CONSUL_HTTP_TOKEN_FILE": str(token_file),
        "CONSUL_TLS_SERVER_NAME": "server.dc1.consul",
        "CONSUL_CLIENT_CERT": "/c.pem",
        "CONSUL_CLIENT_KEY": "/k.pem",
    }
    config = load_config(env=env)
    assert config.base_url == "https://127.0.0.3:8600"
    assert config.defaults.token == "from-file"
    assert config.tls.verify is False
    assert config.tls.server_name == "server.dc1.consul"
    assert (config.tls.cert_file, config.tls.key_file) == ("/c.pem", "/k.pem")


def test_the_token_file_wins_over_the_token_variable_as_in_go(tmp_path: Path) -> None:
    # Go's api.NewClient(api.DefaultConfig()) reads Config.TokenFile over Config.Token; an
    # empty file leaves the token variable's.
    token_file = tmp_path / "token"
    token_file.write_text("from-file\n")
    env = {"CONSUL_HTTP_TOKEN_FILE": str(token_file), "CONSUL_HTTP_TOKEN": "from-env"}
    assert load_config(env=env).defaults.token == "from-file"
    assert load_config(token="arg", env=env).defaults.token == "arg"
    token_file.write_text("\n")
    assert load_config(env=env).defaults.token == "from-env"


def test_explicit_arguments_beat_the_environment() -> None:
    env = {"CONSUL_HTTP_ADDR": "127.0.0.3:8600", "CONSUL_HTTP_TOKEN": "env", "CONSUL_CACERT": "/e"}
    config = load_config(
        "http://127.0.0.4:1", token="arg", verify="/ca.pem", cert=("/c", "/k"), env=env
    )
    assert config.base_url == "http://127.0.0.4:1"
    assert config.defaults.token == "arg"
    assert config.tls.ca_file == "/ca.pem"
    assert (config.tls.cert_file, config.tls.key_file) == ("/c", "/k")


def test_bad_environment_values_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        load_config(env={"CONSUL_HTTP_SSL_VERIFY": "maybe"})
    with pytest.raises(UsageError, match="TOKEN_FILE"):
        load_config(env={"CONSUL_HTTP_TOKEN_FILE": str(tmp_path / "absent")})
    with pytest.raises(UsageError):
        load_config(timeout=-1, env={})
    with pytest.raises(UsageError):
        load_config(consistency="eventual", env={})


SECRET = "b1gs3cret-0000-4000-8000-000000000000"


@pytest.mark.parametrize("text", [f"{SECRET}\n", f"{SECRET}\r\n", f"  {SECRET}\n\n", SECRET])
def test_a_token_file_is_stripped_as_the_cli_strips_it(tmp_path: Path, text: str) -> None:
    token_file = tmp_path / "token"
    token_file.write_bytes(text.encode())
    config = load_config(env={"CONSUL_HTTP_TOKEN_FILE": str(token_file)})
    assert config.defaults.token == SECRET


@pytest.mark.parametrize(
    ("source", "make_env"),
    [
        ("token", lambda path: {}),
        ("CONSUL_HTTP_TOKEN", lambda path: {"CONSUL_HTTP_TOKEN": f"{SECRET}\r\nX-Injected: 1"}),
        ("CONSUL_HTTP_TOKEN_FILE", lambda path: {"CONSUL_HTTP_TOKEN_FILE": path}),
    ],
)
def test_a_token_with_a_line_break_inside_is_refused_naming_its_source(
    tmp_path: Path, source: str, make_env: Any
) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(f"{SECRET}\nX-Injected: 1\n")
    token = f"{SECRET}\r\nX-Injected: 1" if source == "token" else None
    with pytest.raises(UsageError, match=f"^{source} must be visible ASCII") as caught:
        load_config(token=token, env=make_env(str(token_file)))
    assert SECRET not in str(caught.value)


def test_a_token_file_that_is_not_utf8_is_refused_without_its_bytes(tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_bytes(SECRET.encode() + b"\xff\n")
    with pytest.raises(UsageError, match="not UTF-8") as caught:
        load_config(env={"CONSUL_HTTP_TOKEN_FILE": str(token_file)})
    assert SECRET not in str(caught.value) and caught.value.__cause__ is None
    assert caught.value.__context__ is None  # the decoding error would hold the bytes


@pytest.mark.parametrize(
    ("options", "env"),
    [
        ({"token": f"{SECRET}\udcff"}, {}),
        ({}, {"CONSUL_HTTP_TOKEN": f"{SECRET}\udcff"}),  # a byte not UTF-8 (surrogateescape)
        ({"auth": ("user", f"{SECRET}\udcff")}, {}),
        ({}, {"CONSUL_HTTP_AUTH": f"user:{SECRET}\udcff"}),
    ],
)
def test_a_secret_utf8_cannot_encode_is_refused_without_keeping_it(
    options: dict[str, Any], env: dict[str, str]
) -> None:
    with pytest.raises(UsageError, match="lone surrogate") as caught:
        load_config(**options, env=env)
    # Nothing holds the secret: neither the message nor the encoding error, as a context.
    assert caught.value.__context__ is None and caught.value.__cause__ is None
    assert SECRET not in repr(caught.value) and SECRET not in str(caught.value)


def test_an_empty_token_file_or_argument_means_no_token(tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text("\n")
    assert load_config(env={"CONSUL_HTTP_TOKEN_FILE": str(token_file)}).defaults.token is None
    assert load_config(token="", env={"CONSUL_HTTP_TOKEN": SECRET}).defaults.token is None


def test_namespace_and_partition_from_the_environment_or_arguments() -> None:
    env = {"CONSUL_NAMESPACE": "team-a", "CONSUL_PARTITION": "part-1"}
    defaults = load_config(env=env).defaults
    assert (defaults.namespace, defaults.partition) == ("team-a", "part-1")
    defaults = load_config(namespace="team-b", partition="", env=env).defaults
    assert (defaults.namespace, defaults.partition) == ("team-b", None)  # "": none
    assert load_config(env={}).defaults.namespace is None


def test_the_client_namespace_and_partition_go_only_where_accepted_a_call_s_own_win() -> None:
    defaults = load_config(namespace="team", partition="p1", dc="dc2", env={}).defaults
    assert defaults.apply(kv.get("k").request).target == "/v1/kv/k?dc=dc2&ns=team&partition=p1"
    own = defaults.apply(kv.get("k", ns="other", partition="p2").request)
    assert own.target == "/v1/kv/k?ns=other&partition=p2&dc=dc2"
    # Nodes live in a partition, not a namespace; prepared queries and the agent in neither.
    assert defaults.apply(catalog.nodes().request).target == "/v1/catalog/nodes?dc=dc2&partition=p1"
    assert defaults.apply(query.items().request).target == "/v1/query?dc=dc2"
    assert defaults.apply(agent.info().request).target == "/v1/agent/self"


@pytest.mark.parametrize(
    ("value", "credentials"),
    [("admin:s3cret:with:colons", ("admin", "s3cret:with:colons")), ("admin", ("admin", ""))],
)
def test_basic_auth_from_consul_http_auth_as_go_splits_it(
    value: str, credentials: tuple[str, str]
) -> None:
    assert load_config(env={"CONSUL_HTTP_AUTH": value}).defaults.auth == credentials


def test_explicit_auth_wins_over_consul_http_auth() -> None:
    env = {"CONSUL_HTTP_AUTH": "env:pw"}
    assert load_config(auth=("me", "pw:1"), env=env).defaults.auth == ("me", "pw:1")
    assert load_config(auth="me:pw", env=env).defaults.auth == ("me", "pw")
    assert load_config(auth="", env=env).defaults.auth is None


@pytest.mark.parametrize(
    ("auth", "env"),
    [
        (("us:er", "pw"), {}),
        ("user:pw\r\nX-Injected: 1", {}),
        (None, {"CONSUL_HTTP_AUTH": "user:pw\nX-Injected: 1"}),
        (("user",), {}),
    ],
)
def test_bad_basic_auth_is_refused_without_the_password(auth: Any, env: dict[str, str]) -> None:
    with pytest.raises(UsageError) as caught:
        load_config(auth=auth, env=env)
    assert "pw" not in str(caught.value) and "Injected" not in str(caught.value)


def test_basic_auth_and_extra_headers_on_every_request_never_over_the_token() -> None:
    config = load_config(
        token="tok", auth=("user", "pw"), headers={"X-Proxy-Route": "consul-a"}, env={}
    )
    sent = config.defaults.apply(kv.get("k", token="own").request).headers
    assert sent["Authorization"] == "Basic dXNlcjpwdw=="  # base64("user:pw")
    assert sent["X-Proxy-Route"] == "consul-a"
    assert sent["X-Consul-Token"] == "own"  # the call's token wins over the client's


@pytest.mark.parametrize(
    ("headers", "auth", "message"),
    [
        ({"X-Consul-Token": "t"}, None, "token="),
        ({"Host": "elsewhere"}, None, "transport"),
        ({"content-length": "3"}, None, "transport"),
        ({"Authorization": "Bearer x"}, "u:p", "auth"),
        ({"Bad Name": "v"}, None, "header name"),
        ({"X-Ok": "line\r\nX-Injected: 1"}, None, "not shown"),
    ],
)
def test_extra_headers_that_would_clash_or_break_the_request_are_refused(
    headers: dict[str, str], auth: str | None, message: str
) -> None:
    with pytest.raises(UsageError, match=message) as caught:
        load_config(headers=headers, auth=auth, env={})
    assert "Injected" not in str(caught.value)


def test_secrets_of_the_configuration_never_show_in_its_repr() -> None:
    config = load_config(
        token="tok-0123456789", auth=("user", "pw-0123456789"), headers={"X-A": "1"}, env={}
    )
    applied = config.defaults.apply(kv.get("k").request)
    encoded = base64.b64encode(b"user:pw-0123456789").decode()
    assert applied.headers["Authorization"] == f"Basic {encoded}"
    for text in (repr(config), repr(config.defaults), repr(applied), repr(applied.headers)):
        assert "0123456789" not in text and encoded not in text, text
    assert "X-A" in repr(config.defaults)


@pytest.fixture
def client_pems(tmp_path: Path) -> dict[str, Path]:
    """A client certificate, its key, and the same key encrypted with a passphrase."""
    client = trustme.CA().issue_cert("client.dc1.consul")
    key = serialization.load_pem_private_key(client.private_key_pem.bytes(), None)
    encrypted = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"passphrase"),
    )
    files = {name: tmp_path / f"{name}.pem" for name in ("cert", "key", "encrypted")}
    client.cert_chain_pems[0].write_to_path(str(files["cert"]))
    client.private_key_pem.write_to_path(str(files["key"]))
    files["encrypted"].write_bytes(encrypted)
    return files


def test_an_encrypted_client_key_is_refused_not_prompted_for(
    client_pems: dict[str, Path],
) -> None:
    # OpenSSL asked for the passphrase on the terminal, or read the program's standard input:
    # the client's constructor blocked (and ignored Ctrl-C) until something came.
    config = load_config(
        "https://127.0.0.1:8501", cert=(client_pems["cert"], client_pems["encrypted"]), env={}
    )
    with pytest.raises(UsageError, match="the key is encrypted"):
        config.tls.context()
    plain = load_config("https://127.0.0.1:8501", cert=(client_pems["cert"], client_pems["key"]))
    assert plain.tls.context()


def test_pem_text_where_a_file_path_goes_is_refused_without_showing_it(
    client_pems: dict[str, Path],
) -> None:
    key_text = client_pems["key"].read_text()
    for cert, env in (
        ((client_pems["cert"], key_text), {}),
        (None, {"CONSUL_CLIENT_CERT": str(client_pems["cert"]), "CONSUL_CLIENT_KEY": key_text}),
    ):
        config = load_config("https://127.0.0.1:8501", cert=cert, env=env)
        with pytest.raises(UsageError, match="not as PEM text") as refused:
            config.tls.context()
        assert "PRIVATE KEY" not in str(refused.value) and key_text[40:80] not in repr(refused)


def test_a_ca_file_wins_over_a_ca_folder_as_in_go(tmp_path: Path) -> None:
    env = {"CONSUL_CACERT": "/etc/ca.pem", "CONSUL_CAPATH": str(tmp_path)}
    assert load_config("https://a:8501", env=env).tls.ca_path is None
    assert load_config("https://a:8501", env={"CONSUL_CAPATH": str(tmp_path)}).tls.ca_path
    assert load_config("https://a:8501", verify="/ca.pem", env=env).tls.ca_path is None


@pytest.mark.parametrize("cert", [("c.pem", None), ("c.pem",), ("a", "b", "c"), 3])
def test_a_cert_that_is_not_paths_is_refused(cert: Any) -> None:
    with pytest.raises(UsageError, match="cert must be"):
        load_config("https://a:8501", cert=cert)


@pytest.mark.parametrize("setting", [{"verify": False}, {"cert": "c.pem"}, {"server_name": "a"}])
def test_tls_settings_beside_an_httpx_client_of_ones_own_are_refused(
    setting: dict[str, Any],
) -> None:
    # They set up the connections the client makes: an httpx client of the user's keeps its
    # own (the agent's CA pinned by verify= was silently not used).
    from consul_transports.asyncio import Consul as AsyncConsul
    from consul_transports.sync import Consul

    with httpx.Client() as own, pytest.raises(UsageError, match="set TLS up on it"):
        Consul("https://127.0.0.1:8501", transport=own, **setting)
    with pytest.raises(UsageError, match="set TLS up on it"):
        AsyncConsul("https://127.0.0.1:8501", transport=httpx.AsyncClient(), **setting)
