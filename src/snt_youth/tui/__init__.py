"""The terminal app (Textual) for officers, champions and managers.

Only this package imports textual. Build the app with :func:`snt_youth.tui.app.create_app`,
which the ``snt-youth tui`` command and the tests both call. Every screen drives the
product through the :class:`~snt_youth.casebook.Casebook`; no domain rule lives here.
"""
