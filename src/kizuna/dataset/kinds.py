"""Every list of the dataset format, declared once: its model and its fields, in load order."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import models

from kizuna.commitments.models import (
    Assessment,
    AssessmentReview,
    Commitment,
    CommitmentOwner,
    Completion,
    Concern,
    ConcernStatus,
    Lifecycle,
    Note,
    Status,
    Verdict,
)
from kizuna.core.dates import PartialDate
from kizuna.dataset.errors import FieldError
from kizuna.dataset.fields import (
    Boolean,
    Choice,
    Custom,
    Day,
    Field,
    Integer,
    Json,
    Partial,
    Ref,
    Refs,
    Text,
    parse_day,
)
from kizuna.documents.models import Document, DocumentKind
from kizuna.registry.models import (
    Agency,
    AgencyKind,
    AgendaItem,
    Confidence,
    CounterpartPair,
    Dialogue,
    DialogueKind,
    DialogueLead,
    DialogueStatus,
    Government,
    Marking,
    Meeting,
    MeetingLevel,
    Membership,
    Pillar,
    Sector,
    Topic,
)
from kizuna.registry.records import pack_codes, unpack_codes

if TYPE_CHECKING:
    from kizuna.dataset.loader import LoadContext


@dataclass
class Kind:
    list_name: str
    model: type[models.Model]
    fields: list[Field]
    is_record: bool = True
    # Records of these lists must name at least one source.
    needs_source: bool = False
    # Extra, derived keys written to exports and ignored on load.
    export_only: dict[str, Any] = field(default_factory=dict)

    def field_names(self) -> list[str]:
        return ["id", *(f.name for f in self.fields), *self.export_only]


# --- common record fields ---------------------------------------------------------------


def _dump_owner(obj: Any) -> dict[str, Any]:
    return {"government": obj.owner_government_id, "agency": obj.owner_agency_id}


def _load_owner(value: Any, obj: Any, ctx: LoadContext) -> None:
    if value is None:
        return  # the loader applies the list's default owner once the other fields are read
    if not isinstance(value, dict) or "government" not in value:
        raise FieldError("owner", 'expected {"government": ISO3, "agency": slug}')
    government, agency = value.get("government"), value.get("agency")
    ctx.require(Government, str(government), "owner.government")
    obj.owner_government_id = government
    if agency:
        ctx.require(Agency, str(agency), "owner.agency")
        if ctx.agency_government(str(agency)) != government:
            raise FieldError("owner.agency", f"{agency!r} is not an agency of {government}")
    obj.owner_agency_id = agency or None


def _check_sources(name: str, value: Any) -> list[dict[str, str]]:
    if value is None or value == "":
        return []
    if not isinstance(value, list):
        raise FieldError(name, "expected a list of sources")
    sources = []
    for item in value:
        if isinstance(item, str):
            item = {"url": item}
        if not isinstance(item, dict) or not (item.get("url") or item.get("title")):
            raise FieldError(name, f"each source needs a url or a title: {item!r}")
        unknown = set(item) - {"url", "title", "publisher", "date"}
        if unknown:
            raise FieldError(name, f"unknown keys {sorted(unknown)} in a source")
        sources.append({k: str(v) for k, v in item.items() if v not in (None, "")})
    return sources


def _load_shared_with(value: Any, obj: Any, ctx: LoadContext) -> None:
    slugs = value or []
    for slug in slugs:
        ctx.require(Agency, slug, "shared_with")
    obj.shared_with = pack_codes(slugs)


def record_fields() -> list[Field]:
    return [
        Choice("marking", choices=Marking, default=Marking.PUBLIC),
        Custom("owner", dumper=_dump_owner, loader=_load_owner),
        Json("sources", check=_check_sources),
        Choice("confidence", choices=Confidence, default=Confidence.OFFICIAL),
        Boolean("illustrative"),
        Custom(
            "shared_with",
            dumper=lambda o: unpack_codes(o.shared_with),
            loader=_load_shared_with,
        ),
    ]


# --- leads and parties ---------------------------------------------------------------


def _dump_leads(leads: Any) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for lead in leads:
        result.setdefault(lead.party_id, []).append(lead.agency_id)
    return result


def _check_party_agencies(name: str, value: Any, ctx: LoadContext) -> dict[str, list[str]]:
    """{party: [agency slugs]}, each agency belonging to its party."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise FieldError(name, "expected an object {party: [agency slugs]}")
    for party, agencies in value.items():
        ctx.require(Government, party, name)
        if not isinstance(agencies, list) or not agencies:
            raise FieldError(name, f"{party}: expected a list of agency slugs")
        for slug in agencies:
            ctx.require(Agency, slug, name)
            if ctx.agency_government(slug) != party:
                raise FieldError(name, f"{slug!r} is not an agency of {party}")
    return value


