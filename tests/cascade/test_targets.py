"""Splitting targets: shares add up, rounding never loses a unit."""

from __future__ import annotations

import pytest

from docgen.cascade.targets import SplitError, allocate


@pytest.mark.parametrize("total, weights", [
    (50, {"a": 120, "b": 90, "c": 60, "d": 30}),
    (7, {"a": 1, "b": 1, "c": 1}),
    (1, {"a": 1, "b": 1, "c": 1}),
    (100, {"a": 3, "b": 3, "c": 3}),
    (12, {"a": 0, "b": 5}),
])
def test_integral_targets_split_exactly_into_whole_numbers(total, weights):
    shares = allocate(total, weights)
    assert sum(shares.values()) == total
    assert all(float(v).is_integer() and v >= 0 for v in shares.values())
    exact = {k: total * w / sum(weights.values()) for k, w in weights.items()}
    assert all(abs(shares[k] - exact[k]) < 1 for k in weights)  # each within one unit of its exact share


def test_ties_go_to_the_first_in_registry_order():
    assert allocate(2, {"a": 1, "b": 1, "c": 1}) == {"a": 1.0, "b": 1.0, "c": 0.0}


def test_fractional_targets_never_fall_short():
    shares = allocate(0.5, {"a": 1, "b": 1, "c": 1})
    assert sum(shares.values()) >= 0.5 and all(v == 0.17 for v in shares.values())


def test_zero_weights_are_refused():
    with pytest.raises(SplitError):
        allocate(10, {"a": 0, "b": 0})
