"""Ordered schema migrations; see camau_desk.store.db and docs/DEVELOPING.md."""
