"""Writes that apply to every kind of record: edit, change a marking, share.

Each checks the actor's permission, refuses a stale edit, writes, re-checks that the
record is still in the actor's scope, and appends the audit entry in one transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from django.apps import apps
from django.db import models, transaction

from kizuna.access.actor import Actor
from kizuna.access.rules import Action
from kizuna.audit.log import append_entry
from kizuna.audit.models import AuditEntry
from kizuna.core.batches import BATCH, chunked
from kizuna.core.dates import PartialDate, PartialDateError
from kizuna.registry.records import Marking, Record, pack_codes, unpack_codes, widens

R = TypeVar("R", bound=Record)

# Fields a user may edit, per kind; anything else in an edit is refused, never written.
EDITABLE_FIELDS: dict[str, set[str]] = {
    "dialogue": {"name", "name_ja", "acronym", "status", "description", "description_ja", "ended"},
    "meeting": {"title", "title_ja", "place", "place_ja", "summary", "round", "level"},
    "commitment": {"text", "deadline_text", "deadline_earliest", "deadline_latest", "lifecycle"},
    "concern": {"title", "title_ja", "measure", "status", "resolution", "resolved_on"},
    "note": {"text", "target_date"},
}


class PermissionDenied(Exception):
    """The actor may not do this; views answer 404 when the record is hidden, else 403."""


class StaleEdit(Exception):
    """Someone changed the record since the actor loaded it."""


class InvalidEdit(ValueError):
    """A field may not be set, or its value is wrong; `field` names it."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message  # without the field's name, for a page that shows it by the field
        super().__init__(f"{field}: {message}")


def check_choice(field: str, value: str, choices: type[models.TextChoices]) -> None:
    """Refuse a value that is not one of a field's choices, naming them."""
    if value not in choices.values:
        raise InvalidEdit(field, f"must be one of {', '.join(choices.values)}")


def check_required(field: str, value: str) -> None:
    if not value.strip():
        raise InvalidEdit(field, "is required")


def parse_partial_date(field: str, text: str) -> PartialDate:
    """A world-time date (`2024`, `2024-01`, `2024-01-15` or a range), or InvalidEdit."""
    try:
        return PartialDate.parse(text)
    except PartialDateError as exc:
        raise InvalidEdit(field, str(exc)) from exc


def kind_of(record: Record) -> str:
    return record._meta.model_name or type(record).__name__.lower()


def snapshot(record: Record, fields: set[str] | None = None) -> dict[str, Any]:
    names = fields or {f.attname for f in record._meta.concrete_fields}
    return {name: _plain(getattr(record, name)) for name in sorted(names)}


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def lock_for_change(*, actor: Actor, model: type[R], record_id: str, version: int) -> R:
    """The record, locked, if the actor may change it and nobody changed it since `version`."""
    queryset: Any = model._default_manager.select_for_update()
    record = queryset.visible_to(actor).filter(pk=record_id).first()
    if record is None:
        raise PermissionDenied(f"no {model._meta.verbose_name} {record_id!r} that you may see")
    if not queryset.visible_to(actor, Action.CHANGE).filter(pk=record_id).exists():
        raise PermissionDenied(f"you may not change {model._meta.verbose_name} {record_id!r}")
    if record.version != version:
        raise StaleEdit(
            f"{model._meta.verbose_name} {record_id!r} was changed by someone else since you opened it "
            f"(you edited version {version}, it is now version {record.version}: "
            f"{last_change_summary(kind_of(record), record_id)}); reload it and apply your edit again"
        )
    return record


def last_change_summary(object_kind: str, object_id: str) -> str:
    """Who changed the record last, from the audit log (the one place history lives)."""
    entry = (
        AuditEntry.objects.filter(object_kind=object_kind, object_id=object_id)
        .order_by("-sequence")
        .values("actor_name", "created_at", "action")
        .first()
    )
    if entry is None:
        return "no recorded change"
    changed_at = entry["created_at"].strftime("%Y-%m-%d %H:%M UTC")
    return f"last changed by {entry['actor_name']} at {changed_at} ({entry['action']})"


