"""Schemathesis against the OpenAPI schema, once per persona token, every check on.

Besides schemathesis's own checks, every response is searched for the id of any record
the persona may not see: such an id must never appear, in any field of any answer.
Bounded: MAX_EXAMPLES generated cases per operation and generation mode (positive and
negative), plus every known record id on each detail operation.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode

from kizuna.access.actor import Actor
from kizuna.dataset.kinds import KINDS

from .conftest import PERSONAS, Persona

MAX_EXAMPLES = 20

# Business rules the schema cannot state (an assessment may not be dated in the future, an
# owner agency must belong to its party …) answer 422 with the field named; for schemathesis
# a schema-valid request answered 422 is then expected, not a failure.
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "401", "403", "404", "409", "422", "429"]
            },
            # Off: a query parameter is text on the wire, and schemathesis's "invalid" objects
            # for a string filter arrive as their Python repr, a valid string (it flagged
            # `/review?document={'…': []}` answered 200). Wrong types in bodies, unknown and
            # repeated parameters and NUL are refused by tests of their own (test_api.py).
            "negative_data_rejection": {"enabled": False},
        }
    }
)

# Detail operations and the list whose ids they take.
DETAIL_PATHS = {
    "/api/v1/dialogues/{record_id}": ("dialogues", "record_id"),
    "/api/v1/meetings/{record_id}": ("meetings", "record_id"),
    "/api/v1/commitments/{commitment_id}": ("commitments", "commitment_id"),
    "/api/v1/assessments/{assessment_id}": ("assessments", "assessment_id"),
    "/api/v1/documents/{record_id}": ("documents", "record_id"),
    "/api/v1/concerns/{record_id}": ("concerns", "record_id"),
}


@pytest.fixture
def wsgi_app() -> Iterator[Any]:
    # A real WSGI handler closes the connection when each request ends, which would end the
    # test's transaction; Django's own test client detaches the same signal handlers.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def all_ids() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for kind in KINDS:
        if kind.is_record:
            manager: Any = kind.model._default_manager
            found[kind.list_name] = {str(pk) for pk in manager.values_list("pk", flat=True)}
    return found


def hidden_ids(actor: Actor) -> set[str]:
    hidden: set[str] = set()
    for kind in KINDS:
        if kind.is_record:
            manager: Any = kind.model._default_manager
            every = set(manager.values_list("pk", flat=True))
            visible = set(manager.visible_to(actor).values_list("pk", flat=True))
            hidden |= {str(pk) for pk in every - visible}
    return hidden


def strings_in(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def response_strings(response: Any) -> set[str]:
    try:
        return set(strings_in(json.loads(response.content)))
    except (ValueError, UnicodeDecodeError):
        return set()


@pytest.mark.slow
@pytest.mark.parametrize("username", list(PERSONAS))
def test_schemathesis_per_persona(
    username: str, personas: dict[str, Persona], settings: Any, wsgi_app: Any
) -> None:
    # The run makes more requests than a person would; the limits have their own test.
    settings.KIZUNA_API_RATE_PER_TOKEN = 0
    settings.KIZUNA_API_RATE_PER_IP = 0
    persona = personas[username]
    actor = Actor.from_user(persona.user)
    headers = {"Authorization": f"Bearer {persona.token}"}
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json", wsgi_app, headers=headers, config=CONFIG
    )
    assert hidden_ids(actor), "the workspace must hide something from every persona"
    failures: list[str] = []
    calls = 0
    hidden: set[str] | None = None  # recomputed after each successful write

    def check(case: Any) -> None:
        nonlocal calls, hidden
        calls += 1
        response = case.call(headers=headers)
        if case.method != "GET" and response.status_code < 300:
            hidden = None
        case.validate_response(response, headers=headers, transport_kwargs={"headers": headers})
        if hidden is None:
            hidden = hidden_ids(actor)
        shown = response_strings(response) & hidden
        assert not shown, f"{case.method} {case.formatted_path}: hidden ids {sorted(shown)}"

    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 18
    paths = {operation.path for operation in operations}
    assert set(DETAIL_PATHS) <= paths, "every detail operation gets every known id"
    known = all_ids()
    for operation in operations:
        label = f"{operation.method.upper()} {operation.path}"
        # Every known id, visible or hidden, on each detail operation: 200 or 404, no leak.
        if operation.method == "get" and operation.path in DETAIL_PATHS:
            list_name, parameter = DETAIL_PATHS[operation.path]
            for record_id in sorted(known[list_name]):
                try:
                    check(operation.Case(path_parameters={parameter: record_id}))
                except AssertionError as exc:
                    failures.append(f"{label} [{record_id}]: {exc}")
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @hypothesis_settings(
                max_examples=MAX_EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case: Any) -> None:
                check(case)

            try:
                run()
            except BaseException as exc:  # collect every operation's failures, report them all
                if isinstance(exc, KeyboardInterrupt):
                    raise
                failures.append(f"{label} ({mode.value}): {exc}")
    assert calls > 200
    assert failures == [], "\n\n".join(failures)
