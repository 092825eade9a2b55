"""The ingestion pages: upload, job progress, review queue and review, decisions, readouts."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from kizuna.accounts.models import User
from kizuna.documents.models import CommitmentCandidate, Decision, Document, IngestionJob
from kizuna.registry.models import Meeting

from .conftest import make_user
from .helpers import STATEMENT, blank_pdf
from .helpers import ingested as ingested_documents

pytestmark = pytest.mark.django_db


def upload(
    client: Client,
    data: bytes,
    name: str = "statement.txt",
    language: str = "en",
    **fields: str,
):
    return client.post(
        "/documents/upload/",
        {
            "file": SimpleUploadedFile(name, data),
            "kind": "statement",
            "marking": "public",
            **fields,
        },
        headers={"accept-language": language},
    )


def test_the_upload_page_shows_the_form(usa_client: Client) -> None:
    response = usa_client.get("/documents/upload/")
    assert response.status_code == 200
    assert b'enctype="multipart/form-data"' in response.content


def test_an_upload_queues_a_job_whose_progress_the_page_follows(usa_client: Client) -> None:
    response = upload(usa_client, STATEMENT.encode(), dialogue="t-ted")
    job = IngestionJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/documents/jobs/{job.pk}/"
    page = usa_client.get(response["Location"])
    assert page.status_code == 200 and b"documents/job.js" in page.content
    status = usa_client.get(f"/documents/jobs/{job.pk}/status/").json()
    assert status["status"] == "queued" and status["progress"] == 0
    call_command("worker", once=True, verbosity=0)
    status = usa_client.get(f"/documents/jobs/{job.pk}/status/").json()
    assert status["status"] == "done" and status["progress"] == 100
    assert status["review_url"] == f"/documents/{status['document']}/review/"


@pytest.mark.parametrize(
    ("data", "name", "status", "message"),
    [
        (b"", "empty.txt", 400, b"empty"),
        (b"\x00\x01" * 100, "blob.txt", 400, b"binary"),
        (b"\xff\xfe bad utf-8 \xe9", "bad.txt", 400, b"UTF-8"),
        (blank_pdf(password="pw"), "locked.pdf", 400, b"encrypted"),
        (blank_pdf(), "scan.pdf", 400, b"no text layer"),
        (b"%PDF-1.7 broken", "broken.pdf", 400, b"damaged"),
    ],
)
def test_bad_uploads_get_a_4xx_with_the_message_and_store_nothing(
    usa_client: Client, data: bytes, name: str, status: int, message: bytes
) -> None:
    response = upload(usa_client, data, name)
    assert response.status_code == status
    assert message in response.content
    assert not IngestionJob.objects.exists() and not ingested_documents().exists()


def test_an_upload_over_the_limit_is_refused(usa_client: Client, settings: object) -> None:
    settings.KIZUNA_MAX_UPLOAD_MB = 1  # type: ignore[attr-defined]
    response = upload(usa_client, b"The sides will meet again. " * 50_000)
    assert response.status_code == 413 and b"over the limit" in response.content
    assert not IngestionJob.objects.exists()


def test_a_duplicate_upload_says_it_is_already_stored(usa_client: Client) -> None:
    upload(usa_client, STATEMENT.encode(), dialogue="t-ted")
    call_command("worker", once=True, verbosity=0)
    response = upload(usa_client, STATEMENT.encode(), "again.txt")
    assert response.status_code == 409 and b"already stored" in response.content
    assert IngestionJob.objects.count() == 1


def test_a_reader_may_not_upload(usa_reader: User) -> None:
    client = Client()
    client.force_login(usa_reader)
    assert client.get("/documents/upload/").status_code == 403
    assert upload(client, STATEMENT.encode()).status_code == 403


def test_someone_elses_job_is_not_found(usa_client: Client, jpn_desk: User) -> None:
    upload(usa_client, STATEMENT.encode(), dialogue="t-ted")
    job = IngestionJob.objects.get()
    other = Client()
    other.force_login(jpn_desk)
    assert other.get(f"/documents/jobs/{job.pk}/").status_code == 404
    assert other.get(f"/documents/jobs/{job.pk}/status/").status_code == 404


@pytest.fixture
def ingested(usa_client: Client) -> Document:
    upload(usa_client, STATEMENT.encode(), meeting="t-ted-2024-06-26")
    call_command("worker", once=True, verbosity=0)
    return ingested_documents().get()


def test_the_queue_and_review_page_show_each_candidate_highlighted(
    usa_client: Client, ingested: Document
) -> None:
    queue = usa_client.get("/review/")
    assert (
        queue.status_code == 200 and f"/documents/{ingested.pk}/review/".encode() in queue.content
    )
    page = usa_client.get(f"/documents/{ingested.pk}/review/")
    assert page.status_code == 200
    html = page.content.decode()
    for candidate in ingested.candidates.all():
        assert f'<mark id="p{candidate.pk}"' in html
    assert "t-c-existing" in html  # the near-duplicate suggestion


def test_accept_merge_and_reject_from_the_review_page(
    usa_client: Client, ingested: Document
) -> None:
    first, second = list(ingested.candidates.order_by("start"))[:2]
    accepted = usa_client.post(
        f"/candidates/{first.pk}/decide/",
        {
            "decision": "accept",
            "text": first.text,
            "dialogue": "t-ted",
            "meeting": "t-ted-2024-06-26",
            "parties": "USA, JPN",
            "owners": "t-commerce, t-meti",
            "deadline_text": first.deadline_text,
            "deadline_latest": "2024-12-31",
            "topics": "supply-chain-resilience",
            "marking": "shared",
        },
    )
    assert accepted.status_code == 302
    first.refresh_from_db()
    assert first.decision == Decision.ACCEPTED and first.commitment is not None
    assert set(first.commitment.owners.values_list("agency_id", flat=True)) == {
        "t-commerce",
        "t-meti",
    }
    merged = usa_client.post(
        f"/candidates/{second.pk}/decide/", {"decision": "merge", "commitment": "t-c-existing"}
    )
    assert merged.status_code == 302
    second.refresh_from_db()
    assert second.decision == Decision.MERGED
    again = usa_client.post(
        f"/candidates/{second.pk}/decide/", {"decision": "reject", "reason": "Not a commitment."}
    )
    assert again.status_code == 400 and b"already merged" in again.content


def test_a_bad_edit_answers_400_with_the_message(usa_client: Client, ingested: Document) -> None:
    candidate = ingested.candidates.first()
    assert candidate is not None
    response = usa_client.post(
        f"/candidates/{candidate.pk}/decide/",
        {"decision": "accept", "parties": "USA", "owners": "no-such-agency"},
    )
    assert response.status_code == 400 and b"no-such-agency" in response.content
    candidate.refresh_from_db()
    assert candidate.decision == Decision.PENDING


def test_a_reader_may_see_but_not_decide(ingested: Document, usa_reader: User) -> None:
    client = Client()
    client.force_login(usa_reader)
    candidate = ingested.candidates.first()
    assert candidate is not None
    page = client.get(f"/documents/{ingested.pk}/review/")
    assert page.status_code == 200 and b'name="decision"' not in page.content
    response = client.post(
        f"/candidates/{candidate.pk}/decide/", {"decision": "reject", "reason": "Not a commitment."}
    )
    assert response.status_code == 403


def test_hidden_documents_and_candidates_are_not_found(
    usa_client: Client, registry_loaded: None
) -> None:
    upload(usa_client, STATEMENT.encode(), dialogue="t-ted", marking="agency-internal")
    call_command("worker", once=True, verbosity=0)
    document = ingested_documents().get()
    candidate = CommitmentCandidate.objects.filter(document=document).first()
    assert candidate is not None
    outsider = Client()
    outsider.force_login(make_user("t-jpn-reader", "JPN", "t-meti", "reader"))
    assert outsider.get(f"/documents/{document.pk}/review/").status_code == 404
    assert (
        outsider.post(
            f"/candidates/{candidate.pk}/decide/",
            {"decision": "reject", "reason": "Not a commitment."},
        ).status_code
        == 404
    )
    assert outsider.get("/review/").content.count(document.pk.encode()) == 0


def test_the_job_status_is_plain_json(usa_client: Client) -> None:
    upload(usa_client, STATEMENT.encode(), dialogue="t-ted")
    job = IngestionJob.objects.get()
    response = usa_client.get(f"/documents/jobs/{job.pk}/status/")
    assert response["Content-Type"] == "application/json"
    assert set(json.loads(response.content)) >= {"status", "progress", "stage", "message"}


def test_the_review_pages_do_not_name_a_round_the_reader_may_not_see(
    usa_client: Client, ingested: Document, jpn_desk: User
) -> None:
    # The statement is public; the round it reports is now internal to the United States.
    Document.objects.filter(pk=ingested.pk).update(marking="public")
    Meeting.objects.filter(pk="t-ted-2024-06-26").update(
        marking="government-internal", owner_government_id="USA"
    )
    ingested.candidates.update(suggested_meeting_id="t-ted-2024-06-26")
    japan = Client()
    japan.force_login(jpn_desk)
    # The queue names the round by its date; the review page by its title and address.
    named = {
        "/review/": " · June 26, 2024",
        f"/documents/{ingested.pk}/review/": "Dialogue, second round",
    }
    for page, name in named.items():
        assert name in usa_client.get(page).content.decode(), page
        shown = japan.get(page).content.decode()
        assert name not in shown and "/meetings/t-ted-2024-06-26/" not in shown, page


def test_a_job_uploaded_in_japanese_is_followed_in_japanese(usa_client: Client) -> None:
    # The worker runs in no reader's language: it writes the stages and the outcome in the
    # language of the upload, and the page shows the status as a label in that language.
    upload(usa_client, STATEMENT.encode(), language="ja", dialogue="t-ted")
    job = IngestionJob.objects.get()
    assert job.language == "ja" and job.stage == "処理の順番を待っています"
    queued = usa_client.get(f"/documents/jobs/{job.pk}/status/", HTTP_ACCEPT_LANGUAGE="ja")
    assert queued.json()["status"] == "queued" and queued.json()["status_text"] == "待機中"
    call_command("worker", once=True, verbosity=0)
    done = usa_client.get(f"/documents/jobs/{job.pk}/status/", HTTP_ACCEPT_LANGUAGE="ja").json()
    assert done["status"] == "done" and done["status_text"] == "完了"
    assert done["stage"] == "完了" and "確認待ちのコミットメント候補" in done["message"]
    page = usa_client.get(f"/documents/jobs/{job.pk}/", HTTP_ACCEPT_LANGUAGE="ja")
    assert '<span id="job-status">完了</span>' in page.content.decode()
    assert '<span id="job-text"></span>' in page.content.decode()  # not "完了 · 完了"


def test_a_job_uploaded_in_english_is_followed_in_english(usa_client: Client) -> None:
    upload(usa_client, STATEMENT.encode(), language="en", dialogue="t-ted")
    call_command("worker", once=True, verbosity=0)
    done = usa_client.get(f"/documents/jobs/{IngestionJob.objects.get().pk}/status/").json()
    assert done["status_text"] == "done" and done["stage"] == "done"
    assert done["message"].startswith("Stored with ")


def test_the_comparison_address_alone_says_how_to_choose_two_readouts(
    usa_client: Client,
) -> None:
    page = usa_client.get("/documents/compare/", headers={"accept-language": "ja"})
    assert page.status_code == 200 and "会談概要の並列比較" in page.content.decode()
    assert usa_client.get("/documents/compare/?left=nope&right=nada").status_code == 404


def test_the_meeting_field_offers_the_dialogues_rounds_by_date_and_title(
    usa_client: Client, ingested: Document
) -> None:
    """The reviewer picks a round by its date and title instead of typing its id; a round
    the reviewer may not see is not offered."""
    html = usa_client.get(f"/documents/{ingested.pk}/review/").content.decode()
    candidate = ingested.candidates.first()
    assert candidate is not None
    assert f'id="m{candidate.pk}" name="meeting"' in html and 'list="review-rounds"' in html
    offered = html[html.index('<datalist id="review-rounds">') :]
    offered = offered[: offered.index("</datalist>")]
    assert '<option value="t-ted-2024-06-26">June 26, 2024 · ' in offered
    Meeting.objects.filter(pk="t-ted-2024-06-26").update(
        marking="agency-internal", owner_government_id="JPN", owner_agency_id="t-meti"
    )
    html = usa_client.get(f"/documents/{ingested.pk}/review/").content.decode()
    assert "t-ted-2024-06-26</option>" not in html and 'value="t-ted-2024-06-26">' not in html


def _candidate_article(html: str, pk: int) -> str:
    """The review page's part about one candidate: its quote and its decision forms."""
    part = html[html.index(f'<article id="c{pk}"') :]
    return part[: part.index("</article>")]


