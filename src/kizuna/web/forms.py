"""Parsing of the list filters: query parameters in, a CommitmentFilters out, errors in words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape
from typing import Any

from django import forms
from django.conf import settings
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kizuna.access.actor import Actor
from kizuna.audit.selectors import last_change
from kizuna.commitments.selectors import COMMITMENT_SORTS, CommitmentFilters
from kizuna.registry.selectors import (
    agencies_all,
    dialogues_visible,
    governments_all,
    sectors_all,
    topics_all,
)
from kizuna.web.labels import LABELS, LIFECYCLES, STATUSES

ANY: list[tuple[str, Any]] = [("", _("any"))]


def _in_language(name: str, name_ja: str, ja: bool) -> str:
    """The Japanese name for a Japanese reader when the record has one, else the English."""
    return (name_ja if ja else "") or name


def _names(objects: Any, ja: bool) -> list[tuple[str, str]]:
    return [
        (pk, _in_language(name, name_ja, ja))
        for pk, name, name_ja in objects.values_list("pk", "name", "name_ja")
    ]


def _in_reading_order(pairs: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """A Japanese reader's records (dialogues, governments, agencies, topics, sectors) in the
    order of the labels shown: the English order of ids reads as none once the labels are
    Japanese. Labels sort by code point (kana in syllabary order; no reading of the kanji is
    recorded to sort by); "any" stays first. Status, lifecycle and sort keep their own order,
    which means something (a status ladder) in either language."""
    return pairs[:1] + sorted(pairs[1:], key=lambda pair: (str(pair[1]), pair[0]))


class ListSelect(forms.Select):
    """A single-choice <select> written out in one pass, with the markup Django's own gives.

    Django renders every <option> through the template engine (about 50 µs each); a filter
    over hundreds of dialogues and agencies spent more time there than in the list's queries.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        choices = self.choices if isinstance(self.choices, Pairs) else Pairs(list(self.choices))
        options = choices.options()
        chosen = self.format_value(value)[:1]  # one choice: the first match, as Django's
        if chosen:
            option = f'<option value="{escape(chosen[0])}">'
            options = options.replace(option, option[:-1] + " selected>", 1)
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            mark_safe(options),  # every part is escaped (Pairs.options)
        )


class Pairs(BaseChoiceIterator):
    """Choices already given as (value, label) pairs, kept as they are: Django normalises a
    plain list pair by pair, twice (field and widget), milliseconds for hundreds of choices."""

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        self.pairs = pairs
        self._options: dict[str, str] = {}  # per language: labels may be lazy translations

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        return iter(self.pairs)

    def options(self) -> str:
        """The choices as <option>s, none selected, written once per language: the filters'
        choices are kept between requests (`filter_choices`), so are their options."""
        language = get_language() or ""
        options = self._options.get(language)
        if options is None:
            # html.escape on each value and label as text: what format_html does, without
            # its per-argument checks for safe and lazy strings (most of a long list's time).
            options = self._options[language] = "".join(
                f'<option value="{escape(str(v))}">{escape(str(text))}</option>'
                for v, text in self.pairs
            )
        return options


def _choice(label: Any, ignored: Any, **kwargs: Any) -> forms.ChoiceField:
    """An optional filter among choices; a value not among them is ignored with `ignored`,
    which says what the list shows instead (a value from the address, not the reader's doing:
    Django's "Select a valid choice" reads as a mistake to correct)."""
    return forms.ChoiceField(
        label=label,
        required=False,
        widget=ListSelect,
        error_messages={"invalid_choice": ignored},
        **kwargs,
    )


class FilterDate(forms.DateField):
    """An optional date filter; a value that is not a date is ignored, in the words the pages
    use for their as-of date."""

    widget = forms.DateInput(attrs={"type": "date"})
    default_error_messages = {
        "invalid": _("“%(value)s” is not a date in the form YYYY-MM-DD, so it was ignored.")
    }

    def __init__(self, *, label: Any) -> None:
        super().__init__(label=label, required=False)

    def to_python(self, value: Any) -> dt.date | None:
        try:
            return super().to_python(value)
        except forms.ValidationError:
            # Django's message names no value: say which one was ignored.
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            ) from None


@dataclass(frozen=True)
class FilterChoices:
    """What the list's filters offer, each list headed by "any"."""

    dialogue: Pairs
    party: Pairs
    agency: Pairs
    topic: Pairs
    sector: Pairs


# Choices worked out, per actor, date, language and state of the workspace (below); cleared
# when full.
_CHOICES: dict[tuple[Any, ...], FilterChoices] = {}
CHOICES_KEPT = 512


def filter_choices(*, actor: Actor, as_of: dt.date | None, ja: bool) -> FilterChoices:
    """The filters' choices as `actor` may see them on `as_of`, in the reader's language.

    Kept by the process until the workspace changes (the audit log's newest entry: every
    change is logged, SECURITY.md), so that a list page reads one row instead of five
    lists: hundreds of dialogues and agencies, read, named and sorted on every page, were
    a tenth of the list's time at the workspace issue's scale (docs/adr/0014). A dialogue
    re-marked out of the actor's sight leaves the choices with the change that hid it.
    """
    key = (actor, as_of, ja, bool(settings.KIZUNA_PUBLIC_READ), last_change())
    choices = _CHOICES.get(key)
    if choices is None:
        if len(_CHOICES) >= CHOICES_KEPT:
            _CHOICES.clear()
        choices = _CHOICES[key] = _read_choices(actor, as_of, ja)
    return choices


