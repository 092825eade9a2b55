"""The briefing book as plain data: what a principal needs before a leaders' meeting.

Everything here is read through `visible_to(actor)` and the analyses in `kizuna.analysis`,
which apply the same rule: a brief never holds a record its reader may not see. The brief
carries the most restrictive marking of anything in it (SECURITY.md), including the
assessments behind each status it reports.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Literal, TypedDict

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kizuna.access.actor import Actor
from kizuna.analysis.asof import latest_assessment_rows, live_commitments
from kizuna.analysis.changes import Change, changes
from kizuna.analysis.compliance import Compliance, compliance
from kizuna.analysis.concerns import concerns
from kizuna.analysis.coverage import Coverage, coverage
from kizuna.analysis.frameworks import DEFAULT_FRAMEWORK, frameworks
from kizuna.analysis.gaps import Gaps, gaps
from kizuna.analysis.overlaps import Overlaps, overlaps
from kizuna.analysis.slippage import Slippage, slippage
from kizuna.briefings.banners import DEFAULT_BANNERS, banner_for
from kizuna.commitments.models import Assessment, Commitment, Concern
from kizuna.commitments.selectors import calendar_events
from kizuna.core.batches import chunked
from kizuna.core.dates import PartialDate, Precision, days_from
from kizuna.registry.models import Agency, AgendaItem, Dialogue, Meeting, MeetingLevel, Topic
from kizuna.registry.records import MARKING_ORDER, Marking, Record
from kizuna.web.labels import label
from kizuna.web.templatetags.kizuna_web import local, partial_date, short

# Without an earlier leaders' meeting, "since the last one" means this far back.
DEFAULT_LOOKBACK = dt.timedelta(days=180)
# The calendar ahead covers this many days after the brief's date.
CALENDAR_AHEAD = dt.timedelta(days=120)


class BriefError(ValueError):
    """The brief cannot be drafted as asked (an unknown or hidden meeting, a bad date)."""


class Statement(TypedDict):
    """One line of the brief, with the link to the record it comes from."""

    id: str
    text: str
    detail: str
    party: str
    link: str
    source: str


class DialogueSection(TypedDict):
    dialogue: str
    name: str
    link: str
    ready: list[Statement]
    at_risk: list[Statement]
    decision: list[Statement]
    carried_over: list[Statement]


class CalendarItem(TypedDict):
    kind: str
    date: str
    title: str
    dialogue: str
    link: str


class Names(TypedDict):
    """The reader's word for each topic, dialogue and agency the brief names by slug: the
    analyses speak in slugs (their JSON is a contract), a principal reads names."""

    topics: dict[str, str]
    dialogues: dict[str, str]
    agencies: dict[str, str]
    framework: str  # the gaps' priority framework
    # The text of each commitment the slipping and divergent tables list by id.
    commitments: dict[str, str]


class ChangeSection(TypedDict):
    """What changed from `since` to `as_of`, one line per event, in the groups a principal
    reads them by: one line per change the analysis reports, except that an assessment that
    changed its party's status is its status change's line alone (the analysis reports it
    twice, as the assessment and as the change it carries)."""

    commitments: list[Statement]  # made in the window
    statuses: list[Statement]  # a party's status differs from its previous one
    assessments: list[Statement]  # every other new assessment (the status unchanged, or a first)
    dialogues: list[Statement]  # launched, ended, or a round held
    concerns: list[Statement]  # first raised, or resolved


ChangeGroup = Literal["commitments", "statuses", "assessments", "dialogues", "concerns"]

# The group of each kind of change (kizuna.analysis.changes).
_CHANGE_GROUPS: dict[str, ChangeGroup] = {
    "commitment": "commitments",
    "status-change": "statuses",
    "assessment": "assessments",
    "dialogue": "dialogues",
    "dialogue-ended": "dialogues",
    "round": "dialogues",
    "concern": "concerns",
    "concern-resolved": "concerns",
}


class Brief(TypedDict):
    title: str
    as_of: str
    since: str
    since_meeting: str | None
    since_meeting_title: str  # that meeting's title in the brief's language ("" without one)
    meeting: str | None
    language: str
    marking: str
    summary: dict[str, int]
    dialogues: list[DialogueSection]
    overlaps: Overlaps
    gaps: Gaps
    coverage: Coverage
    slippage: Slippage
    compliance: Compliance
    concerns: list[Statement]
    calendar: list[CalendarItem]
    names: Names
    # What changed from `since` to `as_of`, as the analysis gives it (the coordinators' page
    # lists it): drafted once, not again by the page.
    changes: list[Change]
    # The same changes as the brief's lines (its section "What changed"; the summary counts them).
    what_changed: ChangeSection


def highest_marking(markings: set[str] | list[str]) -> str:
    """The most restrictive of these markings (public when there are none)."""
    known = [m for m in markings if m in MARKING_ORDER]
    return max(known, key=MARKING_ORDER.index) if known else Marking.PUBLIC.value


def marking_banner(marking: str) -> str:
    """The handling banner this deployment prints for a marking (KIZUNA_MARKING_BANNERS),
    in the active language's edition."""
    banners: dict[str, str] = getattr(settings, "KIZUNA_MARKING_BANNERS", DEFAULT_BANNERS)
    return banner_for(marking, banners, get_language() or "en")