def test_the_accept_form_offers_governments_agencies_topics_and_sectors_to_pick(
    usa_client: Client, ingested: Document
) -> None:
    """The reviewer ticks names instead of typing codes; the extractor's suggestions come
    ticked, and the names follow the reader's language."""
    candidate = next(c for c in ingested.candidates.order_by("start") if c.parties)
    html = usa_client.get(f"/documents/{ingested.pk}/review/").content.decode()
    form = _candidate_article(html, candidate.pk)
    for party in candidate.parties:
        assert f'name="parties" value="{party}" checked>' in form
    assert 'name="parties" value="EUU">' in form and "European Union</label>" in form
    assert f'<select id="o{candidate.pk}" name="owners" multiple' in form
    assert '<optgroup label="Japan">' in form and '<option value="t-meti"' in form
    for topic in candidate.topics:
        assert f'name="topics" value="{topic}" checked>' in form
    assert 'name="sectors" value=' in form
    japanese = usa_client.get(
        f"/documents/{ingested.pk}/review/", headers={"accept-language": "ja"}
    ).content.decode()
    assert "欧州連合</label>" in japanese and '<optgroup label="日本">' in japanese


def test_ticked_choices_are_accepted_and_kept_beside_an_error(
    usa_client: Client, ingested: Document
) -> None:
    first, second = list(ingested.candidates.order_by("start"))[:2]
    # Several values of one name, as the checkboxes and the multiple choice send them.
    accepted = usa_client.post(
        f"/candidates/{first.pk}/decide/",
        {
            "decision": "accept",
            "dialogue": "t-ted",
            "parties": ["USA", "JPN"],
            "owners": ["t-commerce", "t-meti"],
            "topics": ["supply-chain-resilience", "energy-security"],
            "marking": "public",
        },
    )
    assert accepted.status_code == 302
    first.refresh_from_db()
    commitment = first.commitment
    assert commitment is not None
    assert set(commitment.parties.values_list("pk", flat=True)) == {"USA", "JPN"}
    assert set(commitment.topics.values_list("pk", flat=True)) == {
        "supply-chain-resilience",
        "energy-security",
    }
    refused = usa_client.post(
        f"/candidates/{second.pk}/decide/",
        {
            "decision": "accept",
            "dialogue": "t-ted",
            "parties": ["EUU"],
            "owners": ["t-commerce", "no-such-agency"],
            "topics": ["two-way-investment"],
        },
    )
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "no-such-agency" in html
    form = _candidate_article(html, second.pk)
    # What the reviewer ticked stays ticked, not the extractor's suggestions.
    assert 'name="parties" value="EUU" checked>' in form
    assert 'name="parties" value="USA" checked>' not in form
    assert '<option value="t-commerce" selected>' in form
    assert 'name="topics" value="two-way-investment" checked>' in form
    second.refresh_from_db()
    assert second.decision == Decision.PENDING


