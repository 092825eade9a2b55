"""The cycle collector is held while an analysis builds its rows, and given back after."""

from __future__ import annotations

import gc

import pytest

from kizuna.analysis.bulk import cycle_collector_paused


def test_the_collector_is_held_inside_and_restored_after() -> None:
    assert gc.isenabled()
    with cycle_collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_is_restored_when_the_work_fails() -> None:
    with pytest.raises(RuntimeError), cycle_collector_paused():
        raise RuntimeError("the database went away")
    assert gc.isenabled()


def test_a_collector_the_caller_disabled_stays_disabled() -> None:
    gc.disable()
    try:
        with cycle_collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_as_a_decorator_it_holds_the_collector_for_each_call() -> None:
    @cycle_collector_paused()
    def counting() -> bool:
        return gc.isenabled()

    assert counting() is False
    assert counting() is False
    assert gc.isenabled()
