"""Forms of the ingestion pages: parse and check input, nothing more (services decide)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kizuna.documents.models import DocumentKind
from kizuna.registry.models import Agency
from kizuna.registry.records import Marking
from kizuna.web.labels import worded


def _codes(raw: str) -> list[str]:
    """A comma- or space-separated list, de-duplicated in order."""
    return list(
        dict.fromkeys(part.strip() for part in raw.replace(",", " ").split() if part.strip())
    )


class CodesInput(forms.TextInput):
    """Codes sent as several values of one name (checkboxes, a multiple choice) or typed as
    one list: the review page sends the first, an older page or a script the second."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if hasattr(data, "getlist"):
            return " ".join(data.getlist(name))
        return data.get(name)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Statement (.txt, .html or .pdf)"))
    date = forms.DateField(
        label=_("Date of the statement"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "Leave empty to take the date the text states, or the date the file name starts"
            " with. Deadlines such as “by the end of next year” count from this date."
        ),
    )
    dialogue = forms.ChoiceField(label=_("Dialogue"), required=False)
    meeting = forms.CharField(label=_("Meeting id"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=worded(DocumentKind.choices), initial=DocumentKind.STATEMENT
    )
    marking = forms.ChoiceField(
        label=_("Marking"), choices=worded(Marking.choices), initial=Marking.PUBLIC
    )

    def __init__(self, *args: Any, dialogues: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dialogue"].choices = [("", _("Suggest from the text and date")), *dialogues]  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    """One form for the three decisions; the fields a decision does not use are ignored."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", "accept"), ("merge", "merge"), ("reject", "reject")],
    )
    text = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea)
    dialogue = forms.CharField(label=_("Dialogue"), required=False, max_length=200)
    meeting = forms.CharField(label=_("Meeting id"), required=False, max_length=200)
    parties = forms.CharField(
        label=_("Committing governments"), required=False, max_length=500, widget=CodesInput
    )
    owners = forms.CharField(
        label=_("Owner agencies"), required=False, max_length=1000, widget=CodesInput
    )
    deadline_text = forms.CharField(label=_("Deadline as written"), required=False, max_length=300)
    deadline_earliest = forms.DateField(label=_("earliest"), required=False)
    deadline_latest = forms.DateField(label=_("latest"), required=False)
    topics = forms.CharField(label=_("Topics"), required=False, max_length=1000, widget=CodesInput)
    sectors = forms.CharField(
        label=_("Sectors"), required=False, max_length=1000, widget=CodesInput
    )
    marking = forms.ChoiceField(label=_("Marking"), choices=Marking.choices, required=False)
    commitment = forms.CharField(label=_("Commitment id"), required=False, max_length=200)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)

    # The fields that take several codes: a list each, on the page and in what was sent.
    CODE_FIELDS = ("parties", "owners", "topics", "sectors")

    # Fields a service names that are not one of the form's own.
    OTHER_LABELS = {"deadline": _("Deadline"), "party": _("Parties")}

    # The fields each decision's form on the review page sends. A decision that fails
    # refills its own form only: a failed rejection must not empty the accept form beside it.
    FIELDS_OF = {
        "accept": (
            "text",
            "dialogue",
            "meeting",
            *CODE_FIELDS,
            "deadline_text",
            "deadline_earliest",
            "deadline_latest",
            "marking",
            "reason",
        ),
        "merge": ("commitment", "reason"),
        "reject": ("reason",),
    }

    @classmethod
    def values_sent(cls, data: Any) -> dict[str, Any]:
        """What the reviewer sent with its decision, to show again beside an error: codes as
        lists. A marking that is none of the markings is left out, so the form keeps the
        document's rather than showing the first (and widest) choice."""
        sent = {
            name: _codes(" ".join(data.getlist(name)))
            if name in cls.CODE_FIELDS
            else data.get(name, "")
            for name in cls.FIELDS_OF.get(data.get("decision", ""), ())
        }
        if sent.get("marking") not in Marking.values:
            sent.pop("marking", None)
        return sent

    def label_of(self, field: str) -> str:
        """The reader's name for a field an error is about."""
        if field in self.fields:
            return str(self.fields[field].label)
        return str(self.OTHER_LABELS.get(field, field))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "merge" and not data.get("commitment"):
            self.add_error("commitment", _("Choose the commitment to merge into."))
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            # A rejection is final, and its reason is what the audit log keeps of it.
            self.add_error("reason", _("Say why the candidate is rejected."))
        if data.get("decision") == "accept":
            owners = _codes(data.get("owners", ""))
            governments = dict(
                Agency.objects.filter(pk__in=owners).values_list("id", "government_id")
            )
            unknown = [slug for slug in owners if slug not in governments]
            if unknown:
                self.add_error("owners", _("Unknown agencies: %s") % ", ".join(unknown))
            by_party: dict[str, list[str]] = {}
            for slug in owners:
                if slug in governments:
                    by_party.setdefault(governments[slug], []).append(slug)
            data["owners_by_party"] = by_party
            parties = [code.upper() for code in _codes(data.get("parties", ""))]
            data["party_list"] = list(dict.fromkeys([*parties, *by_party]))
        return data

    def accept_edits(self) -> dict[str, Any]:
        """The keyword arguments of `candidate_accept` this form sets."""
        data = self.cleaned_data
        deadline_earliest: dt.date | None = data.get("deadline_earliest")
        deadline_latest: dt.date | None = data.get("deadline_latest")
        return {
            "text": data.get("text") or None,
            "dialogue_id": data.get("dialogue") or None,
            "meeting_id": data.get("meeting") or None,
            "parties": data["party_list"],
            "owners": data["owners_by_party"],
            "deadline_text": data.get("deadline_text", ""),
            "deadline_earliest": deadline_earliest,
            "deadline_latest": deadline_latest,
            "topics": _codes(data.get("topics", "")),
            "sectors": _codes(data.get("sectors", "")),
            "marking": data.get("marking") or None,  # the document's, unless chosen
            "reason": data.get("reason", ""),
        }