def test_an_upload_dated_by_the_uploader_counts_its_deadlines_from_that_date(
    usa_client: Client,
) -> None:
    page = usa_client.get("/documents/upload/").content.decode()
    assert 'type="date" name="date"' in page
    response = upload(usa_client, STATEMENT.encode(), dialogue="t-ted", date="2024-07-01")
    assert response.status_code == 302
    call_command("worker", once=True, verbosity=0)
    document = ingested_documents().get()
    assert document.date == "2024-07-01"  # not the dateline's June 26
    six_months = document.candidates.get(text__contains="within six months")
    assert six_months.deadline_latest is not None
    assert six_months.deadline_latest.isoformat() == "2025-01-01"


def test_an_upload_with_a_date_that_is_not_one_stores_nothing(usa_client: Client) -> None:
    response = upload(usa_client, STATEMENT.encode(), dialogue="t-ted", date="2024-02-30")
    assert response.status_code == 400 and b"Enter a valid date" in response.content
    japanese = upload(
        usa_client, STATEMENT.encode(), language="ja", dialogue="t-ted", date="2024-02-30"
    )
    assert (
        japanese.status_code == 400 and "日付を正しく入力してください" in japanese.content.decode()
    )
    assert IngestionJob.objects.count() == 0 and ingested_documents().count() == 0


