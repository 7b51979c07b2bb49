"""The fields that models of many groups end with, declared once. A keyword-only base's fields
come after the model's own, so that its fields, JSON keys and repr keep the order of Consul's
objects (their positional order is not public: models are built with keywords).

A group of fields that models of one group start with is a base in that group's module:
``config_common.PathMatch``, ``config_chain.ServiceSubset``, ``config_gateways.NamedValueMatch``.
No base is exported; `consul_core.models._docs` lists their fields in the models' ``Attributes:``.
"""

from __future__ import annotations

from consul_core._codec import Model

__all__ = ["Indexed"]


class Indexed(Model, frozen=True, kw_only=True):
    """An object of Consul's state store, with the Raft indexes that Go embeds last in it
    (``structs.RaftIndex``); keyword-only, so that they stay the model's last fields.

    Attributes:
        create_index: The index that created it.
        modify_index: The index of its last change.
    """

    create_index: int = 0
    modify_index: int = 0
