"""Generated passwords: the validators never refuse a password nobody chose."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest

from kizuna.access.actor import Actor
from kizuna.accounts import personas
from kizuna.accounts.models import User
from kizuna.accounts.services import AccountError, generated_password, user_add

# The draw that failed a CI run: similar enough to "api-usa-reader" for Django's check.
REFUSED_DRAW = "dAA0rUeh-are7I9DtPA5"


def draws(monkeypatch: pytest.MonkeyPatch, values: list[str]) -> Iterator[str]:
    """Make secrets.token_urlsafe return `values` in turn, as an unlucky run would."""
    queue = iter(values)
    monkeypatch.setattr(secrets, "token_urlsafe", lambda _n: next(queue))
    return queue


def test_a_draw_too_like_the_username_is_drawn_again(monkeypatch: pytest.MonkeyPatch) -> None:
    draws(monkeypatch, [REFUSED_DRAW, "Kq7vR2mXw9LpZt4sYb8N"])
    assert generated_password(User(username="api-usa-reader")) == "Kq7vR2mXw9LpZt4sYb8N"


@pytest.mark.django_db
def test_user_add_survives_the_draw_that_failed_ci(
    monkeypatch: pytest.MonkeyPatch, agencies: dict[str, str]
) -> None:
    draws(monkeypatch, [REFUSED_DRAW, "Kq7vR2mXw9LpZt4sYb8N"])
    _user, password = user_add(
        actor=Actor.operator(),
        username="api-usa-reader",
        government="USA",
        agency="state",
        role="reader",
        known_agencies=agencies,
    )
    assert password == "Kq7vR2mXw9LpZt4sYb8N"
    assert User.objects.get(username="api-usa-reader").check_password(password)


def test_validators_that_refuse_everything_give_a_clear_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    draws(monkeypatch, ["short"] * 100)
    with pytest.raises(AccountError, match="no random password passed the validators"):
        generated_password(User(username="someone"))


def test_the_demo_password_suits_every_persona(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KIZUNA_DEMO_PASSWORD", raising=False)
    draws(monkeypatch, ["usa-desk-officer-2x", "Kq7vR2mXw9LpZt4sYb8N"])
    assert personas.demo_password() == "Kq7vR2mXw9LpZt4sYb8N"
    assert "usa-desk-officer-2" in personas.persona_usernames()
    assert len(personas.persona_usernames()) == 10


def test_an_unset_environment_draws_a_different_password_each_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("KIZUNA_DEMO_PASSWORD", raising=False)
    assert personas.demo_password() != personas.demo_password()


def test_a_chosen_demo_password_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIZUNA_DEMO_PASSWORD", "an-operator-chosen-phrase")
    assert personas.demo_password() == "an-operator-chosen-phrase"
