"""Helpers shared by the test rooms (unit, integration, functional); no tests live here."""
