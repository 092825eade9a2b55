"""The topic tree: leaves, families and the family maps used for unions in SQL."""

from __future__ import annotations

from kizuna.registry.taxonomy import Taxonomy

TREE = Taxonomy(
    parent={"fam": None, "a": "fam", "b": "fam", "b1": "b", "b2": "b", "solo": None},
    children={"fam": ["a", "b"], "a": [], "b": ["b1", "b2"], "b1": [], "b2": [], "solo": []},
)


def test_leaves_and_families() -> None:
    assert TREE.leaves() == ["a", "b1", "b2", "solo"]
    assert TREE.families() == ["b", "fam"]


def test_a_family_stands_for_its_leaves_and_a_leaf_for_itself() -> None:
    assert TREE.leaves_under("fam") == ["a", "b1", "b2"]
    assert TREE.leaves_under("b") == ["b1", "b2"]
    assert TREE.leaves_under("solo") == ["solo"]


def test_ancestors_run_from_parent_to_root() -> None:
    assert TREE.ancestors("b1") == ["b", "fam"]
    assert TREE.ancestors("fam") == []


def test_each_tag_maps_to_its_family_at_each_depth() -> None:
    top, second = TREE.family_levels()
    assert top == {"fam": "fam", "a": "fam", "b": "fam", "b1": "fam", "b2": "fam"}
    # A tag on a family counts toward it; a sibling leaf is in no family at depth 1.
    assert second == {"b": "b", "b1": "b", "b2": "b"}


def test_a_cycle_in_the_tree_does_not_loop_forever() -> None:
    loop = Taxonomy(parent={"x": "y", "y": "x"}, children={"x": ["y"], "y": ["x"]})
    assert loop.ancestors("x") == ["y"]


def test_a_subtree_holds_every_descendant_and_stops_on_a_cycle() -> None:
    assert TREE.subtree("fam") == ["fam", "a", "b", "b1", "b2"]
    looped = Taxonomy(parent={"x": "y", "y": "x"}, children={"x": ["y"], "y": ["x"]})
    assert looped.subtree("x") == ["x", "y"]