def _save_audited(
    *, actor: Actor, record: Record, before: dict[str, Any], action: str, reason: str = ""
) -> None:
    record.version += 1
    record.full_clean(validate_unique=False, validate_constraints=False)
    record.save()
    # No moving a record out of the actor's own scope (SECURITY.md, "Writes").
    manager: Any = type(record)._default_manager
    if not manager.visible_to(actor, Action.CHANGE).filter(pk=record.pk).exists():
        raise PermissionDenied("this change would move the record out of your scope")
    append_entry(
        actor=actor,
        action=action,
        object_kind=kind_of(record),
        object_id=str(record.pk),
        marking=record.marking,
        government=record.owner_government_id,
        agency=record.owner_agency_id or "",
        before=before,
        after=snapshot(record, set(before)),
        reason=reason,
    )


def record_update(
    *, actor: Actor, model: type[R], record_id: str, version: int, changes: dict[str, Any]
) -> R:
    """Edit allowed fields of a record, refusing a stale edit."""
    allowed = EDITABLE_FIELDS.get(model._meta.model_name or "", set())
    for name in changes:
        if name not in allowed:
            raise InvalidEdit(name, "may not be edited here")
    with transaction.atomic():
        record = lock_for_change(actor=actor, model=model, record_id=record_id, version=version)
        before = snapshot(record, set(changes))
        for name, value in changes.items():
            setattr(record, name, value)
        if isinstance(record, Record):
            record.sync_partial_dates()
        _save_audited(actor=actor, record=record, before=before, action=f"{kind_of(record)}.update")
    return record


def _may_change_marking(actor: Actor, record: Record) -> bool:
    """Only the owning agency's desk officers and their own government's coordinators."""
    if actor.is_operator:
        return True
    if actor.government != record.owner_government_id:
        return False
    if actor.role == "coordinator":
        return True
    return actor.role == "desk-officer" and actor.agency == record.owner_agency_id


def marking_change(
    *, actor: Actor, model: type[R], record_id: str, version: int, marking: str, reason: str = ""
) -> R:
    """Change who may read a record; widening its audience needs a reason (kept in the audit log)."""
    check_choice("marking", marking, Marking)
    with transaction.atomic():
        record = lock_for_change(actor=actor, model=model, record_id=record_id, version=version)
        if not _may_change_marking(actor, record):
            raise PermissionDenied(
                "only the owning agency's desk officers and its coordinators change a marking"
            )
        if widens(marking, record.marking) and not reason.strip():
            raise InvalidEdit("reason", "widening who may read a record needs a reason")
        if marking == Marking.AGENCY_INTERNAL and not record.owner_agency_id:
            raise InvalidEdit("marking", "an agency-internal record needs an owning agency")
        before = snapshot(record, {"marking"})
        record.marking = marking
        _save_audited(
            actor=actor, record=record, before=before, action="marking.change", reason=reason
        )
        from kizuna.registry.models import Membership

        if isinstance(record, Membership):
            # Whether every party may read the membership decides whether its party counts
            # as one for the dialogue's shared records (Dialogue.audience_party_codes).
            refresh_dialogue_audiences([record.dialogue_id])
    return record


def record_share(
    *,
    actor: Actor,
    model: type[R],
    record_id: str,
    version: int,
    agencies: list[str],
    reason: str = "",
) -> R:
    """Share an agency-internal record with other agencies of the same government."""
    from kizuna.registry.models import Agency

    with transaction.atomic():
        record = lock_for_change(actor=actor, model=model, record_id=record_id, version=version)
        if not _may_change_marking(actor, record):
            raise PermissionDenied(
                "only the owning agency's desk officers and its coordinators share a record"
            )
        known = dict(Agency.objects.filter(pk__in=agencies).values_list("id", "government_id"))
        for slug in agencies:
            if slug not in known:
                raise InvalidEdit("agencies", f"unknown agency {slug!r}")
            if known[slug] != record.owner_government_id:
                raise InvalidEdit(
                    "agencies",
                    f"{slug!r} belongs to another government: mark the record shared instead",
                )
        if not reason.strip():
            raise InvalidEdit("reason", "sharing a record needs a reason")
        before = snapshot(record, {"shared_with"})
        record.shared_with = pack_codes([*unpack_codes(record.shared_with), *agencies])
        _save_audited(
            actor=actor, record=record, before=before, action="record.share", reason=reason
        )
    return record


