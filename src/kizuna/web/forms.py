"""Parsing of the list filters: query parameters in, a CommitmentFilters out, errors in words."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kizuna.access.actor import Actor
from kizuna.commitments.selectors import COMMITMENT_SORTS, CommitmentFilters
from kizuna.registry.selectors import (
    agencies_all,
    dialogues_visible,
    governments_all,
    sectors_all,
    topics_all,
)
from kizuna.web.labels import LIFECYCLES, STATUSES, label

ANY: list[tuple[str, Any]] = [("", _("any"))]


def _names(objects: Any, ja: bool) -> list[tuple[str, str]]:
    return [(o.pk, (getattr(o, "name_ja", "") if ja else "") or str(o.name)) for o in objects]


class CommitmentFilterForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    dialogue = forms.ChoiceField(label=_("Dialogue"), required=False)
    party = forms.ChoiceField(label=_("Party"), required=False)
    agency = forms.ChoiceField(label=_("Agency"), required=False)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    status = forms.ChoiceField(
        label=_("Latest status"),
        required=False,
        choices=ANY + [(s, label(s)) for s in STATUSES],
    )
    lifecycle = forms.ChoiceField(
        label=_("Lifecycle"), required=False, choices=ANY + [(v, label(v)) for v in LIFECYCLES]
    )
    deadline_from = forms.DateField(
        label=_("Deadline from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    deadline_to = forms.DateField(
        label=_("Deadline to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
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
        fields["dialogue"].choices = ANY + [
            (d.pk, d.acronym or ((d.name_ja if ja else "") or d.name))
            for d in dialogues_visible(actor=actor, as_of=as_of).order_by("name")
        ]
        fields["party"].choices = ANY + _names(governments_all(), ja)
        fields["agency"].choices = ANY + [
            (a.pk, f"{a.government_id} · {(a.name_ja if ja else '') or a.name}")
            for a in agencies_all()
        ]
        fields["topic"].choices = ANY + _names(topics_all(), ja)
        fields["sector"].choices = ANY + _names(sectors_all(), ja)

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
