"""``snt-youth screening instrument``: the data dictionary, as a table and as JSON."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from snt_youth import locations
from snt_youth.cli import cli
from snt_youth.screening import dictionary, load_instrument

INSTRUMENT = load_instrument("snt-screen")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_table_lists_every_item_with_its_fields() -> None:
    code, out, _ = run("screening", "instrument")
    assert code == 0, out
    assert "snt-screen version 1.0" in out
    for heading in ("ID", "SECTION", "OUTCOME", "RESPONSES", "CONCERN", "CONDITION", "SAFETY NOW"):
        assert heading in out
    lines = out.splitlines()
    for item in INSTRUMENT.items:
        row = next(line for line in lines if line.startswith(item.id + " "))
        assert item.section in row
        assert item.outcome in row
    danger_row = next(line for line in lines if line.startswith("safe-danger-you "))
    assert danger_row.rstrip().endswith("danger")
    rel_row = next(line for line in lines if line.startswith("rel-hit "))
    assert "rel-partner = yes" in rel_row
    assert "yes (harmful)" in rel_row
    assert "prefer-not-to-say" in out and "never count as 'no'" in out


def test_json_is_the_data_dictionary() -> None:
    code, out, _ = run("screening", "instrument", "--json")
    assert code == 0
    data = json.loads(out)
    assert (data["id"], data["version"]) == ("snt-screen", "1.0")
    assert data["items"] == dictionary(INSTRUMENT)
    by_id = {row["id"]: row for row in data["items"]}
    assert by_id["rel-hit"]["condition"] == {"item": "rel-partner", "in": ["yes"]}
    assert by_id["safe-place"]["concern"] == ["no"]
    assert by_id["safe-place"]["safety_now"] is True
    assert by_id["home-hurt"]["timing"] == {"yes-now": "ongoing", "yes-before": "past"}
    for row in data["items"]:
        codes = [r["code"] for r in row["responses"]]
        assert {"not-sure", "prefer-not-to-say", "not-asked"} <= set(codes)
        for key in ("id", "section", "outcome", "concern", "condition", "safety_now"):
            assert key in row


def test_file_option_checks_a_services_own_instrument(tmp_path: Path) -> None:
    shipped = Path(INSTRUMENT.source).read_text(encoding="utf-8")
    mine = tmp_path / "mine.toml"
    mine.write_text(shipped.replace('id = "snt-screen"', 'id = "our-screen"'), encoding="utf-8")
    code, out, _ = run("screening", "instrument", "--file", str(mine), "--json")
    assert code == 0
    assert json.loads(out)["id"] == "our-screen"

    mine.write_text(shipped.replace('id = "rel-fear"', 'id = "rel-hit"'), encoding="utf-8")
    code, out, err = run("screening", "instrument", "--file", str(mine))
    assert code == 2
    assert "Error:" in err and "mine.toml" in err and "duplicate item id 'rel-hit'" in err
    assert "Traceback" not in err + out


def test_config_chooses_the_instrument(tmp_path: Path) -> None:
    (tmp_path / "ours.toml").write_text(
        Path(INSTRUMENT.source)
        .read_text(encoding="utf-8")
        .replace('version = "1.0"', 'version = "7"'),
        encoding="utf-8",
    )
    text = locations.default_config_path().read_text(encoding="utf-8")
    config = tmp_path / "service.toml"
    config.write_text(text.replace('"snt-screen"', '"ours.toml"'), encoding="utf-8")
    code, out, _ = run("--config", str(config), "screening", "instrument", "--json")
    assert code == 0, out
    assert json.loads(out)["version"] == "7"
