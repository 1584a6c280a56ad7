"""The premise of ``collector_paused``: extracting a document makes no reference cycles.

``run_document`` turns Python's cycle collector off while it works, which is only free when every
object the stages make is freed by its reference count. If a change makes cycles (a closure holding
its own frame, a parent/child pair of objects), this test names how many, and the pause would let
them pile up until the document is done: fix the cycle, or drop the pause.
"""

from __future__ import annotations

import gc

from pipeline.core.rules import cached_rules
from pipeline.engine import collector_paused, run_document
from pipeline.readers import read_source
from tests.conftest import RULES, SEED


def test_extraction_leaves_no_cyclic_garbage() -> None:
    rules = cached_rules(RULES)
    source = read_source(SEED)
    run_document(source, rules)  # first run: compiled rules and caches, which are kept on purpose
    was_on = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        result = run_document(source, rules)
        assert result.counts()["projects"] > 0
        del result
        assert gc.collect() == 0  # nothing the reference counts could not free
    finally:
        if was_on:
            gc.enable()


def test_sectioned_extraction_leaves_no_cyclic_garbage() -> None:
    rules = cached_rules(RULES)
    source = read_source(SEED)
    run_document(source, rules, section_chars=2_000)
    gc.collect()
    gc.disable()
    try:
        result = run_document(source, rules, section_chars=2_000)
        assert any(w["code"] == "document_sectioned" for w in result.rows["warnings"])
        del result
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_the_collector_is_left_as_the_caller_had_it() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # off before, off after
    finally:
        gc.enable()


def test_the_collector_comes_back_when_extraction_fails() -> None:
    try:
        with collector_paused():
            raise RuntimeError("a stage failed")
    except RuntimeError:
        pass
    assert gc.isenabled()
