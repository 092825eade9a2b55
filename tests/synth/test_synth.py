"""`kizuna synth`: sizes as asked, the same workspace for the same seed, usable by every page
and analysis, and a clear refusal (nothing written) on a workspace that holds records."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count
from django.test import Client

from kizuna.access.actor import Actor
from kizuna.accounts.models import Role, User
from kizuna.audit.models import AuditEntry
from kizuna.commitments.models import Assessment, Commitment
from kizuna.core.dates import PartialDate
from kizuna.registry.models import Agency, Dialogue, Government, Meeting
from kizuna.synth import DEFAULT_PASSWORD, Sizes, generate, workspace_is_empty

SMALL = Sizes(
    governments=4,
    agencies=12,
    dialogues=10,
    meetings=30,
    commitments=200,
    assessments=450,
    users=20,
)
COMMITMENT_FIELDS = (
    "id", "dialogue_id", "meeting_id", "made_on", "marking", "owner_government_id",
    "owner_agency_id", "audience", "lifecycle", "lifecycle_target_id", "deadline_latest",
)  # fmt: skip
# The apps whose rows make a workspace; cleared inside the test's transaction (rolled back).
WORKSPACE_APPS = ["briefings", "analysis", "documents", "commitments", "registry", "accounts"]


def _clear_workspace() -> None:
    """Empty the workspace tables within the test's transaction, so synth may build.

    Foreign keys are checked at commit on both databases, so the order does not matter.
    """
    with connection.cursor() as cursor:
        for label in WORKSPACE_APPS:
            for model in apps.get_app_config(label).get_models(include_auto_created=True):
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


@pytest.fixture
def empty_workspace(db: None) -> None:
    _clear_workspace()
    assert workspace_is_empty()


def _snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the main tables (the password hash aside: its salt is random)."""
    return {
        "commitments": list(Commitment.objects.order_by("id").values_list(*COMMITMENT_FIELDS)),
        "parties": list(
            Commitment.parties.through.objects.order_by(
                "commitment_id", "government_id"
            ).values_list("commitment_id", "government_id")
        ),
        "assessments": list(
            Assessment.objects.order_by("id").values_list(
                "id", "commitment_id", "party_id", "as_of", "status", "marking"
            )
        ),
        "meetings": list(Meeting.objects.order_by("id").values_list("id", "dialogue_id", "date")),
        "dialogues": list(
            Dialogue.objects.order_by("id").values_list("id", "parent_id", "marking")
        ),
        "users": list(User.objects.order_by("username").values_list("username", "role", "agency")),
    }


def test_the_same_seed_builds_the_same_workspace(empty_workspace: None) -> None:
    generate(SMALL, seed=11, actor=Actor.operator())
    first = _snapshot()
    _clear_workspace()
    generate(SMALL, seed=11, actor=Actor.operator())
    assert _snapshot() == first
    _clear_workspace()
    generate(SMALL, seed=12, actor=Actor.operator())
    assert _snapshot()["commitments"] != first["commitments"]


def test_sizes_markings_owners_and_users_are_as_asked(empty_workspace: None) -> None:
    audit_before = AuditEntry.objects.count()
    counts = generate(SMALL, seed=7, actor=Actor.operator())
    assert Government.objects.count() == SMALL.governments
    assert Agency.objects.count() == SMALL.agencies
    assert Dialogue.objects.count() == SMALL.dialogues
    assert Meeting.objects.count() == SMALL.meetings
    assert Commitment.objects.count() == SMALL.commitments == counts["commitments_commitment"]
    assert Assessment.objects.count() == SMALL.assessments
    assert User.objects.count() == SMALL.users
    # Every role in every government, each user in an agency of its government.
    pairs = set(User.objects.values_list("government", "role"))
    assert pairs == {
        (g, r) for g in Government.objects.values_list("id", flat=True) for r in Role.values
    }
    agencies = dict(Agency.objects.values_list("id", "government_id"))
    assert all(agencies[u.agency] == u.government for u in User.objects.all())
    assert User.objects.get(username="usa-coordinator").check_password(DEFAULT_PASSWORD)
    # Markings spread as in real use, and the loader's invariants.
    assert set(Commitment.objects.values_list("marking", flat=True)) == {
        "public", "shared", "government-internal", "agency-internal"
    }  # fmt: skip
    assert not Commitment.objects.filter(owner_agency__isnull=True).exists()
    for c in Commitment.objects.all()[:100]:
        assert c.made_on_first == PartialDate.parse(c.made_on).first
        assert f"|{c.owner_government_id}|" in c.audience
        assert set(c.parties.values_list("id", flat=True)) <= set(c.audience_codes)
        assert c.dialogue.launched_first <= c.made_on_first
    # Both sides assess: some commitments carry assessments by two parties.
    by_parties = Assessment.objects.values("commitment_id").annotate(
        parties=Count("party_id", distinct=True)
    )
    assert by_parties.filter(parties=2).count() > SMALL.commitments // 10
    # One audit entry summarises the load.
    assert AuditEntry.objects.count() == audit_before + 1
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert entry is not None
    assert b'"synth.generate"' in bytes(entry.header_canonical)
    assert b'"commitments_commitment":200' in bytes(entry.payload_canonical)


