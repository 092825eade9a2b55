"""Handling banners: the text each deployment prints for each of Kizuna's markings.

SECURITY.md: each deployment maps our markings to its own handling banners in a setting.
`KIZUNA_MARKING_BANNERS` holds that map, as JSON (`{"shared": "CUI"}`) or as
`slug=TEXT;slug=TEXT`; a marking it leaves out keeps its default banner. This module
imports nothing from Django, so settings.py can parse the value at start-up and refuse a
malformed one there, before any brief is printed with a wrong banner.
"""

from __future__ import annotations

import json

from kizuna.env import ConfigurationError

# The marking slugs (kizuna.registry.records.Marking, least restrictive first; a test
# keeps the two lists equal) and the banner printed when the deployment names none.
DEFAULT_BANNERS: dict[str, str] = {
    "public": "PUBLIC",
    "shared": "SHARED — NOT FOR PUBLIC RELEASE",
    "government-internal": "GOVERNMENT INTERNAL",
    "agency-internal": "AGENCY INTERNAL",
}
# The defaults in Japanese. The Japanese edition prints a default banner in both languages
# ("共有・公表不可 / SHARED — NOT FOR PUBLIC RELEASE"), so that the officials of either
# government read the handling rule on the same sheet; a deployment's own banner is a
# control its security office wrote, and is printed exactly as written.
DEFAULT_BANNERS_JA: dict[str, str] = {
    "public": "公開",
    "shared": "共有・公表不可",
    "government-internal": "政府内限り",
    "agency-internal": "省庁内限り",  # the label the pages use for this marking
}
MAX_BANNER = 200


def banner_for(marking: str, banners: dict[str, str], language: str) -> str:
    """The banner to print for `marking` in an edition in `language` ("en", "ja", …)."""
    banner = banners.get(marking) or DEFAULT_BANNERS.get(marking) or marking.upper()
    if language.startswith("ja") and banner == DEFAULT_BANNERS.get(marking):
        return f"{DEFAULT_BANNERS_JA[marking]} / {banner}"
    return banner


def parse_marking_banners(name: str, raw: str) -> dict[str, str]:
    """The banner for every marking: the defaults, overridden by `raw` (JSON or `slug=TEXT;…`)."""
    banners = dict(DEFAULT_BANNERS)
    text = raw.strip()
    if not text:
        return banners
    given: dict[str, object]
    if text.startswith(("{", "[")):
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigurationError(f"{name}: not valid JSON: {exc}") from exc
        if not isinstance(loaded, dict):
            raise ConfigurationError(f"{name}: expected a JSON object of marking: banner")
        given = loaded
    else:
        given = {}
        for part in text.split(";"):
            if not part.strip():
                continue
            slug, sep, banner = part.partition("=")
            if not sep:
                raise ConfigurationError(f"{name}: expected slug=TEXT, got {part.strip()!r}")
            given[slug.strip()] = banner.strip()
    for slug, value in given.items():
        if slug not in DEFAULT_BANNERS:
            known = ", ".join(DEFAULT_BANNERS)
            raise ConfigurationError(f"{name}: unknown marking {slug!r} (known: {known})")
        if not isinstance(value, str) or not value.strip():
            raise ConfigurationError(f"{name}: the banner for {slug!r} must be non-empty text")
        banner = value.strip()
        if len(banner) > MAX_BANNER or any(c in banner for c in "\n\r"):
            raise ConfigurationError(
                f"{name}: the banner for {slug!r} must be one line of at most {MAX_BANNER} characters"
            )
        banners[slug] = banner
    return banners
