"""The editorial workflow: roles and permissions, proposed changes and publishing them, the admin's workflow
actions, the staff preview, bodies checked against the live database, and the editors' dashboard."""