def refresh_audience(record: models.Model) -> None:
    """Recompute who may read a `shared` record after its dialogue or parties change."""
    if isinstance(record, Record):
        refresh_audiences(type(record), [str(record.pk)])


def _batches(ids: Iterable[str], size: int = BATCH) -> Iterator[list[str]]:
    """Each id once, in order (the same batches whatever order the ids come in)."""
    return chunked(sorted(set(ids)), size)


def records_reading_parties(
    *, dialogues: Iterable[str] = (), memberships: Iterable[str] = ()
) -> dict[type[Record], list[str]]:
    """The records whose audience reads the parties of these dialogues (and of the dialogues
    of these memberships), by model.

    Who counts as a party (SECURITY.md) is read from a dialogue's memberships, so a
    membership recorded, removed or re-marked changes the audience of the dialogue itself
    and of every record that reads its parties through it (`audience_lookups` ending in
    `memberships`: its memberships, pillars, rounds, commitments, their assessments …).
    """
    from kizuna.registry.models import Membership

    changed = set(dialogues)
    for batch in _batches(memberships):
        changed |= set(
            Membership.objects.filter(pk__in=batch).values_list("dialogue_id", flat=True)
        )
    found: dict[type[Record], list[str]] = {}
    for model in apps.get_models():
        if not issubclass(model, Record):
            continue
        paths = [
            lookup.removesuffix("memberships").removesuffix("__")
            for lookup in model.audience_lookups
            if lookup.endswith("memberships")
        ]
        if not paths:
            continue
        ids: list[str] = []
        # Each path takes the batch once: the whole condition stays under the limit.
        for batch in _batches(changed, BATCH // len(paths)):
            through = models.Q()
            for path in paths:
                through |= models.Q(**{f"{path}__in" if path else "pk__in": batch})
            ids += model._default_manager.filter(through).values_list("pk", flat=True)
        found[model] = sorted({str(pk) for pk in ids})
    return found


def refresh_dialogue_audiences(dialogue_ids: Iterable[str]) -> int:
    """Recompute the audience of every record of these dialogues after their parties changed;
    returns how many changed."""
    return sum(
        refresh_audiences(model, ids)
        for model, ids in records_reading_parties(dialogues=dialogue_ids).items()
    )


def refresh_audiences(model: type[Record], ids: Iterable[str]) -> int:
    """Recompute the audience of many records of one model in a few queries; returns how
    many changed.

    Each batch is read with what `audience_parties` reads prefetched (`audience_lookups`),
    and the changes are written with one UPDATE per distinct audience: there are few, as an
    audience is a set of parties.
    """
    changed: dict[str, list[str]] = defaultdict(list)
    for batch in _batches(ids):
        records = model._default_manager.filter(pk__in=batch)
        for record in records.prefetch_related(*model.audience_lookups):
            audience = pack_codes(record.audience_parties())
            if audience != record.audience:
                changed[audience].append(record.pk)
    for audience, pks in changed.items():
        for batch in _batches(pks):
            model._default_manager.filter(pk__in=batch).update(audience=audience)
    return sum(len(pks) for pks in changed.values())


def recorded_by(actor: Actor, sources: list[dict[str, str]] | None = None) -> list[dict[str, str]]:
    """A record's sources: those given, or the record itself, entered in Kizuna by `actor`."""
    return sources or [{"title": "Recorded in Kizuna", "publisher": actor.name}]


def _writer_scope(actor: Actor) -> tuple[str, str | None]:
    """The government and agency that will own what the actor creates."""
    if actor.is_operator:
        raise InvalidEdit("owner", "the operator creates records through `kizuna load`")
    if actor.role not in {"desk-officer", "coordinator"}:
        raise PermissionDenied("only desk officers and coordinators create records")
    return actor.government, actor.agency or None


def dialogue_create(
    *,
    actor: Actor,
    dialogue_id: str,
    name: str,
    kind: str,
    launched: str,
    parties: list[str],
    leads: dict[str, list[str]],
    marking: str = Marking.SHARED,
    parent_id: str | None = None,
    acronym: str = "",
    sources: list[dict[str, str]] | None = None,
) -> Any:
    """Register a dialogue owned by the actor's agency, with its parties and lead agencies."""
    from kizuna.registry.models import Agency, Dialogue, DialogueKind, DialogueLead, Membership

    government, agency = _writer_scope(actor)
    check_required("name", name)
    check_choice("kind", kind, DialogueKind)
    parse_partial_date("launched", launched)
    if government not in parties:
        raise InvalidEdit("parties", "your government must be a party to a dialogue it registers")
    agency_government = dict(Agency.objects.values_list("id", "government_id"))
    for party, slugs in leads.items():
        if party not in parties:
            raise InvalidEdit("leads", f"{party} leads but is not a party")
        for slug in slugs:
            if agency_government.get(slug) != party:
                raise InvalidEdit("leads", f"{slug!r} is not an agency of {party}")
    with transaction.atomic():
        if Dialogue.objects.filter(pk=dialogue_id).exists():
            raise InvalidEdit("id", f"a dialogue {dialogue_id!r} exists already")
        if parent_id and not Dialogue.objects.visible_to(actor).filter(pk=parent_id).exists():
            raise InvalidEdit("parent", f"no dialogue {parent_id!r} that you may see")
        common = {
            "marking": marking,
            "owner_government_id": government,
            "owner_agency_id": agency,
            "sources": recorded_by(actor, sources),
        }
        dialogue = Dialogue(
            id=dialogue_id,
            name=name,
            kind=kind,
            launched=launched,
            acronym=acronym,
            parent_id=parent_id,
            **common,
        )
        dialogue.save()
        for party in parties:
            Membership(
                id=f"{dialogue_id}-{party.lower()}",
                dialogue=dialogue,
                party_id=party,
                joined=launched,
                **common,
            ).save()
        for party, slugs in leads.items():
            for position, slug in enumerate(slugs):
                DialogueLead.objects.create(
                    dialogue=dialogue, party_id=party, agency_id=slug, position=position
                )
        # The dialogue and its new memberships: each reads the parties just recorded.
        refresh_dialogue_audiences([dialogue.pk])
        dialogue.refresh_from_db()
        append_entry(
            actor=actor,
            action="dialogue.create",
            object_kind="dialogue",
            object_id=dialogue_id,
            marking=marking,
            government=government,
            agency=agency or "",
            after={
                "name": name,
                "kind": kind,
                "launched": launched,
                "parties": parties,
                "leads": leads,
            },
        )
    return dialogue


def meeting_create(
    *,
    actor: Actor,
    dialogue_id: str,
    title: str,
    date: str,
    level: str,
    place: str = "",
    round_number: int | None = None,
    marking: str = Marking.SHARED,
    sources: list[dict[str, str]] | None = None,
) -> Any:
    """Record a meeting (a round) of a dialogue the actor may see; its id is dialogue + first day."""
    from kizuna.registry.models import Dialogue, Meeting, MeetingLevel

    government, agency = _writer_scope(actor)
    check_required("title", title)
    check_choice("level", level, MeetingLevel)
    first = parse_partial_date("date", date).first
    with transaction.atomic():
        dialogue = Dialogue.objects.visible_to(actor).filter(pk=dialogue_id).first()
        if dialogue is None:
            raise PermissionDenied(f"no dialogue {dialogue_id!r} that you may see")
        meeting_id = f"{dialogue_id}-{first.isoformat()}"
        if Meeting.objects.filter(pk=meeting_id).exists():
            raise InvalidEdit("date", f"{dialogue_id} already has a meeting on {first.isoformat()}")
        meeting = Meeting(
            id=meeting_id,
            dialogue=dialogue,
            title=title,
            date=date,
            level=level,
            place=place,
            round=round_number,
            marking=marking,
            owner_government_id=government,
            owner_agency_id=agency,
            sources=recorded_by(actor, sources),
        )
        meeting.save()
        refresh_audience(meeting)
        append_entry(
            actor=actor,
            action="meeting.create",
            object_kind="meeting",
            object_id=meeting_id,
            marking=marking,
            government=government,
            agency=agency or "",
            after={"title": title, "date": date, "level": level, "place": place},
        )
    return meeting