def _link(name: str, record_id: str, as_of: dt.date) -> str:
    return f"{reverse(f'web:{name}', args=[record_id])}?as_of={as_of.isoformat()}"


def _source(sources: object) -> str:
    """The first public source's URL or title, so each statement names where it comes from."""
    if isinstance(sources, list):
        for src in sources:
            if isinstance(src, dict):
                url = src.get("url") or ""
                title = src.get("title") or ""
                if url or title:
                    return str(url or title)
    return ""


def carried_agenda_items(actor: Actor, as_of: dt.date) -> list[AgendaItem]:
    """Per dialogue, the agenda items carried over into its last round held by `as_of`, and
    into its next round when that is already on the record.

    An item is carried when its `carried_from` link names an item of an earlier round (or a
    standing item) that the reader may see; the links are the data's, not inferred.
    """
    visible_dialogues = Dialogue.objects.visible_to(actor).values("pk")
    meetings = Meeting.objects.visible_to(actor).filter(dialogue__in=visible_dialogues)
    rounds: dict[str, set[str]] = defaultdict(set)
    held = meetings.filter(date_first__lte=as_of).order_by("dialogue_id", "-date_first", "-id")
    for dialogue_id, meeting_id in held.values_list("dialogue_id", "id"):
        if not rounds[dialogue_id]:  # the first row per dialogue is its last round
            rounds[dialogue_id].add(meeting_id)
    ahead = meetings.filter(date_first__gt=as_of).order_by("dialogue_id", "date_first", "id")
    seen_next: set[str] = set()
    for dialogue_id, meeting_id in ahead.values_list("dialogue_id", "id"):
        if dialogue_id not in seen_next:
            seen_next.add(dialogue_id)
            rounds[dialogue_id].add(meeting_id)
    wanted = sorted(m for ids in rounds.values() for m in ids)
    items = AgendaItem.objects.visible_to(actor)
    # The earlier item's round is named in the brief: it must be one the reader may see.
    earlier_round_visible = Q(carried_from__meeting__isnull=True) | Q(
        carried_from__meeting__in=meetings.values("pk")
    )
    carried: list[AgendaItem] = []
    for batch in chunked(wanted):
        carried += (
            items.filter(meeting_id__in=batch, carried_from__in=items.values("pk"))
            .filter(earlier_round_visible)
            .select_related("dialogue", "meeting", "carried_from__meeting")
        )
    carried.sort(
        key=lambda i: (
            i.dialogue_id,
            i.meeting.date_first if i.meeting else as_of,
            i.position,
            i.pk,
        )
    )
    return carried


def _meetings(actor: Actor) -> QuerySet[Meeting]:
    """The meetings the reader may see, of dialogues the reader may see."""
    return (
        Meeting.objects.visible_to(actor)
        .filter(dialogue__in=Dialogue.objects.visible_to(actor).values("pk"))
        .select_related("dialogue")
    )


