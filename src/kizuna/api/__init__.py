"""Kizuna's REST API (/api/v1/): a thin front over the same selectors and services as the web."""
