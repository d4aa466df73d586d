"""Service configuration: teams, champions, support services, safeguarding routes,
suggested support, disclosure control and retention.

The configuration is a TOML file a service edits. The shipped default
(``data/service.toml``) is generic. ``SNT_YOUTH_CONFIG`` or ``--config`` points at a
service's own file. Loading validates everything and names the file, key and
problem on the first error; nothing is half-loaded. The file is read through
:mod:`snt_youth.content`, which refuses a wrong kind of value instead of reshaping it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import attrs

from snt_youth import content, locations, vocabulary
from snt_youth.errors import NotFound

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
    """How long a young person's records are kept (see docs/records.md).

    They are kept for ``years_after_last_contact`` years after the later of the last
    contact and the young person's ``from_birthday`` birthday (18 by default), then
    weeded by ``snt-youth retention apply``.
    """

    years_after_last_contact: int = 6
    from_birthday: int = 18


@attrs.frozen
class Research:
    """The research extract: every combination of team, gender, ethnic group and age
    is held by at least ``k`` young people."""

    k: int = 5


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
    research: Research = Research()
    keys: dict[str, str] = attrs.field(factory=dict)
    source: str = ""

    def team(self, team_id: str) -> Team:
        """The team with ``team_id``; ids match regardless of case and spaces, like references."""
        wanted = team_id.strip().casefold()
        for team in self.teams:
            if team.id.casefold() == wanted:
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


# --- the file, declared ------------------------------------------------------------

_TEAM = content.Table(
    fields={
        "id": content.ident(),
        "name": content.Text(),
        "kind": content.Text(choices=("locality", "iss"), noun="team kind", default="locality"),
        "champions": content.ListOf(item=content.Text(), default=()),
    },
    build=lambda v: Team(**v),
)
_SUPPORT = content.Table(
    fields={
        "id": content.ident(),
        "name": content.Text(),
        "kind": content.Text(choices=("internal", "external"), noun="support kind"),
        "description": content.Text(allow_empty=True, default=""),
    },
    build=lambda v: SupportService(**v),
)
_ROUTE = content.Table(
    fields={
        "id": content.ident(),
        "title": content.Text(),
        "guidance": content.Text(),
        "triggers": content.ListOf(
            item=content.Text(choices=TRIGGERS, noun="trigger"), min_items=1
        ),
        "min_age": content.Integer(minimum=0, default=0),
        "max_age": content.Integer(minimum=0, default=25),
    },
    build=lambda v: SafeguardingRoute(**v),
)
_SUGGESTION = content.Table(
    fields={
        "outcome": content.Text(choices=OUTCOMES, noun="outcome"),
        "levels": content.ListOf(item=content.Text(), min_items=1),
        "support": content.ListOf(item=content.ident(), min_items=1),
    },
    build=lambda v: Suggestion(**v),
)
_FILE = content.Table(
    fields={
        "format_version": content.FormatVersion(current=FORMAT_VERSION, default=FORMAT_VERSION),
        "service": content.Table(
            fields={
                "name": content.Text(),
                "instrument": content.Text(default="snt-screen"),
            },
            build=lambda v: ServiceInfo(**v),
        ),
        "teams": content.ListOf(item=_TEAM, min_items=1, unique="id", noun="team"),
        "support": content.ListOf(item=_SUPPORT, unique="id", noun="support service"),
        "safeguarding": content.ListOf(item=_ROUTE, unique="id", noun="route", default=()),
        "suggestions": content.ListOf(item=_SUGGESTION, default=()),
        "disclosure": content.Table(
            fields={
                "method": content.Text(
                    choices=("suppress", "round5"), noun="method", default="suppress"
                ),
                "threshold": content.Integer(minimum=0, default=5),
            },
            build=lambda v: Disclosure(**v),
            default=Disclosure(),
        ),
        "retention": content.Table(
            fields={
                "years_after_last_contact": content.Integer(minimum=0, default=6),
                "from_birthday": content.Integer(minimum=0, default=18),
            },
            build=lambda v: Retention(**v),
            default=Retention(),
        ),
        "research": content.Table(
            fields={"k": content.Integer(minimum=2, default=5)},
            build=lambda v: Research(**v),
            default=Research(),
        ),
        # Key remapping for the terminal app: binding id = key.
        "keys": content.Table(values=content.Text(), default={}),
    }
)


def _checked(values: content.Values, path: str) -> ServiceConfig:
    """The configuration, after the checks that look across keys."""
    at = values.at
    for i, route in enumerate(values["safeguarding"]):
        if route.min_age > route.max_age:
            at.key("safeguarding").item(i).key("min_age").fail(
                f"min_age {route.min_age} is above max_age {route.max_age}; swap them"
            )
    support_ids = {s.id for s in values["support"]}
    for i, suggestion in enumerate(values["suggestions"]):
        here = at.key("suggestions").item(i)
        levels = vocabulary.outcome(suggestion.outcome).values
        for level in suggestion.levels:
            if level not in levels:
                here.key("levels").fail(
                    f"{level!r} is not a level of {suggestion.outcome}; "
                    f"use any of: {', '.join(levels)}"
                )
        for sid in suggestion.support:
            if sid not in support_ids:
                here.key("support").fail(
                    f"no support service has the id {sid!r}; add it under [[support]] "
                    "or correct the id"
                )
    return ServiceConfig(
        format_version=values["format_version"],
        service=values["service"],
        teams=values["teams"],
        support=values["support"],
        safeguarding=values["safeguarding"],
        suggestions=values["suggestions"],
        disclosure=values["disclosure"],
        retention=values["retention"],
        research=values["research"],
        keys=dict(values["keys"]),
        source=path,
    )


def parse(text: str, path: str = "<config>") -> ServiceConfig:
    """Parse and validate configuration TOML text; ``path`` names it in errors."""
    document = content.parse_toml(text, path)
    return _checked(_FILE.check(document.data, document.at), path)


def load(path: str | Path | None = None) -> ServiceConfig:
    """Load the configuration from ``path``, ``SNT_YOUTH_CONFIG`` or the shipped default.

    Reused until the file changes; a bad file raises :class:`ContentError`.
    """
    chosen = Path(path or os.environ.get(locations.CONFIG_ENV) or locations.default_config_path())
    return content.cached(chosen, _read)


def _read(path: Path) -> ServiceConfig:
    document = content.read_file(path, "toml")
    return _checked(_FILE.check(document.data, document.at), str(path))
