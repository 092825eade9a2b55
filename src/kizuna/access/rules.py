"""The access rule, written once (SECURITY.md, "Who may see what").

Filters are built from the fields every record carries by convention (marking,
owner_government, owner_agency, audience, shared_with), so this module knows no
domain app. `visible_to(actor, action)` on every record queryset calls `record_filter`.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db.models import BooleanField, Expression, Q
from django.db.models.sql import Query

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


class AccessRule(Expression):
    """`record_filter` as one WHERE condition whose SQL is compiled once, then reused.

    Every read goes through the rule, often in subqueries, and Django compiles its dozen
    lookups anew each time: a third of a detail page's time at scale
    (benchmarks/bench_pages.py). The rule's SQL depends only on the model, the table alias
    it is written against, the actor, the action, the database and the public-read
    setting, so it is compiled from `record_filter` the first time and copied after that.
    It is the SQL the ORM writes for the Q, kept bracketed as one condition where the ORM
    would merge an AND into the query's own (tests/access/test_compiled_rule.py).
    """

    conditional = True
    output_field = BooleanField()

    def __init__(self, actor: Actor, action: Action, model: Any = None, alias: str = "") -> None:
        super().__init__()
        self.actor, self.action, self.model, self.alias = actor, action, model, alias

    def resolve_expression(self, query: Any = None, *args: Any, **kwargs: Any) -> AccessRule:
        # Written against the base table of the query it filters.
        return AccessRule(self.actor, self.action, query.model, query.get_initial_alias())

    def relabeled_clone(self, change_map: Mapping[str, str]) -> AccessRule:
        # The query became a subquery (or was combined) and its tables were renamed.
        alias = change_map.get(self.alias, self.alias)
        return AccessRule(self.actor, self.action, self.model, alias)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        public_read = bool(settings.KIZUNA_PUBLIC_READ)  # read by the rule: part of the key
        key = (self.model, self.alias, self.actor, self.action, connection.vendor, public_read)
        compiled = _compiled.get(key)
        if compiled is None:
            if len(_compiled) >= COMPILED_RULES_KEPT:
                _compiled.clear()
            compiled = _compiled[key] = self._compile(compiler)
        if compiled is NOTHING:
            raise EmptyResultSet  # the rule lets nothing through: no query is sent
        return compiled

    def _compile(self, compiler: Any) -> tuple[str, tuple[Any, ...]]:
        query = Query(self.model)
        query.add_q(record_filter(self.actor, self.action))
        where = query.where.relabeled_clone({query.get_initial_alias(): self.alias})
        try:
            sql, params = compiler.compile(where)
        except EmptyResultSet:
            return NOTHING
        # Already bracketed where it has parts (a WHERE node brackets its OR and AND); an
        # operator's rule is empty: no condition, which the WHERE clause leaves out.
        return sql, tuple(params)


# Compiled rules kept: one per model, alias, actor and action in use; a bound, not a size
# expected to be reached (20 models x a few aliases x the actors of a busy day).
COMPILED_RULES_KEPT = 20_000
NOTHING: tuple[str, tuple[Any, ...]] = ("<nothing>", ())
_compiled: dict[tuple[Any, ...], tuple[str, tuple[Any, ...]]] = {}
