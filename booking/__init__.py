"""The application: enterprises and people, reservations, invites, the HTTP layer, the CLI."""
