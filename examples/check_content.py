"""How snt-youth reports a content file a person got wrong: one sentence, naming the key.

Run it with:  python examples/check_content.py
It writes slightly wrong copies of the shipped service configuration and loads them.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from snt_youth import config, locations
from snt_youth.errors import ContentError
from snt_youth.private_files import write_private

SHIPPED = (locations.DATA_DIR / "service.toml").read_text(encoding="utf-8")
RIGHT = 'champions = ["R. Ahmed", "J. Owen"]'

# Each mistake is one change to the shipped example file.
MISTAKES = {
    "a name where a list belongs": SHIPPED.replace(RIGHT, 'champions = "R. Ahmed"'),
    "a number where a name belongs": SHIPPED.replace('name = "North locality team"', "name = 42"),
    "a key that does not exist": SHIPPED.replace(RIGHT, RIGHT + '\nleader = "Sam"'),
    "a kind that is not one of the choices": SHIPPED.replace(
        'kind = "locality"', 'kind = "local"', 1
    ),
}

with tempfile.TemporaryDirectory() as folder:
    for what, text in MISTAKES.items():
        path = Path(folder) / "service.toml"
        write_private(path, text)
        try:
            config.load(path)
        except ContentError as problem:
            print(f"{what}:\n  {problem}")
        else:
            raise SystemExit(f"{what} was accepted, but it should have been refused")
