"""Modal dialogs with typed results: confirm, choose one of several, type a line."""
