"""The REST API: authentication, scope, expiry, visibility, audited writes, errors, limits."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from kizuna.access.actor import Actor
from kizuna.api.models import ApiToken
from kizuna.api.tokens import token_create, token_hash, token_revoke
from kizuna.audit.models import AuditEntry
from kizuna.commitments.models import Commitment
from kizuna.commitments.selectors import commitments_visible

from .conftest import Persona

pytestmark = pytest.mark.django_db
Api = Callable[..., Any]


def ids(response: Any) -> set[str]:
    """This workspace's ids in a list (the demo dataset may be loaded beside it)."""
    return {item["id"] for item in response.json()["items"] if item["id"].startswith("api-")}


def error(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}, body
    assert {"code", "message"} <= set(body["error"]), body
    return dict(body["error"])


# --- tokens -------------------------------------------------------------------------------


def test_token_is_stored_only_as_a_keyed_hash(personas: dict[str, Persona]) -> None:
    new = token_create(actor=Actor.operator(), username="api-usa-desk", name="laptop")
    row = ApiToken.objects.get(pk=new.token.pk)
    stored = [str(getattr(row, f.attname)) for f in ApiToken._meta.concrete_fields]
    assert not any(new.secret in value for value in stored)
    assert row.token_hash == token_hash(new.secret)
    assert len(row.token_hash) == 64 and row.token_hash != new.secret
    assert new.secret.startswith(f"kzn_{row.prefix}_")
    # The audit log names the token, never its secret.
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert entry is not None and entry.action == "api-token.create"
    assert new.secret not in bytes(entry.payload_canonical).decode()
    assert row.token_hash not in bytes(entry.payload_canonical).decode()


def test_the_token_command_creates_lists_and_revokes(personas: dict[str, Persona]) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "token", "create", "--user", "api-jpn-desk", "--name", "script", "--scope", "read-write",
        "--days", "7", stdout=out, stderr=err,
    )  # fmt: skip
    secret = out.getvalue().strip()
    assert secret.startswith("kzn_") and "not stored" in err.getvalue()
    token = ApiToken.objects.get(prefix=secret.split("_")[1])
    assert token.scope == "read-write"
    assert dt.timedelta(days=6) < token.expires_at - timezone.now() <= dt.timedelta(days=7)
    listing = io.StringIO()
    call_command("token", "list", "--user", "api-jpn-desk", stdout=listing)
    assert "script" in listing.getvalue() and secret not in listing.getvalue()
    call_command("token", "revoke", str(token.pk), stdout=io.StringIO())
    token.refresh_from_db()
    assert token.revoked_at is not None


# --- authentication and scope -------------------------------------------------------------


def test_no_or_bad_credentials_answer_401(api: Api, personas: dict[str, Persona]) -> None:
    client = Client()
    for headers in (
        {},
        {"HTTP_AUTHORIZATION": "Bearer nonsense"},
        {"HTTP_AUTHORIZATION": "Basic dXNlcjpwYXNz"},
        {"HTTP_AUTHORIZATION": "Bearer kzn_00000000_" + "x" * 43},
        {"HTTP_AUTHORIZATION": personas["api-usa-desk"].headers()["HTTP_AUTHORIZATION"] + "x"},
    ):
        response = client.get("/api/v1/commitments", **headers)
        assert response.status_code == 401, headers
        assert error(response)["code"] == "unauthorized"


def test_expired_and_revoked_tokens_answer_401(api: Api, personas: dict[str, Persona]) -> None:
    usa = personas["api-usa-desk"]
    assert api("get", "/commitments", usa).status_code == 200
    ApiToken.objects.filter(user=usa.user, name="rw").update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    response = api("get", "/commitments", usa)
    assert response.status_code == 401 and "expired" in error(response)["message"]
    ro = ApiToken.objects.get(user=usa.user, name="ro")
    token_revoke(actor=Actor.operator(), token_id=ro.pk)
    response = api("get", "/commitments", usa, read_only=True)
    assert response.status_code == 401 and "revoked" in error(response)["message"]


