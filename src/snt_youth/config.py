"""Service configuration: teams, champions, support services, safeguarding routes,
suggested support, disclosure control and retention.

The configuration is a TOML file a service edits. The shipped default
(``data/service.toml``) is generic. ``SNT_YOUTH_CONFIG`` or ``--config`` points at a
service's own file. Loading validates everything and names the file, key and
problem on the first error; nothing is half-loaded.
"""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path
from typing import Any, Literal

import attrs

from snt_youth import codec, locations, vocabulary
from snt_youth.errors import ContentError, NotFound

FORMAT_VERSION = 1

# The vocabulary defines these once; they are named here because routes and suggestions use them.
TRIGGERS = vocabulary.TRIGGERS
OUTCOMES = vocabulary.OUTCOME_NAMES


@attrs.frozen
class Team:
    id: str
    name: str
    kind: Literal["locality", "iss"] = "locality"
    champions: tuple[str, ...] = ()


@attrs.frozen
class SupportService:
    id: str
    name: str
    kind: Literal["internal", "external"]
    description: str = ""


@attrs.frozen
class SafeguardingRoute:
    """What to consider when screening raises a safety trigger, for an age range."""

    id: str
    title: str
    guidance: str
    triggers: tuple[str, ...]
    min_age: int = 0
    max_age: int = 25


@attrs.frozen
class Suggestion:
    """Support to suggest when an outcome reaches one of ``levels``."""

    outcome: str
    levels: tuple[str, ...]
    support: tuple[str, ...]


@attrs.frozen
class Disclosure:
    method: Literal["suppress", "round5"] = "suppress"
    threshold: int = 5


@attrs.frozen
class Retention:
    years_after_last_contact: int = 6


@attrs.frozen
class ServiceInfo:
    name: str
    instrument: str = "snt-screen"


@attrs.frozen
class ServiceConfig:
    """A whole service's configuration, validated."""

    format_version: int
    service: ServiceInfo
    teams: tuple[Team, ...]
    support: tuple[SupportService, ...]
    safeguarding: tuple[SafeguardingRoute, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()
    disclosure: Disclosure = Disclosure()
    retention: Retention = Retention()
    keys: dict[str, str] = attrs.field(factory=dict)
    source: str = ""

    def team(self, team_id: str) -> Team:
        for team in self.teams:
            if team.id == team_id:
                return team
        known = ", ".join(t.id for t in self.teams)
        raise NotFound(f"Unknown team {team_id!r}. Teams in the configuration: {known}.")

    def support_service(self, service_id: str) -> SupportService:
        for service in self.support:
            if service.id == service_id:
                return service
        known = ", ".join(s.id for s in self.support)
        raise NotFound(f"Unknown support service {service_id!r}. Services: {known}.")

    def routes_for(self, age: int, triggers: set[str]) -> list[SafeguardingRoute]:
        """Safeguarding routes that apply to a young person of ``age`` for ``triggers``."""
        return [
            route
            for route in self.safeguarding
            if route.min_age <= age <= route.max_age and triggers.intersection(route.triggers)
        ]


def _check(config: ServiceConfig, path: str) -> None:
    def fail(where: str, problem: str) -> None:
        raise ContentError(path, where, problem)

    if config.format_version > FORMAT_VERSION:
        fail(
            "format_version",
            f"version {config.format_version} is newer than this snt-youth understands "
            f"({FORMAT_VERSION}); upgrade snt-youth",
        )
    if not config.teams:
        fail("teams", "at least one team is needed")
    _unique([t.id for t in config.teams], "teams", fail)
    _unique([s.id for s in config.support], "support", fail)
    _unique([r.id for r in config.safeguarding], "safeguarding", fail)
    support_ids = {s.id for s in config.support}
    for i, route in enumerate(config.safeguarding):
        for trigger in route.triggers:
            if trigger not in TRIGGERS:
                fail(f"safeguarding[{i}].triggers", f"unknown trigger {trigger!r}; use {TRIGGERS}")
        if route.min_age > route.max_age:
            fail(f"safeguarding[{i}]", "min_age is above max_age")
    for i, suggestion in enumerate(config.suggestions):
        if suggestion.outcome not in OUTCOMES:
            fail(f"suggestions[{i}].outcome", f"unknown outcome {suggestion.outcome!r}")
        for sid in suggestion.support:
            if sid not in support_ids:
                fail(f"suggestions[{i}].support", f"no support service with id {sid!r}")
    if config.disclosure.threshold < 0:
        fail("disclosure.threshold", "must be 0 or more")


def _unique(ids: list[str], key: str, fail: Any) -> None:
    seen: set[str] = set()
    for i, ident in enumerate(ids):
        if not ident.strip():
            fail(f"{key}[{i}].id", "an id cannot be empty")
        if ident in seen:
            fail(f"{key}[{i}].id", f"duplicate id {ident!r}")
        seen.add(ident)


def parse(text: str, path: str = "<config>") -> ServiceConfig:
    """Parse and validate configuration TOML text."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(path, "", f"not valid TOML ({exc})") from None
    raw.setdefault("format_version", FORMAT_VERSION)
    raw["source"] = path
    try:
        config = codec.strict.structure(raw, ServiceConfig)
    except Exception as exc:  # cattrs wraps every structuring problem
        raise ContentError(path, "", codec.describe(exc)) from None
    _check(config, path)
    return config


def load(path: str | Path | None = None) -> ServiceConfig:
    """Load the configuration from ``path``, ``SNT_YOUTH_CONFIG`` or the shipped default."""
    chosen = Path(path or os.environ.get(locations.CONFIG_ENV) or locations.default_config_path())
    return _load_cached(str(chosen.resolve()))


@cache
def _load_cached(path: str) -> ServiceConfig:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError(path, "", "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(path, "", f"cannot be read ({exc})") from None
    return parse(text, path)
