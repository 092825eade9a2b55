"""The commitment list: filters, sorting, pagination and the CSV download of the same list."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.test import Client

from kizuna.access.actor import Actor
from kizuna.accounts.models import User
from kizuna.audit.models import AuditEntry
from kizuna.commitments.models import Commitment
from kizuna.commitments.selectors import CommitmentFilters, commitments_visible
from kizuna.registry.models import Dialogue, Topic
from kizuna.registry.services import marking_change


def _ids(client: Client, query: str) -> list[str]:
    page = client.get("/commitments/" + query).context["page"]
    return [c.pk for c in page.object_list if c.pk.startswith("wt-")]


def _csv(client: Client, query: str) -> list[dict[str, str]]:
    response = client.get("/commitments.csv" + query)
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?dialogue=wt-dlg&lifecycle=superseded", ["wt-c2"]),
        ("?dialogue=wt-dlg&party=JPN", ["wt-c1"]),
        ("?agency=wt-meti", ["wt-c1"]),
        ("?topic=wt-chips", ["wt-c1"]),
        ("?sector=wt-semis", ["wt-c1"]),
        ("?dialogue=wt-dlg&status=delivered", ["wt-c1"]),
        ("?dialogue=wt-dlg&party=JPN&status=delivered", []),
        ("?dialogue=wt-dlg&party=JPN&status=in-progress", ["wt-c1"]),
        ("?dialogue=wt-dlg&deadline_from=2026-06-01&deadline_to=2026-07-01", ["wt-c1"]),
        ("?dialogue=wt-dlg&deadline_to=2025-01-01", []),
        ("?q=export-control", ["wt-c2"]),
    ],
)
def test_each_filter_narrows_the_list(usa_client: Client, query: str, expected: list[str]) -> None:
    assert _ids(usa_client, query) == expected


@pytest.mark.django_db
def test_a_deadline_known_at_one_end_is_kept_by_a_window_it_can_fall_in(
    usa_client: Client,
) -> None:
    """A deadline given only as "by" a day (no earliest) was dropped by "Deadline to", and
    one given only as "from" a day (no latest) by "Deadline from"."""
    Commitment.objects.filter(pk="wt-c1").update(deadline_earliest=None)  # by 2026-12-31
    assert _ids(usa_client, "?dialogue=wt-dlg&deadline_to=2029-12-31") == ["wt-c1"]
    # "By" a day falls on that day, as in the calendar.
    assert _ids(usa_client, "?dialogue=wt-dlg&deadline_to=2026-06-30") == []
    assert _ids(usa_client, "?dialogue=wt-dlg&deadline_from=2027-01-01") == []
    Commitment.objects.filter(pk="wt-c1").update(
        deadline_earliest="2026-01-01", deadline_latest=None
    )
    assert _ids(usa_client, "?dialogue=wt-dlg&deadline_from=2025-06-01") == ["wt-c1"]
    assert _ids(usa_client, "?dialogue=wt-dlg&deadline_to=2025-12-31") == []


@pytest.mark.django_db
def test_the_list_sorts_by_date_both_ways(usa_client: Client) -> None:
    assert _ids(usa_client, "?dialogue=wt-dlg&sort=made") == ["wt-c1", "wt-c2"]
    assert _ids(usa_client, "?dialogue=wt-dlg&sort=-made") == ["wt-c2", "wt-c1"]


@pytest.mark.django_db
def test_an_unknown_filter_value_is_reported_not_obeyed(usa_client: Client) -> None:
    response = usa_client.get("/commitments/?status=finished&dialogue=wt-dlg")
    assert response.status_code == 200
    assert response.context["form"].errors["status"]
    assert _ids(usa_client, "?status=finished&dialogue=wt-dlg") == ["wt-c2", "wt-c1"]


@pytest.mark.django_db
def test_the_list_is_paginated(load_workspace: Callable[..., None], settings: object) -> None:
    load_workspace(extra_commitments=60)
    client = Client()
    client.force_login(
        User.objects.create(username="wt-p", government="USA", agency="wt-doc", role="desk-officer")
    )
    first = client.get("/commitments/?dialogue=wt-dlg").context["page"]
    assert len(first.object_list) == 50 and first.has_next()
    second = client.get("/commitments/?dialogue=wt-dlg&page=2")
    assert len(second.context["page"].object_list) == 62 - 50
    assert "page=2" in client.get("/commitments/?dialogue=wt-dlg").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "?dialogue=wt-dlg", "?party=JPN", "?lifecycle=superseded"])
def test_csv_rows_equal_the_visible_filtered_list(usa_client: Client, query: str) -> None:
    user = User.objects.get(username="wt-usa-desk")
    form_filters = usa_client.get("/commitments/" + query).context["form"].filters()
    expected = list(
        commitments_visible(actor=Actor.from_user(user), filters=form_filters).values_list(
            "pk", flat=True
        )
    )
    assert [row["id"] for row in _csv(usa_client, query)] == expected


@pytest.mark.django_db
def test_csv_cells_cannot_start_a_formula(usa_client: Client) -> None:
    rows = {row["id"]: row for row in _csv(usa_client, "?dialogue=wt-dlg")}
    assert rows["wt-c2"]["text"].startswith("'=HYPERLINK")
    assert rows["wt-c1"]["latest_status"] == "JPN:in-progress USA:delivered"


@pytest.mark.django_db
def test_the_csv_link_carries_the_filters(usa_client: Client) -> None:
    html = usa_client.get("/commitments/?party=JPN&page=1").content.decode()
    assert 'href="/commitments.csv?party=JPN"' in html


def test_filters_default_to_everything() -> None:
    assert CommitmentFilters().sort == "-made"


@pytest.mark.django_db
def test_the_date_headers_sort_and_say_how(usa_client: Client) -> None:
    html = usa_client.get("/commitments/?dialogue=wt-dlg&sort=deadline").content.decode()
    assert 'aria-sort="ascending"' in html
    assert 'href="?dialogue=wt-dlg&amp;sort=-deadline"' in html
    assert 'href="?dialogue=wt-dlg&amp;sort=-made"' in html


@pytest.mark.django_db
def test_a_csv_download_is_recorded_in_the_audit_log(usa_client: Client) -> None:
    _csv(usa_client, "?party=JPN")
    entry = AuditEntry.objects.filter(action="commitments.export").order_by("-pk").first()
    assert entry is not None and entry.object_id == "party=JPN"


@pytest.mark.django_db
def test_the_list_pages_without_counting_and_the_count_comes_apart(
    usa_client: Client, monkeypatch: pytest.MonkeyPatch, settings: object
) -> None:
    from kizuna.web import views

    settings.KIZUNA_PAGE_SIZE = 1  # type: ignore[attr-defined]
    first = usa_client.get("/commitments/?dialogue=wt-dlg")
    page = first.context["page"]
    assert page.number == 1 and len(page.object_list) == 1 and page.has_next()
    body = first.content.decode()
    # The page links to its count (htmx fetches it on load) with the same filters.
    assert 'hx-get="/commitments.count?dialogue=wt-dlg"' in body
    assert "Page 1</span>" in body and 'rel="next"' in body
    # The last page knows it is last from the one row looked up past it.
    last = usa_client.get("/commitments/?dialogue=wt-dlg&page=2").context["page"]
    assert last.number == 2 and len(last.object_list) == 1 and not last.has_next()
    # Two public commitments; the Japanese side's internal one is not counted.
    assert "2 commitments" in usa_client.get("/commitments.count?dialogue=wt-dlg").content.decode()
    # A page number that is not a number, or is too long to read, is the first page.
    assert usa_client.get("/commitments/?dialogue=wt-dlg&page=²").context["page"].number == 1
    long_number = usa_client.get("/commitments/?dialogue=wt-dlg&page=" + "9" * 5000)
    assert long_number.context["page"].number == 1
    # A long list is counted up to the cap, then "more than"; paging stops there too, and the
    # CSV download holds the rest.
    monkeypatch.setattr(views, "LIST_COUNT_CAP", 1)
    assert not usa_client.get("/commitments/?dialogue=wt-dlg").context["page"].has_next()
    capped = usa_client.get("/commitments.count?dialogue=wt-dlg")
    assert capped.context["count"] == 2  # counted to cap + 1, no further
    assert "More than 1 commitments" in capped.content.decode()


@pytest.mark.django_db
def test_a_topic_filter_finds_tags_anywhere_below_it(usa_client: Client) -> None:
    # wt-chips two levels down: family > middle > chips, as economic security >
    # critical-technology protection > export controls.
    family = Topic.objects.create(id="wt-fam", name="Test family")
    middle = Topic.objects.create(id="wt-mid", name="Test middle", parent=family)
    Topic.objects.create(id="wt-other", name="Test sibling", parent=family)
    Topic.objects.filter(pk="wt-chips").update(parent=middle)
    assert _ids(usa_client, "?topic=wt-fam") == ["wt-c1"]
    assert _ids(usa_client, "?topic=wt-mid") == ["wt-c1"]
    # Not upwards: a tag on the family says nothing of its children.
    assert _ids(usa_client, "?topic=wt-other") == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "actor",
    [
        Actor(name="usa-coordinator", government="USA", agency="white-house", role="coordinator"),
        Actor(name="jpn-desk", government="JPN", agency="meti", role="desk-officer"),
    ],
    ids=lambda a: a.name,
)
def test_a_party_filter_finds_exactly_the_commitments_that_party_made(actor: Actor) -> None:
    # The filter first tests the commitment's own audience (every committing party is in it)
    # and only then the parties table: the result must be the parties table's alone.
    visible = commitments_visible(actor=actor)
    made_by: dict[str, set[str]] = {}
    for pk, party in visible.values_list("pk", "parties").order_by():
        if party is not None:
            made_by.setdefault(party, set()).add(pk)
    assert {"USA", "JPN"} <= made_by.keys()
    for party, expected in made_by.items():
        found = commitments_visible(actor=actor, filters=CommitmentFilters(party=party))
        assert set(found.values_list("pk", flat=True)) == expected, party


@pytest.mark.django_db
def test_commitments_filtered_to_a_dialogue_the_reader_may_not_see_are_none(
    workspace_loaded: None,
) -> None:
    """The dialogue filter asks the dialogue's access rule once, for the dialogue named,
    not once per commitment: its commitments stay hidden whatever their own marking."""
    Dialogue.objects.filter(pk="wt-dlg").update(
        marking="government-internal", owner_government_id="JPN"
    )
    assert Commitment.objects.filter(dialogue_id="wt-dlg", marking="public").exists()
    in_dialogue = CommitmentFilters(dialogue="wt-dlg")
    usa = Actor(name="u", government="USA", agency="wt-doc", role="desk-officer")
    jpn = Actor(name="j", government="JPN", agency="wt-meti", role="desk-officer")
    assert not commitments_visible(actor=usa, filters=in_dialogue).exists()
    assert commitments_visible(actor=jpn, filters=in_dialogue).exists()
    # And the dialogue's page, whose topics are read through the same filter, is not found.
    client = Client()
    client.force_login(User.objects.create(username="wt-usa-2", government="USA", agency="wt-doc"))
    assert client.get("/dialogues/wt-dlg/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("number", [3, 200, 999999])
def test_a_page_past_the_end_says_so_and_leads_to_the_first(
    usa_client: Client, settings: object, number: int
) -> None:
    """Not an empty "Page 200" with a link back to an empty page 199: the list is not
    counted before it is shown, so it cannot name its last page, but it knows this one is
    empty."""
    settings.KIZUNA_PAGE_SIZE = 1  # type: ignore[attr-defined]
    response = usa_client.get(f"/commitments/?dialogue=wt-dlg&page={number}")
    assert response.status_code == 200 and response.context["page"].past_the_end()
    body = response.content.decode()
    assert f"There is no page {number}: this list has fewer pages." in body
    assert '<a href="?dialogue=wt-dlg" hx-get="?dialogue=wt-dlg">Go to the first page</a>' in body
    assert 'rel="prev"' not in body and f"Page {number}</span>" not in body and "<table" not in body
    # The last real page is a page like any other.
    last = usa_client.get("/commitments/?dialogue=wt-dlg&page=2")
    assert not last.context["page"].past_the_end() and 'rel="prev"' in last.content.decode()


def _error_boxes(html: str) -> dict[str, str]:
    """Each filter's error box: {its id: its text}."""
    import re

    boxes = re.findall(r'<span id="(id_\w+_error)">(.*?)</span></div>', html)
    return {box: re.sub(r"<[^>]+>", "", text) for box, text in boxes}


