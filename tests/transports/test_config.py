"""Client configuration from arguments and the CONSUL_* environment (explicit beats environment)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from consul_core import UsageError
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
    ],
)
def test_address_forms(address: str, url: str) -> None:
    assert load_config(address, env={}).base_url == url


def test_unix_socket_address() -> None:
    config = load_config("unix:///run/consul.sock", env={})
    assert config.uds == "/run/consul.sock"


@pytest.mark.parametrize("address", ["ftp://x:1", "http://x:1/path", "http://x:99999", "unix://"])
def test_bad_addresses(address: str) -> None:
    with pytest.raises(UsageError):
        load_config(address, env={})


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
    assert load_config(env={**env, "CONSUL_HTTP_TOKEN": "from-env"}).defaults.token == "from-env"


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
    assert caught.value.__context__ is None or SECRET not in str(caught.value.__context__)


def test_an_empty_token_file_or_argument_means_no_token(tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text("\n")
    assert load_config(env={"CONSUL_HTTP_TOKEN_FILE": str(token_file)}).defaults.token is None
    assert load_config(token="", env={"CONSUL_HTTP_TOKEN": SECRET}).defaults.token is None
