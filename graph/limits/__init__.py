"""Limits checked before a query executes: tokens, depth, aliases, list sizes, cost.

They live apart from the HTTP layer and from execution so that every way a query can
run (Strawberry's executor today, a compiled plan tomorrow) passes the same checks.
"""

from coopgraph.graph.limits.cost import CostModel, estimate_cost
from coopgraph.graph.limits.refusal import LimitExceeded
from coopgraph.graph.limits.shape import (
    check_shape,
    check_shape_within,
    check_variable_lists,
    count_tokens,
)
from coopgraph.graph.limits.source import CostModelSource

__all__ = [
    "CostModel",
    "CostModelSource",
    "LimitExceeded",
    "check_shape",
    "check_shape_within",
    "check_variable_lists",
    "count_tokens",
    "estimate_cost",
]
