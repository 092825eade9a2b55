"""A small registry of its own for the ingestion tests (ids prefixed `t-`), and personas."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from django.test import Client

from kizuna.access.actor import Actor
from kizuna.accounts.models import User
from kizuna.dataset.loader import load_dataset

SOURCE = [{"title": "Ingestion test fixture", "publisher": "Kizuna tests", "date": "2024-01-01"}]
TOPICS = [
    "supply-chain-resilience",
    "critical-technology-protection",
    "clean-energy-technology",
    "energy-security",
    "two-way-investment",
    "research-cooperation",
]


def registry() -> dict[str, Any]:
    public = {"marking": "public", "sources": SOURCE}

    def dialogue(id_: str, name: str, acronym: str, parties: list[str], leads: dict) -> dict:
        return {
            "id": id_,
            **public,
            "name": name,
            "acronym": acronym,
            "kind": "ministerial-dialogue",
            "launched": "2021-01-01",
            "parties": parties,
            "leads": leads,
        }

    def meeting(dialogue_id: str, date: str, title: str) -> dict:
        return {
            "id": f"{dialogue_id}-{date}",
            **public,
            "dialogue": dialogue_id,
            "title": title,
            "date": date,
            "level": "ministerial",
        }

    return {
        "governments": [
            {"id": "USA", "name": "United States", "name_ja": "アメリカ合衆国"},
            {"id": "JPN", "name": "Japan", "name_ja": "日本"},
            {"id": "EUU", "name": "European Union", "name_ja": "欧州連合"},
        ],
        "agencies": [
            {
                "id": "t-commerce",
                "government": "USA",
                "acronym": "T-DOC",
                "name": "Test Commerce Department",
            },
            {"id": "t-ustr", "government": "USA", "acronym": "T-USTR", "name": "Test Trade Office"},
            {
                "id": "t-meti",
                "government": "JPN",
                "acronym": "T-METI",
                "name": "Test Economy Ministry",
            },
            {"id": "t-ec", "government": "EUU", "acronym": "T-EC", "name": "Test Commission"},
        ],
        "topics": [{"id": slug, "name": slug.replace("-", " "), "parent": None} for slug in TOPICS],
        "dialogues": [
            dialogue(
                "t-ted",
                "Test Economic Dialogue",
                "TED",
                ["USA", "JPN"],
                {"USA": ["t-commerce"], "JPN": ["t-meti"]},
            ),
            dialogue(
                "t-ttc",
                "Trade and Technology Council",
                "TTC",
                ["USA", "EUU"],
                {"USA": ["t-commerce"], "EUU": ["t-ec"]},
            ),
            dialogue(
                "t-hled",
                "Japan-EU High-Level Economic Dialogue",
                "",
                ["JPN", "EUU"],
                {"JPN": ["t-meti"], "EUU": ["t-ec"]},
            ),
        ],
        "meetings": [
            meeting("t-ted", "2024-06-26", "Test Economic Dialogue, second round"),
            meeting("t-ttc", "2023-05-31", "TTC ministerial, Luleå"),
            meeting("t-ttc", "2024-04-05", "TTC ministerial, Leuven"),
            meeting("t-hled", "2024-05-02", "Fifth Japan-EU High-Level Economic Dialogue"),
        ],
        "commitments": [
            {
                "id": "t-c-existing",
                **public,
                "text": "The two sides will establish a joint task force on semiconductor supply chain resilience.",
                "dialogue": "t-ted",
                "made_on": "2023-01-01",
                "parties": ["USA", "JPN"],
                "owners": {"USA": ["t-commerce"], "JPN": ["t-meti"]},
            }
        ],
    }


@pytest.fixture
def registry_loaded(tmp_path: Path, db: None) -> None:
    path = tmp_path / "registry.yaml"
    path.write_text(yaml.safe_dump(registry(), allow_unicode=True), encoding="utf-8")
    load_dataset([path], actor=Actor.operator())


def make_user(username: str, government: str, agency: str, role: str) -> User:
    return User.objects.create(username=username, government=government, agency=agency, role=role)


@pytest.fixture
def usa_desk(registry_loaded: None) -> User:
    return make_user("t-usa-desk", "USA", "t-commerce", "desk-officer")


@pytest.fixture
def jpn_desk(registry_loaded: None) -> User:
    return make_user("t-jpn-desk", "JPN", "t-meti", "desk-officer")


@pytest.fixture
def usa_reader(registry_loaded: None) -> User:
    return make_user("t-usa-reader", "USA", "t-ustr", "reader")


@pytest.fixture
def usa_actor(usa_desk: User) -> Actor:
    return Actor.from_user(usa_desk)


@pytest.fixture
def usa_client(usa_desk: User) -> Client:
    client = Client()
    client.force_login(usa_desk)
    return client


@pytest.fixture(autouse=True)
def _worker_keeps_the_test_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker loop recycles database connections between tasks, as a request would.

    Inside a test's rolled-back transaction that would close the connection the test is
    using (on PostgreSQL), so in-process worker runs keep it; the subprocess tests in
    test_crash.py run the loop unchanged.
    """
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