def test_a_disabled_users_token_answers_401(api: Api, personas: dict[str, Persona]) -> None:
    usa = personas["api-usa-desk"]
    usa.user.is_active = False
    usa.user.save()
    assert api("get", "/commitments", usa).status_code == 401


def test_a_read_only_token_reads_but_may_not_write(api: Api, personas: dict[str, Persona]) -> None:
    usa = personas["api-usa-desk"]
    assert api("get", "/commitments/api-c-shared", usa, read_only=True).status_code == 200
    before = AuditEntry.objects.count()
    response = api(
        "patch", "/commitments/api-c-shared", usa, read_only=True,
        json={"version": 1, "text": "Changed."},
    )  # fmt: skip
    assert response.status_code == 403
    assert error(response)["code"] == "read-only-token"
    assert Commitment.objects.get(pk="api-c-shared").text != "Changed."
    assert AuditEntry.objects.count() == before


def test_last_used_is_recorded(api: Api, personas: dict[str, Persona]) -> None:
    usa = personas["api-usa-desk"]
    api("get", "/meta", usa)
    assert ApiToken.objects.get(user=usa.user, name="rw").last_used_at is not None


def test_a_signed_in_session_reads_and_writes_with_csrf(personas: dict[str, Persona]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["api-usa-desk"].user)
    assert client.get("/api/v1/commitments/api-c-shared").status_code == 200
    body = {"version": 1, "text": "Map semiconductor supply chains, with milestones."}
    response = client.patch(
        "/api/v1/commitments/api-c-shared", body, content_type="application/json"
    )
    assert response.status_code == 403 and error(response)["code"] == "csrf"
    client.get("/api/v1/docs")  # any page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.patch(
        "/api/v1/commitments/api-c-shared",
        body,
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2


# --- visibility ---------------------------------------------------------------------------


def test_hidden_records_are_absent_from_lists_and_404_on_detail(
    api: Api, personas: dict[str, Persona]
) -> None:
    usa, jpn = personas["api-usa-desk"], personas["api-jpn-desk"]
    assert "api-c-jpn-internal" in ids(api("get", "/commitments", jpn))
    assert api("get", "/commitments/api-c-jpn-internal", jpn).status_code == 200
    listed = api("get", "/commitments", usa, limit=500)
    assert "api-c-jpn-internal" not in ids(listed)
    visible = commitments_visible(actor=Actor.from_user(usa.user))
    assert listed.json()["count"] == visible.count()
    assert "api-c-jpn-internal" not in set(visible.values_list("pk", flat=True))
    for path in (
        "/commitments/api-c-jpn-internal",
        "/commitments/no-such-commitment",
        "/meetings/api-partnership-2023-02-01",
        "/documents/api-doc-jpn-internal",
        "/dialogues/api-jpn-internal-dialogue",
        "/assessments/api-a-jpn-internal",
        "/concerns/api-concern-jpn-internal",
    ):
        response = api("get", path, usa)
        assert response.status_code == 404, path
        assert error(response)["code"] == "not-found"
    # Agency-internal: commerce's own desk sees it, the same government's reader does not.
    assert "api-c-usa-agency" in ids(api("get", "/commitments", usa))
    assert "api-c-usa-agency" not in ids(api("get", "/commitments", personas["api-usa-reader"]))
    assert "api-c-usa-agency" in ids(api("get", "/commitments", personas["api-usa-coordinator"]))
    assert "api-c-usa-agency" not in ids(api("get", "/commitments", jpn))


def test_references_to_hidden_records_are_blanked(api: Api, personas: dict[str, Persona]) -> None:
    usa, jpn = personas["api-usa-desk"], personas["api-jpn-desk"]
    seen_by_jpn = api("get", "/commitments/api-c-hidden-refs", jpn).json()
    assert seen_by_jpn["meeting"] == "api-partnership-2023-02-01"
    assert seen_by_jpn["passage"]
    seen_by_usa = api("get", "/commitments/api-c-hidden-refs", usa).json()
    assert seen_by_usa["meeting"] is None and seen_by_usa["document"] is None
    assert seen_by_usa["passage"] is None and seen_by_usa["passage_start"] is None
    concern = api("get", "/concerns/api-concern-shared", usa).json()
    assert concern["raised_at"] == ["api-partnership-2022-05-04"]


