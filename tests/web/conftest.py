"""A small workspace of its own for the web tests, so they pass whatever the demo holds.

Every id starts with `wt-` so that nothing collides with the demo's records; each test
runs in a transaction that is rolled back, so loading it again per test is safe.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.servers.basehttp import WSGIServer
from django.test import Client
from django.test.testcases import LiveServerThread

from kizuna.access.actor import Actor
from kizuna.accounts.models import User
from kizuna.dataset.loader import load_dataset

SOURCE = [{"title": "Web test fixture", "publisher": "Kizuna tests", "date": "2024-01-01"}]
PASSAGE = "The two sides will build a resilient chip supply chain by 2026."
DOCUMENT_TEXT = f"Joint statement of the first round.\n\n{PASSAGE}\n\nThey will meet again."


def workspace(extra_commitments: int = 0) -> dict[str, Any]:
    """The records: two governments, a dialogue with a child and a later one, two rounds."""
    public = {"marking": "public", "sources": SOURCE}
    commitments: list[dict[str, Any]] = [
        {
            "id": "wt-c1",
            **public,
            "text": "Build a resilient chip supply chain.",
            "dialogue": "wt-dlg",
            "meeting": "wt-dlg-2022-07-29",
            "document": "wt-doc-r1",
            "passage": PASSAGE,
            "made_on": "2022-07-29",
            "parties": ["USA", "JPN"],
            "owners": {"USA": ["wt-doc"], "JPN": ["wt-meti"]},
            "deadline": {"text": "by 2026", "earliest": "2026-01-01", "latest": "2026-12-31"},
            "topics": ["wt-chips"],
            "sectors": ["wt-semis"],
        },
        {
            "id": "wt-c2",
            **public,
            "text": '=HYPERLINK("x") Exchange export-control information.',
            "dialogue": "wt-dlg",
            "meeting": "wt-dlg-2023-11-14",
            "made_on": "2023-11-14",
            "parties": ["USA"],
            "owners": {"USA": ["wt-doc"]},
            "lifecycle": "superseded",
            "lifecycle_target": "wt-c1",
        },
        {
            "id": "wt-c-jpn-internal",
            "marking": "government-internal",
            "owner": {"government": "JPN", "agency": "wt-meti"},
            "sources": SOURCE,
            "illustrative": True,
            "text": "Internal target: brief the minister before the next round.",
            "dialogue": "wt-dlg",
            "made_on": "2022-08-01",
            "parties": ["JPN"],
            "owners": {"JPN": ["wt-meti"]},
        },
    ]
    commitments += [
        {
            "id": f"wt-bulk-{i}",
            **public,
            "text": f"Bulk commitment number {i}.",
            "dialogue": "wt-dlg",
            "meeting": "wt-dlg-2022-07-29",
            "made_on": "2022-07-29",
            "parties": ["USA", "JPN"],
            "owners": {"USA": ["wt-doc"], "JPN": ["wt-meti"]},
            "topics": ["wt-chips"],
        }
        for i in range(extra_commitments)
    ]
    assessments = [
        {
            "id": "wt-a1",
            **public,
            "illustrative": True,
            "commitment": "wt-c1",
            "party": "USA",
            "as_of": "2023-01-10",
            "status": "delivered",
            "score": 1,
            "completion": "complete",
            "evidence": "Fab opened.",
            "reviews": [
                {
                    "party": "JPN",
                    "verdict": "contested",
                    "reason": "Not yet producing.",
                    "on": "2023-02-01",
                }
            ],
        },
        {
            "id": "wt-a2",
            **public,
            "illustrative": True,
            "commitment": "wt-c1",
            "party": "JPN",
            "as_of": "2023-01-10",
            "status": "in-progress",
            "score": 0,
            "completion": "limited",
            "evidence": "Subsidy law passed.",
        },
    ]
    assessments += [
        {
            "id": f"wt-bulk-a-{i}-{party}",
            **public,
            "commitment": f"wt-bulk-{i}",
            "party": party,
            "as_of": "2023-01-10",
            "status": "in-progress",
        }
        for i in range(extra_commitments)
        for party in ("USA", "JPN")
    ]
    return {
        "governments": [
            {"id": "USA", "name": "United States", "name_ja": "アメリカ合衆国"},
            {"id": "JPN", "name": "Japan", "name_ja": "日本"},
        ],
        "agencies": [
            {
                "id": "wt-doc",
                "government": "USA",
                "acronym": "WT-DOC",
                "name": "Test Department of Commerce",
                "name_ja": "テスト商務省",
                "kind": "ministry",
            },
            {
                "id": "wt-meti",
                "government": "JPN",
                "acronym": "WT-METI",
                "name": "Test Ministry of Economy",
                "name_ja": "テスト経済産業省",
                "kind": "ministry",
            },
        ],
        "topics": [
            {"id": "wt-chips", "name": "Test chips", "name_ja": "テスト半導体", "parent": None}
        ],
        "sectors": [
            {"id": "wt-semis", "name": "Test semiconductors", "name_ja": "テスト半導体産業"}
        ],
        "dialogues": [
            {
                "id": "wt-dlg",
                **public,
                "name": "Test Economic Dialogue",
                "name_ja": "テスト経済対話",
                "acronym": "WTED",
                "kind": "ministerial-dialogue",
                "launched": "2021-11-15",
                "parties": ["USA", "JPN"],
                "leads": {"USA": ["wt-doc"], "JPN": ["wt-meti"]},
            },
            {
                "id": "wt-child",
                **public,
                "name": "Test Working Group",
                "name_ja": "テスト作業部会",
                "kind": "working-group",
                "parent": "wt-dlg",
                "launched": "2022-01-21",
                "parties": ["USA", "JPN"],
                "leads": {"USA": ["wt-doc"], "JPN": ["wt-meti"]},
            },
            {
                "id": "wt-later",
                **public,
                "name": "Test Later Partnership",
                "kind": "task-force",
                "launched": "2023-05-01",
                "parties": ["USA", "JPN"],
                "leads": {"USA": ["wt-doc"], "JPN": ["wt-meti"]},
            },
        ],
        "pillars": [
            {
                "id": "wt-dlg-p1",
                **public,
                "dialogue": "wt-dlg",
                "number": 1,
                "name": "Test supply chains pillar",
                "leads": {"USA": ["wt-doc"]},
            }
        ],
        "counterpart_pairs": [
            {
                "id": "wt-pair",
                **public,
                "agencies": ["wt-doc", "wt-meti"],
                "dialogue": "wt-dlg",
                "note": "Working-level counterparts.",
            }
        ],
        "meetings": [
            {
                "id": "wt-dlg-2022-07-29",
                **public,
                "dialogue": "wt-dlg",
                "round": 1,
                "title": "Test dialogue, first round",
                "title_ja": "テスト対話 第1回",
                "date": "2022-07-29",
                "level": "ministerial",
                "place": "Washington",
                "place_ja": "ワシントン",
                "participants": [{"name": "A. Minister", "agency": "wt-meti", "role": "co-chair"}],
            },
            {
                "id": "wt-dlg-2023-01-15",
                "marking": "government-internal",
                "owner": {"government": "JPN", "agency": "wt-meti"},
                "sources": SOURCE,
                "dialogue": "wt-dlg",
                "title": "JPN-only preparatory meeting",
                "date": "2023-01-15",
                "level": "working",
            },
            {
                "id": "wt-dlg-2023-11-14",
                **public,
                "dialogue": "wt-dlg",
                "round": 2,
                "title": "Test dialogue, second round",
                "date": "2023-11-14",
                "level": "ministerial",
                "place": "San Francisco",
            },
        ],
        "agenda_items": [
            {
                "id": "wt-ai-r1",
                **public,
                "dialogue": "wt-dlg",
                "meeting": "wt-dlg-2022-07-29",
                "title": "Chip supply chains",
                "title_ja": "半導体サプライチェーン",
                "topics": ["wt-chips"],
            },
            {
                "id": "wt-ai-r2",
                **public,
                "dialogue": "wt-dlg",
                "meeting": "wt-dlg-2023-11-14",
                "title": "Chip supply chains, follow-up",
                "topics": ["wt-chips"],
                "carried_from": "wt-ai-r1",
            },
        ],
        "documents": [
            {
                "id": "wt-doc-r1",
                **public,
                "title": "Test joint statement, first round",
                "date": "2022-07-29",
                "language": "en",
                "kind": "joint-statement",
                "dialogue": "wt-dlg",
                "meeting": "wt-dlg-2022-07-29",
                "text": DOCUMENT_TEXT,
            },
        ],
        "commitments": commitments,
        "assessments": assessments,
        "notes": [
            {
                "id": "wt-note-jpn",
                "marking": "government-internal",
                "owner": {"government": "JPN", "agency": "wt-meti"},
                "illustrative": True,
                "commitment": "wt-c1",
                "text": "JPN only: press METI for the fab timeline.",
                "written_on": "2023-03-01",
                "target_date": "2023-06-30",
            },
        ],
        "concerns": [
            {
                "id": "wt-concern",
                **public,
                "title": "Test steel tariffs",
                "title_ja": "テスト鉄鋼関税",
                "raised_by": "JPN",
                "about": "USA",
                "measure": "Section 232 duties",
                "dialogue": "wt-dlg",
                "raised_at": ["wt-dlg-2022-07-29"],
                "first_raised": "2022-07-29",
                "status": "open",
            },
        ],
    }


@pytest.fixture
def load_workspace(tmp_path: Path, db: None) -> Callable[..., None]:
    def load(extra_commitments: int = 0) -> None:
        path = tmp_path / f"workspace-{extra_commitments}.yaml"
        path.write_text(yaml.safe_dump(workspace(extra_commitments), allow_unicode=True))
        load_dataset([path], actor=Actor.operator())

    return load


@pytest.fixture
def workspace_loaded(load_workspace: Callable[..., None]) -> None:
    load_workspace()


def _user(username: str, government: str, agency: str, role: str = "desk-officer") -> User:
    return User.objects.create(username=username, government=government, agency=agency, role=role)


@pytest.fixture
def usa_client(workspace_loaded: None) -> Client:
    client = Client()
    client.force_login(_user("wt-usa-desk", "USA", "wt-doc"))
    return client


@pytest.fixture
def jpn_client(workspace_loaded: None) -> Client:
    client = Client()
    client.force_login(_user("wt-jpn-desk", "JPN", "wt-meti"))
    return client


class SerialWSGIServer(WSGIServer):
    """A live server that answers one request at a time, closing each connection after it.

    With the in-memory SQLite test database, every request thread of Django's threaded live
    server shares the test's one connection: a page and the htmx fetch it starts, answered at
    once, collide on it ("cannot start a transaction within a transaction").
    """

    def __init__(self, *args: Any, connections_override: Any = None, **kwargs: Any) -> None:
        # The server thread itself already uses the overriding connections.
        super().__init__(*args, **kwargs)


@pytest.fixture(scope="session", autouse=True)
def _live_server_answers_one_request_at_a_time() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LiveServerThread, "server_class", SerialWSGIServer)
        yield
