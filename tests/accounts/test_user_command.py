from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from kizuna.accounts.models import User
from kizuna.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("user", *args, stdout=out)
    return out.getvalue()


def test_add_prints_a_generated_password_and_audits(agencies: Any) -> None:
    before = AuditEntry.objects.count()
    output = run("add", "t-new", "--government", "USA", "--agency", "state", "--role", "reader")
    assert "Password: " in output
    user = User.objects.get(username="t-new")
    assert (user.government, user.agency, user.role) == ("USA", "state", "reader")
    assert AuditEntry.objects.count() == before + 1
    assert AuditEntry.objects.order_by("-sequence").first().action == "user.add"  # type: ignore[union-attr]


def test_add_refuses_an_agency_of_another_government(agencies: Any) -> None:
    with pytest.raises(CommandError, match="not an agency of USA"):
        run("add", "t-bad", "--government", "USA", "--agency", "meti", "--role", "reader")
    assert not User.objects.filter(username="t-bad").exists()


def test_add_refuses_a_short_password(agencies: Any) -> None:
    with pytest.raises(CommandError, match="too short"):
        run(
            "add",
            "t-bad",
            "--government",
            "USA",
            "--agency",
            "state",
            "--role",
            "reader",
            "--password",
            "short1",
        )
    assert not User.objects.filter(username="t-bad").exists()


def test_add_refuses_a_common_password(agencies: Any) -> None:
    with pytest.raises(CommandError, match="too common"):
        run(
            "add",
            "t-bad",
            "--government",
            "USA",
            "--agency",
            "state",
            "--role",
            "reader",
            "--password",
            "password1234",
        )


def test_disable_and_set_role(desk_officer: User) -> None:
    run("set-role", "t-desk", "coordinator")
    assert User.objects.get(username="t-desk").role == "coordinator"
    run("disable", "t-desk")
    assert not User.objects.get(username="t-desk").is_active
    actions = list(AuditEntry.objects.order_by("-sequence").values_list("action", flat=True)[:2])
    assert actions == ["user.disable", "user.set-role"]


def test_enable_lets_a_disabled_user_sign_in_again(desk_officer: User) -> None:
    run("disable", "t-desk")
    before = AuditEntry.objects.count()
    run("disable", "t-desk")  # already disabled: nothing recorded
    assert AuditEntry.objects.count() == before
    assert run("enable", "t-desk").strip() == "Enabled t-desk"
    assert User.objects.get(username="t-desk").is_active
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert entry is not None and AuditEntry.objects.count() == before + 1
    assert (entry.action, entry.object_id) == ("user.enable", "t-desk")
    assert entry.actor_name.startswith("operator:")
    assert (entry.before["is_active"], entry.after["is_active"]) == (False, True)
    # Enabling an active user changes and records nothing.
    run("enable", "t-desk")
    assert AuditEntry.objects.count() == before + 1


def test_unknown_user_is_a_clear_error(db: Any) -> None:
    with pytest.raises(CommandError, match="no user named 'ghost'"):
        run("disable", "ghost")
    with pytest.raises(CommandError, match="no user named 'ghost'"):
        run("enable", "ghost")


def test_reset_second_factor_forgets_the_authenticator(desk_officer: User) -> None:
    TOTPDevice.objects.create(user=desk_officer, name="phone", confirmed=True)
    before = AuditEntry.objects.count()
    out = run("reset-second-factor", "t-desk")
    assert out.strip() == "t-desk sets up a new authenticator at the next sign-in"
    assert not TOTPDevice.objects.filter(user=desk_officer).exists()
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert entry is not None and AuditEntry.objects.count() == before + 1
    assert (entry.action, entry.object_id) == ("user.reset-second-factor", "t-desk")
    # None left: nothing done, nothing recorded.
    assert (
        run("reset-second-factor", "t-desk").strip() == "t-desk has no authenticator; nothing done"
    )
    assert AuditEntry.objects.count() == before + 1


def test_enable_of_an_unknown_user_exits_non_zero(db: Any, capsys: Any) -> None:
    from kizuna.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["user", "enable", "ghost"])
    assert exited.value.code != 0
    assert "no user named 'ghost'" in capsys.readouterr().err