def resolve_meeting(actor: Actor, meeting_id: str) -> Meeting:
    meeting = _meetings(actor).filter(pk=meeting_id).first()
    if meeting is None:  # hidden and missing answer alike
        raise BriefError(f"no meeting {meeting_id!r} that you may see")
    return meeting


class MeetingChoice(TypedDict):
    id: str
    label: str  # date · title (dialogue), in the reader's language
    selected: bool  # the next leaders' meeting, the one a brief is most often for


class MeetingGroup(TypedDict):
    label: str
    meetings: list[MeetingChoice]


# How many meetings of each kind the briefing book's meeting list offers.
CHOICE_LEADERS = 4
CHOICE_ROUNDS = 10


def meeting_choices(actor: Actor, day: dt.date) -> list[MeetingGroup]:
    """The meetings a coordinator may brief for, around `day`: the next and the last leaders'
    meetings, then the other rounds coming up and the recent ones (each group in the order
    a reader looks for it), only those the reader may see. Empty groups are left out."""
    meetings = _meetings(actor)
    leaders = meetings.filter(level=MeetingLevel.LEADERS)
    others = meetings.exclude(level=MeetingLevel.LEADERS)
    after, held = Q(date_first__gt=day), Q(date_first__lte=day)
    last_leaders = list(leaders.filter(held).order_by("-date_first", "-id")[:CHOICE_LEADERS])
    next_leaders = list(leaders.filter(after).order_by("date_first", "id")[:CHOICE_LEADERS])
    coming = list(others.filter(after).order_by("date_first", "id")[:CHOICE_ROUNDS])
    recent = list(others.filter(held).order_by("-date_first", "-id")[:CHOICE_ROUNDS])

    def choice(m: Meeting) -> MeetingChoice:
        title = local(m, "title") or m.pk
        return MeetingChoice(
            id=m.pk,
            label=f"{partial_date(m.date)} · {title} ({short(m.dialogue)})",
            selected=bool(next_leaders) and m.pk == next_leaders[0].pk,
        )

    groups = [
        MeetingGroup(
            label=_("Leaders' meetings"),
            meetings=[choice(m) for m in [*reversed(last_leaders), *next_leaders]],
        ),
        MeetingGroup(label=_("Other rounds coming up"), meetings=[choice(m) for m in coming]),
        MeetingGroup(label=_("Other recent rounds"), meetings=[choice(m) for m in recent]),
    ]
    return [g for g in groups if g["meetings"]]


