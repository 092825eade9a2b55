"""One signing key for every process of a server run (`kizuna serve`, `kizuna demo`).

Without a configured SECRET_KEY each process draws its own; gunicorn's workers import the
settings each for itself, so a session one worker signed read as corrupt to the other and
signed the user out at random. `server_environment` hands the run's key to every worker.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings

from kizuna.core.management.commands.serve import server_environment

SIGN = "from django.core import signing; print(signing.dumps('one run, one key'))"
CHECK = (
    "import sys; from django.core import signing; print(signing.loads(sys.stdin.read().strip()))"
)


def _django(code: str, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh process with Django set up, as a gunicorn worker starts."""
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def _development(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    return env | {
        "DJANGO_SETTINGS_MODULE": "kizuna.settings",
        "KIZUNA_ENV": "development",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'kizuna.sqlite3'}",
        "KIZUNA_HOME": str(tmp_path),
    }


def test_the_server_environment_carries_this_process_signing_key() -> None:
    assert server_environment()["SECRET_KEY"] == settings.SECRET_KEY


def test_processes_started_with_the_server_environment_read_each_other_signatures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two worker processes of one development run: what one signs, the other must accept.
    for name, value in _development(tmp_path).items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    env = server_environment()
    signed = _django(SIGN, env)
    assert signed.returncode == 0, signed.stderr
    checked = _django(CHECK, env, stdin=signed.stdout)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.strip() == "one run, one key"


def test_processes_without_a_shared_key_do_not_read_each_other_signatures(
    tmp_path: Path,
) -> None:
    # What the fix is for: left to themselves, two development processes disagree.
    env = _development(tmp_path)
    signed = _django(SIGN, env)
    assert signed.returncode == 0, signed.stderr
    checked = _django(CHECK, env, stdin=signed.stdout)
    assert checked.returncode != 0
    assert "BadSignature" in checked.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(url: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"the server did not answer at {url}")


@pytest.mark.slow
def test_a_signed_in_user_stays_signed_in_across_the_workers_of_a_development_server(
    tmp_path: Path,
) -> None:
    env = _development(tmp_path)
    cli = [sys.executable, "-m", "kizuna.cli"]
    subprocess.run([*cli, "init"], env=env, check=True, capture_output=True, timeout=300)
    made = _django(
        "from kizuna.accounts.models import User; "
        "u = User(username='reader', government='USA', agency='state', role='reader'); "
        "u.set_password('a long enough passphrase 42'); u.save()",
        env,
    )
    assert made.returncode == 0, made.stderr
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [*cli, "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(f"{base}/healthz", time.monotonic() + 120)
        cookies = http.cookiejar.CookieJar()
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
        form = browser.open(f"{base}/accounts/login/", timeout=30).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
        assert token is not None
        fields = {
            "csrfmiddlewaretoken": token.group(1),
            "username": "reader",
            "password": "a long enough passphrase 42",
        }
        request = urllib.request.Request(
            f"{base}/accounts/login/",
            data=urllib.parse.urlencode(fields).encode(),
            headers={"Referer": f"{base}/accounts/login/"},
        )
        assert browser.open(request, timeout=30).url == f"{base}/"

        def landing(_: int) -> str:
            # Where a page the user may open ends up: itself, or the sign-in page.
            return str(browser.open(f"{base}/concerns/", timeout=30).url)

        # Several at once, so that both workers answer some of them.
        with ThreadPoolExecutor(max_workers=4) as pool:
            landed = list(pool.map(landing, range(40)))
        assert set(landed) == {f"{base}/concerns/"}
    finally:
        # Stopped as a service manager stops it: gunicorn and its workers go with it.
        server.terminate()
        server.wait(timeout=60)
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{base}/healthz", timeout=5)