def _save_leads(dialogue_id: str, pillar_id: str | None, leads: dict[str, list[str]]) -> None:
    DialogueLead.objects.filter(dialogue_id=dialogue_id, pillar_id=pillar_id).delete()
    DialogueLead.objects.bulk_create(
        DialogueLead(
            dialogue_id=dialogue_id, pillar_id=pillar_id, party_id=party, agency_id=slug, position=i
        )
        for party, slugs in leads.items()
        for i, slug in enumerate(slugs)
    )


def _load_dialogue_leads(value: Any, obj: Dialogue, ctx: LoadContext) -> None:
    leads = _check_party_agencies("leads", value, ctx)
    if not leads:
        raise FieldError("leads", "every dialogue needs lead agencies for its parties")
    _save_leads(obj.id, None, leads)


def _load_pillar_leads(value: Any, obj: Pillar, ctx: LoadContext) -> None:
    _save_leads(obj.dialogue_id, obj.id, _check_party_agencies("leads", value, ctx))


def _load_dialogue_parties(value: Any, obj: Dialogue, ctx: LoadContext) -> None:
    """Every listed party gets a membership from the launch (the memberships list refines it)."""
    if not isinstance(value, list) or not value:
        raise FieldError("parties", "every dialogue needs a list of parties (ISO3 codes)")
    for party in value:
        ctx.require(Government, party, "parties")
    obj.memberships.exclude(party_id__in=value).delete()
    existing = set(obj.memberships.values_list("party_id", flat=True))
    for party in value:
        if party not in existing:
            membership = Membership(
                id=f"{obj.id}-{party.lower()}",
                dialogue=obj,
                party_id=party,
                joined=obj.launched,
                marking=obj.marking,
                owner_government_id=obj.owner_government_id,
                owner_agency_id=obj.owner_agency_id,
                sources=obj.sources,
                confidence=obj.confidence,
                illustrative=obj.illustrative,
            )
            membership.save()
            ctx.touched(Membership, membership.id)
            ctx.created(Membership, membership.id)


def _load_membership_party(value: Any, obj: Membership, ctx: LoadContext) -> None:
    ctx.require(Government, str(value), "party")
    clash = Membership.objects.filter(dialogue_id=obj.dialogue_id, party_id=value).exclude(
        id=obj.id
    )
    if clash.exists():
        raise FieldError(
            "party", f"{value} already has membership {clash[0].id!r} of this dialogue"
        )
    obj.party_id = value


# --- documents and passages --------------------------------------------------------------


def read_text_file(path: Path) -> str:
    """Read a text file; a shared-set header (`Source:` line, `PARTIAL`, blank) is dropped."""
    text = path.read_text(encoding="utf-8")
    if text.startswith("Source: "):
        lines = text.split("\n")
        body_start = 1
        if len(lines) > 1 and lines[1].strip() == "PARTIAL":
            body_start = 2
        if len(lines) > body_start and lines[body_start].strip() == "":
            body_start += 1
        text = "\n".join(lines[body_start:])
    return text


def _load_document_text(value: Any, obj: Document, ctx: LoadContext) -> None:
    if not isinstance(value, str) or not value.strip():
        raise FieldError("text", "a document needs its text (text or text_file)")
    obj.text = value
    obj.content_hash = hashlib.sha256(value.encode("utf-8")).hexdigest()


def _load_passage(value: Any, obj: Commitment, ctx: LoadContext) -> None:
    if value in (None, ""):
        obj.passage_start = obj.passage_end = None
        return
    if obj.document_id is None:
        raise FieldError("passage", "a passage needs the document it is quoted from")
    quote = value.get("text") if isinstance(value, dict) else value
    if not isinstance(quote, str) or not quote:
        raise FieldError("passage", "expected the exact words of the document")
    text = ctx.document_text(obj.document_id)
    start = text.find(quote)
    if start < 0:
        raise FieldError("passage", f"not found in document {obj.document_id!r}: {quote[:60]!r}")
    obj.passage_start, obj.passage_end = start, start + len(quote)


def _dump_passage(obj: Commitment) -> str | None:
    return obj.passage or None


# --- commitments ------------------------------------------------------------------------


