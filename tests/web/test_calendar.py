"""The calendar page, the .ics download and each user's revocable secret feed address."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from kizuna.accounts.models import User
from kizuna.web.models import CalendarFeed


@pytest.mark.django_db
def test_the_calendar_lists_meetings_and_deadlines(usa_client: Client) -> None:
    html = usa_client.get("/calendar/?from=2022-01-01&to=2026-12-31").content.decode()
    assert 'href="/meetings/wt-dlg-2022-07-29/' in html
    assert 'href="/commitments/wt-c1/' in html  # deadline 2026-12-31


@pytest.mark.django_db
def test_the_calendar_says_what_to_do_when_empty(usa_client: Client) -> None:
    html = usa_client.get("/calendar/?from=1990-01-01&to=1990-12-31").content.decode()
    assert "Widen the dates" in html


@pytest.mark.django_db
def test_the_ics_download_is_a_calendar_of_what_the_user_may_see(usa_client: Client) -> None:
    response = usa_client.get("/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR")
    assert "UID:meeting-wt-dlg-2023-11-14@kizuna" in body
    assert "UID:deadline-wt-c1@kizuna" in body


def _feed_url(client: Client) -> str:
    client.post("/calendar/feed/", {"action": "create"})
    html = client.get("/calendar/").content.decode()
    # Focused on arrival (autofocus), so that a screen reader reads out the new address.
    match = re.search(r'value="http://testserver(/calendar/feed/[^"]+\.ics)" autofocus', html)
    assert match, "the new address is shown once"
    return match.group(1)


@pytest.mark.django_db
def test_a_feed_address_works_without_a_session_and_shows_only_the_users_records(
    usa_client: Client, jpn_client: Client
) -> None:
    usa_url, jpn_url = _feed_url(usa_client), _feed_url(jpn_client)
    assert "JPN only" not in Client().get(usa_url).content.decode()
    assert CalendarFeed.objects.get(user__username="wt-usa-desk").token_hash not in usa_url
    response = Client().get(jpn_url)
    assert response.status_code == 200 and "BEGIN:VCALENDAR" in response.content.decode()


@pytest.mark.django_db
def test_the_address_is_shown_only_once(usa_client: Client) -> None:
    _feed_url(usa_client)
    assert (
        "/calendar/feed/"
        not in usa_client.get("/calendar/").content.decode().split("Subscribe")[1].split("<form")[0]
    )


@pytest.mark.django_db
def test_a_revoked_or_replaced_address_stops_working(usa_client: Client) -> None:
    first = _feed_url(usa_client)
    second = _feed_url(usa_client)
    assert Client().get(first).status_code == 403
    assert Client().get(second).status_code == 200
    usa_client.post("/calendar/feed/", {"action": "revoke"})
    refusal = Client().get(second)
    assert refusal.status_code == 403
    # The calendar program names no language and the address's record is gone: both.
    text = refusal.content.decode()
    assert "This calendar address is not valid or was revoked." in text
    assert "このカレンダーアドレスは無効か、取り消されています。" in text


@pytest.mark.django_db
def test_a_disabled_users_feed_stops_working(usa_client: Client) -> None:
    url = _feed_url(usa_client)
    User.objects.filter(username="wt-usa-desk").update(is_active=False)
    assert Client().get(url).status_code == 403


@pytest.mark.django_db
def test_an_unknown_feed_address_is_refused(workspace_loaded: None) -> None:
    assert Client().get("/calendar/feed/not-a-token.ics").status_code == 403


@pytest.mark.django_db
def test_a_feed_is_written_in_the_language_its_address_was_made_in(
    usa_client: Client, jpn_client: Client
) -> None:
    # A calendar program sends no language: the feed keeps its subscriber's.
    jpn_client.post("/calendar/feed/", {"action": "create"}, headers={"accept-language": "ja"})
    html = jpn_client.get("/calendar/", headers={"accept-language": "ja"}).content.decode()
    match = re.search(r'value="http://testserver(/calendar/feed/[^"]+\.ics)"', html)
    assert match
    japanese = Client().get(match.group(1)).content.decode()
    english = Client().get(_feed_url(usa_client)).content.decode()
    assert "期限: " in japanese and "Deadline: " not in japanese
    assert "Deadline: " in english and "期限: " not in english


@pytest.mark.django_db
def test_the_subscription_forms_address_opened_on_its_own_leads_to_the_calendar(
    usa_client: Client,
) -> None:
    response = usa_client.get("/calendar/feed/")
    assert response.status_code == 302 and response["Location"] == "/calendar/"
    assert not CalendarFeed.objects.exists()  # a GET makes no address


@pytest.mark.django_db
def test_a_meeting_known_to_the_month_is_not_shown_on_the_first(usa_client: Client) -> None:
    """A round recorded as "2024-01" showed as "Jan. 1, 2024" in the calendar and its file."""
    from kizuna.registry.models import Meeting

    Meeting.objects.filter(pk="wt-dlg-2023-11-14").update(date="2023-11")
    html = usa_client.get("/calendar/?from=2023-11-01&to=2023-11-30").content.decode()
    when = html.split('href="/meetings/wt-dlg-2023-11-14/')[0].rsplit('<span class="when">', 1)[1]
    assert "November 2023" in when and "day not recorded" in when and "Nov. 14" not in when
    japanese = usa_client.get(
        "/calendar/?from=2023-11-01&to=2023-11-30", headers={"accept-language": "ja"}
    ).content.decode()
    when = japanese.split('href="/meetings/wt-dlg-2023-11-14/')[0].rsplit('"when">', 1)[1]
    assert "2023年11月" in when and "2023年11月14日" not in when
    ics = usa_client.get("/calendar.ics?from=2023-11-01&to=2023-11-30").content.decode()
    unfolded = ics.replace("\r\n ", "").replace("\\;", ";").replace("\\,", ",")
    assert "November 2023; day not recorded" in unfolded


@pytest.mark.django_db
def test_the_ics_download_holds_the_dates_the_page_shows(usa_client: Client) -> None:
    html = usa_client.get("/calendar/?from=2023-01-01&to=2023-12-31").content.decode()
    link = re.search(r'href="(/calendar\.ics\?[^"]+)"', html)
    assert link is not None
    body = usa_client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert "UID:meeting-wt-dlg-2023-11-14@kizuna" in body
    assert "UID:meeting-wt-dlg-2022-07-29@kizuna" not in body  # before the page's dates
    assert "UID:deadline-wt-c1@kizuna" not in body  # due 2026-12-31, after them


@pytest.mark.django_db
def test_reversed_dates_are_named_not_shown_as_an_empty_calendar(usa_client: Client) -> None:
    html = usa_client.get("/calendar/?from=2026-12-31&to=2022-01-01").content.decode()
    assert "“From” is after “To”" in html and "Widen the dates" not in html


@pytest.mark.django_db
def test_a_round_known_to_the_month_or_year_is_kept_by_a_window_it_meets(
    usa_client: Client,
) -> None:
    """A window inside December 2023 left out the round recorded as "2023-11"… and one of
    its days; "2023" was left out of any window not starting on January 1."""
    from kizuna.registry.models import Meeting

    Meeting.objects.filter(pk="wt-dlg-2023-11-14").update(date="2023-11")
    html = usa_client.get("/calendar/?from=2023-11-20&to=2023-11-30").content.decode()
    assert 'href="/meetings/wt-dlg-2023-11-14/' in html
    Meeting.objects.filter(pk="wt-dlg-2023-11-14").update(date="2023", date_first="2023-01-01")
    html = usa_client.get("/calendar/?from=2023-06-01&to=2023-06-30").content.decode()
    assert 'href="/meetings/wt-dlg-2023-11-14/' in html
    assert "month and day not recorded" in html
    html = usa_client.get("/calendar/?from=2024-01-01&to=2024-06-30").content.decode()
    assert 'href="/meetings/wt-dlg-2023-11-14/' not in html


def _headings(html: str) -> list[tuple[str, list[str]]]:
    """Each month section's heading and the test workspace's meetings listed under it."""
    sections = re.findall(r'<h2 id="m-\d+">([^<]+)</h2>(.*?)</section>', html, re.S)
    listed = [(h, re.findall(r'href="/meetings/(wt-[^/]+)/', body)) for h, body in sections]
    return [(heading, meetings) for heading, meetings in listed if meetings]


@pytest.mark.django_db
def test_a_round_known_only_to_the_year_is_listed_under_the_year_not_january(
    jpn_client: Client,
) -> None:
    from kizuna.registry.models import Meeting

    Meeting.objects.filter(pk="wt-dlg-2023-11-14").update(date="2023", date_first="2023-01-01")
    window = "/calendar/?from=2023-01-01&to=2023-01-31"
    assert _headings(jpn_client.get(window).content.decode()) == [
        ("2023", ["wt-dlg-2023-11-14"]),
        ("January 2023", ["wt-dlg-2023-01-15"]),
    ]
    japanese = jpn_client.get(window, headers={"accept-language": "ja"}).content.decode()
    assert _headings(japanese) == [
        ("2023年", ["wt-dlg-2023-11-14"]),
        ("2023年1月", ["wt-dlg-2023-01-15"]),
    ]
    assert "2023年 <span" in japanese  # the round's own date, as the heading says it
    ics = jpn_client.get("/calendar.ics?from=2023-01-01&to=2023-01-31").content.decode()
    unfolded = ics.replace("\r\n ", "").replace("\\;", ";").replace("\\,", ",")
    assert "(2023; month and day not recorded)" in unfolded


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "?as_of=0001-01-01",
        "?as_of=9999-12-31",
        "?from=0001-01-01",
        "?to=9999-12-31",
        "?from=0001-01-01&to=9999-12-31",
    ],
)
def test_the_first_and_last_dates_there_are_reach_as_far_as_dates_go(
    usa_client: Client, query: str
) -> None:
    """Valid dates, so answered: the calendar's reach around them (and the year it reads
    back for a round known only to the year) stops at year 1 or 9999 instead of failing."""
    page = usa_client.get("/calendar/" + query)
    download = usa_client.get("/calendar.ics" + query)
    assert page.status_code == download.status_code == 200
    assert download.content.decode().startswith("BEGIN:VCALENDAR")
    if query == "?from=0001-01-01&to=9999-12-31":  # everything, then
        html = page.content.decode()
        assert 'href="/meetings/wt-dlg-2022-07-29/' in html
        assert 'href="/commitments/wt-c1/' in html


@pytest.mark.django_db
def test_a_long_commitment_ends_its_calendar_title_with_an_ellipsis(usa_client: Client) -> None:
    from kizuna.commitments.models import Commitment

    Commitment.objects.filter(pk="wt-c1").update(text="Build resilient chip supply chains " * 10)
    ics = usa_client.get("/calendar.ics?from=2026-12-01&to=2026-12-31").content.decode()
    unfolded = ics.replace("\r\n ", "")
    summary = next(line for line in unfolded.splitlines() if "Build resilient" in line)
    assert summary.startswith("SUMMARY:[WTED] Deadline: Build") and summary.endswith("…")
    assert len(summary) == len("SUMMARY:[WTED] Deadline: ") + 200
