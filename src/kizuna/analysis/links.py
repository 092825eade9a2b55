"""Near-duplicate commitments across dialogues: the links the reading work stores.

`kizuna.commitments.similarity.link_near_duplicates` scores a commitment against the others
when it is written and stores `CommitmentLink` rows (`commitment_a` sorts before
`commitment_b`). Links are system facts written whoever may see their ends; a reader is
shown one only when it may see both.
"""

from __future__ import annotations

from django.db.models import QuerySet

from kizuna.commitments.models import Commitment, CommitmentLink


def near_duplicate_pairs(commitments: QuerySet[Commitment]) -> list[tuple[str, str]]:
    """Pairs of commitment ids stored as near-duplicates, both ends among `commitments`.

    `commitments` is already restricted to what the actor may see (it starts from
    `visible_to`), so a link to a hidden commitment never surfaces. Each pair is ordered,
    smaller id first, and listed once.
    """
    ids = commitments.values("pk")
    rows = CommitmentLink.objects.filter(commitment_a__in=ids, commitment_b__in=ids).values_list(
        "commitment_a_id", "commitment_b_id"
    )
    return sorted({(a, b) if a < b else (b, a) for a, b in rows if a != b})