def test_writes_to_hidden_records_answer_404_not_403(
    api: Api, personas: dict[str, Persona]
) -> None:
    usa = personas["api-usa-desk"]
    before = AuditEntry.objects.count()
    for method, path, body in (
        ("patch", "/commitments/api-c-jpn-internal", {"version": 1, "text": "x"}),
        ("post", "/commitments/api-c-jpn-internal/assessments", {"as_of": "2024-01-01", "status": "delivered"}),
        ("post", "/assessments/api-a-jpn-internal/review", {"verdict": "confirmed"}),
        ("post", "/records/commitments/api-c-jpn-internal/marking", {"version": 1, "marking": "public", "reason": "x"}),
        ("post", "/records/documents/api-doc-jpn-internal/share", {"version": 1, "agencies": ["state"], "reason": "x"}),
        ("post", "/commitments", {"dialogue": "api-jpn-internal-dialogue", "text": "x", "made_on": "2024", "parties": ["USA"]}),
    ):  # fmt: skip
        response = api(method, path, usa, json=body)
        assert response.status_code == 404, (path, response.content)
    assert AuditEntry.objects.count() == before


# --- reads: pagination and filters --------------------------------------------------------


def test_pagination_and_filters(api: Api, personas: dict[str, Persona]) -> None:
    jpn = personas["api-jpn-desk"]
    everything = api("get", "/commitments", jpn, dialogue="api-partnership").json()
    first = api("get", "/commitments", jpn, dialogue="api-partnership", limit=2).json()
    second = api("get", "/commitments", jpn, dialogue="api-partnership", limit=2, offset=2).json()
    assert first["count"] == second["count"] == everything["count"] >= 4
    assert len(first["items"]) == 2 and first["limit"] == 2
    assert {i["id"] for i in first["items"]}.isdisjoint({i["id"] for i in second["items"]})
    in_dialogue = ids(api("get", "/commitments", jpn, dialogue="api-jpn-internal-dialogue"))
    assert in_dialogue == {"api-c-jpn-dialogue"}
    # A family topic counts its children ...
    assert ids(api("get", "/commitments", jpn, topic="economic-security")) == {"api-c-public"}
    assert "api-c-public" not in ids(api("get", "/commitments", jpn, as_of="2022-01-31"))
    assert ids(api("get", "/dialogues", jpn, party="USA")) == {"api-partnership"}
    assert ids(api("get", "/assessments", jpn, party="USA")) == {"api-a-usa-shared"}
    assert ids(api("get", "/assessments", jpn, as_of="2024-01-11")) == {"api-a-usa-shared"}
    # ... and everything below them: the concern is tagged export controls, two levels down.
    assert ids(api("get", "/concerns", jpn, topic="economic-security")) == {"api-concern-shared"}
    assert ids(api("get", "/concerns", jpn, topic="supply-chain-resilience")) == set()
    assert ids(api("get", "/documents", jpn, meeting="api-partnership-2023-02-01")) == {
        "api-doc-jpn-internal"
    }
    assert "text" not in api("get", "/documents", jpn).json()["items"][0]
    assert api("get", "/documents/api-doc-public", jpn).json()["text"].startswith("The two")


def test_record_bodies_have_the_export_shape(api: Api, personas: dict[str, Persona]) -> None:
    from kizuna.dataset.exporter import dump_record
    from kizuna.dataset.kinds import KINDS_BY_LIST

    body = api("get", "/commitments/api-c-public", personas["api-usa-desk"]).json()
    exported = dump_record(KINDS_BY_LIST["commitments"], Commitment.objects.get(pk="api-c-public"))
    assert body == exported


def test_invalid_parameters_answer_422_naming_the_field(
    api: Api, personas: dict[str, Persona]
) -> None:
    usa = personas["api-usa-desk"]
    for params, field in (({"limit": 0}, "limit"), ({"as_of": "2024-13-01"}, "as_of")):
        response = api("get", "/commitments", usa, **params)
        assert response.status_code == 422
        assert error(response)["field"] == field
    response = api("patch", "/commitments/api-c-shared", usa, json={"version": "1", "text": "x"})
    assert response.status_code == 422 and error(response)["field"] == "version"
    response = api(
        "patch", "/commitments/api-c-shared", usa, json={"version": 1, "owner_government": "JPN"}
    )
    assert response.status_code == 422 and error(response)["field"] == "owner_government"


