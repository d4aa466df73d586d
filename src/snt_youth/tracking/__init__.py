"""Support tracking and quarterly figures: quarters, disclosure control, the report model
and its writers. Headless: nothing here imports a database, UI or PDF library."""