def _load_owners(value: Any, obj: Commitment, ctx: LoadContext) -> None:
    owners = _check_party_agencies("owners", value, ctx)
    parties = set(obj.parties.values_list("id", flat=True))
    for party in owners:
        if party not in parties:
            raise FieldError("owners", f"{party} owns a part but is not a committing party")
    obj.owners.all().delete()
    CommitmentOwner.objects.bulk_create(
        CommitmentOwner(commitment=obj, party_id=party, agency_id=slug, position=i)
        for party, slugs in owners.items()
        for i, slug in enumerate(slugs)
    )


def _dump_deadline(obj: Commitment) -> dict[str, Any] | None:
    if not (obj.deadline_text or obj.deadline_earliest or obj.deadline_latest):
        return None
    return {
        "text": obj.deadline_text,
        "earliest": obj.deadline_earliest.isoformat() if obj.deadline_earliest else None,
        "latest": obj.deadline_latest.isoformat() if obj.deadline_latest else None,
    }


def _load_deadline(value: Any, obj: Commitment, ctx: LoadContext) -> None:
    if value is None or value == "":
        obj.deadline_text, obj.deadline_earliest, obj.deadline_latest = "", None, None
        return
    if not isinstance(value, dict):
        raise FieldError("deadline", "expected null or {text, earliest, latest}")
    earliest = parse_day("deadline.earliest", value.get("earliest"))
    latest = parse_day("deadline.latest", value.get("latest"))
    if earliest and latest and latest < earliest:
        raise FieldError("deadline", "latest is before earliest")
    obj.deadline_text = str(value.get("text") or "")
    obj.deadline_earliest, obj.deadline_latest = earliest, latest


def _dump_reviews(obj: Assessment) -> list[dict[str, Any]]:
    return [
        {"party": r.party_id, "verdict": r.verdict, "reason": r.reason, "on": r.on.isoformat()}
        for r in obj.reviews.all()
    ]


def _load_reviews(value: Any, obj: Assessment, ctx: LoadContext) -> None:
    reviews = value or []
    if not isinstance(reviews, list):
        raise FieldError("reviews", "expected a list of reviews")
    rows = []
    for review in reviews:
        party = review.get("party")
        ctx.require(Government, str(party), "reviews.party")
        if party == obj.party_id:
            raise FieldError("reviews", "a party cannot confirm or contest its own assessment")
        verdict = review.get("verdict")
        if verdict not in Verdict.values:
            raise FieldError("reviews.verdict", f"must be confirmed or contested, got {verdict!r}")
        on = parse_day("reviews.on", review.get("on"), required=True)
        assert on is not None  # required=True refuses a missing date
        rows.append(
            AssessmentReview(
                assessment=obj,
                party_id=party,
                verdict=verdict,
                reason=review.get("reason", ""),
                on=on,
            )
        )
    obj.reviews.all().delete()
    AssessmentReview.objects.bulk_create(rows)


def _check_participants(name: str, value: Any) -> list[dict[str, Any]]:
    if value in (None, ""):
        return []
    if not isinstance(value, list) or not all(isinstance(p, dict) and p.get("name") for p in value):
        raise FieldError(name, "expected a list of {name, agency, role}")
    return value


def _load_counterpart_agencies(value: Any, obj: CounterpartPair, ctx: LoadContext) -> None:
    if not isinstance(value, list) or len(value) != 2:
        raise FieldError("agencies", "expected two agency slugs")
    for slug in value:
        ctx.require(Agency, slug, "agencies")
    if ctx.agency_government(value[0]) == ctx.agency_government(value[1]):
        raise FieldError("agencies", "counterparts belong to different governments")
    obj.agency_a_id, obj.agency_b_id = value


def _first_source_address(obj: Any) -> str | None:
    for source in obj.sources:
        if source.get("url"):
            return str(source["url"])
    if obj.sources:
        first = obj.sources[0]
        return ": ".join(x for x in (first.get("publisher"), first.get("title")) if x) or None
    return None


def _made_on_default(obj: Commitment) -> None:
    """A commitment is made on its meeting's date, else its document's date."""
    if obj.made_on:
        return
    source = obj.meeting if obj.meeting_id else obj.document if obj.document_id else None
    if source is None:
        raise FieldError("made_on", "is required when the commitment names no meeting or document")
    obj.made_on = source.date
    obj.made_on_first = PartialDate.parse(source.date).first


# --- the lists, in load order ------------------------------------------------------------

