"""Request schemas: what each endpoint accepts, strictly.

Bodies are strict (no "1" for 1, no true for 1) and refuse unknown fields, so a client's
typo is a 422 naming the field instead of a silently ignored value, and fields a role may
not set are refused rather than dropped (issue 3, "Writing"). Dates are written as in the
dataset format: full dates YYYY-MM-DD, world-time dates possibly partial (2024, 2024-05,
2022-09-08/2022-09-09).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import (
    BeforeValidator,
    ConfigDict,
    StrictInt,
    StrictStr,
    WithJsonSchema,
    model_validator,
)

from kizuna.commitments.models import Completion, Lifecycle, Status, Verdict
from kizuna.core.dates import PartialDate, PartialDateError
from kizuna.documents.models import Decision, DocumentKind
from kizuna.registry.records import Marking

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: Any) -> dt.date:
    # pydantic alone would also take a timestamp or a datetime for a date; the API takes
    # exactly the YYYY-MM-DD the rest of Kizuna writes.
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not _ISO_DAY.fullmatch(value):
        raise ValueError("expected a date YYYY-MM-DD")
    return dt.date.fromisoformat(value)


def _partial_date(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("expected a date: 2024, 2024-05, 2024-05-17 or 2022-09-08/2022-09-09")
    try:
        return str(PartialDate.parse(value))
    except PartialDateError as exc:
        raise ValueError(str(exc)) from exc


IsoDate = Annotated[
    dt.date,
    BeforeValidator(_iso_day),
    WithJsonSchema({"type": "string", "format": "date"}),
]
PartialDateText = Annotated[
    str,
    BeforeValidator(_partial_date),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?(/[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?)?$",
            "description": "2024, 2024-05, 2024-05-17 or 2022-09-08/2022-09-09",
        }
    ),
]
# Text that must say something: at least one character that is not white space.
Words = Annotated[StrictStr, Field(min_length=1, max_length=20000, pattern=r"\S")]
Id = Annotated[StrictStr, Field(min_length=1, max_length=200)]
PartyCode = Annotated[StrictStr, Field(min_length=3, max_length=3)]
Slug = Annotated[StrictStr, Field(min_length=1, max_length=60)]
Slugs = Annotated[list[Slug], Field(max_length=50)]
MarkingValue = Literal["public", "shared", "government-internal", "agency-internal"]
StatusValue = Literal["not-started", "in-progress", "delivered", "stalled", "withdrawn"]
CompletionValue = Literal["", "not-started", "limited", "substantial", "complete"]
LifecycleValue = Literal["active", "superseded", "merged", "transferred", "withdrawn"]
VerdictValue = Literal["confirmed", "contested"]
DecisionValue = Literal["pending", "accepted", "merged", "rejected"]
DocumentKindValue = Literal[
    "joint-statement", "readout", "fact-sheet", "press-release", "agreement", "statement", "remarks"
]

# Keep the literals above in step with the models (a test would fail at import otherwise).
assert set(MarkingValue.__args__) == set(Marking.values)  # type: ignore[attr-defined]
assert set(StatusValue.__args__) == set(Status.values)  # type: ignore[attr-defined]
assert set(CompletionValue.__args__) - {""} == set(Completion.values)  # type: ignore[attr-defined]
assert set(LifecycleValue.__args__) == set(Lifecycle.values)  # type: ignore[attr-defined]
assert set(VerdictValue.__args__) == set(Verdict.values)  # type: ignore[attr-defined]
assert set(DecisionValue.__args__) == set(Decision.values)  # type: ignore[attr-defined]
assert set(DocumentKindValue.__args__) == set(DocumentKind.values)  # type: ignore[attr-defined]


def _no_nul(value: Any) -> Any:
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("may not contain NUL characters")
    if isinstance(value, dict):
        for key, item in value.items():
            _no_nul(key)
            _no_nul(item)
    elif isinstance(value, list):
        for item in value:
            _no_nul(item)
    return value


class Body(Schema):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _refuse_nul(cls, data: Any) -> Any:
        # PostgreSQL cannot store NUL in text: refuse it here (422) rather than fail the write.
        return _no_nul(data)


# --- query parameters ---------------------------------------------------------------------


class Page(Schema):
    limit: int | None = Field(None, ge=1, le=500, description="items per page (default 50)")
    offset: int = Field(0, ge=0, le=1_000_000)


class AsOf(Schema):
    as_of: IsoDate | None = Field(None, description="the world as the record knows it on D")


class DialogueFilters(AsOf):
    party: str | None = Field(None, max_length=3, description="a party's ISO3 code")


class MeetingFilters(AsOf):
    dialogue: str | None = Field(None, max_length=200)
    party: str | None = Field(None, max_length=3)


class CommitmentFilterQuery(AsOf):
    dialogue: str | None = Field(None, max_length=200)
    party: str | None = Field(None, max_length=3)
    topic: str | None = Field(
        None, max_length=60, description="a topic; a family counts its children"
    )
    agency: str | None = Field(None, max_length=60)
    sector: str | None = Field(None, max_length=60)
    status: StatusValue | None = Field(None, description="latest status (the party's, with party)")
    lifecycle: LifecycleValue | None = None
    q: str | None = Field(None, max_length=200, description="words in the text")


class AssessmentFilters(AsOf):
    commitment: str | None = Field(None, max_length=200)
    dialogue: str | None = Field(None, max_length=200)
    party: str | None = Field(None, max_length=3)
    topic: str | None = Field(None, max_length=60)


class DocumentFilters(AsOf):
    dialogue: str | None = Field(None, max_length=200)
    meeting: str | None = Field(None, max_length=200)
    party: str | None = Field(None, max_length=3, description="the issuing agency's government")


class ConcernFilters(AsOf):
    dialogue: str | None = Field(None, max_length=200)
    party: str | None = Field(None, max_length=3, description="raised by or about this party")
    topic: str | None = Field(None, max_length=60)


class AnalysisQuery(AsOf):
    since: IsoDate | None = Field(
        None, description="changes: from this date (default 30 days before)"
    )
    framework: str | None = Field(None, max_length=60, description="gaps: a priority framework")
    stale_days: int | None = Field(None, ge=0, le=3650, description="slippage: days before stale")


class ReviewFilters(Schema):
    document: str | None = Field(None, max_length=200, description="one document's candidates")
    decision: DecisionValue = Field("pending", description="pending (the queue) or a decision")


# --- bodies -------------------------------------------------------------------------------


class Deadline(Body):
    text: Annotated[StrictStr, Field(max_length=300)] = ""
    earliest: IsoDate | None = None
    latest: IsoDate | None = None


class CommitmentIn(Body):
    dialogue: Id
    text: Words
    made_on: PartialDateText
    parties: Annotated[
        list[Annotated[StrictStr, Field(min_length=3, max_length=3)]],
        Field(min_length=1, max_length=30),
    ]
    owners: dict[StrictStr, Annotated[list[Id], Field(min_length=1, max_length=20)]] = Field(
        default_factory=dict, description="{party: [agency slugs]}"
    )
    marking: MarkingValue = "shared"
    meeting: Id | None = None
    deadline: Deadline | None = None


class CommitmentPatch(Body):
    """Send the `version` you read and only the fields you change."""

    version: Annotated[StrictInt, Field(ge=1, le=2_000_000_000)]
    text: Words | None = None
    deadline_text: Annotated[StrictStr, Field(max_length=300)] | None = None
    deadline_earliest: IsoDate | None = None
    deadline_latest: IsoDate | None = None
    lifecycle: LifecycleValue | None = None


class AssessmentIn(Body):
    as_of: IsoDate
    status: StatusValue
    score: Literal[-1, 0, 1] | None = None
    completion: CompletionValue = ""
    evidence: Annotated[StrictStr, Field(max_length=20000)] = ""
    marking: MarkingValue = "shared"


class ReviewIn(Body):
    verdict: VerdictValue
    reason: Annotated[StrictStr, Field(max_length=5000)] = ""


class MarkingIn(Body):
    version: Annotated[StrictInt, Field(ge=1, le=2_000_000_000)]
    marking: MarkingValue
    reason: Annotated[StrictStr, Field(max_length=5000)] = ""


class ShareIn(Body):
    version: Annotated[StrictInt, Field(ge=1, le=2_000_000_000)]
    agencies: Annotated[
        list[Annotated[StrictStr, Field(min_length=1, max_length=60)]],
        Field(min_length=1, max_length=50),
    ]
    reason: Annotated[StrictStr, Field(max_length=5000)] = ""


class UploadFields(Schema):
    """The form fields sent with a document upload (multipart), as on the upload page."""

    dialogue: Id | None = Field(None, description="file it under this dialogue (else suggested)")
    meeting: Id | None = Field(None, description="a meeting of that dialogue")
    kind: DocumentKindValue = "statement"
    marking: MarkingValue = "public"


class AcceptIn(Body):
    """Edits to the extractor's suggestions; a field left out keeps the suggestion."""

    text: Words | None = None
    dialogue: Id | None = None
    meeting: Id | None = None
    parties: Annotated[list[PartyCode], Field(max_length=20)] | None = None
    owners: dict[PartyCode, list[Slug]] | None = Field(
        None, description='agencies by party: {"USA": ["commerce"]}'
    )
    deadline_text: Annotated[StrictStr, Field(max_length=300)] | None = None
    deadline_earliest: IsoDate | None = None
    deadline_latest: IsoDate | None = None
    topics: Slugs | None = None
    sectors: Slugs | None = None
    marking: MarkingValue | None = Field(
        None, description="who may read the commitment; the document's marking when left out"
    )
    reason: Annotated[
        StrictStr,
        Field(max_length=2000, description="why, when the marking is wider than the document's"),
    ] = ""


class MergeIn(Body):
    commitment: Id
    reason: Annotated[StrictStr, Field(max_length=2000)] = ""


class RejectIn(Body):
    reason: Annotated[StrictStr, Field(max_length=2000)] = ""


class JobOut(Schema):
    id: str
    status: str
    progress: int
    stage: str
    message: str
    document: str | None
    attempts: int


class CandidateOut(Schema):
    id: int
    document: str
    start: int
    end: int
    text: str
    confidence: float
    parties: list[str]
    owners: dict[str, list[str]]
    deadline_text: str
    deadline_earliest: dt.date | None
    deadline_latest: dt.date | None
    topics: list[str]
    sectors: list[str]
    suggested_dialogue: str | None
    suggested_meeting: str | None
    decision: str
    decided_by: str
    commitment: str | None


class CandidatePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[CandidateOut]


class Meta(Schema):
    kizuna: str
    api: str
    django: str
    python: str
    database: dict[str, str]
