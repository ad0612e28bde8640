"""The quote store (``quote-worker store``): quote and status records from Kafka into SQLite or
PostgreSQL, exactly once, with one speaker key across articles, and the queries the API serves.
See docs/store.md."""