KINDS: list[Kind] = [
    Kind(
        "governments",
        Government,
        [Text("name", required=True), Text("name_ja")],
        is_record=False,
    ),
    Kind(
        "agencies",
        Agency,
        [
            Ref("government", model=Government, required=True),
            Text("acronym"),
            Text("name", required=True),
            Text("name_ja"),
            Choice("kind", choices=AgencyKind, default=AgencyKind.MINISTRY),
        ],
        is_record=False,
    ),
    Kind(
        "topics",
        Topic,
        [Text("name", required=True), Text("name_ja"), Ref("parent", model=Topic, after_list=True)],
        is_record=False,
    ),
    Kind("sectors", Sector, [Text("name", required=True), Text("name_ja")], is_record=False),
    Kind(
        "dialogues",
        Dialogue,
        [
            Text("name", required=True),
            Text("name_ja"),
            Text("acronym"),
            Choice("kind", choices=DialogueKind, required=True),
            Ref("parent", model=Dialogue, after_list=True),
            Partial("launched", required=True),
            Partial("ended"),
            Choice("status", choices=DialogueStatus, default=DialogueStatus.ACTIVE),
            Text("description"),
            Text("description_ja"),
            Custom(
                "parties",
                dumper=lambda o: sorted(o.party_codes()),
                loader=_load_dialogue_parties,
                after_save=True,
            ),
            Custom(
                "leads",
                dumper=lambda o: _dump_leads(o.leads.filter(pillar__isnull=True)),
                loader=_load_dialogue_leads,
                after_save=True,
            ),
            *record_fields(),
        ],
        needs_source=True,
        export_only={"slug": lambda o: o.id},
    ),
    Kind(
        "pillars",
        Pillar,
        [
            Ref("dialogue", model=Dialogue, required=True),
            Integer("number"),
            Text("name", required=True),
            Text("name_ja"),
            Custom(
                "leads",
                dumper=lambda o: _dump_leads(o.leads.all()),
                loader=_load_pillar_leads,
                after_save=True,
            ),
            *record_fields(),
        ],
    ),
    Kind(
        "memberships",
        Membership,
        [
            Ref("dialogue", model=Dialogue, required=True),
            Custom(
                "party",
                dumper=lambda o: o.party_id,
                loader=_load_membership_party,
                cell_is_json=False,
            ),
            Partial("joined", required=True),
            Partial("left"),
            Refs("pillars", model=Pillar),
            *record_fields(),
        ],
    ),
    Kind(
        "counterpart_pairs",
        CounterpartPair,
        [
            Custom(
                "agencies",
                dumper=lambda o: [o.agency_a_id, o.agency_b_id],
                loader=_load_counterpart_agencies,
            ),
            Ref("dialogue", model=Dialogue),
            Text("note"),
            *record_fields(),
        ],
    ),
    Kind(
        "meetings",
        Meeting,
        [
            Ref("dialogue", model=Dialogue, required=True),
            Integer("round"),
            Text("title", required=True),
            Text("title_ja"),
            Partial("date", required=True),
            Choice("level", choices=MeetingLevel, required=True),
            Text("place"),
            Text("place_ja"),
            Json("participants", check=_check_participants),
            Text("summary"),
            *record_fields(),
        ],
        needs_source=True,
    ),
    Kind(
        "agenda_items",
        AgendaItem,
        [
            Ref("dialogue", model=Dialogue, required=True),
            Ref("meeting", model=Meeting),
            Text("title", required=True),
            Text("title_ja"),
            Refs("topics", model=Topic),
            Refs("sectors", model=Sector),
            Ref("carried_from", model=AgendaItem, after_list=True),
            *record_fields(),
        ],
    ),
    Kind(
        "documents",
        Document,
        [
            Text("title", required=True),
            Ref("issuer", model=Agency),
            Text("publisher"),
            Partial("date", required=True),
            Text("language"),
            Choice("kind", choices=DocumentKind, default=DocumentKind.STATEMENT),
            Text("url"),
            Boolean("partial"),
            Ref("dialogue", model=Dialogue),
            Ref("meeting", model=Meeting),
            Custom("text", dumper=lambda o: o.text, loader=_load_document_text, cell_is_json=False),
            *record_fields(),
        ],
        needs_source=True,
        export_only={"content_hash": lambda o: o.content_hash},
    ),
    Kind(
        "commitments",
        Commitment,
        [
            Text("text", required=True),
            Ref("dialogue", model=Dialogue, required=True),
            Ref("pillar", model=Pillar),
            Ref("meeting", model=Meeting),
            Ref("document", model=Document),
            Custom("passage", dumper=_dump_passage, loader=_load_passage, cell_is_json=False),
            Partial("made_on"),
            Refs("parties", model=Government, required=True),
            Custom(
                "owners",
                dumper=lambda o: _dump_leads(o.owners.all()),
                loader=_load_owners,
                after_save=True,
            ),
            Custom("deadline", dumper=_dump_deadline, loader=_load_deadline),
            Refs("topics", model=Topic),
            Refs("sectors", model=Sector),
            Choice("lifecycle", choices=Lifecycle, default=Lifecycle.ACTIVE),
            Ref("lifecycle_target", model=Commitment, after_list=True),
            *record_fields(),
        ],
        needs_source=True,
        export_only={
            "source": _first_source_address,
            "passage_start": lambda o: o.passage_start,
            "passage_end": lambda o: o.passage_end,
        },
    ),
    Kind(
        "assessments",
        Assessment,
        [
            Ref("commitment", model=Commitment, required=True),
            Ref("party", model=Government, required=True),
            Day("as_of", required=True),
            Choice("status", choices=Status, required=True),
            Integer("score", choices=(-1, 0, 1)),
            Choice("completion", choices=Completion, default=""),
            Text("evidence"),
            Custom("reviews", dumper=_dump_reviews, loader=_load_reviews, after_save=True),
            *record_fields(),
        ],
        needs_source=True,
    ),
    Kind(
        "concerns",
        Concern,
        [
            Text("title", required=True),
            Text("title_ja"),
            Ref("raised_by", model=Government, required=True),
            Ref("about", model=Government, required=True),
            Text("measure"),
            Ref("dialogue", model=Dialogue),
            Refs("raised_at", model=Meeting),
            Partial("first_raised", required=True),
            Refs("topics", model=Topic),
            Refs("sectors", model=Sector),
            Choice("status", choices=ConcernStatus, default=ConcernStatus.OPEN),
            Partial("resolved_on"),
            Text("resolution"),
            *record_fields(),
        ],
        needs_source=True,
    ),
    Kind(
        "notes",
        Note,
        [
            Ref("dialogue", model=Dialogue),
            Ref("meeting", model=Meeting),
            Ref("commitment", model=Commitment),
            Text("text", required=True),
            Day("written_on", required=True),
            Day("target_date"),
            *record_fields(),
        ],
    ),
]

