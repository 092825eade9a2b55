"""The topic tree, read once per analysis or filtered list: leaves, families, descendants.

Topics are public reference data (SECURITY.md), so no access rule applies here. A tag on
a child counts toward its family (every ancestor), never down to the family's other
children: a commitment tagged `economic-security` itself says nothing about
`cybersecurity`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kizuna.registry.models import Topic


@dataclass(frozen=True)
class Taxonomy:
    parent: dict[str, str | None]
    children: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Taxonomy:
        parent: dict[str, str | None] = dict(Topic.objects.values_list("id", "parent_id"))
        children: dict[str, list[str]] = {slug: [] for slug in parent}
        for slug, up in sorted(parent.items()):
            if up is not None and up in children:
                children[up].append(slug)
        return cls(parent=parent, children=children)

    def __contains__(self, slug: object) -> bool:
        return slug in self.parent

    def is_leaf(self, slug: str) -> bool:
        return not self.children.get(slug)

    def leaves(self) -> list[str]:
        return sorted(slug for slug in self.parent if self.is_leaf(slug))

    def families(self) -> list[str]:
        """Topics with children: their totals are unions over their subtree."""
        return sorted(slug for slug in self.parent if not self.is_leaf(slug))

    def ancestors(self, slug: str) -> list[str]:
        """Parent first, root last; stops on a cycle rather than looping."""
        chain: list[str] = []
        up = self.parent.get(slug)
        while up is not None and up not in chain and up != slug:
            chain.append(up)
            up = self.parent.get(up)
        return chain

    def subtree(self, slug: str) -> list[str]:
        """The topic and all its descendants, depth first; a cycle stops the walk (topics are
        loaded data, and a loaded parent may point back down)."""
        found: list[str] = []
        pending = [slug]
        while pending:
            topic = pending.pop()
            if topic not in found:
                found.append(topic)
                pending.extend(reversed(self.children.get(topic, [])))
        return found

    def leaves_under(self, slug: str) -> list[str]:
        """The leaves a topic stands for: itself when it is a leaf, else its leaf descendants."""
        return sorted(t for t in self.subtree(slug) if self.is_leaf(t))

    def depth(self, slug: str) -> int:
        return len(self.ancestors(slug))

    def family_levels(self) -> list[dict[str, str]]:
        """For each depth d, a map from every topic to its family at depth d.

        A commitment counts once toward each family whatever the number of its tags inside
        it; grouping by one of these maps with COUNT(DISTINCT) gives that union in SQL. A
        family maps to itself, because a tag on the family counts toward it.
        """
        levels: list[dict[str, str]] = []
        max_depth = max((self.depth(f) for f in self.families()), default=-1)
        for d in range(max_depth + 1):
            mapping: dict[str, str] = {}
            for slug in self.parent:
                chain = [slug, *self.ancestors(slug)]
                line = list(reversed(chain))  # root first
                if len(line) > d and not self.is_leaf(line[d]):
                    mapping[slug] = line[d]
            levels.append(mapping)
        return levels
