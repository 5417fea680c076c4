"""The administrator's page family: users and portfolios (`user_forms`), retracting and restoring
stored rows (`retraction_panel`), and first steps on an empty database (`first_steps`). Thin forms
over `tracker.users`, `tracker.writes.history.retraction` and the import.
"""