@pytest.fixture
def coordinator_client(empty_workspace: None, settings: Any) -> Client:
    settings.KIZUNA_TOTP_REQUIRED_ROLES = []  # as the demo sets it
    generate(SMALL, seed=7, actor=Actor.operator())
    client = Client()
    client.force_login(User.objects.get(username="usa-coordinator"))
    return client


def test_every_main_page_works_on_the_result(coordinator_client: Client) -> None:
    actor = Actor(
        name="usa-coordinator", government="USA", agency="white-house", role="coordinator"
    )
    commitment = (
        Commitment.objects.visible_to(actor).filter(meeting__isnull=False).order_by("id")[0]
    )
    assert commitment.meeting is not None
    urls = [
        "/",
        "/?since=2020-01-01",
        "/dialogues/",
        f"/dialogues/{commitment.dialogue_id}/",
        f"/meetings/{commitment.meeting_id}/",
        "/commitments/",
        "/commitments/?party=USA&topic=economic-security&status=in-progress&sort=deadline",
        f"/commitments/{commitment.pk}/",
        "/agencies/white-house/",
        "/concerns/",
        "/search/?q=Commitment+1",
        "/calendar/?from=2020-01-01&to=2030-12-31",
        f"/commitments/?as_of={dt.date(2020, 1, 1)}",
    ]
    for url in urls:
        response = coordinator_client.get(url)
        assert response.status_code == 200, url
    page = coordinator_client.get(f"/commitments/{commitment.pk}/").content.decode()
    assert commitment.text in page
    csv = coordinator_client.get("/commitments.csv?party=USA")
    assert csv.getvalue().count(b"\n") > 10


ANALYSES = ["coverage", "overlaps", "gaps", "slippage", "compliance", "changes", "concerns"]


def test_kizuna_analyze_works_on_the_result(coordinator_client: Client) -> None:
    for analysis in ANALYSES:
        out = io.StringIO()
        call_command(
            "analyze", analysis, "--json", "--as-of", "2025-06-01", "--as-user", "usa-coordinator",
            stdout=out,
        )  # fmt: skip
        data = json.loads(out.getvalue())
        assert data["as_of"] == "2025-06-01", analysis
        # Something was found: the synthetic data reach every analysis.
        found = [v for k, v in data.items() if k != "as_of" and isinstance(v, list | dict) and v]
        assert found, analysis


def test_refuses_a_workspace_that_holds_records(db: None) -> None:
    if workspace_is_empty():  # the suite may run without the demo
        Government.objects.create(id="USA", name="United States")
    before = (Government.objects.count(), Commitment.objects.count(), AuditEntry.objects.count())
    with pytest.raises(CommandError, match="already holds records"):
        call_command("synth", "--scale", "0.001", stdout=io.StringIO())
    after = (Government.objects.count(), Commitment.objects.count(), AuditEntry.objects.count())
    assert after == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scale", "0"], "scale: must be above 0"),
        (["--governments", "2", "--agencies", "1"], "agencies: at least one per government"),
        (["--commitments", "-5"], "commitments: must be 0 or more"),
        (["--commitments", "0", "--assessments", "3"], "no commitments to assess"),
        (["--scale", "0.001", "--password", "short"], "password:"),
    ],
)
def test_bad_options_are_refused_with_nothing_written(
    empty_workspace: None, args: list[str], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("synth", *args, stdout=io.StringIO())
    assert workspace_is_empty()


def test_the_command_builds_a_scaled_workspace(empty_workspace: None) -> None:
    out = io.StringIO()
    call_command("synth", "--scale", "0.002", "--seed", "3", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["sizes"]["commitments"] == 400 == Commitment.objects.count()
    assert report["sizes"]["assessments"] == 800 == Assessment.objects.count()
    assert report["rows"]["registry_dialogue"] == 1 == Dialogue.objects.count()
