"""A visible commitment that cites a hidden meeting or document does not reveal them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from kizuna.access.actor import Actor
from kizuna.accounts.services import user_add
from kizuna.dataset.loader import load_dataset
from kizuna.registry.models import Agency

WORKSPACE = Path(__file__).resolve().parents[1] / "api" / "data" / "workspace.yaml"
PASSWORD = "a-long-demo-passphrase-42"


@pytest.mark.django_db
def test_the_commitment_page_hides_a_cited_internal_meeting_and_document(client: Client) -> None:
    load_dataset([WORKSPACE], actor=Actor.operator())
    known = dict(Agency.objects.values_list("id", "government_id"))
    user_add(
        actor=Actor.operator(),
        username="t-hr-desk",
        government="USA",
        agency="commerce",
        role="desk-officer",
        password=PASSWORD,
        known_agencies=known,
    )
    client.post("/accounts/login/", {"username": "t-hr-desk", "password": PASSWORD})
    response: Any = client.get("/commitments/api-c-hidden-refs/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "A shared commitment whose meeting and document are internal" in body
    assert "push for an early semiconductor roadmap" not in body
    assert "api-partnership-2023-02-01" not in body
