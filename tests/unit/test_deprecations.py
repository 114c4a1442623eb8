"""A deprecated API called from our code fails the suite; one called inside a library
does not (theirs to fix). Python's DeprecationWarnings through ``filterwarnings`` in
pyproject.toml, Reflex's deprecation log records through tests/conftest.py."""

from __future__ import annotations

import warnings

import pytest

from tests.conftest import REPO_ROOT, reflex_deprecations


def test_a_deprecation_warning_from_our_code_is_an_error():
    with pytest.raises(DeprecationWarning):
        warnings.warn_explicit("old API", DeprecationWarning, "x.py", 1, module="neobank_dashboard.state")
    with pytest.raises(DeprecationWarning):
        warnings.warn_explicit("old API", DeprecationWarning, "registry.py", 1, module="modeling.registry")


def test_a_deprecation_warning_inside_a_library_is_ignored():
    warnings.warn_explicit("old API", DeprecationWarning, "frame.py", 1, module="pandas.core.frame")


def _call_from(path: str, source: str) -> None:
    exec(compile(source, str(REPO_ROOT / path), "exec"), {})


def test_reflex_deprecations_called_from_our_code_are_caught():
    source = "from reflex.istate.data import RouterData\nRouterData().page\n"
    _call_from("tests/unit/not_ours.py", source)
    assert reflex_deprecations.found == []
    _call_from("neobank_dashboard/state/probe.py", source)
    assert [message.split(" has been")[0] for message in reflex_deprecations.found] == ["RouterData.page"]
    reflex_deprecations.found.clear()  # expected here: the autouse check would fail this test