def build_brief(
    *,
    actor: Actor,
    as_of: dt.date,
    title: str = "",
    meeting_id: str | None = None,
    since: dt.date | None = None,
    framework: str = DEFAULT_FRAMEWORK,
) -> Brief:
    """Draft the brief for a meeting (its first day is the date) or for a date and a title."""
    markings: set[str] = set()
    lang = (get_language() or "en")[:2]
    meeting = None
    if meeting_id:
        meeting = resolve_meeting(actor, meeting_id)
        as_of = meeting.date_first
        markings.add(meeting.marking)
        title = title or local(meeting, "title")
    last_leaders = (
        Meeting.objects.visible_to(actor)
        .filter(level=MeetingLevel.LEADERS, date_first__lt=as_of)
        .order_by("-date_first", "-id")
        .first()
    )
    if since is None:
        lookback_from = days_from(as_of, -DEFAULT_LOOKBACK.days)  # year 1: to its first day
        since = last_leaders.date_first if last_leaders else lookback_from
    if since > as_of:
        raise BriefError("the comparison date must not be after the brief's date")
    if last_leaders is not None:
        markings.add(last_leaders.marking)

    slip = slippage(actor=actor, as_of=as_of)
    over = overlaps(actor=actor, as_of=as_of)
    gap = gaps(actor=actor, as_of=as_of, framework=framework)
    cov = coverage(actor=actor, as_of=as_of)
    comp = compliance(actor=actor, as_of=as_of)
    conc = concerns(actor=actor, as_of=as_of)
    changed = changes(actor=actor, since=since, as_of=as_of)

    live = live_commitments(actor, as_of)
    commitments = {c.pk: c for c in live.select_related("dialogue").prefetch_related("parties")}
    latest = list(latest_assessment_rows(actor, as_of, live))
    status_of: dict[str, dict[str, str]] = defaultdict(dict)
    delivered_on: dict[str, dt.date] = {}
    for a in latest:
        status_of[a.commitment_id][a.party_id] = a.status
        markings.add(a.marking)
        if a.status == "delivered":
            prev = delivered_on.get(a.commitment_id)
            delivered_on[a.commitment_id] = max(prev, a.as_of) if prev else a.as_of

    def statement(c: Commitment, detail: str, party: str = "") -> Statement:
        markings.add(c.marking)
        return Statement(
            id=c.pk,
            text=c.text,
            detail=detail,
            party=party,
            link=_link("commitment", c.pk, as_of),
            source=_source(c.sources),
        )

    sections: dict[str, DialogueSection] = {}

    def section(dialogue: Dialogue) -> DialogueSection:
        if dialogue.pk not in sections:
            markings.add(dialogue.marking)
            sections[dialogue.pk] = DialogueSection(
                dialogue=dialogue.pk,
                name=local(dialogue, "name") or dialogue.pk,
                link=_link("dialogue", dialogue.pk, as_of),
                ready=[],
                at_risk=[],
                decision=[],
                carried_over=[],
            )
        return sections[dialogue.pk]

    placed: set[str] = set()
    # Ready to announce: every committing party now says delivered, since the last meeting.
    for cid, c in commitments.items():
        statuses = status_of.get(cid, {})
        parties = {p.pk for p in c.parties.all()}
        if (
            statuses
            and parties <= set(statuses)
            and set(statuses.values()) == {"delivered"}
            and since < delivered_on[cid] <= as_of
        ):
            section(c.dialogue)["ready"].append(statement(c, partial_date(delivered_on[cid])))
            placed.add(cid)
    # At risk: overdue (past the latest deadline, not delivered).
    for row in slip["overdue"]:
        late = commitments.get(row["commitment"])
        if late is None:
            continue
        detail = " · ".join(
            (
                partial_date(row["date"]),
                label(row["status"]) if row["status"] else "—",
                _("%(days)s days overdue") % {"days": row["days_overdue"]},
            )
        )
        section(late.dialogue)["at_risk"].append(statement(late, detail, row["party"]))
        placed.add(late.pk)
    # Needs a decision: the parties' views diverge, or one view is contested.
    seen_decision: set[str] = set()
    for drow in slip["divergent"]:
        split = commitments.get(drow["commitment"])
        if split is None or split.pk in seen_decision:
            continue
        seen_decision.add(split.pk)
        views = _views(status_of.get(split.pk, {}))
        reasons = ", ".join(label(reason) for reason in drow["reasons"])
        section(split.dialogue)["decision"].append(statement(split, f"{views} ({reasons})"))
        placed.add(split.pk)
    # Carried over: agenda items carried from one round of a dialogue to the next.
    for item in carried_agenda_items(actor, as_of):
        meeting_of, earlier = item.meeting, item.carried_from
        if meeting_of is None or earlier is None:  # not read: both are filtered on
            continue
        earlier_round = earlier.meeting
        markings.update((item.marking, meeting_of.marking, earlier.marking))
        if earlier_round is not None:
            markings.add(earlier_round.marking)
        origin = (
            f"{earlier_round.pk} ({earlier_round.date})" if earlier_round else earlier.dialogue_id
        )
        section(item.dialogue)["carried_over"].append(
            Statement(
                id=item.pk,
                text=local(item, "title"),
                detail=f"{origin} → {meeting_of.pk} ({meeting_of.date})",
                party="",
                link=_link("meeting", meeting_of.pk, as_of),
                source=_source(item.sources)
                or (_link("meeting", earlier_round.pk, as_of) if earlier_round else ""),
            )
        )

    # And the commitments carried from before the last leaders' meeting: still open, with
    # nothing else to say about them.
    for cid, c in commitments.items():
        if cid in placed or c.made_on_first > since:
            continue
        statuses = status_of.get(cid, {})
        if statuses and set(statuses.values()) <= {"delivered", "withdrawn"}:
            continue
        section(c.dialogue)["carried_over"].append(statement(c, _views(statuses)))

    concern_rows: list[Statement] = []
    concern_marks = dict(
        Concern.objects.visible_to(actor)
        .filter(pk__in=[x["id"] for x in conc["concerns"]])
        .values_list("pk", "marking")
    )
    for oc in conc["concerns"]:
        markings.add(concern_marks.get(oc["id"], Marking.PUBLIC.value))
        concern_rows.append(
            Statement(
                id=oc["id"],
                text=oc["title"],
                detail=" · ".join(
                    (
                        label(oc["status"]),
                        partial_date(oc["first_raised"]) if oc["first_raised"] else "—",
                        _open_for(oc["first_raised"], oc["age_days"]),
                    )
                ),
                party=f"{oc['raised_by']} → {oc['about']}",
                link=f"{reverse('web:concerns')}?as_of={as_of.isoformat()}",
                source="",
            )
        )

    calendar: list[CalendarItem] = []
    ahead_to = days_from(as_of, CALENDAR_AHEAD.days)  # up to 9999-12-31 at most
    events = calendar_events(actor=actor, start=as_of, end=ahead_to)
    for ev in events:
        name = "meeting" if ev.kind == "meeting" else "commitment"
        calendar.append(
            CalendarItem(
                kind=ev.kind,
                date=ev.first.isoformat(),
                title=local(ev, "title"),
                dialogue=ev.dialogue.pk if ev.dialogue else "",
                # As of the day it falls: a round after the brief's date is no record yet
                # on that date, and its page as of then would answer "not found".
                link=_link(name, ev.record_id, ev.first),
            )
        )
    ids = [e.record_id for e in events]
    markings.update(
        Meeting.objects.visible_to(actor).filter(pk__in=ids).values_list("marking", flat=True)
    )
    markings.update(
        Commitment.objects.visible_to(actor).filter(pk__in=ids).values_list("marking", flat=True)
    )
    # Every dialogue the brief names (in a table, a chart or a row) is in it: its marking
    # counts, and the brief calls it by its name.
    names, named_markings = _names(
        actor,
        topics=_topics_named(cov, over, gap),
        dialogues=_dialogues_named(cov, over, gap, comp, slip, calendar)
        | set(sections)
        | {c["dialogue"] for c in changed["changes"] if c["dialogue"]},
        agencies=_agencies_named(cov, over),
        framework=gap["framework"],
        # Already read with the live commitments: no query more.
        commitments={
            pk: commitments[pk].text
            for pk in (
                *(row["commitment"] for row in (*slip["overdue"], *slip["divergent"])),
                *(c["commitment"] for c in changed["changes"] if "commitment" in c),
            )
            if pk in commitments
        },
    )
    markings |= named_markings
    what_changed, changed_markings = _what_changed(actor, changed["changes"], as_of, names)
    markings |= changed_markings

    dialogues = sorted(sections.values(), key=lambda s: s["dialogue"])
    n = {
        "ready": sum(len(s["ready"]) for s in dialogues),
        # Commitments, not lines: a commitment late for both parties is one at risk (its
        # section lists it once per late party), as one that diverges needs one decision.
        "at_risk": len({st["id"] for s in dialogues for st in s["at_risk"]}),
        "decision": len({st["id"] for s in dialogues for st in s["decision"]}),
        "carried_over": sum(len(s["carried_over"]) for s in dialogues),
    }
    summary = {
        "ready": n["ready"],
        "at_risk": n["at_risk"],
        "decision": n["decision"],
        "carried_over": n["carried_over"],
        "overlaps": len(over["overlaps"]),
        "gaps": len(gap["gaps"]),
        "concerns": len(concern_rows),
        "changes": len(_lines(what_changed)),
    }
    return Brief(
        title=title,
        as_of=as_of.isoformat(),
        since=since.isoformat(),
        since_meeting=last_leaders.pk if last_leaders else None,
        since_meeting_title=local(last_leaders, "title"),
        meeting=meeting.pk if meeting else None,
        language=lang,
        marking=highest_marking(markings),
        summary=summary,
        dialogues=dialogues,
        overlaps=over,
        gaps=gap,
        coverage=cov,
        slippage=slip,
        compliance=comp,
        concerns=concern_rows,
        calendar=calendar,
        names=names,
        changes=changed["changes"],
        what_changed=what_changed,
    )


