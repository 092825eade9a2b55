"""Chart specs for templates whose view already has the data (the home page's status rows),
so the chart needs no change to the view: the spec itself is built in `briefings.render`."""

from __future__ import annotations

from typing import Any

from django import template

from kizuna.briefings.render import status_spec
from kizuna.commitments.selectors import StatusRow

register = template.Library()


@register.simple_tag
def status_chart_spec(rows: list[StatusRow], statuses: list[str]) -> dict[str, Any] | None:
    """`{% status_chart_spec overview.status_rows statuses as spec %}`: None when there is nothing
    to draw, so the template shows the table alone."""
    if not any(row.total for row in rows):
        return None
    return status_spec(rows, statuses)
