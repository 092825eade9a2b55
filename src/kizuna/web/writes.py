"""The write pages: a party records its assessment; the other side confirms or contests it.

Thin adapters over the services, which check the permission, write and audit. Field
errors from a service are shown beside the field; a refusal answers 403 in plain words.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kizuna.access.actor import Actor
from kizuna.audit.selectors import entries_visible_to, payload_visible_to
from kizuna.commitments.models import Assessment, Commitment, Completion, Status
from kizuna.commitments.selectors import may_assess
from kizuna.commitments.services import (
    AssessmentAlreadyRecorded,
    assessment_record,
    assessment_review,
)
from kizuna.registry.records import Marking
from kizuna.registry.services import InvalidEdit, PermissionDenied
from kizuna.web.forms import focus_first_error
from kizuna.web.labels import worded
from kizuna.web.refusals import refused
from kizuna.web.views import commitment_response


class AssessmentForm(forms.Form):
    as_of = forms.DateField(
        label=gettext_lazy("As of"), widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=worded(Status.choices))
    score = forms.TypedChoiceField(
        label=gettext_lazy("G7RG score"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), ("1", "+1"), ("0", "0"), ("-1", "−1")],
    )
    completion = forms.ChoiceField(
        label=gettext_lazy("Completion"),
        required=False,
        choices=[("", "—"), *worded(Completion.choices)],
    )
    evidence = forms.CharField(
        label=gettext_lazy("Evidence"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )
    marking = forms.ChoiceField(
        label=gettext_lazy("Marking"), choices=worded(Marking.choices), initial=Marking.SHARED
    )


class ReviewForm(forms.Form):
    verdict = forms.ChoiceField(
        label=gettext_lazy("Verdict"),
        choices=[("confirmed", gettext_lazy("confirm")), ("contested", gettext_lazy("contest"))],
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _visible_commitment(actor: Actor, commitment_id: str) -> Commitment:
    commitment = Commitment.objects.visible_to(actor).filter(pk=commitment_id).first()
    if commitment is None:
        raise Http404(_("No such commitment."))
    return commitment


def assessment_new(request: HttpRequest, commitment_id: str) -> HttpResponse:
    actor = Actor.from_user(request.user)
    commitment = _visible_commitment(actor, commitment_id)
    if not may_assess(actor, commitment):
        # Asked before the form is shown, so nobody fills in a form only to be refused.
        message = _(
            "Only the coordinators of a committing government, and the desk officers of its"
            " agencies that own this commitment, record its assessments."
        )
        return refused(request, message)
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment_record(actor=actor, commitment_id=commitment.pk, **form.cleaned_data)
        except AssessmentAlreadyRecorded as exc:
            # The same form sent twice (a second click, a resend): the first one counts.
            messages.info(request, exc.message)
            return redirect("web:commitment", commitment_id=commitment.pk)
        except InvalidEdit as exc:
            # Beside its field, in the reader's words; an error about no field of the form
            # (the committing party) goes above it, still naming what it is about.
            if exc.field in form.fields:
                form.add_error(exc.field, exc.message)
            else:
                form.add_error(None, exc.message)
        except PermissionDenied as exc:
            return refused(request, str(exc), object_kind="commitment", object_id=commitment.pk)
        else:
            messages.success(request, _("Your government's assessment is recorded."))
            return redirect("web:commitment", commitment_id=commitment.pk)
    focus_first_error(form)
    return render(request, "web/assessment_form.html", {"form": form, "commitment": commitment})


def assessment_review_post(request: HttpRequest, assessment_id: str) -> HttpResponse:
    actor = Actor.from_user(request.user)
    assessment = Assessment.objects.visible_to(actor).filter(pk=assessment_id).first()
    if assessment is None:
        raise Http404(_("No such assessment."))
    if request.method != "POST":
        # The form's address, reloaded or bookmarked (or the way back after signing in
        # again): the page the form is on, not an empty "method not allowed".
        return redirect("web:commitment", commitment_id=assessment.commitment_id)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _review_failed(request, assessment, _("Choose confirm or contest."))
    try:
        assessment_review(actor=actor, assessment_id=assessment.pk, **form.cleaned_data)
    except InvalidEdit as exc:
        return _review_failed(request, assessment, exc.message)
    except PermissionDenied as exc:
        return refused(request, str(exc), object_kind="assessment", object_id=assessment.pk)
    messages.success(request, _("Your review is recorded."))
    return redirect("web:commitment", commitment_id=assessment.commitment_id)


def _review_failed(request: HttpRequest, assessment: Assessment, message: str) -> HttpResponse:
    """The commitment page again, the message beside the review form that failed, as sent."""
    failed = {
        "assessment": assessment.pk,
        "message": str(message),
        "verdict": request.POST.get("verdict", ""),
        "reason": request.POST.get("reason", ""),
    }
    response = commitment_response(request, assessment.commitment_id, failed_review=failed)
    if request.headers.get("HX-Request"):
        # Swapped in place: the address bar shows the commitment, not the form's POST-only
        # address, which a reload or a bookmark could not open.
        response["HX-Push-Url"] = reverse("web:commitment", args=[assessment.commitment_id])
    return response


def audit_page(request: HttpRequest) -> HttpResponse:
    """A coordinator reads its own government's audit entries, newest first."""
    actor = Actor.from_user(request.user)
    if actor.role != "coordinator":
        return refused(request, _("The audit log is read by your government's coordinators."))
    entries = list(entries_visible_to(actor).order_by("-sequence")[:200])
    rows = [(e, e.payload if payload_visible_to(actor, e) else None) for e in entries]
    return render(request, "web/audit.html", {"rows": rows})
