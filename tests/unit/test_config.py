"""The service configuration: every key, its defaults, and the mistakes it refuses."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from snt_youth import config, locations, vocabulary
from snt_youth.config import Disclosure, Retention
from snt_youth.errors import ContentError, NotFound

SMALL = """
[service]
name = "Small service"

[[teams]]
id = "north"
name = "North team"

[[support]]
id = "direct-work"
name = "Direct work"
kind = "internal"
"""

FULL = """
format_version = 1

[service]
name = "Full service"
instrument = "mine.toml"

[[teams]]
id = "north"
name = "North team"
kind = "locality"
champions = ["R. Ahmed", "J. Owen"]

[[teams]]
id = "iss"
name = "ISS team"
kind = "iss"

[[support]]
id = "direct-work"
name = "Direct work"
kind = "internal"
description = "Sessions with a champion."

[[support]]
id = "advocate"
name = "Advocate"
kind = "external"

[[safeguarding]]
id = "police-now"
title = "Call 999"
guidance = "Someone is in danger now."
triggers = ["immediate-danger"]
min_age = 10
max_age = 17

[[suggestions]]
outcome = "relationship"
levels = ["some concerns", "harmful"]
support = ["advocate"]

[disclosure]
method = "round5"
threshold = 3

[retention]
years_after_last_contact = 8