@pytest.mark.django_db
def test_filter_errors_are_in_the_boxes_an_in_place_update_swaps(usa_client: Client) -> None:
    """With script, a filter change swaps in the results alone: the form's error boxes come
    along by name (hx-select-oob), each field says which box describes it, and a box is there
    empty too, so that a corrected value's error can be swapped away."""
    query = "?dialogue=wt-dlg&deadline_from=2027-01-01&deadline_to=2026-01-01&status=foo"
    html = usa_client.get("/commitments/" + query, HTTP_HX_REQUEST="true").content.decode()
    boxes = _error_boxes(html)
    assert boxes["id_deadline_to_error"] == (
        "“Deadline to” is before “Deadline from”, so neither date was applied."
    )
    assert boxes["id_status_error"] == "“foo” is not a status; any status is shown."
    assert boxes["id_dialogue_error"] == "" and boxes["id_sort_error"] == ""
    assert '<span class="error" role="alert">' in html  # announced when swapped in
    assert 'aria-describedby="id_deadline_to_error"' in html
    swapped = html.split('hx-select-oob="', 1)[1].split('"', 1)[0].split(",")
    assert sorted(swapped) == sorted(f"#{box}" for box in boxes)
    # The list itself ignores both (and says so, above) rather than showing nothing.
    assert _ids(usa_client, query) == ["wt-c2", "wt-c1"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "box", "english", "japanese"),
    [
        (
            "?sort=x",
            "id_sort_error",
            "“x” is not a sort order; the list is sorted newest first.",
            "「x」は並べ替えの順序ではありません。新しい順に並べています。",
        ),
        (
            "?status=foo",
            "id_status_error",
            "“foo” is not a status; any status is shown.",
            "「foo」は進捗の区分ではありません。すべての進捗を表示しています。",
        ),
        (
            "?dialogue=nope",
            "id_dialogue_error",
            "“nope” is not a dialogue you may see on this date; "
            "commitments of every dialogue are shown.",
            "「nope」は、この日付で閲覧できる対話ではありません。"
            "すべての対話のコミットメントを表示しています。",
        ),
        (
            "?deadline_from=soon",
            "id_deadline_from_error",
            "“soon” is not a date in the form YYYY-MM-DD, so it was ignored.",
            "「soon」は YYYY-MM-DD 形式の日付ではないため、無視しました。",
        ),
    ],
)
def test_an_ignored_filter_value_is_named_with_what_is_shown_instead(
    usa_client: Client, query: str, box: str, english: str, japanese: str
) -> None:
    """In the words of the as-of date's message, not Django's "Select a valid choice"."""
    html = usa_client.get("/commitments/" + query).content.decode()
    assert _error_boxes(html)[box] == english
    assert "Select a valid choice" not in html and "Enter a valid date" not in html
    ja = usa_client.get("/commitments/" + query, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert _error_boxes(ja)[box] == japanese


@pytest.mark.django_db
def test_a_filter_change_waits_for_the_answer_before_it_rather_than_aborting_it(
    usa_client: Client,
) -> None:
    """A change made while the list is fetched is queued: replacing the earlier request
    aborted it, and htmx logs every aborted request as a console error."""
    html = usa_client.get("/commitments/").content.decode()
    assert 'hx-sync="this:queue last"' in html and "this:replace" not in html


@pytest.mark.django_db
def test_a_reader_reads_the_list_but_does_not_download_it(
    usa_client: Client, workspace_loaded: None
) -> None:
    reader = Client()
    reader.force_login(
        User.objects.create(
            username="wt-usa-reader", government="USA", agency="wt-doc", role="reader"
        )
    )
    listed = reader.get("/commitments/?dialogue=wt-dlg").content.decode()
    assert "wt-c1" in listed and "/commitments.csv" not in listed
    before = AuditEntry.objects.count()
    for download in ("/commitments.csv", "/commitments.xlsx"):
        refused = reader.get(download)
        assert refused.status_code == 403
        assert "Downloading a list is for desk officers" in refused.content.decode()
    # Each refusal is recorded as one (docs/audit.md), and nothing as an export.
    assert AuditEntry.objects.count() == before + 2
    assert not AuditEntry.objects.filter(action="commitments.export").exists()
    # A desk officer's workbook is audited as one.
    assert "/commitments.xlsx" in usa_client.get("/commitments/").content.decode()
    assert usa_client.get("/commitments.xlsx?dialogue=wt-dlg").status_code == 200
    entry = AuditEntry.objects.filter(action="commitments.export").latest("sequence")
    assert entry.payload["after"]["format"] == "xlsx"


@pytest.mark.django_db
def test_a_dialogue_re_marked_out_of_sight_leaves_the_filter_at_once(
    usa_client: Client, jpn_client: Client
) -> None:
    """The filter's choices are kept between pages until the workspace changes: a dialogue
    narrowed to its owner's government is no longer offered to the other one."""
    option = '<option value="wt-dlg">'
    assert option in jpn_client.get("/commitments/").content.decode()
    assert option in jpn_client.get("/commitments/?sort=made").content.decode()  # kept
    dialogue = Dialogue.objects.get(pk="wt-dlg")
    marking_change(
        actor=Actor(name="wt-usa-desk", government="USA", agency="wt-doc", role="desk-officer"),
        model=Dialogue,
        record_id="wt-dlg",
        version=dialogue.version,
        marking="government-internal",
    )
    assert option not in jpn_client.get("/commitments/").content.decode()
    assert option in usa_client.get("/commitments/").content.decode()


@pytest.mark.django_db
def test_the_filters_offer_names_in_the_readers_language_on_each_page(
    usa_client: Client,
) -> None:
    english = usa_client.get("/commitments/?dialogue=wt-child").content.decode()
    japanese = usa_client.get(
        "/commitments/?dialogue=wt-child", headers={"accept-language": "ja"}
    ).content.decode()
    assert '<option value="wt-child" selected>Test Working Group</option>' in english
    assert '<option value="wt-child" selected>テスト作業部会</option>' in japanese
    assert '<option value="">any</option>' in english
    assert '<option value="">any</option>' not in japanese  # the "any" choice is translated
