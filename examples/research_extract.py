"""A de-identified research extract from a script, and the key the service keeps.

Run it with:  python examples/research_extract.py
Writes the CSV files and the data dictionary into ./research-extract.
"""

from __future__ import annotations

import csv
import os
from collections import Counter
from pathlib import Path

import snt_youth
from snt_youth import demo

url = os.environ.get("SNT_YOUTH_DB", "sqlite:///example-research.sqlite3")
folder = Path("research-extract")

with snt_youth.open(url, user="a.manager") as book:
    if book.is_empty():
        demo.populate(book, n=60, seed=8)
    result = book.research_extract(folder)
    key = book.research_key(result.extract)

print(f"Extract {result.extract}: {len(result.files)} files for {result.people} young people.")
for line in result.coarsening.describe():
    print(line)

with (folder / "young_people.csv").open(encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
sizes = Counter((r["team"], r["gender"], r["ethnic_group"], r["age"]) for r in rows)
print(f"Smallest group of team, gender, ethnic group and age: {min(sizes.values(), default=0)}.")
assert not sizes or min(sizes.values()) >= book.config.research.k
print(f"The service keeps the key: {len(key)} pseudonyms, each with its number of days moved.")