def test_a_rejection_needs_its_reason_and_an_error_lands_at_its_candidate(
    usa_client: Client, ingested: Document
) -> None:
    candidate = ingested.candidates.order_by("start").first()
    assert candidate is not None
    page = usa_client.get(f"/documents/{ingested.pk}/review/").content.decode()
    # The decision forms post to an address ending at their candidate: the answer, an error
    # included, opens there instead of at the top of a long page.
    assert f'action="/candidates/{candidate.pk}/decide/#c{candidate.pk}"' in page
    refused = usa_client.post(f"/candidates/{candidate.pk}/decide/", {"decision": "reject"})
    assert refused.status_code == 400
    assert "Say why the candidate is rejected." in refused.content.decode()
    candidate.refresh_from_db()
    assert candidate.decision == Decision.PENDING


def test_a_suggested_dialogue_offers_no_empty_choice(
    usa_client: Client, ingested: Document
) -> None:
    """Choosing the empty "Choose the dialogue" quietly kept the suggested dialogue."""
    candidate = ingested.candidates.order_by("start").first()
    assert candidate is not None
    form = _candidate_article(
        usa_client.get(f"/documents/{ingested.pk}/review/").content.decode(), candidate.pk
    )
    select = form.split(f'id="dl{candidate.pk}"')[1].split("</select>")[0]
    assert " selected>" in select and 'value=""' not in select
    assert "Choose the dialogue" not in form


