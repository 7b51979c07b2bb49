"""The error of a JSON value that does not have the shape a model expects: it names where
(``ACLToken.Policies[0].ID``) and the JSON types expected and found, never a value from the
body, which may hold a secret.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["DecodeError", "json_type", "wrong"]


class DecodeError(ValueError):
    """A JSON value does not have the shape a model expects.

    Attributes:
        problem: What is wrong, in JSON types (``"expected a string, got a number"``).
        path: Where, below `model`: ``".Policies[0].ID"`` (a map's key shows as ``[*]``).
        model: The outermost model being decoded, if any.
    """

    def __init__(self, problem: str, path: str = "", model: str | None = None) -> None:
        self.problem = problem
        self.path = path
        self.model = model
        where = f"{model or 'the body'}{path}"
        super().__init__(f"{where}: {problem}" if model or path else problem)

    def inside(self, step: str, model: str | None = None) -> DecodeError:
        """The same error seen from one level up: at `step` (``".Key"``, ``"[3]"``) of `model`."""
        return DecodeError(self.problem, step + self.path, model or self.model)


def json_type(value: object) -> str:
    """The JSON type of a decoded value, for messages that must not show the value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def wrong(expected: str, value: object) -> DecodeError:
    """The error of `value` where `expected` (``"a string"``) was."""
    return DecodeError(f"expected {expected}, got {json_type(value)}")