KINDS_BY_LIST = {kind.list_name: kind for kind in KINDS}


def complete_record(kind: Kind, obj: Any) -> None:
    """Checks and defaults that need several fields at once, before the record is saved."""
    if isinstance(obj, Commitment):
        _made_on_default(obj)
    if isinstance(obj, Note) and not (obj.dialogue_id or obj.meeting_id or obj.commitment_id):
        raise FieldError("commitment", "a note is about a dialogue, a meeting or a commitment")


def default_owner(obj: Any, raw: dict[str, Any]) -> tuple[str, str | None]:
    """The owner a record gets when its file names none (docs/dataset-format.md)."""
    if isinstance(obj, Dialogue):
        parties = raw.get("parties") or []
        if not parties:
            raise FieldError("owner", "is required when the dialogue lists no parties")
        leads = (raw.get("leads") or {}).get(parties[0]) or [None]
        return parties[0], leads[0]
    if isinstance(obj, Assessment):
        owners = list(
            obj.commitment.owners.filter(party_id=obj.party_id).values_list("agency_id", flat=True)
        )
        return obj.party_id, owners[0] if owners else None
    if isinstance(obj, Concern):
        lead = None
        if obj.dialogue is not None:
            lead = (
                obj.dialogue.leads.filter(party_id=obj.raised_by_id)
                .values_list("agency_id", flat=True)
                .first()
            )
        return obj.raised_by_id, lead
    if isinstance(obj, Note):
        subject = obj.commitment or obj.meeting or obj.dialogue
        if subject is None:
            raise FieldError("commitment", "a note is about a dialogue, a meeting or a commitment")
        return subject.owner_government_id, subject.owner_agency_id
    if isinstance(obj, CounterpartPair) and not obj.dialogue_id:
        return obj.agency_a.government_id, obj.agency_a_id
    if isinstance(obj, Document) and not obj.dialogue_id and obj.issuer is not None:
        return obj.issuer.government_id, obj.issuer_id
    dialogue = getattr(obj, "dialogue", None)
    if dialogue is None:
        raise FieldError("owner", "is required for a record with no dialogue")
    return dialogue.owner_government_id, dialogue.owner_agency_id