[keys]
quit = "ctrl+q"
"""


def parse(text: str) -> config.ServiceConfig:
    return config.parse(text, "service.toml")


def refused(text: str) -> ContentError:
    with pytest.raises(ContentError) as caught:
        parse(text)
    assert "\n" not in str(caught.value)
    assert str(caught.value).startswith("service.toml")
    return caught.value


def test_the_shipped_configuration_loads() -> None:
    shipped = config.load()
    assert shipped.source == str(locations.default_config_path().resolve())
    assert {t.kind for t in shipped.teams} == {"locality", "iss"}
    assert shipped.team("north").champions == ("R. Ahmed", "J. Owen")
    assert shipped.service.instrument == "snt-screen"


def test_defaults_of_a_small_file() -> None:
    small = parse(SMALL)
    assert small.format_version == config.FORMAT_VERSION
    assert small.service.instrument == "snt-screen"
    team = small.team("north")
    assert (team.kind, team.champions) == ("locality", ())
    assert small.support_service("direct-work").description == ""
    assert small.safeguarding == () and small.suggestions == ()
    assert small.disclosure == Disclosure(method="suppress", threshold=5)
    assert small.retention == Retention(years_after_last_contact=6)
    assert small.keys == {}
    assert small.source == "service.toml"


def test_every_key_of_a_full_file() -> None:
    full = parse(FULL)
    assert full.service.name == "Full service" and full.service.instrument == "mine.toml"
    assert [t.id for t in full.teams] == ["north", "iss"]
    assert full.team("iss").kind == "iss"
    assert full.team("north").champions == ("R. Ahmed", "J. Owen")
    assert full.support_service("direct-work").description == "Sessions with a champion."
    assert full.support_service("advocate").kind == "external"
    (route,) = full.safeguarding
    assert (route.triggers, route.min_age, route.max_age) == (("immediate-danger",), 10, 17)
    (suggestion,) = full.suggestions
    assert suggestion.levels == ("some concerns", "harmful")
    assert suggestion.support == ("advocate",)
    assert full.disclosure == Disclosure(method="round5", threshold=3)
    assert full.retention.years_after_last_contact == 8
    assert full.keys == {"quit": "ctrl+q"}


def test_routes_for_age_and_triggers() -> None:
    full = parse(FULL)
    assert [r.id for r in full.routes_for(12, {"immediate-danger"})] == ["police-now"]
    assert full.routes_for(18, {"immediate-danger"}) == []
    assert full.routes_for(12, {"home-ongoing"}) == []


def test_unknown_team_and_service_are_not_found() -> None:
    small = parse(SMALL)
    with pytest.raises(NotFound, match="Teams in the configuration: north"):
        small.team("south")
    with pytest.raises(NotFound, match="Services: direct-work"):
        small.support_service("nowhere")


# --- the three old bugs ------------------------------------------------------------


def test_a_single_champion_in_quotes_is_refused_not_split_into_letters() -> None:
    error = refused(SMALL.replace('name = "North team"', 'name = "N"\nchampions = "R. Ahmed"'))
    assert error.where == "teams[0] (line 5).champions"
    assert error.problem.startswith("should be a list of texts")
    assert "not text" in error.problem


def test_a_number_where_a_name_belongs_is_refused_not_made_text() -> None:
    error = refused(SMALL.replace('name = "North team"', "name = 42"))
    assert error.where == "teams[0] (line 5).name"
    assert error.problem == "should be text in quotes, not a number"


def test_a_bad_kind_names_the_choices_in_plain_words() -> None:
    error = refused(SMALL.replace('kind = "internal"', 'kind = "outside"'))
    assert error.where == "support[0] (line 9).kind"
    assert error.problem == "unknown support kind 'outside'; use one of: internal, external"
    assert "typing" not in str(error) and "Literal" not in str(error)


# --- other mistakes ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "where", "problem"),
    [
        ("[service]", "colour = 1\n[service]", "colour", "unknown key 'colour'"),
        ('id = "north"', 'id = "North"', "teams[0] (line 5).id", "'North' is not a usable id"),
        ('name = "Small service"', "", "service", "missing key 'name'"),
        ('kind = "internal"', "kind = 1", "support[0] (line 9).kind", "should be text"),
        ("[service]", "format_version = 2\n[service]", "format_version", "newer snt-youth"),
        ("[service]", 'format_version = "1"\n[service]', "format_version", "whole number"),
        (
            '[[support]]\nid = "direct-work"',
            '[[teams]]\nid = "north"\nname = "Again"\n\n[[support]]\nid = "direct-work"',
            "teams[1] (line 9).id",
            "duplicate team id 'north'",
        ),
        (
            'kind = "internal"',
            'kind = "internal"\n\n[disclosure]\nthreshold = -1',
            "disclosure.threshold",
            "0 or more",
        ),
        (
            'kind = "internal"',
            'kind = "internal"\n\n[disclosure]\nmethod = "blur"',
            "disclosure.method",
            "unknown method 'blur'",
        ),
        (
            'kind = "internal"',
            'kind = "internal"\n\n[keys]\nquit = 1',
            "keys.quit",
            "should be text",
        ),
        (
            'kind = "internal"',
            'kind = "internal"\n\n[retention]\nyears = 1',
            "retention.years",
            "unknown key",
        ),
    ],
)
def test_mistakes_are_refused_by_key(old: str, new: str, where: str, problem: str) -> None:
    assert old in SMALL
    error = refused(SMALL.replace(old, new, 1))
    assert error.where == where
    assert problem in error.problem


def test_no_teams_is_refused() -> None:
    text = "teams = []\n" + SMALL.replace('[[teams]]\nid = "north"\nname = "North team"\n', "")
    assert refused(text).where == "teams"


def test_cross_checks_use_the_vocabulary() -> None:
    route = '\n[[safeguarding]]\nid = "r"\ntitle = "T"\nguidance = "G"\ntriggers = ["{t}"]\n'
    for trigger in vocabulary.TRIGGERS:
        assert parse(SMALL + route.format(t=trigger)).safeguarding[0].triggers == (trigger,)
    assert "unknown trigger 'storm'" in refused(SMALL + route.format(t="storm")).problem
    ages = SMALL + route.format(t="immediate-danger") + "min_age = 18\nmax_age = 17\n"
    assert "min_age 18 is above max_age 17" in refused(ages).problem
    suggestion = '\n[[suggestions]]\noutcome = "{o}"\nlevels = ["{lv}"]\nsupport = ["{s}"]\n'
    for outcome in vocabulary.OUTCOMES:
        level = outcome.values[-1]
        text = SMALL + suggestion.format(o=outcome.name, lv=level, s="direct-work")
        assert parse(text).suggestions[0].levels == (level,)
    bad = refused(SMALL + suggestion.format(o="school", lv="x", s="direct-work"))
    assert bad.problem.startswith("unknown outcome 'school'")
    bad = refused(SMALL + suggestion.format(o="home", lv="awful", s="direct-work"))
    assert bad.where.endswith(".levels") and "'awful' is not a level of home" in bad.problem
    bad = refused(SMALL + suggestion.format(o="home", lv="past", s="nowhere"))
    assert bad.where.endswith(".support") and "'nowhere'" in bad.problem


def test_bad_toml_names_the_line() -> None:
    error = refused("[service\nname = 1\n")
    assert error.where == "line 1"
    assert error.problem.startswith("not valid TOML")


def test_load_follows_the_environment_and_reloads_an_edited_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "service.toml"
    path.write_text(SMALL, encoding="utf-8")
    monkeypatch.setenv(locations.CONFIG_ENV, str(path))
    first = config.load()
    assert first.service.name == "Small service"
    assert config.load() is first  # reused while the file is unchanged
    path.write_text(SMALL.replace("Small service", "Edited service"), encoding="utf-8")
    os.utime(path, ns=(1, 10**18))
    assert config.load().service.name == "Edited service"
    assert config.load(locations.default_config_path()).service.name != "Edited service"


def test_a_missing_file_is_one_content_error(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="file not found"):
        config.load(tmp_path / "absent.toml")