def _views(statuses: dict[str, str]) -> str:
    """Each party's latest status, in the reader's words: `JPN: in progress, USA: delivered`."""
    return ", ".join(f"{party}: {label(status)}" for party, status in sorted(statuses.items()))


def _open_for(first_raised: str | None, age_days: int) -> str:
    """How long a concern has been open. From a day the record knows, in days; from a date
    known only to its month or year, since that month or year: a count from its first day
    (697 days from 1 January) would claim a precision the sources do not have."""
    if first_raised and PartialDate.parse(first_raised).precision in (
        Precision.YEAR,
        Precision.MONTH,
    ):
        return _("open since %(date)s") % {"date": partial_date(first_raised)}
    return _("open %(days)s days") % {"days": age_days}


def _lines(section: ChangeSection) -> list[Statement]:
    """Every line of the section "What changed", group after group."""
    return [
        *section["commitments"],
        *section["statuses"],
        *section["assessments"],
        *section["dialogues"],
        *section["concerns"],
    ]


def _what_changed(
    actor: Actor, rows: list[Change], as_of: dt.date, names: Names
) -> tuple[ChangeSection, set[str]]:
    """The changes as the brief's lines, one per event (`one_per_event`), each linked to its
    record and naming its source, with the markings of the records the changes name and the
    lines print (an assessment's line prints its commitment's text): the pages that list the
    changes show the brief's marking.

    The analysis gives ids and English summaries; a line says what its record says, in the
    reader's language, so the records are read (as the reader, as the analysis read them).
    """
    rows = one_per_event(rows)
    wanted: dict[type[Record], set[str]] = defaultdict(set)
    for row in rows:
        model, pk = _changed_record(row)
        wanted[model].add(pk)
        wanted[_CHANGED_RECORDS[row["kind"]]].add(row["id"])  # the assessment itself
    records = {
        (model, record.pk): record
        for model, pks in wanted.items()
        for batch in chunked(sorted(pks))
        for record in model._default_manager.filter(pk__in=batch).visible_to(actor)
    }
    grouped: dict[ChangeGroup, list[Statement]] = defaultdict(list)
    for row in rows:
        record = records.get(_changed_record(row))
        if record is None:  # gone since the analysis read it: neither listed nor counted
            continue
        grouped[_CHANGE_GROUPS[row["kind"]]].append(_change_line(row, record, as_of, names))
    section = ChangeSection(
        commitments=grouped["commitments"],
        statuses=grouped["statuses"],
        assessments=grouped["assessments"],
        dialogues=grouped["dialogues"],
        concerns=grouped["concerns"],
    )
    return section, {record.marking for record in records.values()}


