"""The API reference covers every public name: each one has an entry in the built site's
inventory (``objects.inv``), under the name users import or under the module defining it.

Run by ``nox -s docs`` after ``mkdocs build``, beside the browser test.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import zlib
from collections.abc import Iterator
from types import ModuleType

import pytest

import consul_core
import consul_core.endpoints
import consul_core.flows
import consul_core.models
import consul_core.namespaces
import consul_transports
import consul_transports.testing
from consul_core.namespaces.coordination import Coordination

from .test_site import SITE

CLIENT_MODULES = ("consul_transports.asyncio", "consul_transports.trio", "consul_transports.sync")


def _inventory() -> frozenset[str]:
    """The names of every object the site documents."""
    data = (SITE / "objects.inv").read_bytes()
    header_end = 0
    for _ in range(4):  # four header lines, then the zlib-compressed entries
        header_end = data.index(b"\n", header_end) + 1
    lines = zlib.decompress(data[header_end:]).decode().splitlines()
    return frozenset(line.split(" ", 1)[0] for line in lines if line)


INVENTORY = _inventory() if (SITE / "objects.inv").is_file() else frozenset()


def _exports(module: ModuleType) -> Iterator[tuple[str, object]]:
    for name in module.__all__:
        yield f"{module.__name__}.{name}", getattr(module, name)


def _submodules(package: ModuleType) -> Iterator[ModuleType]:
    for info in pkgutil.iter_modules(package.__path__):
        if not info.name.startswith("_"):
            yield importlib.import_module(f"{package.__name__}.{info.name}")


def _namespace_members() -> Iterator[tuple[str, object]]:
    """Every method of every namespace (``client.kv.get``, ``client.lock``, ...)."""
    classes = [getattr(consul_core.namespaces, name) for name in consul_core.namespaces.__all__]
    for cls in [*classes, Coordination]:
        # The package re-exports the binding device too: only the namespaces themselves here
        # (and the root, ConsulAPI, defined by the package).
        if not inspect.isclass(cls) or not cls.__module__.startswith("consul_core.namespaces"):
            continue
        for name, member in vars(cls).items():
            if not name.startswith("_"):
                yield f"{cls.__module__}.{cls.__qualname__}.{name}", member


def public_names() -> Iterator[tuple[str, object]]:
    """Every public name, as users import it, with its object."""
    yield from _exports(consul_core)
    yield from _exports(consul_core.flows)
    yield from _exports(consul_transports)
    yield from _exports(consul_transports.testing)
    for module in _submodules(consul_core.endpoints):
        yield from _exports(module)
    for module in _submodules(consul_core.models):
        yield from _exports(module)
    for name in CLIENT_MODULES:
        yield from _exports(importlib.import_module(name))
    yield from _namespace_members()


def _documented(public: str, obj: object) -> bool:
    """Whether the inventory has `public`, or the path of the class or function it names."""
    canonical = f"{getattr(obj, '__module__', '')}.{getattr(obj, '__qualname__', '')}"
    return public in INVENTORY or canonical in INVENTORY


def test_the_inventory_was_read() -> None:
    assert "consul_core.namespaces.kv.KV.get" in INVENTORY, f"no usable inventory in {SITE}"


@pytest.mark.parametrize(
    ("public", "obj"), [pytest.param(public, obj, id=public) for public, obj in public_names()]
)
def test_every_public_name_is_documented(public: str, obj: object) -> None:
    assert _documented(public, obj), f"{public} has no entry in the API reference"
