"""The access rule, written once (SECURITY.md, "Who may see what").

Filters are built from the fields every record carries by convention (marking,
owner_government, owner_agency, audience, shared_with), so this module knows no
domain app. `visible_to(actor, action)` on every record queryset calls `record_filter`.
"""

from __future__ import annotations

from enum import StrEnum

from django.conf import settings
from django.db.models import Q

from kizuna.access.actor import Actor


class Action(StrEnum):
    VIEW = "view"
    CHANGE = "change"


# Roles that may write records owned by their agency (coordinators: by their government).
WRITER_ROLES = {"desk-officer", "coordinator"}


def _nothing() -> Q:
    return Q(pk__in=[])


def view_filter(actor: Actor) -> Q:
    if actor.is_operator:
        return Q()
    if actor.is_anonymous or not actor.government:
        return Q(marking="public") if settings.KIZUNA_PUBLIC_READ else _nothing()
    own_government = Q(owner_government_id=actor.government)
    agency_scope = Q(owner_agency_id=actor.agency) | Q(shared_with__contains=f"|{actor.agency}|")
    if actor.role == "coordinator":
        agency_scope |= own_government
    return (
        Q(marking="public")
        | Q(marking="shared") & (own_government | Q(audience__contains=f"|{actor.government}|"))
        | Q(marking="government-internal") & own_government
        | Q(marking="agency-internal") & agency_scope
    )


def change_filter(actor: Actor) -> Q:
    """Records the actor may edit: its agency's (desk officer) or its government's (coordinator)."""
    if actor.is_operator:
        return Q()
    if actor.role == "coordinator":
        return Q(owner_government_id=actor.government) & view_filter(actor)
    if actor.role == "desk-officer":
        return Q(owner_agency_id=actor.agency) & view_filter(actor)
    return _nothing()


def record_filter(actor: Actor, action: Action | str = Action.VIEW) -> Q:
    if Action(action) == Action.CHANGE:
        return change_filter(actor)
    return view_filter(actor)
