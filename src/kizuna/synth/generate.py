"""Build a synthetic workspace of a chosen size, the same for the same seed.

The proportions follow the workspace issue ("Fast at scale"): 20 governments, 300
agencies, 500 dialogues, 10,000 meetings, 200,000 commitments, 400,000 assessments and
200 users by default, each size an option. Markings, owners, parties, topics, pillars,
carried-over agenda items, lifecycle links and both sides' assessments are spread as in
real use, so the access rule and every page do real work.

Rows are made in memory a batch at a time and written with bulk_create (foreign keys are
checked at commit on SQLite and PostgreSQL, so the order of the batches does not matter),
all in one transaction: a failure leaves nothing behind.

Invariants kept as the loader keeps them: each `<name>_first` date matches its partial
date, an agency-internal record has an owning agency, every record has a source, each
`shared` record's audience is its dialogue's parties plus its owner (a commitment's adds
its committing parties). Derived rows the loader recomputes (near-duplicate links) are
not made: the generated texts are not alike.

Audit: the load writes ONE entry (`synth.generate`, with the seed, the sizes and the row
counts), like `kizuna load` writes one entry per dataset, not one per row: the entry
names everything written, and a per-row chain of 800,000 entries would only slow the load.

Users: one password for all (DEFAULT_PASSWORD unless given), hashed once and shared,
so that hashing 200 passwords does not dominate a small build. A synthetic workspace is for
trials and benchmarks only; `kizuna synth` refuses a workspace that holds records.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import models, transaction

from kizuna.access.actor import Actor
from kizuna.accounts.models import Role, User
from kizuna.audit.log import append_entry
from kizuna.commitments.models import (
    Assessment,
    AssessmentReview,
    Commitment,
    CommitmentOwner,
    Concern,
)
from kizuna.registry.models import (
    Agency,
    AgendaItem,
    CounterpartPair,
    Dialogue,
    DialogueLead,
    Government,
    Meeting,
    Membership,
    Pillar,
    Sector,
    Topic,
)
from kizuna.registry.records import pack_codes

# Documented in docs/operations.md ("Benchmarks"): the benchmarks sign in with it.
DEFAULT_PASSWORD = "synthetic-kizuna-7"
BATCH = 5_000
# The last day any generated date reaches.
HORIZON = dt.date(2026, 6, 30)

GOVERNMENTS = [
    "USA", "JPN", "KOR", "AUS", "IND", "IDN", "PHL", "SGP", "THA", "VNM",
    "MYS", "NZL", "BRN", "FJI", "CAN", "GBR", "DEU", "FRA", "ITA", "EUU",
]  # fmt: skip
# Agencies the demo personas and the benchmarks name; the rest are numbered per government.
KNOWN_AGENCIES = {
    "USA": ["white-house", "commerce", "state", "ustr"],
    "JPN": ["kantei", "meti", "mofa"],
}
# The demo's taxonomy (demo/data/01-taxonomy.yaml), so that the analyses' frameworks apply.
TAXONOMY = {
    "economic-security": [
        "supply-chain-resilience",
        "critical-technology-protection",
        "cybersecurity",
        "non-market-practices",
        "economic-coercion",
        "energy-security",
    ],
    "trade": [
        "market-access",
        "digital-trade",
        "trade-facilitation",
        "labor-rights",
        "trade-and-environment",
        "regional-multilateral-fora",
    ],
    "investment-infrastructure": ["two-way-investment", "third-country-infrastructure"],
    "innovation": ["research-cooperation", "digital-connectivity", "people-to-people"],
    "climate-energy": ["clean-energy-technology", "decarbonization"],
    "health-security": [],
    "rules-and-norms": [],
}
# Children under one leaf, so that the analyses' family unions run over three levels.
GRANDCHILDREN = {"critical-technology-protection": ["export-controls", "investment-screening"]}
SECTORS = ["semiconductors", "critical-minerals", "batteries", "steel", "autos", "energy"]
# Most records are public; about a third are shared or internal to one side, as in the demo.
MARKINGS = ["public"] * 14 + ["shared"] * 3 + ["government-internal"] * 2 + ["agency-internal"]
ASSESSMENT_MARKINGS = ["public"] * 5 + ["shared"] * 2 + ["government-internal"]
STATUSES = [
    "not-started",
    "in-progress",
    "in-progress",
    "delivered",
    "delivered",
    "stalled",
    "withdrawn",
]
COMPLETIONS = ["", "not-started", "limited", "substantial", "complete", "complete"]
LEVELS = ["leaders", "ministerial", "vice-ministerial", "senior-officials", "working", "working"]
KINDS = ["ministerial-dialogue", "working-group", "task-force", "leaders-partnership"]
PLACES = [
    ("Washington", "ワシントン"),
    ("Tokyo", "東京"),
    ("Seoul", "ソウル"),
    ("Online", "オンライン"),
]
# A coordinator first, so that every government has one as soon as there is a user per government.
USER_ROLES = [r.value for r in (Role.COORDINATOR, Role.DESK_OFFICER, Role.READER, Role.ADMIN)]


class WorkspaceNotEmpty(Exception):
    """The database already holds records: a synthetic workspace is only built on an empty one."""


@dataclass(frozen=True)
class Sizes:
    governments: int = 20
    agencies: int = 300
    dialogues: int = 500
    meetings: int = 10_000
    commitments: int = 200_000
    assessments: int = 400_000
    users: int = 200

    def scaled(self, factor: float) -> Sizes:
        """Every size times `factor`, but never below what a usable workspace needs."""
        if factor <= 0:
            raise ValueError(f"scale: must be above 0; got {factor}")
        minimum = {"governments": 2, "agencies": 2, "dialogues": 1, "users": 4}
        values = {
            f.name: max(minimum.get(f.name, 0), round(getattr(self, f.name) * factor))
            for f in fields(self)
        }
        values["agencies"] = max(values["agencies"], values["governments"])
        return replace(self, **values)

    def check(self) -> None:
        """Raise ValueError naming the first size that cannot make a workspace."""
        for f in fields(self):
            if getattr(self, f.name) < 0:
                raise ValueError(f"{f.name}: must be 0 or more; got {getattr(self, f.name)}")
        if not 2 <= self.governments <= 26 * 26:
            raise ValueError(f"governments: must be 2 to 676; got {self.governments}")
        if self.agencies < self.governments:
            raise ValueError(
                f"agencies: at least one per government ({self.governments}); got {self.agencies}"
            )
        if self.dialogues < 1 and (self.meetings or self.commitments):
            raise ValueError("dialogues: meetings and commitments need at least one dialogue")
        if self.commitments == 0 and self.assessments:
            raise ValueError("assessments: there are no commitments to assess")


def workspace_is_empty() -> bool:
    """No reference data, records or users: nothing a synthetic workspace could clash with."""
    return not any(
        model.objects.exists() for model in (Government, Agency, Topic, Dialogue, Commitment, User)
    )


def generate(
    sizes: Sizes, *, seed: int, actor: Actor, password: str = DEFAULT_PASSWORD
) -> dict[str, int]:
    """Write the workspace and one audit entry; returns rows written per table.

    Raises WorkspaceNotEmpty (nothing written) when the database holds records, ValueError
    for sizes or a password that cannot be used.
    """
    sizes.check()
    validate_password(password)  # the same rules as any user's password
    with transaction.atomic():
        if not workspace_is_empty():
            raise WorkspaceNotEmpty(
                "the workspace already holds records; synth builds only on an empty database"
            )
        counts = _Builder(sizes, seed, password).build()
        append_entry(
            actor=actor,
            action="synth.generate",
            object_kind="workspace",
            object_id=f"seed-{seed}",
            after={"seed": seed, "sizes": asdict(sizes), "rows": counts},
            reason="synthetic workspace for trials and benchmarks",
        )
    return counts


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max(1, (end - start).days)))


def _government_codes(n: int) -> list[str]:
    extra = (f"X{a}{b}" for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    codes = GOVERNMENTS[:n]
    while len(codes) < n:
        codes.append(next(extra))
    return codes


@dataclass
class _Dialogue:
    id: str
    parties: list[str]
    launched: dt.date
    leads: dict[str, list[str]]
    audience: str
    pillars: list[str]
    meetings: list[tuple[str, dt.date]]
    last_commitment: str = ""


class _Builder:
    """The synthetic world, written a batch at a time."""

    def __init__(self, sizes: Sizes, seed: int, password: str) -> None:
        self.sizes = sizes
        self.rng = random.Random(seed)
        self.password = password
        self.buffers: dict[type[models.Model], list[models.Model]] = defaultdict(list)
        self.counts: dict[str, int] = {}
        self.governments = _government_codes(sizes.governments)
        self.agencies: dict[str, list[str]] = {}
        self.topics_leaf: list[str] = []
        self.topics_family: list[str] = []

    def build(self) -> dict[str, int]:
        self._reference()
        dialogues = self._dialogues()
        self._meetings(dialogues)
        commitments = self._commitments(dialogues)
        self._assessments(commitments)
        self._concerns(dialogues)
        self._users()
        for model in list(self.buffers):
            self._flush(model)
        return dict(sorted(self.counts.items()))

    # --- writing -------------------------------------------------------------------------

    def _add(self, row: models.Model) -> None:
        model = type(row)
        self.buffers[model].append(row)
        if len(self.buffers[model]) >= BATCH:
            self._flush(model)

    def _flush(self, model: type[models.Model]) -> None:
        rows = self.buffers.pop(model, [])
        if rows:
            model._default_manager.bulk_create(rows, batch_size=BATCH)
            label = model._meta.db_table
            self.counts[label] = self.counts.get(label, 0) + len(rows)

    def _access(self, audience: str, owner: str, agency: str) -> dict[str, Any]:
        """A record's access fields: a marking drawn as in real use, its owner, its readers."""
        marking = self.rng.choice(MARKINGS)
        shared_with = ""
        if marking == "agency-internal" and self.rng.random() < 0.2:
            shared_with = pack_codes({self.rng.choice(self.agencies[owner])} - {agency})
        return {
            "marking": marking,
            "owner_government_id": owner,
            "owner_agency_id": agency,
            "audience": audience,
            "shared_with": shared_with,
            "sources": [{"title": "synthetic workspace"}],
        }

    # --- the world -----------------------------------------------------------------------

    def _reference(self) -> None:
        n_gov = len(self.governments)
        for i, g in enumerate(self.governments):
            self._add(Government(id=g, name=f"Government {g}", name_ja=f"政府 {g}"))
            count = self.sizes.agencies // n_gov + (1 if i < self.sizes.agencies % n_gov else 0)
            known = KNOWN_AGENCIES.get(g, [])[:count]
            slugs = known + [f"{g.lower()}-a{k}" for k in range(count - len(known))]
            self.agencies[g] = slugs
            for slug in slugs:
                self._add(Agency(id=slug, government_id=g, name=f"Agency {slug}", acronym=""))
        for family, children in TAXONOMY.items():
            self._add(Topic(id=family, name=family, name_ja=f"{family}（分野）"))
            (self.topics_family if children else self.topics_leaf).append(family)
        for family, children in TAXONOMY.items():
            for child in children:
                self._add(Topic(id=child, name=child, name_ja=child, parent_id=family))
                (self.topics_family if child in GRANDCHILDREN else self.topics_leaf).append(child)
        for parent, children in GRANDCHILDREN.items():
            for child in children:
                self._add(Topic(id=child, name=child, name_ja=child, parent_id=parent))
                self.topics_leaf.append(child)
        for sector in SECTORS:
            self._add(Sector(id=sector, name=sector, name_ja=sector))

    def _dialogues(self) -> list[_Dialogue]:
        rng, govs = self.rng, self.governments
        made: list[_Dialogue] = []
        for i in range(self.sizes.dialogues):
            # The two demo governments sit in most dialogues, as the U.S. and Japan in theirs.
            anchor = rng.choice(["USA", "JPN", rng.choice(govs)])
            parties = sorted({anchor, *rng.sample(govs, min(len(govs), rng.randint(1, 4)))})
            launched = _day(rng, dt.date(2000, 1, 1), dt.date(2024, 6, 1))
            ended = _day(rng, launched, dt.date(2026, 1, 1)) if rng.random() < 0.15 else None
            parent = rng.choice(made).id if made and rng.random() < 0.2 else None
            leads = {
                p: rng.sample(self.agencies[p], min(2, len(self.agencies[p]))) for p in parties
            }
            owner = parties[0]
            did = f"d{i:04d}"
            audience = pack_codes(parties)
            self._add(
                Dialogue(
                    id=did,
                    name=f"Dialogue {i}",
                    name_ja=f"対話 {i}",
                    acronym=f"D{i}",
                    kind=rng.choice(KINDS),
                    parent_id=parent,
                    launched=launched.isoformat(),
                    launched_first=launched,
                    ended=ended.isoformat() if ended else "",
                    ended_first=ended,
                    status="concluded" if ended else "active",
                    **self._access(audience, owner, leads[owner][0]),
                )
            )
            for p in parties:
                self._add(
                    Membership(
                        id=f"{did}-{p.lower()}",
                        dialogue_id=did,
                        party_id=p,
                        joined=launched.isoformat(),
                        joined_first=launched,
                        **self._access(audience, owner, leads[owner][0]) | {"marking": "public"},
                    )
                )
                for position, agency in enumerate(leads[p]):
                    self._add(
                        DialogueLead(
                            dialogue_id=did, party_id=p, agency_id=agency, position=position
                        )
                    )
            pillars: list[str] = []
            if rng.random() < 0.1:  # a framework with pillars, as IPEF
                for number in range(1, rng.randint(2, 4) + 1):
                    pid = f"{did}-p{number}"
                    pillars.append(pid)
                    self._add(
                        Pillar(
                            id=pid,
                            dialogue_id=did,
                            number=number,
                            name=f"Pillar {number}",
                            name_ja=f"第{number}の柱",
                            **self._access(audience, owner, leads[owner][0])
                            | {"marking": "public"},
                        )
                    )
            if len(parties) >= 2 and rng.random() < 0.3:
                a, b = leads[parties[0]][0], leads[parties[1]][0]
                self._add(
                    CounterpartPair(
                        id=f"{did}-cp",
                        agency_a_id=a,
                        agency_b_id=b,
                        dialogue_id=did,
                        **self._access(audience, owner, a),
                    )
                )
            made.append(_Dialogue(did, parties, launched, leads, audience, pillars, []))
        return made

    def _meetings(self, dialogues: list[_Dialogue]) -> None:
        """Rounds per dialogue in date order; an agenda item is sometimes carried to the next."""
        rng = self.rng
        per_dialogue: dict[int, int] = defaultdict(int)
        for _ in range(self.sizes.meetings):
            per_dialogue[rng.randrange(len(dialogues))] += 1
        n = 0
        for index in sorted(per_dialogue):
            d = dialogues[index]
            owner = d.parties[0]
            agency = d.leads[owner][0]
            dates = sorted(_day(rng, d.launched, HORIZON) for _ in range(per_dialogue[index]))
            previous_item = ""
            for round_number, when in enumerate(dates, start=1):
                mid = f"m{n:06d}"
                n += 1
                place, place_ja = rng.choice(PLACES)
                self._add(
                    Meeting(
                        id=mid,
                        dialogue_id=d.id,
                        round=min(round_number, 32_000),
                        title=f"{d.id} round {round_number}",
                        title_ja=f"{d.id} 第{round_number}回",
                        date=when.isoformat(),
                        date_first=when,
                        level=rng.choice(LEVELS),
                        place=place,
                        place_ja=place_ja,
                        **self._access(d.audience, owner, agency),
                    )
                )
                for position in range(rng.randint(1, 3)):
                    item = f"{mid}-i{position}"
                    carried = previous_item if position == 0 and rng.random() < 0.3 else ""
                    self._add(
                        AgendaItem(
                            id=item,
                            dialogue_id=d.id,
                            meeting_id=mid,
                            title=f"Agenda item {position + 1}",
                            title_ja=f"議題 {position + 1}",
                            position=position,
                            carried_from_id=carried or None,
                            **self._access(d.audience, owner, agency),
                        )
                    )
                    for topic in rng.sample(self.topics_leaf, rng.randint(1, 2)):
                        self._add(AgendaItem.topics.through(agendaitem_id=item, topic_id=topic))
                    previous_item = item
                d.meetings.append((mid, when))

    def _commitments(self, dialogues: list[_Dialogue]) -> list[tuple[Any, ...]]:
        """Commitments; returns (id, parties, made on, audience, {party: agency}, status) each."""
        rng = self.rng
        made: list[tuple[Any, ...]] = []
        through_topics, through_parties = Commitment.topics.through, Commitment.parties.through
        through_sectors = Commitment.sectors.through
        for i in range(self.sizes.commitments):
            d = rng.choice(dialogues)
            who = sorted(rng.sample(d.parties, min(rng.choice([1, 2, 2]), len(d.parties))))
            meeting_id = None
            if d.meetings and rng.random() < 0.7:
                meeting_id, made_on = rng.choice(d.meetings)
            else:
                made_on = _day(rng, d.launched, dt.date(2025, 6, 1))
            deadline_text, earliest, latest = "", None, None
            draw = rng.random()
            if draw < 0.4:
                latest = earliest = made_on + dt.timedelta(days=rng.randint(90, 1500))
                deadline_text = latest.isoformat()
            elif draw < 0.6:
                year = made_on.year + rng.randint(1, 4)
                earliest, latest = dt.date(year, 1, 1), dt.date(year, 12, 31)
                deadline_text = f"by {year}"
            cid = f"c{i:07d}"
            lifecycle, target = "active", None
            draw = rng.random()
            if draw < 0.03:
                lifecycle = "withdrawn"
            elif draw < 0.1 and d.last_commitment:
                # Folded into (or replaced by) an earlier commitment of the same dialogue.
                lifecycle, target = rng.choice(["merged", "superseded"]), d.last_commitment
            owner = who[0]
            owners = {p: rng.choice(self.agencies[p]) for p in who}
            audience = pack_codes(set(d.parties) | set(who))
            self._add(
                Commitment(
                    id=cid,
                    text=f"Commitment {i}: the parties will cooperate on item {i % 97}.",
                    dialogue_id=d.id,
                    pillar_id=rng.choice(d.pillars) if d.pillars and rng.random() < 0.5 else None,
                    meeting_id=meeting_id,
                    made_on=made_on.isoformat(),
                    made_on_first=made_on,
                    deadline_text=deadline_text,
                    deadline_earliest=earliest,
                    deadline_latest=latest,
                    lifecycle=lifecycle,
                    lifecycle_target_id=target,
                    **self._access(audience, owner, owners[owner]),
                )
            )
            tags = rng.sample(self.topics_leaf, rng.choice([1, 1, 2, 2, 3]))
            if rng.random() < 0.05:
                tags.append(rng.choice(self.topics_family))
            for t in tags:
                self._add(through_topics(commitment_id=cid, topic_id=t))
            if rng.random() < 0.3:
                self._add(through_sectors(commitment_id=cid, sector_id=rng.choice(SECTORS)))
            for position, p in enumerate(who):
                self._add(through_parties(commitment_id=cid, government_id=p))
                self._add(
                    CommitmentOwner(
                        commitment_id=cid, party_id=p, agency_id=owners[p], position=position
                    )
                )
            d.last_commitment = cid
            # The parties mostly agree on where a commitment stands, as in real use.
            made.append((cid, who, made_on, audience, owners, rng.choice(STATUSES)))
        return made

    def _assessments(self, commitments: list[tuple[Any, ...]]) -> None:
        """Exactly `sizes.assessments`, spread over (commitment, party): some none, some several."""
        rng = self.rng
        slots = [(c, party) for c in commitments for party in c[1]]
        per_slot = [0] * len(slots)
        for _ in range(self.sizes.assessments):
            per_slot[rng.randrange(len(slots))] += 1
        n = 0
        for (c, party), k in zip(slots, per_slot, strict=True):
            cid, who, made_on, audience, owners, agreed = c
            for when in sorted(_day(rng, made_on, dt.date(2026, 1, 1)) for _ in range(k)):
                aid = f"a{n:07d}"
                n += 1
                self._add(
                    Assessment(
                        id=aid,
                        commitment_id=cid,
                        party_id=party,
                        as_of=when,
                        status=agreed if rng.random() < 0.8 else rng.choice(STATUSES),
                        score=rng.choice([-1, 0, 1, None]),
                        completion=rng.choice(COMPLETIONS),
                        evidence=f"Progress report {n}.",
                        **self._access(audience, party, owners[party])
                        | {"marking": rng.choice(ASSESSMENT_MARKINGS)},
                    )
                )
                others = [p for p in who if p != party]
                if others and rng.random() < 0.15:
                    self._add(
                        AssessmentReview(
                            assessment_id=aid,
                            party_id=others[0],
                            verdict="contested" if rng.random() < 0.35 else "confirmed",
                            on=when + dt.timedelta(days=10),
                        )
                    )

    def _concerns(self, dialogues: list[_Dialogue]) -> None:
        rng = self.rng
        meetings = [m for d in dialogues for m, _ in d.meetings]
        raisers = self.governments[:6]
        for i in range(max(2, self.sizes.commitments // 100) if dialogues else 0):
            by, about = rng.sample(raisers, 2)
            first = _day(rng, dt.date(2015, 1, 1), dt.date(2025, 6, 1))
            resolved = _day(rng, first, HORIZON) if rng.random() < 0.3 else None
            kid = f"k{i:05d}"
            self._add(
                Concern(
                    id=kid,
                    title=f"Concern {i}",
                    raised_by_id=by,
                    about_id=about,
                    first_raised=first.isoformat(),
                    first_raised_first=first,
                    status="resolved" if resolved else "open",
                    resolved_on=resolved.isoformat() if resolved else "",
                    resolved_on_first=resolved,
                    **self._access(pack_codes({by, about}), by, self.agencies[by][0])
                    | {"marking": "public"},
                )
            )
            for mid in rng.sample(meetings, min(2, len(meetings))):
                self._add(Concern.raised_at.through(concern_id=kid, meeting_id=mid))
            self._add(Concern.topics.through(concern_id=kid, topic_id=rng.choice(self.topics_leaf)))

    def _users(self) -> None:
        """Every role in every government (given enough users), named `<gov>-<role>[-<n>]`."""
        hashed = make_password(self.password)  # once: the same password for every user
        seen: dict[str, int] = defaultdict(int)
        n_gov = len(self.governments)
        for i in range(self.sizes.users):
            government = self.governments[i % n_gov]
            role = USER_ROLES[(i // n_gov) % len(USER_ROLES)]
            base = f"{government.lower()}-{role}"
            seen[base] += 1
            agencies = self.agencies[government]
            self._add(
                User(
                    username=base if seen[base] == 1 else f"{base}-{seen[base]}",
                    password=hashed,
                    government=government,
                    agency=agencies[(i // n_gov) % len(agencies)],
                    role=role,
                )
            )