def one_per_event(rows: list[Change]) -> list[Change]:
    """The changes less each assessment that also comes as a status change: one event, which
    the status change's line tells whole (from → to, party, date). The two name the same
    assessment and commitment, so the brief's markings are those of the rows given."""
    changed_status = {row["id"] for row in rows if row["kind"] == "status-change"}
    return [
        row for row in rows if not (row["kind"] == "assessment" and row["id"] in changed_status)
    ]


def _changed_record(row: Change) -> tuple[type[Record], str]:
    """The record a change's line is about: an assessment's is its commitment."""
    if row["kind"] in ("assessment", "status-change"):
        return Commitment, row.get("commitment", "")
    return _CHANGED_RECORDS[row["kind"]], row["id"]


# The page each record of a change links to (a concern's is the concerns page).
_CHANGE_PAGES: dict[type[Record], str] = {
    Commitment: "commitment",
    Dialogue: "dialogue",
    Meeting: "meeting",
}


def _change_line(row: Change, record: Record, as_of: dt.date, names: Names) -> Statement:
    kind = row["kind"]
    day = partial_date(row["date"]) if row["date"] else "—"
    dialogue = names["dialogues"].get(row["dialogue"] or "") or row["dialogue"] or ""
    text, detail, party = local(record, "text"), day, ""  # a commitment's, unless said below
    if kind == "commitment":
        detail = f"{dialogue} · {day}"
    elif kind == "assessment":
        detail, party = f"{label(row.get('status', ''))} · {day}", row.get("party", "")
    elif kind == "status-change":
        change = f"{label(row.get('before', ''))} → {label(row.get('status', ''))}"
        detail, party = f"{change} · {day}", row.get("party", "")
    elif kind == "dialogue":
        text = _("%(name)s launched") % {"name": dialogue}
    elif kind == "dialogue-ended":
        text = _("%(name)s ended") % {"name": dialogue}
    elif kind == "round":
        text, detail = local(record, "title"), f"{dialogue} · {day}"
    elif kind == "concern":
        text, party = local(record, "title"), f"{row.get('party', '')} → {row.get('about', '')}"
    else:  # concern-resolved
        text = _("resolved: %(title)s") % {"title": local(record, "title")}
    page = _CHANGE_PAGES.get(type(record))
    return Statement(
        id=record.pk,
        text=text,
        detail=detail,
        party=party,
        link=_link(page, record.pk, as_of)
        if page
        else f"{reverse('web:concerns')}?as_of={as_of.isoformat()}",
        source=_source(record.sources),
    )