def test_a_statement_dated_after_today_is_refused(usa_client: Client) -> None:
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    response = upload(usa_client, STATEMENT.encode(), dialogue="t-ted", date=tomorrow)
    assert response.status_code == 400
    assert "is after today" in response.content.decode()
    assert IngestionJob.objects.count() == 0 and ingested_documents().count() == 0


def _accept_form(article: str) -> str:
    """A candidate's accept form, without its CSRF token (a new one on every page)."""
    form = article.split('name="decision" value="accept"')[1].split("</form>")[0]
    return re.sub(r'<input type="hidden" name="csrfmiddlewaretoken"[^>]*>', "", form)


def test_a_failed_rejection_or_merge_leaves_the_accept_form_as_suggested(
    usa_client: Client, registry_loaded: None
) -> None:
    """Walk 12, item 3: a blank reason or a mistyped id emptied the accept form beside it,
    and its marking fell to the first choice, public, wider than the document's."""
    upload(
        usa_client,
        STATEMENT.encode(),
        meeting="t-ted-2024-06-26",
        marking="government-internal",
    )
    call_command("worker", once=True, verbosity=0)
    document = ingested_documents().get()
    candidate = document.candidates.get(text__contains="task force")
    url = f"/documents/{document.pk}/review/"
    suggested = _accept_form(_candidate_article(usa_client.get(url).content.decode(), candidate.pk))
    assert candidate.text in suggested and 'value="government-internal" selected' in suggested
    assert 'name="parties" value="USA" checked>' in suggested
    for sent in (
        {"decision": "reject", "reason": "   "},
        {"decision": "merge", "commitment": "no-such-commitment"},
    ):
        response = usa_client.post(f"/candidates/{candidate.pk}/decide/", sent)
        assert response.status_code == 400
        article = _candidate_article(response.content.decode(), candidate.pk)
        assert _accept_form(article) == suggested
    assert 'value="no-such-commitment"' in article  # the failed form keeps what was typed


def test_a_failed_accept_without_a_marking_offers_the_documents(
    usa_client: Client, registry_loaded: None
) -> None:
    upload(usa_client, STATEMENT.encode(), dialogue="t-ted", marking="government-internal")
    call_command("worker", once=True, verbosity=0)
    candidate = ingested_documents().get().candidates.get(text__contains="task force")
    response = usa_client.post(
        f"/candidates/{candidate.pk}/decide/",
        {"decision": "accept", "parties": "USA", "owners": "no-such-agency"},
    )
    assert response.status_code == 400
    form = _accept_form(_candidate_article(response.content.decode(), candidate.pk))
    assert 'value="government-internal" selected' in form and "selected>public" not in form
    assert 'name="parties" value="USA" checked>' in form
    assert 'name="parties" value="JPN" checked>' not in form  # what was sent, not suggested


def test_a_decision_address_opened_leads_to_its_candidate_on_the_review_page(
    usa_client: Client, ingested: Document
) -> None:
    """Reloaded, or reached again after signing in, the form's address answered an empty
    "method not allowed"; it leads to the candidate, and decides nothing."""
    candidate = ingested.candidates.order_by("start").first()
    assert candidate is not None
    opened = usa_client.get(f"/candidates/{candidate.pk}/decide/")
    assert opened.status_code == 302
    assert opened["Location"] == f"/documents/{ingested.pk}/review/#c{candidate.pk}"
    candidate.refresh_from_db()
    assert candidate.decision == Decision.PENDING