def forget_filter_choices() -> None:
    """Drop the kept choices: for a process whose records change without the audit log."""
    _CHOICES.clear()


def _read_choices(actor: Actor, as_of: dt.date | None, ja: bool) -> FilterChoices:
    # Only the columns a choice shows: the selectors' prefetches (leads, memberships) cost
    # more than the choices themselves.
    dialogues = (
        dialogues_visible(actor=actor, as_of=as_of)
        .prefetch_related(None)
        .order_by()
        .values_list("pk", "acronym", "name", "name_ja")
    )
    # In the order of what the choice shows (an acronym, or the name): "CoRe" among the Cs,
    # not where its full name would sort.
    shown = sorted(
        (
            (pk, acronym or _in_language(name, name_ja, ja))
            for pk, acronym, name, name_ja in dialogues
        ),
        key=lambda pair: (pair[1].casefold(), pair[0]),
    )
    agencies = agencies_all().values_list("pk", "government_id", "name", "name_ja")
    named = [
        (pk, f"{gov} · {_in_language(name, name_ja, ja)}") for pk, gov, name, name_ja in agencies
    ]
    lists = {
        "dialogue": ANY + shown,
        "party": ANY + _names(governments_all(), ja),
        "agency": ANY + named,
        "topic": ANY + _names(topics_all(), ja),
        "sector": ANY + _names(sectors_all(), ja),
    }
    # English keeps its order (the dialogues by name, the rest as the registry lists them).
    return FilterChoices(
        **{name: Pairs(_in_reading_order(pairs) if ja else pairs) for name, pairs in lists.items()}
    )


class CommitmentFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Words"),
        required=False,
        max_length=200,
        error_messages={
            "max_length": _(
                "The words are longer than %(limit_value)d characters, so they were ignored."
            )
        },
    )
    dialogue = _choice(
        _("Dialogue"),
        _(
            "“%(value)s” is not a dialogue you may see on this date; "
            "commitments of every dialogue are shown."
        ),
    )
    party = _choice(
        _("Party"), _("“%(value)s” is not a party; commitments of every party are shown.")
    )
    agency = _choice(
        _("Agency"), _("“%(value)s” is not an agency; commitments of every agency are shown.")
    )
    topic = _choice(
        _("Topic"), _("“%(value)s” is not a topic; commitments on every topic are shown.")
    )
    sector = _choice(
        _("Sector"), _("“%(value)s” is not a sector; commitments in every sector are shown.")
    )
    status = _choice(
        _("Latest status"),
        _("“%(value)s” is not a status; any status is shown."),
        choices=ANY + [(s, LABELS[s]) for s in STATUSES],
    )
    lifecycle = _choice(
        _("Lifecycle"),
        _("“%(value)s” is not a lifecycle stage; commitments at every stage are shown."),
        choices=ANY + [(v, LABELS[v]) for v in LIFECYCLES],
    )
    deadline_from = FilterDate(label=_("Deadline from"))
    deadline_to = FilterDate(label=_("Deadline to"))
    sort = _choice(
        _("Sort by"),
        _("“%(value)s” is not a sort order; the list is sorted newest first."),
        choices=[
            ("-made", _("newest first")),
            ("made", _("oldest first")),
            ("deadline", _("deadline, soonest first")),
            ("-deadline", _("deadline, latest first")),
            ("dialogue", _("dialogue")),
        ],
    )

    def __init__(self, data: Any, *, actor: Actor, as_of: dt.date | None, ja: bool) -> None:
        super().__init__(data)
        fields: dict[str, Any] = self.fields
        choices = filter_choices(actor=actor, as_of=as_of, ja=ja)
        for name in ("dialogue", "party", "agency", "topic", "sector"):
            fields[name].choices = getattr(choices, name)

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        start, end = cleaned.get("deadline_from"), cleaned.get("deadline_to")
        if start and end and start > end:
            # Reported, and neither bound obeyed (as any bad filter value): a reversed range
            # would otherwise match nothing, and one bound alone is not what was asked.
            self.add_error(
                "deadline_to",
                _("“Deadline to” is before “Deadline from”, so neither date was applied."),
            )
            del cleaned["deadline_from"]
        return cleaned

    def filters(self) -> CommitmentFilters:
        """The filters the valid fields ask for; an invalid field counts as "any"."""
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        sort = data.get("sort") or "-made"
        return CommitmentFilters(
            q=(data.get("q") or "").strip(),
            dialogue=data.get("dialogue") or "",
            party=data.get("party") or "",
            agency=data.get("agency") or "",
            topic=data.get("topic") or "",
            sector=data.get("sector") or "",
            status=data.get("status") or "",
            lifecycle=data.get("lifecycle") or "",
            deadline_from=data.get("deadline_from"),
            deadline_to=data.get("deadline_to"),
            sort=sort if sort in COMMITMENT_SORTS else "-made",
        )


def focus_first_error(form: forms.Form) -> None:
    """The first field in error takes the focus (htmx focuses `autofocus` after a swap, the
    browser on a full load), so a keyboard or screen-reader user lands on what to mend. An
    error about no field is shown above the form and takes the focus there instead."""
    if form.non_field_errors():
        return
    for name in form.fields:
        if name in form.errors:
            form.fields[name].widget.attrs["autofocus"] = True
            return
