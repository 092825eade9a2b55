"""Every page renders for a signed-in user, hides what the user may not see, and needs login."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from kizuna.registry.models import DialogueLead, Pillar

PAGES = [
    "/",
    "/dialogues/",
    "/dialogues/wt-dlg/",
    "/meetings/wt-dlg-2022-07-29/",
    "/commitments/",
    "/commitments/wt-c1/",
    "/agencies/wt-doc/",
    "/concerns/",
    "/search/?q=chip",
    "/commitments.csv",
    "/calendar/",
    "/calendar.ics",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_each_page_renders_for_a_signed_in_user(usa_client: Client, url: str) -> None:
    assert usa_client.get(url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_each_page_sends_an_anonymous_visitor_to_login(workspace_loaded: None, url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_the_dialogue_page_shows_leads_counterparts_children_and_rounds(usa_client: Client) -> None:
    html = usa_client.get("/dialogues/wt-dlg/").content.decode()
    assert "Test Department of Commerce" in html and "Test Ministry of Economy" in html
    assert "Working-level counterparts." in html
    assert "/dialogues/wt-child/" in html
    assert "Test supply chains pillar" in html
    assert "/meetings/wt-dlg-2022-07-29/" in html and "/meetings/wt-dlg-2023-11-14/" in html
    # A round on the timeline: its number, date, title, level and place, agenda and outcomes.
    assert (
        '<h3><a href="/meetings/wt-dlg-2022-07-29/">Round 1 · July 29, 2022 · Test dialogue, '
        "first round</a></h3>" in html
    )
    assert "Chip supply chains" in html and "Test joint statement, first round" in html
    assert "Test chips" in html
    assert "/commitments/wt-c1/" in html


@pytest.mark.django_db
def test_the_dialogue_page_names_its_parent_children_and_pillar_leads_as_of_a_date(
    usa_client: Client,
) -> None:
    child = usa_client.get("/dialogues/wt-child/")
    assert child.context["page"].parent.pk == "wt-dlg"
    assert child.context["page"].children == []  # its parent is not listed under it
    assert 'href="/dialogues/wt-dlg/">Test Economic Dialogue</a>' in child.content.decode()
    parent = usa_client.get("/dialogues/wt-dlg/")
    assert parent.context["page"].parent is None
    assert [c.pk for c in parent.context["page"].children] == ["wt-child"]
    # The pillar's lead, read with the dialogue's leads.
    [(pillar, leads)] = parent.context["page"].pillars
    assert pillar.pk == "wt-dlg-p1" and [lead.agency_id for lead in leads] == ["wt-doc"]
    assert '<span class="tag">USA: WT-DOC</span>' in parent.content.decode()
    # Before the working group was launched, the dialogue has nothing under it, and before
    # its first round its timeline says so.
    earlier = usa_client.get("/dialogues/wt-dlg/?as_of=2021-12-01")
    assert earlier.context["page"].children == []
    assert earlier.context["page"].meetings == []
    assert "No meetings recorded up to this date." in earlier.content.decode()
    assert usa_client.get("/dialogues/wt-child/?as_of=2021-12-01").status_code == 404


@pytest.mark.django_db
def test_an_agency_leading_the_dialogue_and_its_pillars_is_named_once(usa_client: Client) -> None:
    # The workspace's U.S. lead of the dialogue also leads its first pillar; add a second.
    second = Pillar.objects.create(
        id="wt-dlg-p2",
        dialogue_id="wt-dlg",
        number=2,
        name="Test second pillar",
        marking="public",
        owner_government_id="USA",
        owner_agency_id="wt-doc",
    )
    DialogueLead.objects.create(
        dialogue_id="wt-dlg", pillar=second, party_id="USA", agency_id="wt-doc"
    )
    page = usa_client.get("/dialogues/wt-dlg/")
    [usa] = [p for p in page.context["page"].leads if p.party == "USA"]
    [lead] = usa.agencies
    assert lead.agency.pk == "wt-doc" and lead.whole
    assert [p.pk for p in lead.pillars] == ["wt-dlg-p1", "wt-dlg-p2"]
    html = page.content.decode()
    assert (
        '<strong>USA</strong>: <a href="/agencies/wt-doc/">Test Department of Commerce</a> '
        "(the whole dialogue; Test supply chains pillar; Test second pillar)</li>" in html
    )
    japanese = usa_client.get("/dialogues/wt-dlg/", headers={"accept-language": "ja"})
    assert "テスト商務省</a> (対話全体; " in japanese.content.decode()


@pytest.mark.django_db
def test_the_meeting_page_shows_agenda_outcomes_commitments_and_carried_items(
    usa_client: Client,
) -> None:
    first = usa_client.get("/meetings/wt-dlg-2022-07-29/").content.decode()
    assert "Chip supply chains" in first
    assert "Test joint statement, first round" in first
    assert "/commitments/wt-c1/" in first
    assert "Chip supply chains, follow-up" in first  # carried on to round 2
    assert 'href="/meetings/wt-dlg-2023-11-14/"' in first  # next round
    second = usa_client.get("/meetings/wt-dlg-2023-11-14/").content.decode()
    assert 'href="/meetings/wt-dlg-2022-07-29/"' in second  # carried over from round 1


@pytest.mark.django_db
def test_the_commitment_page_highlights_the_passage_and_flags_divergence(
    usa_client: Client,
) -> None:
    html = usa_client.get("/commitments/wt-c1/").content.decode()
    assert (
        '<mark id="passage">The two sides will build a resilient chip supply chain by 2026.</mark>'
        in html
    )
    assert "The parties disagree" in html
    assert "Fab opened." in html and "Subsidy law passed." in html
    assert "Not yet producing." in html  # JPN contests the U.S. assessment
    assert "illustrative" in html
    assert "/agencies/wt-meti/" in html


@pytest.mark.django_db
def test_the_commitment_page_links_the_lifecycle_both_ways(usa_client: Client) -> None:
    assert "/commitments/wt-c1/" in usa_client.get("/commitments/wt-c2/").content.decode()
    assert "/commitments/wt-c2/" in usa_client.get("/commitments/wt-c1/").content.decode()


@pytest.mark.django_db
def test_another_governments_internal_commitment_answers_404(usa_client: Client) -> None:
    assert usa_client.get("/commitments/wt-c-jpn-internal/").status_code == 404
    assert (
        "wt-c-jpn-internal" not in usa_client.get("/commitments/?dialogue=wt-dlg").content.decode()
    )
    csv_body = b"".join(usa_client.get("/commitments.csv").streaming_content).decode()
    assert "wt-c-jpn-internal" not in csv_body
    results = usa_client.get("/search/?q=Internal+target").context["results"]
    assert results.commitments == []


@pytest.mark.django_db
def test_its_own_government_sees_the_internal_commitment(jpn_client: Client) -> None:
    html = jpn_client.get("/commitments/wt-c-jpn-internal/").content.decode()
    assert "Internal target" in html
    assert "government-internal" in html


@pytest.mark.django_db
def test_unknown_records_answer_404(usa_client: Client) -> None:
    for url in [
        "/dialogues/wt-nope/",
        "/meetings/wt-nope/",
        "/commitments/wt-nope/",
        "/agencies/wt-nope/",
    ]:
        assert usa_client.get(url).status_code == 404, url


@pytest.mark.django_db
def test_search_finds_commitments_meetings_and_documents(usa_client: Client) -> None:
    html = usa_client.get("/search/?q=first+round").content.decode()
    assert "/meetings/wt-dlg-2022-07-29/" in html
    assert "Test joint statement, first round" in html
    assert "/commitments/wt-c1/" in usa_client.get("/search/?q=resilient").content.decode()


@pytest.mark.django_db
def test_search_finds_japanese_words(usa_client: Client) -> None:
    html = usa_client.get("/search/?q=テスト経済").content.decode()
    assert "/dialogues/wt-dlg/" in html


@pytest.mark.django_db
def test_an_empty_search_says_what_to_do(usa_client: Client) -> None:
    assert "Type a word or phrase" in usa_client.get("/search/").content.decode()


@pytest.mark.django_db
def test_the_concerns_page_shows_who_raised_what_and_where(usa_client: Client) -> None:
    html = usa_client.get("/concerns/").content.decode()
    assert "Test steel tariffs" in html and "/meetings/wt-dlg-2022-07-29/" in html


@pytest.mark.django_db
def test_the_agency_page_shows_its_dialogues_counterparts_and_commitments(
    usa_client: Client,
) -> None:
    html = usa_client.get("/agencies/wt-doc/").content.decode()
    assert "/dialogues/wt-dlg/" in html
    assert "/agencies/wt-meti/" in html
    assert "/commitments/wt-c1/" in html
    assert "/commitments/wt-c2/" not in html  # superseded: not open


@pytest.mark.django_db
def test_the_home_page_counts_commitments_by_party_and_status(usa_client: Client) -> None:
    response = usa_client.get("/")
    rows = {row.party: row for row in response.context["overview"].status_rows}
    assert rows["USA"].counts.get("delivered", 0) >= 1
    assert rows["JPN"].counts.get("in-progress", 0) >= 1
    assert "/agencies/wt-doc/" in response.content.decode()  # who leads what
    leading = {
        agency.pk: [d.pk for d in led]
        for agency, led in response.context["overview"].agencies_leading
    }
    assert leading["wt-doc"][:3] == ["wt-dlg", "wt-child", "wt-later"]


@pytest.mark.django_db
def test_the_home_page_lists_what_changed_since_a_date(usa_client: Client) -> None:
    overview = usa_client.get("/?since=2023-11-01").context["overview"]
    made = overview.changed_commitments
    assert made and all(c.made_on_first >= dt.date(2023, 11, 1) for c in made)
    assert "wt-c1" not in {c.pk for c in made}
    # The day wt-c2 was made: few enough commitments that it is listed, whatever the demo holds.
    made = usa_client.get("/?since=2023-11-14&as_of=2023-11-14").context["overview"]
    assert "wt-c2" in {c.pk for c in made.changed_commitments}


@pytest.mark.django_db
def test_a_malformed_date_is_ignored_with_a_message(usa_client: Client) -> None:
    response = usa_client.get("/?as_of=yesterday")
    assert response.status_code == 200
    assert "is not a date in the form YYYY-MM-DD" in response.content.decode()


@pytest.mark.django_db
def test_a_note_internal_to_one_government_shows_only_to_that_government(
    usa_client: Client, jpn_client: Client
) -> None:
    assert "press METI" in jpn_client.get("/commitments/wt-c1/").content.decode()
    assert "press METI" not in usa_client.get("/commitments/wt-c1/").content.decode()


@pytest.mark.django_db
def test_another_governments_internal_meeting_answers_404_and_is_not_listed(
    usa_client: Client, jpn_client: Client
) -> None:
    assert usa_client.get("/meetings/wt-dlg-2023-01-15/").status_code == 404
    assert "wt-dlg-2023-01-15" not in usa_client.get("/dialogues/wt-dlg/").content.decode()
    assert "wt-dlg-2023-01-15" not in usa_client.get("/calendar.ics").content.decode()
    assert jpn_client.get("/meetings/wt-dlg-2023-01-15/").status_code == 200
    assert "wt-dlg-2023-01-15" in jpn_client.get("/dialogues/wt-dlg/").content.decode()


@pytest.mark.django_db
def test_a_404_says_in_plain_words_what_to_do(usa_client: Client) -> None:
    html = usa_client.get("/commitments/wt-c-jpn-internal/").content.decode()
    assert "There is nothing at this address that you may see." in html
    assert "wt-c-jpn-internal" not in html.split("<main")[1]