def test_unknown_query_parameters_and_malformed_bodies_are_refused(
    api: Api, personas: dict[str, Persona]
) -> None:
    usa = personas["api-usa-desk"]
    response = api("get", "/commitments", usa, dialoge="api-partnership")
    assert response.status_code == 422 and error(response)["field"] == "dialoge"
    # A filter given twice is refused too, not read as its last value (found by schemathesis).
    response = Client().get("/api/v1/review?document=a&document=b", **usa.headers())
    assert response.status_code == 422 and error(response)["field"] == "document"
    assert "more than once" in error(response)["message"]
    response = Client().patch(
        "/api/v1/commitments/api-c-shared",
        b"{not json",
        content_type="application/json",
        **usa.headers(),
    )
    assert response.status_code == 400 and error(response)["code"] == "bad-request"
    deep = b"[" * 100_000 + b"]" * 100_000
    response = Client().patch(
        "/api/v1/commitments/api-c-shared", deep, content_type="application/json", **usa.headers()
    )
    assert response.status_code == 400 and error(response)["code"] == "bad-request"


def test_nul_characters_are_refused_everywhere(api: Api, personas: dict[str, Persona]) -> None:
    # PostgreSQL cannot hold NUL in text; found by schemathesis on PostgreSQL.
    usa = personas["api-usa-desk"]
    assert api("get", "/dialogues", usa, party="U\x00S").status_code == 422
    assert api("get", "/commitments/api-c-\x00shared", usa).status_code == 422
    response = api("patch", "/commitments/api-c-shared", usa, json={"version": 1, "text": "a\x00b"})
    assert response.status_code == 422
    assert Commitment.objects.get(pk="api-c-shared").version == 1