# The record each kind of change names (kizuna.analysis.changes).
_CHANGED_RECORDS: dict[str, type[Record]] = {
    "dialogue": Dialogue,
    "dialogue-ended": Dialogue,
    "round": Meeting,
    "commitment": Commitment,
    "assessment": Assessment,
    "status-change": Assessment,
    "concern": Concern,
    "concern-resolved": Concern,
}


def _topics_named(cov: Coverage, over: Overlaps, gap: Gaps) -> set[str]:
    named = {cell["topic"] for cell in (*cov["cells"], *cov["families"])}
    named |= {o["topic"] for o in over["overlaps"]} | {g["topic"] for g in gap["gaps"]}
    return named | set(gap["topics"])


def _dialogues_named(
    cov: Coverage,
    over: Overlaps,
    gap: Gaps,
    comp: Compliance,
    slip: Slippage,
    calendar: list[CalendarItem],
) -> set[str]:
    named = {cell["dialogue"] for cell in (*cov["cells"], *cov["families"])}
    named |= {d for o in over["overlaps"] for d in o["dialogues"]}
    named |= {d for g in gap["gaps"] for d in g.get("dialogues", [])}
    named |= {row["dialogue"] for row in comp["by_dialogue"]}
    for rows in (slip["overdue"], slip["stale"], slip["divergent"]):
        named |= {row["dialogue"] for row in rows}
    return named | {item["dialogue"] for item in calendar if item["dialogue"]}


def _agencies_named(cov: Coverage, over: Overlaps) -> set[str]:
    named = {a for cell in (*cov["cells"], *cov["families"]) for a in cell["agencies"]}
    return named | {a for o in over["overlaps"] for leads in o["leads"].values() for a in leads}


def _names(
    actor: Actor,
    *,
    topics: set[str],
    dialogues: set[str],
    agencies: set[str],
    framework: str,
    commitments: dict[str, str],
) -> tuple[Names, set[str]]:
    """The reader's names for these slugs (the pages' own `short` and `local`: an acronym,
    else the name in the active language), with the commitments' texts as given, and the
    markings of the dialogues among them.
    A dialogue the reader may not see is not named (nor counted): the analyses never
    return one.
    """
    named = Dialogue.objects.visible_to(actor).filter(pk__in=sorted(dialogues))
    shown = list(named.only("marking", "acronym", "name", "name_ja"))
    names = Names(
        topics={t.pk: local(t) for t in Topic.objects.filter(pk__in=sorted(topics))},
        dialogues={d.pk: short(d) for d in shown},
        framework=next((local(f) for f in frameworks() if f.slug == framework), framework),
        agencies={a.pk: short(a) for a in Agency.objects.filter(pk__in=sorted(agencies))},
        commitments=commitments,
    )
    return names, {d.marking for d in shown}
