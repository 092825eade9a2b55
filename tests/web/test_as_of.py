"""The as-of date: every page shows the workspace as it stood then, and links keep the date."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_as_of_hides_a_dialogue_launched_later(usa_client: Client) -> None:
    assert "/dialogues/wt-later/" in usa_client.get("/").content.decode()
    html = usa_client.get("/?as_of=2022-06-01").content.decode()
    assert "/dialogues/wt-later/" not in html
    assert "/dialogues/wt-dlg/" in html


@pytest.mark.django_db
def test_as_of_before_the_launch_answers_404_on_the_dialogue_page(usa_client: Client) -> None:
    response = usa_client.get("/dialogues/wt-child/?as_of=2022-01-20")
    assert response.status_code == 404
    # The date bar names the day looked at, where the page suggests a later one.
    html = response.content.decode()
    assert "Showing the workspace as it stood on Jan. 20, 2022." in html
    assert "Showing today." not in html and "pick a later as-of date" in html
    assert 'href="/?as_of=2022-01-20"' in html and 'href="/search/?as_of=2022-01-20"' in html
    assert usa_client.get("/dialogues/wt-child/?as_of=2022-01-21").status_code == 200


@pytest.mark.django_db
def test_links_carry_the_as_of_date(usa_client: Client) -> None:
    html = usa_client.get("/?as_of=2022-12-31").content.decode()
    assert 'href="/dialogues/wt-dlg/?as_of=2022-12-31"' in html
    assert 'href="/meetings/wt-dlg-2022-07-29/?as_of=2022-12-31"' in html


@pytest.mark.django_db
def test_as_of_hides_later_meetings_and_commitments(usa_client: Client) -> None:
    html = usa_client.get("/dialogues/wt-dlg/?as_of=2022-12-31").content.decode()
    assert "wt-dlg-2023-11-14" not in html
    assert "/commitments/wt-c2/" not in html
    assert usa_client.get("/commitments/wt-c2/?as_of=2022-12-31").status_code == 404


@pytest.mark.django_db
def test_as_of_shows_each_partys_assessment_as_it_stood(usa_client: Client) -> None:
    before = usa_client.get("/commitments/wt-c1/?as_of=2022-12-31").context["page"]
    assert before.latest == {} and not before.divergent
    after = usa_client.get("/commitments/wt-c1/?as_of=2023-06-01").context["page"]
    assert set(after.latest) == {"USA", "JPN"} and after.divergent


@pytest.mark.django_db
def test_the_as_of_form_keeps_the_other_filters(usa_client: Client) -> None:
    html = usa_client.get("/commitments/?party=JPN&page=1").content.decode()
    assert '<input type="hidden" name="party" value="JPN">' in html
    assert 'name="page"' not in html.split('class="asof"')[1].split("</form>")[0]


def test_a_bad_as_of_date_is_reported_on_its_page_only(usa_client: Client) -> None:
    warning = "is not a date in the form YYYY-MM-DD"
    page = usa_client.get("/commitments/?as_of=2024-13-45").content.decode()
    assert warning in page
    # The list's count, fetched by the page, and its downloads show no messages: they must
    # not leave one behind for whatever page comes next.
    assert usa_client.get("/commitments.count?as_of=2024-13-45").status_code == 200
    assert usa_client.get("/commitments.csv?as_of=2024-13-45").status_code == 200
    assert warning not in usa_client.get("/dialogues/").content.decode()