def test_an_oversized_body_answers_413(
    api: Api, personas: dict[str, Persona], settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api(
        "patch", "/commitments/api-c-shared", personas["api-usa-desk"],
        json={"version": 1, "text": "x" * 2000},
    )  # fmt: skip
    assert response.status_code == 413 and error(response)["code"] == "too-large"
    assert Commitment.objects.get(pk="api-c-shared").version == 1


def test_meta_names_the_versions(api: Api, personas: dict[str, Persona]) -> None:
    body = api("get", "/meta", personas["api-usa-reader"]).json()
    assert body["api"] == "1" and body["kizuna"] and body["django"].startswith("5.2")
    assert body["python"].startswith("3.") and body["database"]["vendor"] in {
        "sqlite",
        "postgresql",
    }


# --- writes -------------------------------------------------------------------------------


def test_edit_is_audited_and_a_stale_edit_answers_409(
    api: Api, personas: dict[str, Persona]
) -> None:
    usa = personas["api-usa-desk"]
    before = AuditEntry.objects.count()
    response = api(
        "patch", "/commitments/api-c-shared", usa,
        json={"version": 1, "deadline_text": "by end of 2025", "deadline_latest": "2025-12-31"},
    )  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    assert response.json()["deadline"]["latest"] == "2025-12-31"
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert entry is not None and entry.action == "commitment.update"
    assert entry.actor_name == "api-usa-desk"
    stale = api("patch", "/commitments/api-c-shared", usa, json={"version": 1, "text": "Other."})
    assert stale.status_code == 409
    detail = error(stale)
    assert detail["code"] == "stale-edit" and detail["field"] == "version"
    assert "api-usa-desk" in detail["message"]  # who changed it
    assert AuditEntry.objects.count() == before + 1


def test_create_a_commitment(api: Api, personas: dict[str, Persona]) -> None:
    usa = personas["api-usa-desk"]
    before = AuditEntry.objects.count()
    body = {
        "dialogue": "api-partnership",
        "text": "Launch a joint critical-minerals fund.",
        "made_on": "2024-06",
        "parties": ["USA", "JPN"],
        "owners": {"USA": ["commerce"], "JPN": ["meti"]},
        "deadline": {"text": "by 2026", "latest": "2026-12-31"},
    }
    response = api("post", "/commitments", usa, json=body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["owner"] == {"government": "USA", "agency": "commerce"}
    assert created["marking"] == "shared" and created["parties"] == ["JPN", "USA"]
    assert AuditEntry.objects.count() == before + 1
    assert created["id"] in ids(api("get", "/commitments", personas["api-jpn-desk"]))
    bad = api("post", "/commitments", usa, json={**body, "parties": ["USA", "XXX"]})
    assert bad.status_code == 422 and error(bad)["field"] == "parties"
    bad = api("post", "/commitments", usa, json={**body, "owners": {"USA": ["meti"]}})
    assert bad.status_code == 422 and error(bad)["field"] == "owners"
    assert AuditEntry.objects.count() == before + 1
    # A refused write changes nothing and is itself recorded, as a denial.
    reader = api("post", "/commitments", personas["api-usa-reader"], json=body)
    assert reader.status_code == 403 and error(reader)["code"] == "forbidden"
    assert AuditEntry.objects.count() == before + 2
    denial = AuditEntry.objects.order_by("-sequence").first()
    assert denial is not None and denial.action == "api.denied"
    assert denial.actor_name == "api-usa-reader"
    assert Commitment.objects.filter(text=body["text"]).count() == 1


def test_assess_and_review(api: Api, personas: dict[str, Persona]) -> None:
    usa, jpn = personas["api-usa-desk"], personas["api-jpn-desk"]
    before = AuditEntry.objects.count()
    response = api(
        "post", "/commitments/api-c-shared/assessments", usa,
        json={"as_of": "2024-06-01", "status": "delivered", "score": 1, "evidence": "Report out."},
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assessment = response.json()
    assert assessment["party"] == "USA" and assessment["status"] == "delivered"
    assert AuditEntry.objects.count() == before + 1
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    response = api(
        "post", "/commitments/api-c-shared/assessments", usa,
        json={"as_of": future, "status": "delivered"},
    )  # fmt: skip
    assert response.status_code == 422 and error(response)["field"] == "as_of"
    own = api("post", f"/assessments/{assessment['id']}/review", usa, json={"verdict": "confirmed"})
    assert own.status_code == 403
    before += 1  # the denial's entry
    no_reason = api(
        "post", f"/assessments/{assessment['id']}/review", jpn, json={"verdict": "contested"}
    )
    assert no_reason.status_code == 422 and error(no_reason)["field"] == "reason"
    response = api(
        "post", f"/assessments/{assessment['id']}/review", jpn,
        json={"verdict": "contested", "reason": "The report is a draft."},
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["reviews"][0]["verdict"] == "contested"
    assert AuditEntry.objects.count() == before + 2


def test_marking_and_share(api: Api, personas: dict[str, Persona]) -> None:
    usa = personas["api-usa-desk"]
    before = AuditEntry.objects.count()
    widen = api(
        "post", "/records/commitments/api-c-usa-agency/marking", usa,
        json={"version": 1, "marking": "government-internal"},
    )  # fmt: skip
    assert widen.status_code == 422 and error(widen)["field"] == "reason"
    share = api(
        "post", "/records/commitments/api-c-usa-agency/share", usa,
        json={"version": 1, "agencies": ["state"], "reason": "State leads the talks."},
    )  # fmt: skip
    assert share.status_code == 200, share.content
    assert share.json()["shared_with"] == ["state"]
    assert "api-c-usa-agency" in ids(api("get", "/commitments", personas["api-usa-reader"]))
    response = api(
        "post", "/records/commitments/api-c-usa-agency/marking", usa,
        json={"version": 2, "marking": "government-internal", "reason": "Brief the embassy."},
    )  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["marking"] == "government-internal"
    assert AuditEntry.objects.count() == before + 2
    # A desk officer of another agency may not change the marking: visible, so 403.
    reader = api(
        "post", "/records/commitments/api-c-usa-agency/marking", personas["api-usa-reader"],
        json={"version": 3, "marking": "agency-internal"},
    )  # fmt: skip
    assert reader.status_code == 403


# --- analyses, schema and docs ------------------------------------------------------------


ANALYSES = ["coverage", "overlaps", "gaps", "slippage", "compliance", "changes", "concerns"]


def test_analyses_are_for_coordinators(api: Api, personas: dict[str, Persona]) -> None:
    for name in ANALYSES:
        response = api(
            "get", f"/analysis/{name}", personas["api-jpn-coordinator"], as_of="2024-06-30"
        )
        assert response.status_code == 200, (name, response.content)
        assert response.json()["as_of"] == "2024-06-30"
    assert api("get", "/analysis/coverage", personas["api-usa-desk"]).status_code == 403
    assert api("get", "/analysis/nothing", personas["api-usa-coordinator"]).status_code == 422


def test_analyses_as_of_the_first_and_last_dates_there_are_answer(
    api: Api, personas: dict[str, Persona]
) -> None:
    """Slippage's staleness cutoff and changes' default month back ran off the calendar
    for a date in year 1 (a 500): they stop at the first date there is."""
    for name in ANALYSES:
        for day in ("0001-01-01", "9999-12-31"):
            response = api("get", f"/analysis/{name}", personas["api-usa-coordinator"], as_of=day)
            assert response.status_code == 200, (name, day, response.content)


def test_analysis_parameters_follow_the_commands_rules(
    api: Api, personas: dict[str, Persona]
) -> None:
    coordinator = personas["api-usa-coordinator"]
    # 0 days, as `kizuna analyze slippage --stale-days 0` takes: every unfinished view is old.
    zero = api("get", "/analysis/slippage", coordinator, as_of="2024-06-30", stale_days="0")
    assert zero.status_code == 200 and zero.json()["stale_days"] == 0
    reversed_dates = api(
        "get", "/analysis/changes", coordinator, since="2024-06-30", as_of="2024-01-01"
    )
    assert reversed_dates.status_code in (400, 422)
    # Named as the API names them (the command's --since and --as-of read the same).
    assert "since 2024-06-30 is after as_of 2024-01-01" in reversed_dates.content.decode()


def test_schema_needs_a_caller_and_docs_need_a_session(personas: dict[str, Persona]) -> None:
    anonymous = Client()
    assert anonymous.get("/api/v1/openapi.json").status_code == 401
    response = anonymous.get("/api/v1/docs")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    schema = anonymous.get("/api/v1/openapi.json", **personas["api-usa-reader"].headers())
    assert schema.status_code == 200 and "/api/v1/commitments" in schema.json()["paths"]
    signed_in = Client()
    signed_in.force_login(personas["api-usa-reader"].user)
    page = signed_in.get("/api/v1/docs")
    assert page.status_code == 200 and b"swagger-ui-bundle.js" in page.content
    assert "script-src 'self'" in page["Content-Security-Policy"]
    asset = signed_in.get("/api/v1/docs/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200
    assert signed_in.get("/api/v1/docs/assets/..%2Fsettings.py").status_code == 404


# --- rate limits --------------------------------------------------------------------------


def test_rate_limit_per_token_answers_429_with_retry_after(
    api: Api, personas: dict[str, Persona], settings: Any
) -> None:
    settings.KIZUNA_API_RATE_PER_TOKEN = 3
    usa, jpn = personas["api-usa-desk"], personas["api-jpn-desk"]
    for _ in range(3):
        assert api("get", "/meta", usa).status_code == 200
    limited = api("get", "/meta", usa)
    assert limited.status_code == 429
    assert error(limited)["code"] == "rate-limited"
    assert 1 <= int(limited["Retry-After"]) <= 61
    assert api("get", "/meta", jpn).status_code == 200  # another token counts apart


def test_rate_limit_per_address(api: Api, personas: dict[str, Persona], settings: Any) -> None:
    settings.KIZUNA_API_RATE_PER_IP = 2
    assert api("get", "/meta", personas["api-usa-desk"]).status_code == 200
    assert api("get", "/meta", personas["api-jpn-desk"]).status_code == 200
    limited = api("get", "/meta", personas["api-usa-reader"])
    assert limited.status_code == 429 and "Retry-After" in limited
