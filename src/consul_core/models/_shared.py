"""The fields that models of every group end with, declared once: a keyword-only base's fields
come after the model's own, so that a model's fields, JSON keys and repr keep the order of
Consul's objects. (A group of fields that models of one group start with is a base in that
group's module: ``config_common.PathMatch``, ``config_chain.ServiceSubset``.) No base is
exported; `consul_core.models._docs` lists their fields in the models' ``Attributes:``.
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
